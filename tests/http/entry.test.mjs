// entry.test.mjs -- 数据填报 through nginx and the entry workers against the
// real MariaDB: a test form of its own (every field type) applied with
// diaodu-ctl forms apply for units of its own; the route table (403 for
// every role without the capability, CSRF), a sheet filled with mistakes
// (messages next to the field and row, every typed value kept), numbers
// typed as 1,234.5 or with full-width digits, rows added and removed by
// round trips, 复制上期, parallel identical POSTs making one sheet, the edit
// conflict, IDOR by ids in URLs and forms, late and closed periods and a
// dispatcher's reopening, the portal's sheets of today, keyset pages of
// the list, and definitions refused by the checker with file, line, field.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, login, location, sql, q, ctl, mkunit, mkuser, uniq, csrfOf } from './lib.mjs';

const PW = 'Tian-bao#2026x';
const U = uniq('E');                      // unit codes and the form code derive from it
const FORM = 'e' + U.slice(1).toLowerCase();
const UA = U + 'a', UB = U + 'b', UP = U;  // two teams under a department
let dir;

const local = (daysBack = 0) => new Date(Date.now() - daysBack * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

function formText(version = 1, extra = '') {
  return `Code = ${FORM}
Name = 测试日报
Version = ${version}
Period = day
Units = ${UA}, ${UB}
Window {
  Cutoff = 0
  Closes = 10d
}
Header {
  who {
    Type = text
    Label = 填报人
    Required = 1
  }
  total {
    Type = computed
    Label = 合计
    Expr = sum(amount)
    Precision = 14
    Scale = 2
  }
}
Rows {
  MinRows = 1
  MaxRows = 10
  veh {
    Type = lookup
    Label = 车辆
    Lookup = base:vehicle
    Required = 1
  }
  qty {
    Type = integer
    Label = 数量
    Min = 0
    Max = 100
    Required = 1
  }
  amount {
    Type = decimal
    Label = 金额
    Precision = 10
    Scale = 2
  }
  kind {
    Type = select
    Label = 类别
    Options = 甲, 乙
  }
  t1 {
    Type = time
    Label = 开始
  }
  t2 {
    Type = time
    Label = 结束
  }
  day {
    Type = date
    Label = 日期
  }
  note {
    Type = textarea
    Label = 说明
  }
${extra}}
Rules {
  t_order {
    Check = t2 >= t1
    Message = 结束时间不能早于开始时间。
    Field = t2
  }
}
# one approval step (the approval flow): a submitted sheet waits for a head
Approval {
  Steps {
    head {
      Role = head
      Scope = up
    }
  }
}
`;
}

before(() => {
  mkunit(UP, '填报测试部');
  mkunit(UA, '填报测试甲班', UP);
  mkunit(UB, '填报测试乙班', UP);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-forms-'));
  fs.writeFileSync(path.join(dir, `${FORM}.hdf`), formText());
  const out = ctl('forms', 'apply', dir);
  assert.match(out, new RegExp(`applied ${FORM} version 1: new`));
  // in use for two months: a sheet missing twelve days ago is late and closed
  sql(`UPDATE form SET created_at = UTC_TIMESTAMP() - INTERVAL 60 DAY WHERE code=${q(FORM)}`);
});

const person = (roles, unit = UA) => {
  const name = uniq('ep');
  mkuser(name, PW, { name: '填报测试员', unit, roles });
  return name;
};
async function as(roles, unit) {
  const name = person(roles, unit);
  const c = await login(name, PW);
  assert.equal(c.last.status, 303);
  c.name = name;
  return c;
}
const unitId = (code) => Number(sql(`SELECT id FROM org_unit WHERE code=${q(code)}`));

// the fields a browser would submit for the form posting to action
function fields(html, action = '/entry/save') {
  const m = new RegExp(`<form method="post" action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(m, `a form posting to ${action}`);
  const f = {};
  const dec = (s) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const i of m[1].matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(i[1]);
    const value = /value="([^"]*)"/.exec(i[1]);
    if (!name || /type="checkbox"/.test(i[1])) continue;
    f[name[1]] = value ? dec(value[1]) : '';
  }
  for (const s of m[1].matchAll(/<select [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const opts = [...s[2].matchAll(/<option(?: value="([^"]*)")?( selected)?>([^<]*)<\/option>/g)];
    const sel = opts.find((o) => o[2]);
    f[s[1]] = sel ? dec(sel[1] !== undefined ? sel[1] : sel[3]) : '';
  }
  for (const t of m[1].matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) f[t[1]] = dec(t[2]);
  return f;
}
const errOf = (html, id) => (new RegExp(`<span class="ferr" id="e-${id}">([^<]*)</span>`).exec(html) || [])[1];
const sheetMsg = (html) => (/<p class="msg msg-error" role="alert" id="sheet-msg">([^<]*)/.exec(html) || [])[1] || '';

async function blank(c, unit = UA, date = local()) {
  const res = await c.get(`/entry/new?form=${FORM}&unit=${unitId(unit)}&date=${date}`);
  assert.equal(res.status, 200, `a blank sheet (${res.status})`);
  return fields(res.text_);
}
function good(f, rows = 1) {
  f['h.who'] = '张三';
  for (let i = 0; i < rows; i++) {
    Object.assign(f, { [`row.${i}.veh`]: 'CL002', [`row.${i}.qty`]: String(i + 1), [`row.${i}.amount`]: '10.50',
      [`row.${i}.kind`]: '甲', [`row.${i}.t1`]: '08:00', [`row.${i}.t2`]: '09:00' });
  }
  return f;
}
const tok = () => uniq('tok') + 'x'.repeat(20);

// ------------------------------------------------------------------ routes

test('every route of the entry executable: 403 without the capability, CSRF on every POST', async () => {
  const routes = [['GET', '/entry/', 'read'], ['GET', '/entry/list', 'read'], ['GET', '/entry/view?id=1', 'read'],
    ['GET', '/entry/print?id=1', 'read'], ['GET', `/entry/new?form=${FORM}&unit=1`, 'write'], ['GET', '/entry/edit?id=1', 'write'],
    ['POST', '/entry/save', 'write'], ['POST', '/entry/reopen', 'dispatch']];
  for (const roles of [[['leader', 'all']], [['admin', 'all']], [['auditor', 'unit']]]) {
    const c = await as(roles, '100090');
    const csrf = csrfOf((await c.get('/password')).text_);
    for (const [m, url] of routes) {
      const res = m === 'GET' ? await c.get(url) : await c.post(url, { csrf, id: '1' });
      assert.equal(res.status, 403, `${roles[0][0]}: ${m} ${url}`);
      assert.match(res.text_, /无权访问/);
    }
  }
  // a head reads, never writes; a clerk writes but does not reopen
  const head = await as([['head', 'subtree']], UP);
  const hcsrf = csrfOf((await head.get('/entry/')).text_);
  for (const [m, url, need] of routes) {
    if (need === 'read') continue;
    const res = m === 'GET' ? await head.get(url) : await head.post(url, { csrf: hcsrf });
    assert.equal(res.status, 403, `head: ${m} ${url}`);
  }
  assert.equal((await head.get('/entry/list')).status, 200);
  const clerk = await as([['clerk', 'unit']]);
  const ccsrf = csrfOf((await clerk.get('/entry/')).text_);
  assert.equal((await clerk.post('/entry/reopen', { csrf: ccsrf, form: FORM, unit: String(unitId(UA)), reason: 'x' })).status, 403);
  // no session: GET goes to the log-in page, POST is refused
  const anon = new Client();
  const g = await anon.get('/entry/list');
  assert.equal(g.status, 303);
  assert.equal(location(g), '/login?next=/entry/list');
  assert.equal((await anon.post('/entry/save', { op: 'save' })).status, 403);
  // CSRF: missing or wrong token
  const f = good(await blank(clerk));
  const { csrf, ...noCsrf } = f;
  assert.equal((await clerk.post('/entry/save', { ...noCsrf, op: 'save' })).status, 403);
  assert.equal((await clerk.post('/entry/save', { ...noCsrf, csrf: csrf.replace(/.$/, csrf.endsWith('A') ? 'B' : 'A'), op: 'save' })).status, 403);
  assert.equal(sql(`SELECT COUNT(*) FROM entry e JOIN form f ON f.id=e.form_id WHERE f.code=${q(FORM)} AND e.created_by=(SELECT id FROM app_user WHERE login=${q(clerk.name)})`), '0');
});

// ------------------------------------------------------------------ a sheet

test('a sheet with mistakes: each message next to its field and row, every typed value kept; then submitted', async () => {
  const c = await as([['clerk', 'unit']], UB);
  const date = local();
  const f = await blank(c, UB, date);
  assert.equal(f.period, date);
  Object.assign(f, {
    'h.who': '',
    'row.0.veh': 'CL002', 'row.0.qty': '１２', 'row.0.amount': '1,234.5', 'row.0.kind': '乙', 'row.0.t1': '8:30', 'row.0.t2': '9点',
    'row.0.day': '2026年3月5日', 'row.0.note': '第一行\n第二行',
    'row.1.veh': 'CL024', 'row.1.qty': 'abc', 'row.1.amount': '1e3', 'row.1.t1': '10:00', 'row.1.t2': '09:00',
    'row.2.veh': 'NOPE', 'row.2.qty': '101', 'row.2.amount': '12.345', 'row.2.day': '2026-02-30',
  });
  const bad = await c.post('/entry/save', { ...f, op: 'submit' });
  assert.equal(bad.status, 400);
  const h = bad.text_;
  assert.match(sheetMsg(h), /有 9 处需要修改/);
  assert.equal(errOf(h, 'h-who'), '必填，不能为空。');
  assert.equal(errOf(h, 'r1-veh'), '“CL024”已停用，不能再选，请另选一个。');
  assert.equal(errOf(h, 'r1-qty'), '应为整数（如 12）。');
  assert.equal(errOf(h, 'r1-amount'), '请输入完整的数字，不要用科学计数法（如 1e3 应写作 1000）。');
  assert.equal(errOf(h, 'r1-t2'), '结束时间不能早于开始时间。');
  assert.equal(errOf(h, 'r2-veh'), '找不到编码为“NOPE”的记录，请从列表中选择。');
  assert.equal(errOf(h, 'r2-qty'), '不能大于 100。');
  assert.equal(errOf(h, 'r2-amount'), '请输入数字，最多两位小数。');
  assert.equal(errOf(h, 'r2-day'), '没有这一天，请检查月份和日期。');
  assert.equal(errOf(h, 'r0-qty'), undefined, 'full-width digits are understood');
  assert.equal(errOf(h, 'r0-amount'), undefined, '1,234.5 is understood');
  // the message is tied to its input
  assert.match(h, /<input id="r1-qty" name="row.1.qty" type="text" value="abc"[^>]*aria-invalid="true" aria-describedby="e-r1-qty">/);
  // every typed value is on the page again, exactly as typed
  const again = fields(h);
  for (const k of ['row.0.qty', 'row.0.amount', 'row.0.t1', 'row.0.t2', 'row.0.day', 'row.0.note', 'row.1.qty', 'row.1.amount',
    'row.2.amount', 'row.2.day', 'row.2.qty']) assert.equal(again[k], f[k], k);
  assert.equal(again['row.1.veh'], 'CL024');
  assert.equal(again['row.2.veh'], 'NOPE');
  assert.equal(again.tok, f.tok, 'the same one-time token: nothing was done');
  assert.equal(sql(`SELECT COUNT(*) FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(date)}`), '0');

  // fixed: submitted; stored exactly
  Object.assign(again, { 'h.who': '李四', 'row.1.veh': 'CL005', 'row.1.qty': '2', 'row.1.amount': '0.2', 'row.1.t2': '11:00',
    'row.2.veh': 'CL006', 'row.2.qty': '3', 'row.2.amount': '9999999.99', 'row.2.day': '2026-02-28' });
  const ok = await c.post('/entry/save', { ...again, op: 'submit' });
  assert.equal(ok.status, 303, sheetMsg(ok.text_));
  const id = Number(/id=(\d+)/.exec(location(ok))[1]);
  assert.match(location(ok), /^\/entry\/view\?id=\d+&ok=submitted$/);
  const view = await c.get(location(ok));
  assert.match(view.text_, /报表已提交/);
  assert.match(view.text_, /<span class="st st-submitted">已提交<\/span>/);
  assert.match(view.text_, /10001234\.69/, 'the header total: 1234.50 + 0.20 + 9999999.99');
  assert.equal(sql(`SELECT CONCAT(status,' ',nrows,' ',late) FROM entry WHERE id=${id}`), 'submitted 3 0');
  assert.equal(sql(`SELECT total FROM f_${FORM} WHERE entry_id=${id}`), '10001234.69');
  assert.equal(sql(`SELECT GROUP_CONCAT(amount ORDER BY line) FROM f_${FORM}_r WHERE entry_id=${id}`), '1234.50,0.20,9999999.99');
  assert.equal(sql(`SELECT GROUP_CONCAT(qty ORDER BY line) FROM f_${FORM}_r WHERE entry_id=${id}`), '12,2,3');
  assert.equal(sql(`SELECT note FROM f_${FORM}_r WHERE entry_id=${id} AND line=1`), '第一行\\n第二行');
  // one audit record, naming row and field
  const audit = sql(`SELECT detail FROM audit_log WHERE action='entry.submit' AND object='entry:${id}'`);
  assert.match(audit, /"row":3,"field":"amount","old":null,"new":"9999999.99"/);
  assert.match(audit, /"field":"who","old":null,"new":"李四"/);
  // submitted: no more editing
  assert.equal(location(await c.get(`/entry/edit?id=${id}`)), `/entry/view?id=${id}`);
});

test('rows are added and removed by round trips that keep every typed value; 复制上期', async () => {
  const c = await as([['clerk', 'unit']], UA);
  let f = good(await blank(c, UA, local(1)), 1);
  f['row.0.amount'] = '１,０００.5';                       // kept as typed, not checked yet
  let res = await c.post('/entry/save', { ...f, op: 'addrow' });
  assert.equal(res.status, 200);
  f = fields(res.text_);
  assert.equal(f['row.0.amount'], '１,０００.5');
  assert.ok('row.1.qty' in f, 'a second row');
  Object.assign(f, { 'row.1.veh': 'CL005', 'row.1.qty': '7', 'row.1.note': '第二行' });
  res = await c.post('/entry/save', { ...f, op: 'addrow' });
  f = fields(res.text_);
  Object.assign(f, { 'row.2.veh': 'CL006', 'row.2.qty': '9' });
  // remove the first row
  res = await c.post('/entry/save', { ...f, op: 'delrow', 'row.0.del': '1' });
  assert.equal(res.status, 200);
  f = fields(res.text_);
  assert.equal(f['row.0.qty'], '7');
  assert.equal(f['row.0.note'], '第二行');
  assert.equal(f['row.1.qty'], '9');
  assert.ok(!('row.2.qty' in f));
  res = await c.post('/entry/save', { ...f, op: 'delrow' });
  assert.match(sheetMsg(res.text_), /请先勾选要删除的行/);
  // saved as a draft, then 复制上期 into today's sheet
  res = await c.post('/entry/save', { ...f, op: 'save' });
  assert.equal(res.status, 303);
  assert.match(location(res), /^\/entry\/edit\?id=\d+&ok=saved$/);
  const draft = await c.get(location(res));
  assert.match(draft.text_, /草稿已保存/);
  assert.match(draft.text_, /<span class="st st-draft">草稿<\/span>/);
  const today = await blank(c, UA, local());
  res = await c.post('/entry/save', { ...today, op: 'copy' });
  f = fields(res.text_);
  assert.equal(f['row.0.veh'], 'CL005');
  assert.equal(f['row.0.qty'], '7');
  assert.equal(f['row.1.veh'], 'CL006');
  assert.equal(f['row.0.id'], '0', 'copied rows are new rows');
  assert.equal(f['h.who'], '', 'the header is the new period\'s own');
  // the blank page can ask for the copy too
  const g = await c.get(`/entry/new?form=${FORM}&unit=${unitId(UA)}&date=${local()}&copy=1`);
  assert.equal(fields(g.text_)['row.1.qty'], '9');
});

test('parallel identical POSTs make one sheet; a resent POST shows the first one\'s result', async () => {
  const c = await as([['clerk', 'unit']], UB);
  const f = good(await blank(c, UB, local(1)), 2);
  const body = { ...f, op: 'submit' };
  const all = await Promise.all(Array.from({ length: 8 }, () => c.post('/entry/save', body)));
  assert.deepEqual(all.map((r) => r.status), Array(8).fill(303));
  const locs = all.map(location).sort();
  assert.equal(locs.filter((l) => /ok=submitted$/.test(l)).length, 1, locs.join(' '));
  assert.equal(locs.filter((l) => /ok=dup$/.test(l)).length, 7);
  assert.equal(new Set(locs.map((l) => /id=(\d+)/.exec(l)[1])).size, 1, 'every answer names the same sheet');
  assert.equal(sql(`SELECT COUNT(*) FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(local(1))}`), '1');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action='entry.submit' AND object='entry:${/id=(\d+)/.exec(locs[0])[1]}'`), '1');
  // the back button: the same POST later
  const later = await c.post('/entry/save', body);
  assert.equal(later.status, 303);
  assert.match(location(later), /ok=dup$/);
  assert.match((await c.get(location(later))).text_, /这次提交已经处理过了/);
  // another tab with a fresh page: refused, named, values kept
  const other = await c.post('/entry/save', { ...body, tok: tok(), 'h.who': '另一个标签页' });
  assert.equal(other.status, 409);
  assert.match(sheetMsg(other.text_), /这一期的报表已经有了/);
  assert.equal(fields(other.text_)['h.who'], '另一个标签页');
});

test('two people edit one draft: the second save gets a conflict with their own values kept', async () => {
  const a = await as([['clerk', 'unit']], UA);
  const b = await as([['clerk', 'unit']], UA);
  const res = await a.post('/entry/save', { ...good(await blank(a, UA, local()), 1), op: 'save' });
  assert.equal(res.status, 303);
  const id = /id=(\d+)/.exec(location(res))[1];
  const fa = fields((await a.get(`/entry/edit?id=${id}`)).text_);
  const fb = fields((await b.get(`/entry/edit?id=${id}`)).text_);
  assert.equal(fa.version, fb.version);
  fa['row.0.qty'] = '40';
  fb['row.0.qty'] = '41';
  fb['h.who'] = '乙的修改';
  assert.equal((await a.post('/entry/save', { ...fa, op: 'save' })).status, 303);
  const lost = await b.post('/entry/save', { ...fb, op: 'save' });
  assert.equal(lost.status, 409);
  assert.match(sheetMsg(lost.text_), /这张报表刚被别人修改过，您的修改没有保存/);
  const kept = fields(lost.text_);
  assert.equal(kept['row.0.qty'], '41');
  assert.equal(kept['h.who'], '乙的修改');
  assert.equal(sql(`SELECT qty FROM f_${FORM}_r WHERE entry_id=${id}`), '40', 'the first save stands');
});

test('scope: ids edited in URLs and forms reach nothing outside the grant (IDOR)', async () => {
  const a = await as([['clerk', 'unit']], UA);
  const b = await as([['clerk', 'unit']], UB);
  const res = await a.post('/entry/save', { ...good(await blank(a, UA, local(2)), 1), op: 'save' });
  const id = /id=(\d+)/.exec(location(res))[1];
  const fa = fields((await a.get(`/entry/edit?id=${id}`)).text_);
  for (const url of [`/entry/view?id=${id}`, `/entry/print?id=${id}`, `/entry/edit?id=${id}`,
    `/entry/new?form=${FORM}&unit=${unitId(UA)}&date=${local(2)}`]) {
    assert.equal((await b.get(url)).status, 403, url);
  }
  const bcsrf = csrfOf((await b.get('/entry/')).text_);
  // A's sheet posted by B (its id), and a new sheet for A's unit
  assert.equal((await b.post('/entry/save', { ...fa, csrf: bcsrf, op: 'save', tok: tok() })).status, 403);
  assert.equal((await b.post('/entry/save', { ...fa, csrf: bcsrf, id: '0', op: 'save', tok: tok() })).status, 403);
  // a row id of A's sheet in B's own sheet
  const rb = await b.post('/entry/save', { ...good(await blank(b, UB, local(2)), 1), op: 'save' });
  assert.equal(rb.status, 303);
  const fb = fields((await b.get(location(rb))).text_);
  fb['row.0.id'] = fa['row.0.id'];
  assert.equal((await b.post('/entry/save', { ...fb, op: 'save', tok: tok() })).status, 400);
  // ... and in a new sheet of B's (nothing is made, A's row keeps its values)
  const nb = await blank(b, UB, local(3));
  const before = sql(`SELECT CONCAT(entry_id,' ',qty) FROM f_${FORM}_r WHERE id=${Number(fa['row.0.id'])}`);
  assert.equal((await b.post('/entry/save', { ...good(nb, 1), 'row.0.id': fa['row.0.id'], 'row.0.qty': '77', op: 'save', tok: tok() })).status, 400);
  assert.equal(sql(`SELECT CONCAT(entry_id,' ',qty) FROM f_${FORM}_r WHERE id=${Number(fa['row.0.id'])}`), before);
  assert.equal(sql(`SELECT COUNT(*) FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(local(3))}`), '0');
  assert.equal(sql(`SELECT entry_id FROM f_${FORM}_r WHERE id=${Number(fa['row.0.id'])}`), id);
  // the list shows B's unit only; the head of the department reads both
  const list = await b.get(`/entry/list?form=${FORM}`);
  assert.doesNotMatch(list.text_, /填报测试甲班/);
  assert.match(list.text_, /填报测试乙班/);
  const head = await as([['head', 'subtree']], UP);
  assert.equal((await head.get(`/entry/view?id=${id}`)).status, 200);
  const hl = await head.get(`/entry/list?form=${FORM}`);
  assert.match(hl.text_, /填报测试甲班/);
  assert.match(hl.text_, /填报测试乙班/);
  // a head of team A only: not B's sheets
  const headA = await as([['head', 'unit']], UA);
  assert.equal((await headA.get(`/entry/view?id=${/id=(\d+)/.exec(location(rb))[1]}`)).status, 403);
});

test('late, closed and reopened periods; the portal\'s sheets of today', async () => {
  const c = await as([['clerk', 'unit']], UB);
  // yesterday with Cutoff = 0 is past its cut-off: accepted, marked late
  if (sql(`SELECT COUNT(*) FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(local(1))}`) === '0') {
    const res = await c.post('/entry/save', { ...good(await blank(c, UB, local(1)), 1), op: 'submit' });
    assert.equal(res.status, 303);
  }
  const yid = sql(`SELECT id FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(local(1))}`);
  // (the parallel test submitted yesterday's sheet of B: late as well)
  assert.equal(sql(`SELECT late FROM entry WHERE id=${yid}`), '1');
  assert.match((await c.get(`/entry/view?id=${yid}`)).text_, /<span class="st st-late">逾期<\/span>/);
  // twelve days back: closed (Closes = 10d)
  const closed = await c.get(`/entry/new?form=${FORM}&unit=${unitId(UB)}&date=${local(12)}`);
  assert.equal(closed.status, 409);
  assert.match(closed.text_, /这一期已经关闭，不能再填报/);
  // a dispatcher reopens it for B, with a reason
  const d = await as([['dispatcher', 'all']], '100010');
  const list = await d.get('/entry/list');
  const dcsrf = csrfOf(list.text_);
  const noReason = await d.post('/entry/reopen', { csrf: dcsrf, form: FORM, unit: String(unitId(UB)), date: local(12), reason: ' ' });
  assert.equal(noReason.status, 400);
  assert.match(noReason.text_, /请填写原因/);
  const open = await d.post('/entry/reopen', { csrf: dcsrf, form: FORM, unit: String(unitId(UB)), date: local(12), reason: '停电补录' });
  assert.equal(open.status, 303);
  assert.equal(location(open), '/entry/list?ok=reopened');
  assert.match(sql(`SELECT detail FROM audit_log WHERE action='entry.reopen' ORDER BY id DESC LIMIT 1`), /停电补录/);
  const now = await c.get(`/entry/new?form=${FORM}&unit=${unitId(UB)}&date=${local(12)}`);
  assert.equal(now.status, 200);
  assert.match(now.text_, /已由调度中心重新开放/);
  // not open yet: tomorrow
  assert.equal((await c.get(`/entry/new?form=${FORM}&unit=${unitId(UB)}&date=${local(-1)}`)).status, 409);
  // the portal: today's sheet of this form for the clerk's unit
  const portal = await c.get('/');
  const row = new RegExp(`<tr><td>测试日报</td><td>填报测试乙班</td><td>[^<]+</td><td>(.*?)</td>`).exec(portal.text_);
  assert.ok(row, 'today\'s sheet on the portal');
  const state = sql(`SELECT status FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(local())}`);
  assert.match(row[1], state === 'submitted' ? /已提交/ : state === 'draft' ? /草稿/ : /未填/);
  assert.match(portal.text_, /id="due"/);
});

test('periods that ended before a form went live are history: open, never late or closed', async () => {
  // the same form under another code, applied just now
  const code = FORM + 'h';
  const hist = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-histforms-'));
  fs.writeFileSync(path.join(hist, `${code}.hdf`), formText().replace(`Code = ${FORM}`, `Code = ${code}`).replace('测试日报', '测试补录日报'));
  assert.match(ctl('forms', 'apply', hist), new RegExp(`applied ${code} version 1: new`));
  const c = await as([['clerk', 'unit']], UA);
  const page = await c.get(`/entry/new?form=${code}&unit=${unitId(UA)}&date=${local(12)}`);
  assert.equal(page.status, 200, 'twelve days back is open: the backlog of day one');
  const res = await c.post('/entry/save', { ...good(fields(page.text_)), op: 'submit' });
  assert.equal(res.status, 303);
  const id = /id=(\d+)/.exec(location(res))[1];
  assert.equal(sql(`SELECT CONCAT(status,' ',late) FROM entry WHERE id=${id}`), 'submitted 0');
  // today is live: the same rules as any form (tomorrow is not open yet)
  assert.equal((await c.get(`/entry/new?form=${code}&unit=${unitId(UA)}&date=${local(-1)}`)).status, 409);
});

test('the list pages by keyset, newest period first, without overlap', async () => {
  const d = await as([['dispatcher', 'all']], '100010');
  const first = await d.get('/entry/list?form=vehicle_daily');
  assert.equal(first.status, 200);
  const ids = (html) => [...html.matchAll(/<a href="\/entry\/view\?id=(\d+)">/g)].map((m) => Number(m[1]));
  const p1 = ids(first.text_);
  const total = Number(sql("SELECT COUNT(*) FROM entry e JOIN form f ON f.id=e.form_id WHERE f.code='vehicle_daily' AND e.cur=1"));
  assert.equal(p1.length, Math.min(50, total));
  if (total > 50) {
    const next = /<a class="btn" id="next" href="([^"]+)"/.exec(first.text_)[1].replace(/&amp;/g, '&');
    const p2 = ids((await d.get(next)).text_);
    assert.ok(p2.length > 0);
    assert.equal(p1.filter((x) => p2.includes(x)).length, 0, 'no sheet on two pages');
    const order = sql(`SELECT GROUP_CONCAT(id ORDER BY period_start DESC, id DESC) FROM (SELECT e.id, e.period_start FROM entry e JOIN form f ON f.id=e.form_id WHERE f.code='vehicle_daily' AND e.cur=1 ORDER BY e.period_start DESC, e.id DESC LIMIT 100) x`).split(',').map(Number);
    assert.deepEqual([...p1, ...p2].slice(0, order.length), order.slice(0, p1.length + p2.length));
  }
  // filters: status and a period range
  const sub = await d.get(`/entry/list?status=approved&from=${local(10)}&to=${local(5)}`);
  assert.doesNotMatch(sub.text_, /st-draft|st-submitted/);
  assert.equal((await d.get('/entry/list?status=bogus')).status, 400);
  assert.equal((await d.get('/entry/list?after=x')).status, 400);
});

test('definitions that cannot work are refused with file, line and field; nothing is applied', () => {
  const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-badforms-'));
  fs.writeFileSync(path.join(bad, `${FORM}.hdf`), formText(2, '  extra {\n    Type = number\n    Label = 新\n  }\n  mile {\n    Type = computed\n    Label = 里程\n    Expr = odo_end - odo_start\n  }\n'));
  let out = '';
  try { ctl('forms', 'apply', bad); assert.fail('refused'); } catch (e) { out = String(e.stderr); }
  assert.match(out, new RegExp(`${FORM}\\.hdf:\\d+: 字段 extra：未知的字段类型“number”`));
  assert.match(out, new RegExp(`${FORM}\\.hdf:\\d+: 字段 mile：引用了不存在的字段“odo_end”`));
  assert.match(out, /nothing was applied/);
  assert.equal(sql(`SELECT version FROM form WHERE code=${q(FORM)}`), '1');
  // a changed type of an existing field, and a change without a new version
  fs.writeFileSync(path.join(bad, `${FORM}.hdf`), formText(2).replace('Type = integer\n    Label = 数量', 'Type = decimal\n    Label = 数量'));
  try { ctl('forms', 'check', bad); assert.fail('refused'); } catch (e) { out = String(e.stderr); }
  assert.match(out, /字段 qty：字段“qty”已有数据，类型、总位数和小数位数都不能改变/);
  fs.writeFileSync(path.join(bad, `${FORM}.hdf`), formText(1).replace('测试日报', '测试日报改'));
  try { ctl('forms', 'check', bad); assert.fail('refused'); } catch (e) { out = String(e.stderr); }
  assert.match(out, /定义已经改动，但版本号 Version 没有增加/);
  // an added field is fine: a new column, old sheets keep their data
  const before = sql(`SELECT COUNT(*) FROM f_${FORM}_r`);
  fs.writeFileSync(path.join(bad, `${FORM}.hdf`), formText(2, '  extra {\n    Type = integer\n    Label = 新增\n  }\n'));
  assert.match(ctl('forms', 'apply', bad), new RegExp(`applied ${FORM} version 2: changed, added extra`));
  assert.equal(sql(`SELECT COUNT(*) FROM f_${FORM}_r`), before);
  assert.equal(sql(`SELECT COUNT(*) FROM f_${FORM}_r WHERE extra IS NOT NULL`), '0');
  assert.match(sql(`SELECT GROUP_CONCAT(privilege_type) FROM information_schema.table_privileges WHERE table_name='f_${FORM}_r' AND grantee LIKE '%diaodu%'`), /INSERT/);
  fs.rmSync(bad, { recursive: true, force: true });
});

// ------------------------------------------------------------------ ledgers

function ledgerForm(csrf, fields, file, name = 'ledger.csv') {
  const fd = new FormData();
  fd.set('csrf', csrf);
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file !== undefined) fd.set('file', new Blob([file]), name);
  return fd;
}
const ledgerErrors = (html) => [...html.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
  .map((m) => [Number(m[1]), m[2], m[3], m[4]]);

test('a ledger (台账) into drafts: matched columns, errors by spreadsheet row, all or nothing, once', async () => {
  const c = await as([['clerk', 'unit']], UA);
  const page = await c.get('/entry/import');
  assert.equal(page.status, 200);
  const csrf = csrfOf(page.text_);
  const d5 = local(5), d6 = local(6);
  const bad = `${FORM} 台账\n日期,车辆,数量,金额(元),类别,开始,结束,车号\n` +
    `${d5},CL002,3,"1,234.5",甲,08:00,09:00,x\n${d5},CL005,abc,1,乙,08:00,07:00,y\n\n${d6.replace(/-/g, '/')},NOPE,2,2.50,丙,,,z\n`;
  let res = await c.request('POST', '/entry/import/check',
    { body: ledgerForm(csrf, { form: FORM, unit: String(unitId(UA)), date: local() }, bad), raw: true });
  assert.equal(res.status, 422);
  assert.match(res.text_, /台账中有错误，没有导入任何数据/);
  assert.match(res.text_, /表头在第 2/);
  const errs = ledgerErrors(res.text_);
  // (a draft is held to types, not yet to rules: 结束 before 开始 waits for the submission)
  assert.deepEqual(errs.map((e) => [e[0], e[1], e[2]]), [[4, '数量', 'abc'], [6, '车辆', 'NOPE'], [6, '类别', '丙']]);
  assert.equal(errs[0][3], '应为整数（如 12）。');
  assert.equal(errs[1][3], '找不到编码为“NOPE”的记录，请从列表中选择。');
  assert.equal(sql(`SELECT COUNT(*) FROM entry WHERE org_unit_id=${unitId(UA)} AND period_key IN (${q(d5)}, ${q(d6)})`), '0');
  // the fixed file, and the unknown column 车号 matched by hand to 说明
  const good = bad.replace('CL005,abc,1,乙,08:00,07:00', 'CL005,4,1,乙,08:00,10:00').replace('NOPE,2,2.50,丙', 'CL006,2,2.50,乙');
  res = await c.request('POST', '/entry/import/check',
    { body: ledgerForm(csrf, { form: FORM, unit: String(unitId(UA)), date: local() }, good), raw: true });
  assert.equal(res.status, 200, ledgerErrors(res.text_).join('\n'));
  assert.match(res.text_, /检查通过/);
  assert.match(res.text_, /数据行 <b>3<\/b> · 草稿 <b>2<\/b> · 错误 <b>0<\/b>/);
  const batch = /name="batch" value="(\d+)"/.exec(res.text_)[1];
  assert.match(res.text_, /<select id="map-7" name="map.7"><option value="-" selected>不导入<\/option>/);
  res = await c.post('/entry/import/check', { csrf, batch, form: FORM, unit: String(unitId(UA)), period: '',
    'map.0': '@date', 'map.1': 'veh', 'map.2': 'qty', 'map.3': 'amount', 'map.4': 'kind', 'map.5': 't1', 'map.6': 't2', 'map.7': 'note' });
  assert.equal(res.status, 200);
  assert.match(res.text_, /<select id="map-7" name="map.7">.*<option value="note" selected>说明<\/option>/);
  const f = fields(res.text_, '/entry/import/apply');
  const done = await c.post('/entry/import/apply', f);
  assert.equal(done.status, 200);
  assert.match(done.text_, /已全部导入为草稿/);
  const ids = [...done.text_.matchAll(/\/entry\/view\?id=(\d+)/g)].map((m) => m[1]);
  assert.equal(ids.length, 2);
  assert.equal(sql(`SELECT GROUP_CONCAT(CONCAT(period_key,':',status,':',nrows) ORDER BY period_key) FROM entry WHERE id IN (${ids.join(',')})`),
    `${d6}:draft:1,${d5}:draft:2`);
  assert.equal(sql(`SELECT GROUP_CONCAT(CONCAT(qty,'|',amount,'|',note) ORDER BY line) FROM f_${FORM}_r WHERE entry_id=(SELECT id FROM entry WHERE id IN (${ids.join(',')}) AND period_key=${q(d5)})`),
    '3|1234.50|x,4|1.00|y');
  assert.match(sql(`SELECT detail FROM audit_log WHERE action='entry.import' ORDER BY id DESC LIMIT 1`), /"sheets":2/);
  // the same upload again: once only
  assert.equal((await c.post('/entry/import/apply', f)).status, 409);
  // the drafts are edited and submitted like typed ones
  const edit = fields((await c.get(`/entry/edit?id=${ids[0]}`)).text_);
  edit['h.who'] = '导入后补填';
  const sub = await c.post('/entry/save', { ...edit, op: 'submit' });
  assert.equal(sub.status, 303, sheetMsg(sub.text_));
  // a clerk of another unit cannot import for this one; a GBK file is read as GBK
  const other = await as([['clerk', 'unit']], UB);
  const ocsrf = csrfOf((await other.get('/entry/import')).text_);
  const denied = await other.request('POST', '/entry/import/check',
    { body: ledgerForm(ocsrf, { form: FORM, unit: String(unitId(UA)), date: local(7) }, '车辆,数量\nCL002,1\n'), raw: true });
  assert.equal(denied.status, 403);
  const gbk = Buffer.from([0xb3, 0xb5, 0xc1, 0xbe, 0x2c, 0xca, 0xfd, 0xc1, 0xbf, 0x0a, 0x43, 0x4c, 0x30, 0x30, 0x32, 0x2c, 0x37, 0x0a]); // 车辆,数量 \n CL002,7
  const g = await other.request('POST', '/entry/import/check',
    { body: ledgerForm(ocsrf, { form: FORM, unit: String(unitId(UB)), date: local(7) }, gbk, 'gbk.csv'), raw: true });
  assert.equal(g.status, 200, ledgerErrors(g.text_).join('\n'));
  assert.match(g.text_, /\(GB18030\)/);
  // an administrator imports for any unit in scope
  const adm = await as([['admin', 'all']], '100090');
  const acsrf = csrfOf((await adm.get('/entry/import')).text_);
  const a = await adm.request('POST', '/entry/import/check',
    { body: ledgerForm(acsrf, { form: FORM, unit: String(unitId(UB)), date: local(8) }, '车辆,数量,金额\nCL002,1,0.10\nCL005,2,0.20\n'), raw: true });
  assert.equal(a.status, 200, ledgerErrors(a.text_).join('\n'));
  const applied = await adm.post('/entry/import/apply', fields(a.text_, '/entry/import/apply'));
  assert.match(applied.text_, /已全部导入为草稿/);
  assert.equal(sql(`SELECT nrows FROM entry WHERE org_unit_id=${unitId(UB)} AND period_key=${q(local(8))}`), '2');
  // the blank ledger of the form
  const tpl = await c.get(`/entry/import/template?form=${FORM}`);
  assert.equal(tpl.status, 200);
  assert.match(tpl.text_, /^\uFEFF?日期,车辆,数量,金额,类别,开始,结束,日期,说明/);
});
