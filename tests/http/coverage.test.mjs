// coverage.test.mjs -- every route of every executable (login, admin, entry,
// approval, audit, report) against the audit log, with the route lists read from
// the route tables (cgi-bin/*/*.c):
//  - each POST route, done right, writes exactly one record of its action
//    (result ok, the actor, the address, a request id) -- a POST route
//    without a recipe here fails the test, so a new route must say what it
//    records; every export and download writes one record too;
//  - done again when it would change nothing, it writes nothing (no noise);
//  - refused by the route's capabilities it writes one "denied" record;
//  - an auditor can change nothing anywhere: every POST route that needs a
//    capability answers 403, so does every page of the admin, entry and
//    approval executables, and no table but the log changes.
// The entry and approval recipes use a form of their own (a one-step chain:
// a head of the unit) for a unit of their own.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Client, login, location, sql, q, ctl, uniq, csrfOf, ROOT, demoSafeMkuser, mkunit } from './lib.mjs';
import { check as importCheck, map as importMap } from './implib.mjs';

const PW = 'Fu-gai#2026xy';
const NEWPW = 'Xin-de#mima2026';
const mkuser = demoSafeMkuser(after);

// ------------------------------------------------------------------ route tables
const EXES = fs.readdirSync(path.join(ROOT, 'cgi-bin')).filter((d) => !['core', 'tool', 'hello'].includes(d));
const ROUTES = [];
for (const exe of EXES) {
  for (const f of fs.readdirSync(path.join(ROOT, 'cgi-bin', exe)).filter((x) => x.endsWith('.c'))) {
    const src = fs.readFileSync(path.join(ROOT, 'cgi-bin', exe, f), 'utf8');
    const table = /static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
    if (!table) continue;
    for (const m of table[1].matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*(\w+),\s*([\w| ]+),\s*(\w+)/g)) {
      ROUTES.push({ exe, method: m[1], path: m[2], fn: m[3], flags: m[4], caps: m[5] });
    }
  }
}
const POSTS = ROUTES.filter((r) => r.method === 'POST');
const key = (r) => `${r.method} ${r.path}`;

const maxId = () => Number(sql('SELECT COALESCE(MAX(id), 0) FROM audit_log'));
function since(id) {
  const out = sql(`SELECT action, result, login, ip, req_id, object FROM audit_log WHERE id > ${id} ORDER BY id`);
  return out ? out.split('\n').map((l) => { const [action, result, who, ip, req, object] = l.split('\t'); return { action, result, login: who, ip, req, object }; }) : [];
}
const errorMsg = (html) => ((/class="msg msg-error"[^>]*>([^<]*)</.exec(html)) || [])[1] || '';
const unitOf = (code) => sql(`SELECT id FROM org_unit WHERE code = ${q(code)}`);
const codeOf = (html) => (/id="activation-code">([A-Z0-9-]+)</.exec(html) || [])[1];

async function as(roles, unit = '100090') {
  const name = uniq('cv');
  const id = mkuser(name, PW, { name: '覆盖测试', unit, roles });
  const c = await login(name, PW);
  assert.equal(c.last.status, 303, `${name} logs in`);
  c.login = name;
  c.id = id;
  c.csrf = csrfOf((await c.get('/password')).text_);
  c.send = (url, fields) => c.post(url, { csrf: c.csrf, ...fields });
  return c;
}

function upload(c, kind, text) {
  const b = '----cv' + Date.now();
  const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${c.csrf}\r\n` +
    `--${b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`);
  return c.post('/admin/import/check', body, { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${b}` } });
}
const batchOf = (html) => (/name="batch" value="(\d+)"/.exec(html) || [])[1];

// ------------------------------------------------------------------ a form of its own
const CU = uniq('CVF');                       // the unit that submits it
const FORM = 'cv' + CU.slice(3).toLowerCase();
const local = (daysBack = 0) => new Date(Date.now() - daysBack * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
let formReady = false;
function theForm() {
  if (formReady) return;
  mkunit(CU, '覆盖测试班');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-cvforms-'));
  fs.writeFileSync(path.join(dir, `${FORM}.hdf`), `Code = ${FORM}
Name = 覆盖测试日报
Version = 1
Period = day
Units = ${CU}
Window {
  Opens = 0
  Cutoff = 9h
  Closes = 20d
}
Header {
  who {
    Type = text
    Label = 填报人
  }
}
Rows {
  MinRows = 1
  MaxRows = 10
  item {
    Type = text
    Label = 项目
    Required = 1
  }
  qty {
    Type = integer
    Label = 数量
  }
}
Approval {
  Steps {
    head {
      Label = 班组审核
      Role = head
    }
  }
}
`);
  assert.match(ctl('forms', 'apply', dir), new RegExp(`applied ${FORM} version 1: new`));
  fs.rmSync(dir, { recursive: true, force: true });
  // in use for two months: a month back is closed, not history
  sql(`UPDATE form SET created_at = UTC_TIMESTAMP() - INTERVAL 60 DAY WHERE code=${q(FORM)}`);
  formReady = true;
}
// the fields a browser would post with the form posting to action
function fieldsOf(html, action) {
  const m = new RegExp(`<form method="post" action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(m, `a form posting to ${action}`);
  const f = {};
  const dec = (t) => t.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const i of m[1].matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(i[1]);
    const value = /value="([^"]*)"/.exec(i[1]);
    if (!name || /type="checkbox"/.test(i[1])) continue;
    f[name[1]] = value ? dec(value[1]) : '';
  }
  for (const t of m[1].matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const opts = [...t[2].matchAll(/<option(?: value="([^"]*)")?( selected)?>([^<]*)<\/option>/g)];
    const sel = opts.find((o) => o[2]);
    if (sel) f[t[1]] = dec(sel[1] !== undefined ? sel[1] : sel[3]);
  }
  for (const t of m[1].matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) f[t[1]] = dec(t[2]);
  return f;
}
const entryRow = (id) => sql(`SELECT CONCAT(status, ' ', version) FROM entry WHERE id=${id}`).split(' ');
// the form's people: a clerk and two heads of the unit, a dispatcher
const crew = {};
async function member(key, roles, unit) {
  if (!crew[key]) crew[key] = await as(roles, unit);
  return crew[key];
}
const clerkOf = () => member('clerk', [['clerk', 'unit']], CU);
const headOf = () => member('head', [['head', 'unit']], CU);
// a sheet of the form for a day (days back): saved as a draft, or submitted; its id
async function sheet(daysBack, submit = true) {
  theForm();
  const c = await clerkOf();
  const page = await c.get(`/entry/new?form=${FORM}&unit=${unitOf(CU)}&date=${local(daysBack)}`);
  assert.equal(page.status, 200, `a blank sheet (${page.status})`);
  const f = { ...fieldsOf(page.text_, '/entry/save'), 'h.who': '覆盖', 'row.0.item': '项目一', 'row.0.qty': '3' };
  const res = await c.post('/entry/save', { ...f, op: submit ? 'submit' : 'save' });
  assert.equal(res.status, 303, `the sheet is ${submit ? 'submitted' : 'saved'}`);
  return Number(/id=(\d+)/.exec(location(res))[1]);
}
async function approvalPage(c, id) {
  const page = await c.get(`/approval/entry?id=${id}`);
  assert.equal(page.status, 200);
  return { csrf: csrfOf(page.text_), version: entryRow(id)[1], page };
}
function ledgerBody(c, fields, csv) {
  const fd = new FormData();
  fd.set('csrf', c.csrf);
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  fd.set('file', new Blob([csv]), 'ledger.csv');
  return fd;
}
const ledgerCsv = (daysBack) => `日期,项目,数量\n${local(daysBack)},台账项目,7\n`;

// one record of `action` (or the records of a list of actions, in order),
// result ok, by `who`, from this machine, with a request id
function exactlyOne(id, action, who, what) {
  const rows = since(id);
  if (Array.isArray(action)) {
    assert.deepEqual(rows.map((x) => `${x.action} ${x.result} ${x.login}`), action.map((a) => `${a} ok ${who}`), what);
    return rows[0];
  }
  assert.equal(rows.length, 1, `${what}: one record, got ${JSON.stringify(rows)}`);
  assert.equal(rows[0].action, action, what);
  assert.equal(rows[0].result, 'ok', what);
  if (who) assert.equal(rows[0].login, who, what);
  assert.equal(rows[0].ip, '127.0.0.1', what);
  assert.match(rows[0].req, /^[0-9a-f]{16}$/, `${what}: a request id`);
  return rows[0];
}

// ------------------------------------------------------------------ recipes
// each: set up what the route needs (its own records don't count), then
// `act` does the one request; returns [action, who]
const RECIPES = {
  'POST /login': async () => {
    const name = uniq('lg'); mkuser(name, PW);
    const c = new Client(); const page = await c.get('/login');
    return { act: () => c.post('/login', { csrf: csrfOf(page.text_), login: name, password: PW }), action: 'login.ok', who: name };
  },
  'POST /logout': async () => {
    const c = await as([['clerk', 'unit']]);
    return { act: () => c.send('/logout', {}), action: 'logout', who: c.login };
  },
  'POST /password': async () => {
    const c = await as([['clerk', 'unit']]);
    return { act: () => c.send('/password', { old: PW, new: NEWPW, again: NEWPW }), action: 'password.change', who: c.login };
  },
  'POST /activate': async ({ admin }) => {
    const name = uniq('ac');
    const r = await admin.send('/admin/users/new', { login: name, name: '待激活', unit: unitOf('100090'), role: 'clerk', scope: 'unit' });
    const code = codeOf(r.text_);
    const c = new Client(); const page = await c.get('/activate');
    return { act: () => c.post('/activate', { csrf: csrfOf(page.text_), login: name, code, new: NEWPW, again: NEWPW }), action: 'account.activate', who: name };
  },
  'POST /admin/units/new': async ({ admin }) => ({
    act: () => admin.send('/admin/units/new', { code: 'CV' + uniq(''), name: '新单位', parent: unitOf('100'), kind: 'dept', sort: '1' }), action: 'unit.create' }),
  'POST /admin/units/edit': async ({ admin }) => {
    const code = 'CV' + uniq(''); const id = mkunit(code, '改前');
    const v = sql(`SELECT version FROM org_unit WHERE id = ${id}`);
    return { act: () => admin.send('/admin/units/edit', { id, version: v, name: '改后', parent: unitOf('100'), kind: 'dept', sort: '0' }), action: 'unit.update' };
  },
  'POST /admin/units/active': async ({ admin }) => {
    const id = mkunit('CV' + uniq(''), '待停用');
    return { act: () => admin.send('/admin/units/active', { id, active: '0' }), action: 'unit.deactivate' };
  },
  'POST /admin/users/new': async ({ admin }) => ({
    act: () => admin.send('/admin/users/new', { login: uniq('nu'), name: '新账户', unit: unitOf('100090'), role: 'clerk', scope: 'unit' }), action: 'user.create' }),
  'POST /admin/users/edit': async ({ admin }) => {
    const id = mkuser(uniq('ed'), PW);
    const v = sql(`SELECT version FROM app_user WHERE id = ${id}`);
    return { act: () => admin.send('/admin/users/edit', { id, version: v, name: '改名了', unit: unitOf('100090'), phone: '' }), action: 'user.update' };
  },
  'POST /admin/users/active': async ({ admin }) => {
    const id = mkuser(uniq('da'), PW);
    return { act: () => admin.send('/admin/users/active', { id, active: '0' }), action: 'user.deactivate' };
  },
  'POST /admin/users/unlock': async ({ admin }) => {
    const name = uniq('lk'); const id = mkuser(name, PW);
    sql(`INSERT INTO login_lock (lock_key, failures, locked_until, updated_at) VALUES (${q('u:' + name)}, 5, UTC_TIMESTAMP() + INTERVAL 30 MINUTE, UTC_TIMESTAMP())`);
    return { act: () => admin.send('/admin/users/unlock', { id }), action: 'user.unlock' };
  },
  'POST /admin/users/reset': async ({ admin }) => {
    const id = mkuser(uniq('rs'), PW);
    return { act: () => admin.send('/admin/users/reset', { id }), action: 'user.reset' };
  },
  'POST /admin/users/grant': async ({ admin }) => {
    const id = mkuser(uniq('gr'), PW);
    return { act: () => admin.send('/admin/users/grant', { id, role: 'head', gunit: unitOf('100090'), scope: 'unit' }), action: 'user.grant' };
  },
  'POST /admin/users/revoke': async ({ admin }) => {
    const id = mkuser(uniq('rv'), PW);
    const grant = sql(`SELECT id FROM user_role WHERE user_id = ${id}`);
    return { act: () => admin.send('/admin/users/revoke', { id, grant }), action: 'user.revoke' };
  },
  'POST /admin/base/kinds': async ({ admin }) => ({
    act: () => admin.send('/admin/base/kinds', { code: 'cv' + uniq(''), name: '覆盖类别', fields: 'size:尺寸' }), action: 'base.kind.create' }),
  'POST /admin/base/item': async ({ admin }) => ({
    act: () => admin.send('/admin/base/item', { k: 'vehicle', id: '', version: '', code: 'CV-' + uniq(''), name: '覆盖车', unit: '0', a1: '京A' + uniq('').slice(-5), active: '1' }),
    action: 'base.item.create' }),
  'POST /admin/import/check': async ({ admin }) => ({
    act: () => upload(admin, 'units', `单位编码,单位名称,上级单位编码\nCV${uniq('')},导入单位,100\n`), action: 'import.check' }),
  'POST /admin/readiness/forms': async ({ admin }) => {
    const id = mkunit('CV' + uniq(''), '报表单位');
    return { act: () => admin.send('/admin/readiness/forms', { id, forms: '0' }), action: 'unit.forms' };
  },
  'POST /admin/import/map': async ({ admin }) => {
    // a file whose columns the page asks about; mapping it is remembered, and the dry run then passes
    const first = await importCheck(admin, 'units', `编码,名称,上级编码,备注\nCV${uniq('')},映射单位,100,x\n`);
    return { act: () => importMap(admin, first, { 3: '-' }, {}), action: ['import.mapping', 'import.check'] };
  },
  'POST /admin/import/apply': async ({ admin }) => {
    const r = await upload(admin, 'units', `单位编码,单位名称,上级单位编码\nCV${uniq('')},导入单位,100\n`);
    return { act: () => admin.send('/admin/import/apply', { batch: batchOf(r.text_) }), action: 'import.units' };
  },
  'POST /admin/import/codes/clear': async ({ admin }) => {
    const r = await upload(admin, 'users', `账户,姓名,单位编码,角色\n${uniq('im')},导入者,100090,录入员\n`);
    const batch = batchOf(r.text_);
    await admin.send('/admin/import/apply', { batch });
    return { act: () => admin.send('/admin/import/codes/clear', { batch }), action: 'import.codes.clear' };
  },
  'POST /entry/save': async () => {
    theForm();
    const c = await clerkOf();
    const page = await c.get(`/entry/new?form=${FORM}&unit=${unitOf(CU)}&date=${local(0)}`);
    const f = { ...fieldsOf(page.text_, '/entry/save'), 'h.who': '覆盖', 'row.0.item': '新建', 'row.0.qty': '1' };
    return { act: () => c.post('/entry/save', { ...f, op: 'save' }), action: 'entry.create', who: c.login };
  },
  'POST /entry/reopen': async () => {
    theForm();
    const d = await member('disp', [['dispatcher', 'all']], '100010');
    return { act: () => d.send('/entry/reopen', { form: FORM, unit: String(unitOf(CU)), date: local(25), reason: '补录' }),
      action: 'entry.reopen', who: d.login };
  },
  'POST /entry/import/check': async () => {
    theForm();
    const c = await clerkOf();
    return { act: () => c.request('POST', '/entry/import/check',
      { body: ledgerBody(c, { form: FORM, unit: String(unitOf(CU)), date: local(0) }, ledgerCsv(6)), raw: true }),
    action: 'import.check', who: c.login };
  },
  'POST /entry/import/apply': async () => {
    theForm();
    const c = await clerkOf();
    const r = await c.request('POST', '/entry/import/check',
      { body: ledgerBody(c, { form: FORM, unit: String(unitOf(CU)), date: local(0) }, ledgerCsv(7)), raw: true });
    assert.equal(r.status, 200, 'the ledger passes its check');
    const f = fieldsOf(r.text_, '/entry/import/apply');
    // each sheet the ledger makes has its own record (its history starts there), then the import's
    return { act: () => c.post('/entry/import/apply', f), action: ['entry.create', 'entry.import'], who: c.login };
  },
  'POST /approval/act': async () => {
    const id = await sheet(1);
    const h = await headOf();
    const { csrf, version } = await approvalPage(h, id);
    return { act: () => h.post('/approval/act', { csrf, id: String(id), version, op: 'approve', note: '同意' }), action: 'flow.approve', who: h.login };
  },
  'POST /approval/batch': async () => {
    const id = await sheet(2);
    const h = await headOf();
    const { csrf, version } = await approvalPage(h, id);
    return { act: () => h.post('/approval/batch', { csrf, 'row.0.pick': '1', 'row.0.id': String(id), 'row.0.v': version }),
      action: 'flow.approve', who: h.login };
  },
  'POST /approval/withdraw': async () => {
    const id = await sheet(3);
    const c = await clerkOf();
    const { csrf, version } = await approvalPage(c, id);
    return { act: () => c.post('/approval/withdraw', { csrf, id: String(id), version }), action: 'flow.withdraw', who: c.login };
  },
  'POST /approval/correct': async () => {
    const id = await sheet(4);
    const h = await headOf();
    const a = await approvalPage(h, id);
    assert.equal((await h.post('/approval/act', { csrf: a.csrf, id: String(id), version: a.version, op: 'approve', note: '' })).status, 303);
    assert.equal(entryRow(id)[0], 'approved');
    const c = await clerkOf();
    const { csrf, version } = await approvalPage(c, id);
    return { act: () => c.post('/approval/correct', { csrf, id: String(id), version, reason: '数量应为 4' }), action: 'flow.correct', who: c.login };
  },
  'POST /approval/standin': async () => {
    const h = await headOf();
    const other = await member('head2', [['head', 'unit']], CU);
    return { act: () => h.send('/approval/standin', { login: other.login, from: local(0), to: local(-2), reason: '出差' }),
      action: 'flow.standin', who: h.login };
  },
  'POST /approval/standin/end': async () => {
    const h = await member('head3', [['head', 'unit']], CU);
    const other = await member('head4', [['head', 'unit']], CU);
    assert.equal((await h.send('/approval/standin', { login: other.login, from: local(0), to: local(-3), reason: '休假' })).status, 303);
    const id = sql(`SELECT MAX(id) FROM flow_standin WHERE user_id = ${h.id}`);
    return { act: () => h.send('/approval/standin/end', { id }), action: 'flow.standin_end', who: h.login };
  },
  'POST /report/save': async () => {
    const c = await as([['dispatcher', 'all']], '100010');
    return { act: () => c.send('/report/save', { form: 'vehicle_daily', name: '覆盖测试报表', m1_fn: 'sum', m1_field: 'mileage', g1: 'unit' }),
      action: 'report.save', who: c.login };
  },
  'POST /report/delete': async () => {
    const c = await as([['dispatcher', 'all']], '100010');
    const saved = await c.send('/report/save', { form: 'vehicle_daily', name: '覆盖测试报表', m1_fn: 'count', g1: 'unit' });
    const id = /u(\d+)$/.exec(location(saved))[1];
    return { act: () => c.send('/report/delete', { id }), action: 'report.delete', who: c.login };
  },
  'POST /report/track/remind': async () => {
    // 催报: today's sheet of the unit, not submitted; the unit has a clerk to remind
    theForm();
    await clerkOf();
    const d = await as([['dispatcher', 'all']], '100010');
    const seen = sql(`SELECT COUNT(*) FROM track_remind r JOIN form f ON f.id = r.form_id
      WHERE f.code = ${q(FORM)} AND r.org_unit_id = ${unitOf(CU)} AND r.period_key = ${q(local(0))} AND r.kind = 'remind'`);
    return { act: () => d.send('/report/track/remind', { form: FORM, unit: unitOf(CU), period: local(0), seen, back: 'due' }),
      action: 'track.remind', who: d.login };
  },
  'POST /report/job/new': async () => {
    const c = await as([['dispatcher', 'all']], '100010');
    return { act: () => c.send('/report/job/new', { report: 'vehicle_month', period: 'month', date: local(0), format: 'csv' }),
      action: 'job.queue', who: c.login };
  },
  'POST /report/job/cancel': async () => {
    const c = await as([['dispatcher', 'all']], '100010');
    const queued = await c.send('/report/job/new', { report: 'vehicle_month', period: 'month', date: local(0), format: 'csv' });
    const id = /id=(\d+)$/.exec(location(queued))[1];
    return { act: () => c.send('/report/job/cancel', { id }), action: 'job.cancel', who: c.login };
  },
  'POST /audit/officer/grant': async ({ officer }) => {
    const name = uniq('og'); mkuser(name, PW, { roles: [] });
    return { act: () => officer.send('/audit/officer/grant', { login: name }), action: 'auditor.grant' };
  },
  'POST /audit/officer/revoke': async ({ officer }) => {
    const name = uniq('or'); const id = mkuser(name, PW, { roles: [] });
    await officer.send('/audit/officer/grant', { login: name });
    const grant = sql(`SELECT id FROM user_role WHERE user_id = ${id}`);
    return { act: () => officer.send('/audit/officer/revoke', { grant }), action: 'auditor.revoke' };
  },
  'POST /audit/officer/pending': async ({ officer, admin }) => {
    // an auditor grant an admin's import proposed, for an activated account: confirmed, it takes effect
    const id = mkuser(uniq('op'), PW, { roles: [] });
    sql(`INSERT INTO pending_grant (user_id, role_id, org_unit_id, scope, created_by, created_at)
         SELECT ${id}, r.id, u.org_unit_id, 'all', ${admin.id}, UTC_TIMESTAMP() FROM role r, app_user u WHERE r.code = 'auditor' AND u.id = ${id}`);
    const pending = sql(`SELECT id FROM pending_grant WHERE user_id = ${id}`);
    return { act: () => officer.send('/audit/officer/pending', { pending, accept: '1' }), action: 'auditor.grant' };
  },
  'POST /audit/officer/reset': async ({ officer }) => {
    const name = uniq('os'); const id = mkuser(name, PW, { roles: [] });
    await officer.send('/audit/officer/grant', { login: name });
    return { act: () => officer.send('/audit/officer/reset', { id }), action: 'auditor.reset' };
  },
};

// downloads (GET) write one record each too
const DOWNLOADS = [
  ['admin', '/admin/export?what=units&fmt=csv', 'export.units'],
  ['admin', '/admin/export?what=users&fmt=xlsx', 'export.users'],
  ['admin', '/admin/export?what=readiness&fmt=csv', 'export.readiness'],
  ['admin', '/admin/export?what=base:vehicle&fmt=csv', 'export.base'],
  ['admin', '/admin/import/template?kind=users&fmt=csv', 'export.template'],
  ['clerk', () => `/entry/import/template?form=${FORM}`, 'export.template'],
  ['auditor', '/audit/export?fmt=csv&action=login.ok', 'export.audit'],
  ['clerk', '/report/export?fmt=pdf&r=vehicle_month', 'export.report'],
];

let who;
async function actors() {
  if (!who) {
    theForm();
    who = { admin: await as([['admin', 'all']]), officer: await as([['secofficer', 'all']]), auditor: await as([['auditor', 'all']]),
      clerk: await clerkOf() };
  }
  return who;
}

test('the route tables are found: login, admin, entry, approval and audit', () => {
  for (const exe of ['login', 'admin', 'entry', 'approval', 'audit']) assert.ok(ROUTES.some((r) => r.exe === exe), exe);
  assert.ok(POSTS.length >= 30, `${POSTS.length} POST routes`);
});

test('every POST route, done right, writes exactly one record of its action', async () => {
  const a = await actors();
  const missing = POSTS.filter((r) => !RECIPES[key(r)]).map(key);
  assert.deepEqual(missing, [], 'every POST route has a recipe here');
  for (const r of POSTS) {
    const recipe = await RECIPES[key(r)](a);
    const id = maxId();
    const res = await recipe.act();
    assert.ok(res.status === 303 || res.status === 200, `${key(r)}: ${res.status} ${errorMsg(res.text_)}`);
    exactlyOne(id, recipe.action, recipe.who || (r.exe === 'audit' ? a.officer.login : a.admin.login), key(r));
  }
});

test('every export and download writes one record, before the file is sent', async () => {
  const a = await actors();
  for (let [role, url, action] of DOWNLOADS) {
    const id = maxId();
    if (typeof url === 'function') url = url();
    const res = await a[role].get(url);
    assert.equal(res.status, 200, url);
    assert.match(res.headers.get('content-disposition') || '', /attachment/, url);
    exactlyOne(id, action, a[role].login, url);
  }
  // activation codes: CSV and the PDF slips
  const r = await upload(a.admin, 'users', `账户,姓名,单位编码,角色\n${uniq('dl')},下载者,100090,录入员\n`);
  const batch = batchOf(r.text_);
  await a.admin.send('/admin/import/apply', { batch });
  for (const fmt of ['csv', 'pdf']) {
    const id = maxId();
    const res = await a.admin.get(`/admin/import/codes?batch=${batch}&fmt=${fmt}`);
    assert.equal(res.status, 200);
    const rec = exactlyOne(id, 'export.codes', a.admin.login, `codes ${fmt}`);
    assert.equal(rec.object, `batch:${batch}`);
  }
});

test('no noise: an action that changes nothing records nothing, never "ok"', async () => {
  const { admin } = await actors();
  const unit = mkunit('CV' + uniq(''), '无变化');
  const user = mkuser(uniq('nn'), PW);
  let other, batch, rep;
  const cases = [
    ['deactivate an inactive unit', () => admin.send('/admin/units/active', { id: unit, active: '0' }),
      () => admin.send('/admin/units/active', { id: unit, active: '0' })],
    ['deactivate an inactive account', () => admin.send('/admin/users/active', { id: user, active: '0' }),
      () => admin.send('/admin/users/active', { id: user, active: '0' })],
    ['unlock an account that is not locked', null, () => admin.send('/admin/users/unlock', { id: user })],
    ['save a unit unchanged', null, () => {
      const [name, v, sort] = sql(`SELECT name, version, sort FROM org_unit WHERE id = ${unit}`).split('\t');
      return admin.send('/admin/units/edit', { id: unit, version: v, name, parent: unitOf('100'), kind: 'dept', sort });
    }],
    ['save an account unchanged', null, () => {
      const [name, v, u] = sql(`SELECT name, version, org_unit_id FROM app_user WHERE id = ${user}`).split('\t');
      return admin.send('/admin/users/edit', { id: user, version: v, name, unit: u, phone: '' });
    }],
    ['clear the codes of another admin\'s batch', async () => {
      other = await as([['admin', 'all']]);
      const r = await upload(other, 'users', `账户,姓名,单位编码,角色\n${uniq('ob')},别人的,100090,录入员\n`);
      batch = batchOf(r.text_);
      await other.send('/admin/import/apply', { batch });
    }, () => admin.send('/admin/import/codes/clear', { batch })],
    ['save a report unchanged', async () => {
      rep = await as([['dispatcher', 'all']], '100010');
      const res = await rep.send('/report/save', { form: 'vehicle_daily', name: '无变化报表', m1_fn: 'sum', m1_field: 'mileage', g1: 'unit' });
      rep.saved = /u(\d+)$/.exec(location(res))[1];
    }, () => rep.send('/report/save', { id: rep.saved, form: 'vehicle_daily', name: '无变化报表', m1_fn: 'sum', m1_field: 'mileage', g1: 'unit' })],
  ];
  for (const [what, prep, noop] of cases) {
    if (prep) await prep();
    const id = maxId();
    const res = await noop();
    assert.ok(res.status < 500, `${what}: ${res.status}`);
    assert.deepEqual(since(id), [], `${what}: no record`);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM activation_sheet WHERE batch_id = ${batch}`), '1', 'the other admin\'s codes are still there');
});

test('refused by the route\'s capabilities, every POST route writes one "denied" record', async () => {
  // a clerk, or for the clerk's own routes a leader (reports only), or for the
  // report pages every business role reaches an administrator (no business capability)
  const clerk = await as([['clerk', 'unit']]);
  const leader = await as([['leader', 'all']]);
  const admin = await as([['admin', 'all']]);
  for (const r of POSTS.filter((x) => x.caps !== '0')) {
    const c = r.exe === 'report' ? admin : /ENTRY|LEDGER/.test(r.caps) ? leader : clerk;
    const id = maxId();
    const res = await c.send(r.path, { id: '1', grant: '1', batch: '1', login: c.login, code: 'x', name: 'x' });
    assert.equal(res.status, 403, key(r));
    const rows = since(id);
    assert.equal(rows.length, 1, `${key(r)}: ${JSON.stringify(rows)}`);
    assert.equal(rows[0].action, 'access.denied');
    assert.equal(rows[0].result, 'denied');
    assert.equal(rows[0].login, c.login);
    assert.match(rows[0].object, new RegExp(`^route:POST ${r.path.replace(/[/]/g, '\\/')}`));
  }
});

test('an auditor can change nothing: every POST route that needs a capability is refused, on every executable', async () => {
  const { auditor } = await actors();
  const tables = sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'diaodu' AND table_name NOT IN ('audit_log', 'audit_head', 'session', 'login_lock')").split('\n');
  const fingerprint = () => tables.map((t) => sql(`CHECKSUM TABLE \`${t}\``).split('\t')[1]).join(',');
  const before = fingerprint();
  let refused = 0;
  for (const r of POSTS.filter((x) => x.caps !== '0')) {
    const res = await auditor.send(r.path, { id: String(auditor.id), grant: '1', batch: '1', login: auditor.login, code: 'AUD' + uniq(''),
      name: '审计员改的', parent: unitOf('100'), kind: 'dept', role: 'clerk', gunit: unitOf('100090'), scope: 'unit', active: '0', k: 'vehicle', fields: 'a:b' });
    assert.equal(res.status, 403, `the auditor: ${key(r)}`);
    refused++;
  }
  for (const r of ROUTES.filter((x) => x.method === 'GET' && ['admin', 'entry', 'approval'].includes(x.exe))) {
    const res = await auditor.get(r.path + `?id=1&what=units&kind=units&k=vehicle&batch=1&form=${FORM}&unit=${unitOf(CU)}`);
    assert.equal(res.status, 403, `the auditor: GET ${r.path}`);
  }
  assert.ok(refused >= 28, `${refused} POST routes tried`);
  assert.equal(fingerprint(), before, 'no table but the log changed');
});
