// approval.test.mjs -- 审批 through nginx and the approval workers against the
// real MariaDB: a test form of its own with a two-step chain (a head of the
// submitting unit or above; a dispatcher of a centre of its own; the leader
// informed), applied with diaodu-ctl forms apply for units of its own.  The
// route table (403 for every role without the capability, the log-in page
// without a session, CSRF); the whole cycle (submit, reject with a reason
// shown at the top, fix and resubmit, approve with a comment, the second
// step, read-only, the history, a correction as revision 2 with what
// changed); 20 parallel approvals of one sheet making exactly one; IDOR by
// ids edited in URLs and forms; batch approval with a refusal among them;
// the inbox's order, filters, keyset pages and overdue marks, and the
// portal's count; stand-ins; withdraw and recall.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, login, location, sql, q, ctl, mkunit, mkuser, uniq, csrfOf, ROOT } from './lib.mjs';

const PW = 'Shen-pi#2026x';
const U = uniq('A');
const FORM = 'a' + U.slice(1).toLowerCase();
const UP = U, UA = U + 'a', UB = U + 'b', UO = U + 'o', UX = U + 'x';

const local = (daysBack = 0) => new Date(Date.now() - daysBack * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const unitId = (code) => Number(sql(`SELECT id FROM org_unit WHERE code=${q(code)}`));
const userId = (login) => Number(sql(`SELECT id FROM app_user WHERE login=${q(login)}`));
const formId = () => Number(sql(`SELECT id FROM form WHERE code=${q(FORM)}`));
const row = (id) => {
  const [status, step, version, counted, cur, revision] =
    sql(`SELECT status, step, version, COALESCE(counted,0), COALESCE(cur,0), revision FROM entry WHERE id=${id}`).split('\t');
  return { status, step: Number(step), version: Number(version), counted: Number(counted), cur: Number(cur), revision: Number(revision) };
};
const actions = (id, action) => Number(sql(`SELECT COUNT(*) FROM entry_action WHERE entry_id=${id}${action ? ' AND action=' + q(action) : ''}`));
const audits = (id, action, result) => Number(sql(`SELECT COUNT(*) FROM audit_log WHERE object=${q('entry:' + id)} AND action=${q(action)} AND result=${q(result)}`));
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

function formText() {
  return `Code = ${FORM}
Name = 审批测试日报
Version = 1
Period = day
Units = ${UA}, ${UB}
Header {
  who {
    Type = text
    Label = 填报人
    Required = 1
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
      Label = 部门审核
      Role = head
      Scope = up
    }
    centre {
      Label = 中心审核
      Role = dispatcher
      At = ${UX}
    }
  }
  Cc = leader
}
`;
}

const people = {};
async function as(key, roles, unit) {
  if (!people[key]) {
    const name = uniq('ap');
    mkuser(name, PW, { name: `审批${key}`, unit, roles });
    people[key] = name;
  }
  const c = await login(people[key], PW);
  assert.equal(c.last.status, 303, `${key} logs in`);
  c.name = people[key];
  c.display = `审批${key}`;
  return c;
}

before(() => {
  mkunit(UP, '审批测试部');
  mkunit(UA, '审批测试甲班', UP);
  mkunit(UB, '审批测试乙班', UP);
  mkunit(UO, '审批测试其他部');
  mkunit(UX, '审批测试中心');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-aforms-'));
  fs.writeFileSync(path.join(dir, `${FORM}.hdf`), formText());
  assert.match(ctl('forms', 'apply', dir), new RegExp(`applied ${FORM} version 1: new`));
});

// the fields of the form posting to action (inputs, selects, textareas)
function fields(html, action) {
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
  for (const t of m[1].matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) f[t[1]] = dec(t[2]);
  return f;
}

// a clerk submits a sheet of their unit for a day (days back); its id
async function submit(c, unit, daysBack, rows = [['项目一', '10'], ['项目二', '20']]) {
  const page = await c.get(`/entry/new?form=${FORM}&unit=${unitId(unit)}&date=${local(daysBack)}`);
  assert.equal(page.status, 200, `a blank sheet (${page.status})`);
  const f = fields(page.text_, '/entry/save');
  f['h.who'] = '张三';
  rows.forEach(([item, qty], i) => { f[`row.${i}.item`] = item; f[`row.${i}.qty`] = qty; });
  const res = await c.post('/entry/save', { ...f, op: 'submit' });
  assert.equal(res.status, 303, `submitted (${res.status}) ${text(res.text_).slice(0, 300)}`);
  const id = Number(/id=(\d+)/.exec(location(res))[1]);
  assert.equal(row(id).status, 'submitted');
  return id;
}

// an action from the approval page of a sheet, as the page offers it
async function act(c, id, op, note = '', extra = {}) {
  const page = await c.get(`/approval/entry?id=${id}`);
  const csrf = csrfOf(page.text_);
  const version = /name="version" value="(\d+)"/.exec(page.text_);
  return c.post(op === 'withdraw' ? '/approval/withdraw' : '/approval/act',
    { csrf, id: String(id), version: version ? version[1] : String(row(id).version), op, note, ...extra });
}

// ------------------------------------------------------------------ routes

const src = fs.readFileSync(path.join(ROOT, 'cgi-bin/approval/approval.c'), 'utf8');
const table = /static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
const ROUTES = [...(table ? table[1] : '').matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*(\w+),\s*([^,]+),\s*([^,]+),/g)]
  .map((m) => ({ method: m[1], path: m[2], fn: m[3], caps: m[5].trim() }));

test('the approval route table is found, and every route refuses the roles without its capability', async () => {
  assert.ok(ROUTES.length >= 10, `routes parsed from approval.c: ${ROUTES.length}`);
  assert.ok(ROUTES.some((r) => r.method === 'POST' && r.path === '/approval/act'));
  // admin and auditor hold no business capability: 403 everywhere
  for (const [key, roles] of [['adm', [['admin', 'all']]], ['aud', [['auditor', 'unit']]]]) {
    const c = await as(key, roles, '100090');
    const csrf = csrfOf((await c.get('/password')).text_);
    for (const r of ROUTES) {
      const res = r.method === 'GET' ? await c.get(r.path + '?id=1') : await c.post(r.path, { csrf, id: '1', version: '1', op: 'approve' });
      assert.equal(res.status, 403, `${key}: ${r.method} ${r.path}`);
      assert.match(res.text_, /无权访问/);
    }
  }
  // a leader only reads what it is informed of; a clerk neither approves nor names stand-ins
  const leader = await as('ld0', [['leader', 'all']], UP);
  const lcsrf = csrfOf((await leader.get('/approval/cc')).text_);
  for (const r of ROUTES.filter((x) => /APPROVERS|CAP_ENTRY/.test(x.caps))) {
    const res = r.method === 'GET' ? await leader.get(r.path) : await leader.post(r.path, { csrf: lcsrf, id: '1', version: '1', op: 'approve' });
    assert.equal(res.status, 403, `leader: ${r.method} ${r.path}`);
  }
  const clerk = await as('c0', [['clerk', 'unit']], UA);
  const ccsrf = csrfOf((await clerk.get('/approval/returned')).text_);
  for (const r of ROUTES.filter((x) => /APPROVERS/.test(x.caps))) {
    const res = r.method === 'GET' ? await clerk.get(r.path) : await clerk.post(r.path, { csrf: ccsrf, id: '1', version: '1', op: 'approve' });
    assert.equal(res.status, 403, `clerk: ${r.method} ${r.path}`);
  }
  // no session: the log-in page for GET, 403 for POST; no CSRF token: 403
  const anon = new Client();
  for (const r of ROUTES) {
    const res = r.method === 'GET' ? await anon.get(r.path) : await anon.post(r.path, { id: '1' });
    if (r.method === 'GET') { assert.equal(res.status, 303); assert.match(location(res), /^\/login\?next=\/approval\//); }
    else assert.equal(res.status, 403, `anonymous POST ${r.path}`);
  }
  const head = await as('h0', [['head', 'subtree']], UP);
  assert.equal((await head.post('/approval/act', { id: '1', version: '1', op: 'approve' })).status, 403);
  // bad input
  const hcsrf = csrfOf((await head.get('/approval/')).text_);
  assert.equal((await head.post('/approval/act', { csrf: hcsrf, id: 'x', version: '1', op: 'approve' })).status, 400);
  assert.equal((await head.post('/approval/act', { csrf: hcsrf, id: '1', version: '1', op: 'delete' })).status, 400);
  assert.equal((await head.get('/approval/?after=x')).status, 400);
  assert.equal((await head.get('/approval/entry?id=-3')).status, 400);
});

// ------------------------------------------------------------------ the cycle

test('submit; reject with a reason the clerk sees on top; fix and resubmit; two approvals; read-only; the history; a correction', async () => {
  const clerk = await as('c1', [['clerk', 'unit']], UA);
  const head = await as('h1', [['head', 'unit']], UA);
  const disp = await as('x1', [['dispatcher', 'all']], UX);
  const leader = await as('ld', [['leader', 'subtree']], UP);
  const id = await submit(clerk, UA, 1);
  // the head's portal counts it; the inbox lists it
  const portal = await head.get('/');
  assert.match(text(portal.text_), /有 \d+ 张报表等待您审批/);
  const inbox = await head.get('/approval/');
  assert.equal(inbox.status, 200);
  assert.match(inbox.text_, new RegExp(`<tr id="e-${id}"`));
  assert.match(text(inbox.text_), /第1\/2步 部门审核/);
  // a reason is required to return it
  let res = await act(head, id, 'reject', '');
  assert.equal(res.status, 400);
  assert.match(text(res.text_), /请填写原因/);
  assert.equal(row(id).status, 'submitted');
  res = await act(head, id, 'reject', '第二行数量与台账不符');
  assert.equal(res.status, 303);
  assert.equal(location(res), `/approval/entry?id=${id}&ok=reject`);
  assert.equal(row(id).status, 'returned');
  // the clerk: 已退回, the reason at the top, editable
  const view = await clerk.get(`/entry/edit?id=${id}`);
  assert.equal(view.status, 200);
  assert.match(view.text_, /<p class="msg msg-warn" id="returned-reason"><b>已退回，退回原因：<\/b>第二行数量与台账不符/);
  assert.match((await clerk.get('/')).text_, /id="returned"/);
  const f = fields(view.text_, '/entry/save');
  f['row.1.qty'] = '25';
  res = await clerk.post('/entry/save', { ...f, op: 'submit' });
  assert.equal(res.status, 303);
  assert.equal(row(id).status, 'submitted');
  assert.equal(row(id).step, 1);
  // approve with a comment; the second step approves
  res = await act(head, id, 'approve', '已核对');
  assert.equal(res.status, 303);
  assert.equal(row(id).step, 2);
  assert.doesNotMatch((await head.get('/approval/')).text_, new RegExp(`<tr id="e-${id}"`));
  res = await act(disp, id, 'approve');
  assert.equal(res.status, 303);
  assert.deepEqual([row(id).status, row(id).counted], ['approved', 1]);
  // read-only: no actions offered, saving refused
  const done = await head.get(`/approval/entry?id=${id}`);
  assert.doesNotMatch(done.text_, /id="approve"|id="reject"/);
  const t = text(done.text_);
  assert.match(t, /已通过/);
  for (const what of ['提交', '退回填报人', '第二行数量与台账不符', '审批通过', '已核对', '中心审核'])
    assert.ok(t.includes(what), `the history has ${what}`);
  assert.match(t, /审批clerk|审批c1/);
  const again = await clerk.get(`/entry/edit?id=${id}`);
  assert.equal(again.status, 303, 'an approved sheet is not editable');
  res = await clerk.post('/entry/save', { ...f, 'row.1.qty': '99', op: 'save', version: String(row(id).version),
    tok: uniq('tok') + 'x'.repeat(20) });
  assert.equal(res.status, 409);
  assert.match(text(res.text_), /这张报表已提交或已通过，不能再修改/);
  assert.equal(sql(`SELECT qty FROM f_${FORM}_r WHERE entry_id=${id} AND line=2`), '25');
  // the leader is informed
  assert.match((await leader.get('/approval/cc')).text_, new RegExp(`<tr id="e-${id}"`));
  assert.equal((await leader.get(`/approval/entry?id=${id}`)).status, 200);
  // a correction: a reason is required; then revision 2, a copy to edit
  const cpage = await clerk.get(`/approval/entry?id=${id}`);
  assert.match(cpage.text_, /id="do-correct"/);
  const cf = fields(cpage.text_, '/approval/correct');
  res = await clerk.post('/approval/correct', { ...cf, reason: '' });
  assert.equal(res.status, 400);
  res = await clerk.post('/approval/correct', { ...cf, reason: '项目二数量应为 26' });
  assert.equal(res.status, 303);
  const id2 = Number(/id=(\d+)/.exec(location(res))[1]);
  assert.match(location(res), /^\/entry\/edit\?id=\d+/);
  assert.deepEqual([row(id2).revision, row(id2).status, row(id).cur, row(id).counted], [2, 'draft', 0, 1]);
  const e2 = await clerk.get(`/entry/edit?id=${id2}`);
  const f2 = fields(e2.text_, '/entry/save');
  assert.equal(f2['row.1.qty'], '25');
  f2['row.1.qty'] = '26';
  f2['row.2.item'] = '项目三';
  f2['row.2.qty'] = '5';
  res = await clerk.post('/entry/save', { ...f2, op: 'submit' });
  assert.equal(res.status, 303);
  // the approver sees what changed since revision 1
  const diff = await head.get(`/approval/entry?id=${id2}`);
  const dt = text(diff.text_);
  assert.match(dt, /与第1版相比的改动/);
  assert.match(dt, /修改的行 1 · 新增的行 1 · 删除的行 0/);
  assert.match(diff.text_, /<del>25<\/del> <ins>26<\/ins>/);
  assert.match(diff.text_, /<tr class="diff-added">/);
  assert.match(dt, /发起更正.*项目二数量应为 26/);
  // the old revision stays readable
  assert.match(text((await head.get(`/approval/entry?id=${id}`)).text_), /这是已被更正的旧版本/);
});

// ------------------------------------------------------------------ concurrency

test('20 parallel approvals of one sheet make exactly one; the others are told who acted first', async () => {
  const clerk = await as('c1', [['clerk', 'unit']], UA);
  const id = await submit(clerk, UA, 2);
  const heads = [];
  for (let i = 0; i < 20; i++) heads.push(await as(`p${i}`, [['head', 'subtree']], UP));
  const v = row(id).version;
  const posts = await Promise.all(heads.map(async (h) => {
    const csrf = csrfOf((await h.get('/approval/')).text_);
    return { h, csrf };
  }));
  const res = await Promise.all(posts.map(({ h, csrf }) =>
    h.post('/approval/act', { csrf, id: String(id), version: String(v), op: 'approve', note: '' })));
  const won = res.filter((r) => r.status === 303);
  const lost = res.filter((r) => r.status === 409);
  assert.equal(won.length, 1, `one approval: ${res.map((r) => r.status).join(',')}`);
  assert.equal(lost.length, 19);
  assert.equal(actions(id, 'approve'), 1);
  assert.equal(row(id).version, v + 1);
  assert.equal(row(id).step, 2);
  const winner = heads[res.indexOf(won[0])];
  for (const r of lost) assert.match(text(r.text_), new RegExp(`这张报表已由${winner.display}于[0-9: -]+审批通过，您的操作没有执行`));
  assert.equal(audits(id, 'flow.approve', 'ok'), 1);
  assert.equal(audits(id, 'flow.approve', 'refused'), 19);
});

// ------------------------------------------------------------------ IDOR

test('IDOR: ids edited in URLs and forms reach nothing outside the grant', async () => {
  const clerk = await as('c1', [['clerk', 'unit']], UA);
  const clerkB = await as('cb', [['clerk', 'unit']], UB);
  const headO = await as('ho', [['head', 'subtree']], UO);
  const headA = await as('h1', [['head', 'unit']], UA);
  const id = await submit(clerk, UA, 3);
  const before = row(id);
  // another unit's clerk and another department's head cannot see it
  assert.equal((await clerkB.get(`/approval/entry?id=${id}`)).status, 403);
  assert.equal((await headO.get(`/approval/entry?id=${id}`)).status, 403);
  assert.equal((await clerkB.get('/approval/entry?id=999999999')).status, 404);
  // nor act on it by posting its id
  const ocsrf = csrfOf((await headO.get('/approval/')).text_);
  let res = await headO.post('/approval/act', { csrf: ocsrf, id: String(id), version: String(before.version), op: 'approve' });
  assert.equal(res.status, 403);
  res = await headO.post('/approval/act', { csrf: ocsrf, id: String(id), version: String(before.version), op: 'reject', note: '越权' });
  assert.equal(res.status, 403);
  const bcsrf = csrfOf((await clerkB.get('/approval/returned')).text_);
  res = await clerkB.post('/approval/withdraw', { csrf: bcsrf, id: String(id), version: String(before.version) });
  assert.equal(res.status, 403);
  // the batch form with a foreign id: listed as refused, nothing done
  res = await headO.post('/approval/batch', { csrf: ocsrf, 'row.0.pick': '1', 'row.0.id': String(id), 'row.0.v': String(before.version) });
  assert.equal(res.status, 200);
  assert.match(text(res.text_), /通过 0 张，未通过 1 张/);
  assert.match(text(res.text_), /您无权查看或处理这张报表/);
  assert.deepEqual(row(id), before, 'nothing changed');
  assert.equal(audits(id, 'flow.approve', 'refused'), 2);
  // a transfer to someone outside the step
  const acsrf = csrfOf((await headA.get(`/approval/entry?id=${id}`)).text_);
  res = await headA.post('/approval/act', { csrf: acsrf, id: String(id), version: String(before.version), op: 'transfer',
    note: '请代办', to: String(userId(people.ho)) });
  assert.equal(res.status, 400);
  assert.match(text(res.text_), /只能转交给同一角色、同一范围的其他审批人/);
  // the clerk of the unit cannot approve it (a clerk's caps), nor correct another unit's sheet
  res = await clerk.post('/approval/act', { csrf: csrfOf((await clerk.get('/approval/returned')).text_), id: String(id), version: String(before.version), op: 'approve' });
  assert.equal(res.status, 403);
  assert.deepEqual(row(id), before);
});

// ------------------------------------------------------------------ batch, inbox

test('batch approval: each sheet on its own, the page says which failed and why', async () => {
  const clerk = await as('c1', [['clerk', 'unit']], UA);
  const headA = await as('h1', [['head', 'unit']], UA);
  const headP = await as('hp', [['head', 'subtree']], UP);
  const ids = [await submit(clerk, UA, 4), await submit(clerk, UA, 5), await submit(clerk, UA, 6)];
  const page = await headA.get('/approval/');
  const csrf = csrfOf(page.text_);
  const body = { csrf, note: '批量' };
  ids.forEach((id, i) => {
    const m = new RegExp(`name="row\\.(\\d+)\\.id" value="${id}"><input type="hidden" name="row\\.\\1\\.v" value="(\\d+)"`).exec(page.text_);
    assert.ok(m, `sheet ${id} is on the inbox page`);
    Object.assign(body, { [`row.${m[1]}.pick`]: '1', [`row.${m[1]}.id`]: String(id), [`row.${m[1]}.v`]: m[2] });
  });
  // meanwhile another head approves the second one
  assert.equal((await act(headP, ids[1], 'approve')).status, 303);
  const res = await headA.post('/approval/batch', body);
  assert.equal(res.status, 200);
  const t = text(res.text_);
  assert.match(t, /通过 2 张，未通过 1 张/);
  assert.match(res.text_, new RegExp(`<tr id="r-${ids[1]}" class="failed">`));
  assert.match(t, new RegExp(`这张报表已由审批hp于[0-9: -]+审批通过`));
  assert.deepEqual(ids.map((id) => row(id).step), [2, 2, 2]);
  assert.equal(sql(`SELECT note FROM entry_action WHERE entry_id=${ids[0]} AND action='approve'`), '批量');
  // nothing picked
  const none = await headA.post('/approval/batch', { csrf });
  assert.equal(none.status, 400);
  assert.match(text(none.text_), /请先勾选要通过的报表/);
});

test('the inbox: oldest first, keyset pages, filters; overdue marked on the inbox and the portal', async () => {
  const headB = await as('hb', [['head', 'unit']], UB);
  // 60 sheets of unit B waiting at step 1, made directly (the inbox is what is tested)
  const uid = unitId(UB), fid = formId(), role = sql("SELECT id FROM role WHERE code='head'");
  const clerkId = userId(people.c1);
  for (let i = 0; i < 60; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + i * 86400000).toISOString().slice(0, 10);
    sql(`INSERT INTO entry (form_id, org_unit_id, period_key, period_start, status, form_version, created_by, created_at,
           updated_by, updated_at, submitted_by, submitted_at, step, nsteps, state_at, due_at)
         VALUES (${fid}, ${uid}, '${day}', '${day}', 'submitted', 1, ${clerkId}, UTC_TIMESTAMP(), ${clerkId}, UTC_TIMESTAMP(),
           ${clerkId}, UTC_TIMESTAMP(), 1, 2, UTC_TIMESTAMP() - INTERVAL ${100 - i} MINUTE,
           UTC_TIMESTAMP() + INTERVAL ${i < 3 ? -5 : 600} MINUTE);
         SET @e = LAST_INSERT_ID();
         INSERT INTO entry_step (entry_id, step, role_id, at_kind, label) VALUES (@e, 1, ${role}, 'up', '部门审核');
         INSERT INTO flow_wait (entry_id, step, role_id, kind, org_unit_id, submitted_by, form_id, period_start, state_at, due_at)
           SELECT id, 1, ${role}, 'up', org_unit_id, submitted_by, form_id, period_start, state_at, due_at FROM entry WHERE id = @e`);
  }
  const ids = sql(`SELECT id FROM entry WHERE org_unit_id=${uid} AND status='submitted' ORDER BY state_at, id`).split('\n').map(Number);
  assert.ok(ids.length >= 60);
  const onPage = (html) => [...html.matchAll(/<tr id="e-(\d+)"/g)].map((m) => Number(m[1]));
  const p1 = await headB.get('/approval/');
  const first = onPage(p1.text_);
  assert.equal(first.length, 50);
  assert.deepEqual(first, ids.slice(0, 50), 'oldest first');
  const next = /<a class="btn" id="next" href="([^"]+)"/.exec(p1.text_)[1].replace(/&amp;/g, '&');
  const p2 = onPage((await headB.get(next)).text_);
  assert.deepEqual(p2, ids.slice(50, 100));
  // overdue: three rows marked, counted on the inbox and the portal
  assert.equal([...p1.text_.matchAll(/<tr id="e-\d+" class="overdue">/g)].length, 3);
  assert.match(text(p1.text_), /其中 3 张已超时/);
  assert.match((await headB.get('/')).text_, /id="overdue">3 已超时/);
  // filters: a period range, a unit, a form
  const r = await headB.get(`/approval/?from=2025-01-10&to=2025-01-12`);
  assert.equal(onPage(r.text_).length, 3);
  assert.equal(onPage((await headB.get(`/approval/?unit=${unitId(UA)}`)).text_).length, 0);
  assert.equal(onPage((await headB.get(`/approval/?unit=${unitId(UP)}`)).text_).length, 50);
  assert.equal(onPage((await headB.get(`/approval/?form=${fid}&from=2025-01-01&to=2025-01-05`)).text_).length, 5);
  assert.match(text((await headB.get('/approval/?from=2025-13-01')).text_), /日期格式不正确/);
  // clean up: these synthetic sheets leave the inbox
  sql(`DELETE w FROM flow_wait w JOIN entry e ON e.id=w.entry_id WHERE e.org_unit_id=${uid} AND e.period_key LIKE '2025-%';
       UPDATE entry SET status='draft', step=0 WHERE org_unit_id=${uid} AND period_key LIKE '2025-%'`);
});

// ------------------------------------------------------------------ stand-ins, withdraw, recall

test('a stand-in acts for an approver during the dates given; withdraw and recall', async () => {
  const clerk = await as('c1', [['clerk', 'unit']], UA);
  const headP = await as('hp', [['head', 'subtree']], UP);
  const headO = await as('ho', [['head', 'subtree']], UO);
  const headA = await as('h1', [['head', 'unit']], UA);
  const id = await submit(clerk, UA, 7);
  // headP names headO for today and tomorrow
  const page = await headP.get('/approval/standins');
  const f = fields(page.text_, '/approval/standin');
  let res = await headP.post('/approval/standin', { ...f, login: people.ho, from: local(0), to: local(-1), reason: '出差' });
  assert.equal(res.status, 303);
  res = await headP.post('/approval/standin', { ...f, login: people.hp, from: local(0), to: local(-1), reason: '' });
  assert.equal(res.status, 400);
  assert.match(text(res.text_), /不能指定自己为代理人/);
  assert.match(text((await headO.get('/approval/standins')).text_), new RegExp(`我代理的审批人.*审批hp`));
  const inbox = await headO.get('/approval/');
  assert.match(inbox.text_, new RegExp(`<tr id="e-${id}"`));
  assert.match(text(inbox.text_), /代审批hp审批/);
  assert.equal((await act(headO, id, 'approve', '代审')).status, 303);
  assert.match(text((await headO.get(`/approval/entry?id=${id}`)).text_), /审批ho 代审批hp审批/);
  assert.equal(sql(`SELECT for_id FROM entry_action WHERE entry_id=${id} AND action='approve'`), String(userId(people.hp)));
  // recall it (headO acted) while the centre has not; then withdraw is possible again
  res = await act(headO, id, 'recall');
  assert.equal(res.status, 303);
  assert.equal(row(id).step, 1);
  // the stand-in ends: headO no longer sees it
  const ended = await headP.get('/approval/standins');
  const ef = fields(ended.text_, '/approval/standin/end');
  assert.equal((await headP.post('/approval/standin/end', ef)).status, 303);
  assert.equal((await headO.get(`/approval/entry?id=${id}`)).status, 200, 'it acted on it before: still readable');
  res = await act(headO, id, 'approve');
  assert.equal(res.status, 403);
  assert.match(text(res.text_), /您不是这张报表当前步骤的审批人/);
  // the clerk withdraws before the first approval
  res = await act(clerk, id, 'withdraw');
  assert.equal(res.status, 303);
  assert.equal(row(id).status, 'draft');
  assert.equal(audits(id, 'flow.withdraw', 'ok'), 1);
  // submitted again, approved by the unit's head: no withdrawing any more
  const ed = await clerk.get(`/entry/edit?id=${id}`);
  res = await clerk.post('/entry/save', { ...fields(ed.text_, '/entry/save'), op: 'submit' });
  assert.equal(res.status, 303);
  assert.equal((await act(headA, id, 'approve')).status, 303);
  const wp = await clerk.get(`/approval/entry?id=${id}`);
  assert.doesNotMatch(wp.text_, /id="withdraw"/);
  res = await clerk.post('/approval/withdraw', { csrf: csrfOf(wp.text_), id: String(id), version: String(row(id).version) });
  assert.equal(res.status, 409);
  assert.match(text(res.text_), /第一步已经审批/);
});

// ------------------------------------------------------------------ 加签

test('加签: an approver adds another approver for this sheet only; the one added approves next', async () => {
  const clerk = await as('c1', [['clerk', 'unit']], UA);
  const headA = await as('h1', [['head', 'unit']], UA);
  const headP = await as('hp', [['head', 'subtree']], UP);
  const id = await submit(clerk, UA, 8);
  const page = await headA.get(`/approval/entry?id=${id}`);
  assert.match(page.text_, /<select id="add-to" name="to">/);
  assert.match(page.text_, new RegExp(`<option value="${userId(people.hp)}">审批hp`));
  assert.doesNotMatch(page.text_, new RegExp(`<select id="add-to"[^]*<option value="${userId(people.c1)}">`), 'not the submitter');
  const body = { csrf: csrfOf(page.text_), id: String(id), version: String(row(id).version), op: 'add', to: String(userId(people.hp)) };
  let res = await headA.post('/approval/act', { ...body, note: '' });
  assert.equal(res.status, 400);
  res = await headA.post('/approval/act', { ...body, note: '请部门复核' });
  assert.equal(res.status, 303);
  assert.equal(location(res), `/approval/entry?id=${id}&ok=add`);
  assert.deepEqual([row(id).step, Number(sql(`SELECT nsteps FROM entry WHERE id=${id}`))], [2, 3]);
  assert.match((await headP.get('/approval/')).text_, new RegExp(`<tr id="e-${id}"`));
  const t = text((await headP.get(`/approval/entry?id=${id}`)).text_);
  assert.match(t, /加签：审批hp/);
  assert.match(t, /审批通过并加签.*审批h1.*请部门复核/);
  assert.equal((await act(headP, id, 'approve')).status, 303);
  assert.equal(row(id).step, 3);
});
