// audit.test.mjs -- the auditor's executable (/audit/) through nginx and the
// audit workers against the real MariaDB: who may open it, the filters
// (time range in the company's zone, account, unit, action, object, result,
// address, the dashboard's kinds, out of hours), keyset paging, a record's
// change field by field, an object's whole history, CSV/XLSX exports that
// are audited themselves and guarded against formulas, the dashboard's
// counts and their links, the verify page (intact, then a record changed by
// the database root), and an archive read back by the viewer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, login, location, sql, q, mkuser, mkunit, uniq, csrfOf, ctl, ROOT } from './lib.mjs';

const PW = 'Shen-ji#2026x';

async function as(roles, unit = '100090') {
  const name = uniq('au');
  const id = mkuser(name, PW, { name: '审计测试', unit, roles });
  const c = await login(name, PW);
  assert.equal(c.last.status, 303, `${name} logs in`);
  c.login = name;
  c.id = id;
  return c;
}
const auditor = () => as([['auditor', 'all']]);
// failed logins made on purpose count against this machine's address too:
// put the address's counter back afterwards, so later log-ins still work
const IPKEY = q('ip:127.0.0.1');
async function keepIpCounter(fn) {
  const before = sql(`SELECT COALESCE(MAX(failures), 0) FROM login_lock WHERE lock_key=${IPKEY}`);
  try { await fn(); } finally { sql(`UPDATE login_lock SET failures=${before}, locked_until=NULL, refused=0 WHERE lock_key=${IPKEY}`); }
}
const maxId = () => Number(sql('SELECT MAX(id) FROM audit_log'));
const rowsOf = (html) => [...html.matchAll(/<tr class="res-(\w+)"><td><a href="\/audit\/record\?id=(\d+)/g)]
  .map((m) => ({ result: m[1], id: Number(m[2]) }));
const errorMsg = (html) => ((/class="msg msg-error"[^>]*>([^<]*)</.exec(html)) || [])[1] || '';

const src = fs.readFileSync(path.join(ROOT, 'cgi-bin/audit/audit.c'), 'utf8');
const ALL = [...(/static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(src) || ['', ''])[1]
  .matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*\w+,\s*\w+,\s*(\w+)/g)].map((m) => ({ method: m[1], path: m[2], caps: m[3] }));
// the auditor's routes (CAP_AUDIT); the rest are the security officer's (sec.h)
const ROUTES = ALL.filter((r) => r.caps === 'AU');

test('the audit route table is found, and every route answers the auditor', async () => {
  assert.ok(ROUTES.length >= 5, `${ROUTES.length} routes`);
  assert.ok(ROUTES.every((r) => r.method === 'GET'), 'the auditor changes nothing: GET routes only');
  const c = await auditor();
  for (const r of ROUTES) {
    const res = await c.get(r.path + '?id=' + maxId());
    assert.equal(res.status, 200, `${r.method} ${r.path}`);
  }
  for (const r of ALL.filter((x) => x.caps !== 'AU')) {
    const res = r.method === 'GET' ? await c.get(r.path) : await c.post(r.path, { csrf: csrfOf((await c.get('/audit/')).text_), id: '1', grant: '1', login: c.login });
    assert.equal(res.status, 403, `the auditor: ${r.method} ${r.path}`);
  }
  const portal = await c.get('/');
  assert.match(portal.text_, /<a class="menu-title" href="\/audit\/">审计日志<\/a>/);
});

test('administrators, security officers and clerks cannot read the audit log; anonymous users are sent to log in', async () => {
  for (const roles of [[['admin', 'all']], [['secofficer', 'all']], [['clerk', 'unit'], ['head', 'unit']], [['dispatcher', 'all'], ['leader', 'all']]]) {
    const c = await as(roles);
    const before = maxId();
    for (const r of ROUTES) {
      const res = await c.get(r.path + '?id=1&fmt=csv');
      assert.equal(res.status, 403, `${roles[0][0]}: ${r.path}`);
      assert.doesNotMatch(res.text_, /审计记录 1|<table class="grid" id="audit-rows"/);
    }
    // each refusal leaves one record of its own (access.denied, result denied)
    const refused = sql(`SELECT COUNT(*) FROM audit_log WHERE id > ${before} AND login = ${q(c.login)} AND action = 'access.denied' AND result = 'denied'`);
    assert.equal(Number(refused), ROUTES.length);
  }
  const anon = new Client();
  for (const r of ALL.filter((x) => x.method === 'GET')) {
    const res = await anon.get(r.path);
    assert.equal(res.status, 303);
    assert.match(location(res), /^\/login\?next=/);
  }
});

test('filters: account, action, object, result, address, unit; keyset paging newest first', () => keepIpCounter(async () => {
  const c = await auditor();
  // a few records of our own: failed logins from one address, of one name
  const who = uniq('flt');
  const probe = new Client({ 'x-forwarded-for': '1' });
  for (let i = 0; i < 3; i++) await login(who, 'Wrong#pass' + i, probe);
  let r = await c.get(`/audit/?login=${who}`);
  assert.equal(r.status, 200);
  let rows = rowsOf(r.text_);
  assert.equal(rows.length, 3);
  assert.ok(rows.every((x) => x.result === 'fail'));
  assert.ok(rows[0].id > rows[1].id && rows[1].id > rows[2].id, 'newest first');
  r = await c.get(`/audit/?login=${who}&result=ok`);
  assert.equal(rowsOf(r.text_).length, 0);
  assert.match(r.text_, /没有符合条件的记录/);
  r = await c.get(`/audit/?object=${encodeURIComponent('login:' + who)}&action=login.fail`);
  assert.equal(rowsOf(r.text_).length, 3);
  assert.match(r.text_, /对象历史：登录名 <code>/);
  // by unit: the auditor's own records are in 信息中心
  const xx = sql("SELECT id FROM org_unit WHERE code='100090'");
  r = await c.get(`/audit/?unit=${xx}&login=${c.login}`);
  assert.ok(rowsOf(r.text_).length >= 1);
  const cd = sql("SELECT id FROM org_unit WHERE code='100020'");
  r = await c.get(`/audit/?unit=${cd}&login=${c.login}`);
  assert.equal(rowsOf(r.text_).length, 0);
  // by address
  const ip = sql(`SELECT ip FROM audit_log WHERE login=${q(who)} LIMIT 1`);
  r = await c.get(`/audit/?ip=${encodeURIComponent(ip)}&login=${who}`);
  assert.equal(rowsOf(r.text_).length, 3);
  // paging: 50 a page, the next page continues below the last id shown
  r = await c.get('/audit/');
  const first = rowsOf(r.text_);
  assert.equal(first.length, 50);
  const next = /id="next-page" href="([^"]+)"/.exec(r.text_)[1].replace(/&amp;/g, '&');
  assert.match(next, new RegExp(`before=${first[49].id}$`));
  const second = rowsOf((await c.get(next)).text_);
  assert.ok(second.length > 0);
  assert.ok(second[0].id < first[49].id);
  assert.equal(second[0].id, Number(sql(`SELECT MAX(id) FROM audit_log WHERE id < ${first[49].id}`)));
  // bad input: a clear message, nothing else
  r = await c.get('/audit/?from=2026-13-01');
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /时间格式不正确/);
  assert.equal((await c.get('/audit/?unit=x')).status, 400);
}));

test('a time range is read in the company\'s zone (Asia/Shanghai), whatever the server\'s zone', async () => {
  const c = await auditor();
  // put three records at known instants by a scratch object, via the
  // real code path: a unit changed three times, then date them (the test
  // changes the times in SQL only to read them back, and restores them)
  const ids = sql('SELECT id FROM audit_log ORDER BY id DESC LIMIT 3').split('\n').map(Number).reverse();
  const saved = sql(`SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') FROM audit_log WHERE id IN (${ids})`).split('\n').map((l) => l.split('\t'));
  const headAt = sql("SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') FROM audit_head");
  try {
    // UTC 2030-01-01 15:59:59 is 23:59:59 in Shanghai; 16:00:00 UTC is the next local day
    sql(`UPDATE audit_log SET at = '2030-01-01 15:59:58' WHERE id = ${ids[0]};
         UPDATE audit_log SET at = '2030-01-01 15:59:59' WHERE id = ${ids[1]};
         UPDATE audit_log SET at = '2030-01-01 16:00:00' WHERE id = ${ids[2]}`);
    let r = await c.get('/audit/?from=2030-01-01&to=2030-01-01');
    assert.deepEqual(rowsOf(r.text_).map((x) => x.id), [ids[1], ids[0]]);
    assert.match(r.text_, /2030-01-01 23:59:59/);
    r = await c.get('/audit/?from=2030-01-02');
    assert.deepEqual(rowsOf(r.text_).map((x) => x.id), [ids[2]]);
    assert.match(r.text_, /2030-01-02 00:00:00/);
    r = await c.get(`/audit/?from=${encodeURIComponent('2030-01-01 23:59')}&to=${encodeURIComponent('2030-01-02 00:00')}`);
    assert.deepEqual(rowsOf(r.text_).map((x) => x.id), [ids[1], ids[0]]);
  } finally {
    for (const [id, at] of saved) sql(`UPDATE audit_log SET at = ${q(at)} WHERE id = ${id}`);
    sql(`UPDATE audit_head SET at = ${q(headAt)}`);
  }
  assert.match(ctl('verify-audit'), /intact/);
});

test('a record shows its change field by field, and links to the object\'s whole history', async () => {
  const admin = await as([['admin', 'all']]);
  const code = 'AU' + uniq('');
  const unitId = mkunit(code, '审计前名称');
  const page = await admin.get(`/admin/units/edit?id=${unitId}`);
  const version = /name="version" value="(\d+)"/.exec(page.text_)[1];
  const parent = sql("SELECT id FROM org_unit WHERE code='100'");
  const r0 = await admin.post('/admin/units/edit', { csrf: csrfOf(page.text_), id: unitId, version, name: '审计后名称', parent, kind: 'dept', sort: '7' });
  assert.equal(r0.status, 303);
  const c = await auditor();
  const id = sql(`SELECT MAX(id) FROM audit_log WHERE object=${q('unit:' + code)}`);
  const r = await c.get(`/audit/record?id=${id}`);
  assert.equal(r.status, 200);
  assert.match(r.text_, /修改单位/);
  assert.match(r.text_, new RegExp(`<a href="/audit/\\?login=${admin.login}">${admin.login}</a>`));
  assert.match(r.text_, /系统管理员/);
  const change = (label) => new RegExp(`<tr class="changed"><td>${label}</td><td>([^<]*)</td><td>([^<]*)</td></tr>`).exec(r.text_);
  assert.deepEqual(change('名称').slice(1), ['审计前名称', '审计后名称']);
  assert.deepEqual(change('排序').slice(1), ['0', '7']);
  assert.match(r.text_, /<tr class=""><td>编码<\/td><td>AU/, 'an unchanged field is shown unmarked');
  assert.match(r.text_, /HMAC-SHA-256/);
  const hist = /id="object-history" href="([^"]+)"/.exec(r.text_)[1];
  const h = await c.get(hist.replace(/&amp;/g, '&'));
  assert.deepEqual(rowsOf(h.text_).map((x) => x.id), [Number(id)], 'the unit made by SQL has this one record');
  assert.equal((await c.get('/audit/record?id=999999999')).status, 404);
  assert.equal((await c.get('/audit/record?id=abc')).status, 400);
});

test('exports: CSV and XLSX of the filtered records, each itself audited, formulas guarded', () => keepIpCounter(async () => {
  const c = await auditor();
  const who = uniq('csv');
  // a user agent that a spreadsheet would run as a formula
  const evil = new Client({ 'user-agent': '=HYPERLINK("http://evil.example","x")' });
  await login(who, 'Wrong#pass1', evil);
  const before = maxId();
  const r = await c.get(`/audit/export?login=${who}&fmt=csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''/);
  const lines = r.text_.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(lines.length, 2, 'the header and one record');
  assert.match(lines[0], /^编号,时间,账户,角色,单位编码,IP 地址,浏览器,请求编号,操作,操作代码,对象,结果,详情$/);
  assert.match(lines[1], /,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",/, 'the formula is guarded');
  assert.match(lines[1], /,登录失败,login\.fail,/);
  const rec = sql(`SELECT CONCAT(action, ' ', object, ' ', result, ' ', login) FROM audit_log WHERE id > ${before} AND action = 'export.audit'`);
  assert.equal(rec, `export.audit audit:log ok ${c.login}`);
  assert.match(sql(`SELECT detail FROM audit_log WHERE id > ${before} AND action = 'export.audit'`), new RegExp(`"filter":"login=${who}","rows":1`));
  const x = await c.request('GET', `/audit/export?login=${who}&fmt=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE id > ${before} AND action = 'export.audit'`)), 2);
}));

test('the dashboard counts what needs a look, each count linking to exactly those records', () => keepIpCounter(async () => {
  const c = await auditor();
  const who = uniq('dash');
  mkuser(who, PW);
  const probe = new Client();
  for (let i = 0; i < 5; i++) await login(who, 'Wrong#pass' + i, probe);   // 5 failures, then locked
  const r = await c.get('/audit/dashboard');
  assert.equal(r.status, 200);
  for (const k of ['loginfail', 'lockouts', 'offhours', 'grants', 'io', 'resets', 'denied', 'refused']) {
    const m = new RegExp(`<tr id="dash-${k}"><td>[^<]+[\\s\\S]*?<td><a href="([^"]+)">(\\d+)</a>`).exec(r.text_);
    assert.ok(m, `dashboard row ${k}`);
    const link = m[1].replace(/&amp;/g, '&');
    // the list behind the link holds that many records (counted over its pages)
    let n = 0, url = link;
    for (let guard = 0; url && guard < 200; guard++) {
      const page = await c.get(url);
      n += rowsOf(page.text_).length;
      const nx = /id="next-page" href="([^"]+)"/.exec(page.text_);
      url = nx ? nx[1].replace(/&amp;/g, '&') : null;
    }
    // records keep arriving (this test's own page views do not: GETs are not recorded)
    assert.equal(n, Number(m[2]), `${k}: the link lists what the count says`);
  }
  assert.match(r.text_, new RegExp(`<td><code>${who}</code></td><td><a href="[^"]*login=${who}">5</a>`), 'the account with repeated failures');
  sql(`DELETE FROM login_lock WHERE lock_key=${q('u:' + who)}`);
}));

test('the verify page: intact up to record N at time T; a record changed by the database root is found', async () => {
  const c = await auditor();
  let r = await c.get('/audit/verify');
  assert.equal(r.status, 200);
  assert.match(r.text_, /id="verify-result">审计日志完整：截至第 \d+ 条记录（ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d）均未被改动。/);
  const id = Number(sql("SELECT MAX(id) FROM audit_log WHERE action = 'login.fail'"));
  const result = sql(`SELECT result FROM audit_log WHERE id = ${id}`);
  sql(`UPDATE audit_log SET result = 'ok' WHERE id = ${id}`);
  try {
    r = await c.get('/audit/verify');
    assert.match(r.text_, new RegExp(`审计日志已被改动：第 ${id} 条记录处链条断开——该记录的内容或校验值与写入时不符`));
    assert.match(r.text_, new RegExp(`截至第 ${id - 1} 条记录`));
  } finally {
    sql(`UPDATE audit_log SET result = ${q(result)} WHERE id = ${id}`);
  }
  assert.match((await c.get('/audit/verify')).text_, /审计日志完整/);
});

test('an archive is verified and read back by the viewer', async () => {
  const c = await auditor();
  // archive the set-up's first records (the rest of the log stays)
  const cut = sql("SELECT DATE_FORMAT(at + INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s') FROM audit_log WHERE id = 3");
  let first = Number(sql('SELECT MIN(id) FROM audit_log'));
  const WORDS = { 'form.create': '新建报表定义', 'audit.key': '启用审计密钥', 'unit.create': '新建单位' };
  const act1 = first === 1 ? sql('SELECT action FROM audit_log WHERE id = 1') : 'form.create';
  assert.ok(WORDS[act1], `record 1: ${act1}`);
  if (first === 1) {
    const out = ctl('archive-audit', '--before', cut);
    assert.match(out, /archived records 1 to \d+/);
    first = Number(sql('SELECT MIN(id) FROM audit_log'));
  }
  assert.ok(first > 1);
  const arch = sql("SELECT MIN(id) FROM audit_log WHERE action = 'audit.archive'");
  let r = await c.get('/audit/verify');
  assert.match(r.text_, /审计日志完整/);
  assert.match(r.text_, new RegExp(`<a href="/audit/\\?archive=${arch}">1–${first - 1}</a>`));
  assert.match(r.text_, /<span class="yes">完好<\/span>/);
  r = await c.get(`/audit/?archive=${arch}`);
  assert.equal(r.status, 200);
  const rows = rowsOf(r.text_);
  assert.deepEqual(rows.map((x) => x.id), [...Array(Math.min(first - 1, 50)).keys()].map((i) => first - 1 - i));
  assert.match(r.text_, new RegExp(WORDS[act1]));
  r = await c.get(`/audit/record?id=1&archive=${arch}`);
  assert.equal(r.status, 200);
  assert.match(r.text_, new RegExp(`审计记录 1：${WORDS[act1]}`));
  r = await c.get(`/audit/?archive=${arch}&action=${act1}`);
  assert.ok(rowsOf(r.text_).some((x) => x.id === 1));
  assert.ok(rowsOf(r.text_).every((x) => x.id < first));
  assert.equal((await c.get('/audit/?archive=1')).status, 404, 'only archive records name archives');
  assert.match(ctl('verify-audit'), /intact.*1 archive\(s\), 0 bad/);
});
