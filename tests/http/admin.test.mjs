// admin.test.mjs -- 系统管理 through nginx and the admin workers against the
// real MariaDB: the capability check on every route of the route table,
// organisation scope (IDOR) for a sub-admin, units, accounts, role grants
// and 三员分立, base data, exports, and the audit record of every action.
// Every test makes its own accounts and units (uniq() names) under the demo
// company; nothing the other test files rely on is changed for good.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  Client, login, location, sql, q, demoSafeMkuser, mkunit, uniq, csrfOf, ROOT, adminLogin, activate as activateWith,
  errorMessage, formFields, download, keepingIpCounter, unitId, userId, count, maxAudit, auditsSince,
} from './lib.mjs';

const PW = 'Guan-li#2026x';
const NEWPW = 'Xin-mi#ma2026';

// ------------------------------------------------------------------ helpers

// accounts this file adds to the demo company's own units are switched off
// when the file is done, so the demo units keep their people and readiness
const mkuser = demoSafeMkuser(after);

const unitRow = (id) => {
  const [code, name, parent, path, active, version] =
    sql(`SELECT code, name, COALESCE(parent_id,0), path, active, version FROM org_unit WHERE id=${id}`).split('\t');
  return { code, name, parent: Number(parent), path, active: Number(active), version: Number(version) };
};

// exactly one record of action since id, result ok, with the detail's
// "after" (and "before" where there was a before); a revoke has only "before"
function oneAudit(since, action, keys = ['after']) {
  const rows = auditsSince(since, action);
  assert.equal(rows.length, 1, `exactly one ${action} record`);
  assert.equal(rows[0].result, 'ok');
  for (const k of keys) assert.ok(rows[0].detail[k], `${action}: detail has "${k}"`);
  return rows[0];
}

// an admin with scope "all" (on 信息中心), logged in, with the session's CSRF token
const admin = (opts = {}) => adminLogin(mkuser, { password: PW, ...opts });

function assertDenied(res, what) {
  assert.equal(res.status, 403, `${what}: 403`);
  assert.match(res.text_, /<span class="code">403<\/span> 无权访问/, `${what}: the Chinese 无权访问 page`);
}

// RFC 4180 rows of a CSV export (after the BOM)
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"' && cell === '') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += ch; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const activate = (loginName, code, pw = NEWPW) => activateWith(loginName, code, pw);

const codeOf = (html) => (/id="activation-code">([A-Z0-9-]+)</.exec(html) || [])[1];

// a fresh unit of our own under 后勤服务公司 (or another parent code)
function ownUnit(name = '测试单位', parent = '100') {
  const code = 'T' + uniq('');
  return { code, id: mkunit(code, name, parent) };
}

// ------------------------------------------------------------------ a. capabilities

const adminSource = fs.readFileSync(path.join(ROOT, 'cgi-bin/admin/admin.c'), 'utf8');
const table = /static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(adminSource);
const ROUTES = [...(table ? table[1] : '').matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*(\w+)/g)]
  .map((m) => ({ method: m[1], path: m[2], fn: m[3] }));

test('the admin route table is found in admin.c', () => {
  assert.ok(ROUTES.length >= 30, `routes parsed from cgi-bin/admin/admin.c: ${ROUTES.length}`);
  assert.ok(ROUTES.some((r) => r.method === 'GET' && r.path === '/admin/'));
  assert.ok(ROUTES.some((r) => r.method === 'POST' && r.path === '/admin/import/check'));
});

test('a clerk gets 403 无权访问 on every admin route, GET and POST (with a valid CSRF token)', async () => {
  const name = uniq('clerk');
  mkuser(name, PW, { name: '录入员甲', unit: '100090', roles: [['clerk', 'unit'], ['head', 'unit']] });
  const c = await login(name, PW);
  assert.equal(c.last.status, 303);
  const portal = await c.get('/');
  assert.equal(portal.status, 200);
  assert.doesNotMatch(portal.text_, /系统管理/, 'no administration link for a clerk');
  const csrf = csrfOf(portal.text_);
  const before = count('org_unit') + count('app_user') + count('user_role') + count('base_kind');
  for (const r of ROUTES) {
    const res = r.method === 'GET'
      ? await c.get(r.path + '?id=1&k=vehicle&kind=units&what=units&batch=1')
      : await c.post(r.path, { csrf, id: '1', code: uniq('x'), name: 'x', parent: '0', kind: 'dept', active: '0',
        role: 'admin', gunit: '1', scope: 'all', batch: '1', fields: 'a:b' });
    assertDenied(res, `${r.method} ${r.path}`);
    assert.doesNotMatch(res.text_, /安全校验未通过/, `${r.method} ${r.path}: refused by the capability, not CSRF`);
  }
  assert.equal(count('org_unit') + count('app_user') + count('user_role') + count('base_kind'), before, 'nothing written');
  // the clerk's session still works: 403 is not a logout
  assert.equal((await c.get('/')).status, 200);
});

test('anonymous users are sent to the login page on every admin GET route; POSTs are refused', async () => {
  const c = new Client();
  for (const r of ROUTES) {
    if (r.method === 'GET') {
      const res = await c.get(r.path);
      assert.equal(res.status, 303, `GET ${r.path}`);
      assert.match(location(res), /^\/login(\?next=|$)/, `GET ${r.path} -> ${location(res)}`);
      assert.equal(location(res), '/login?next=' + encodeURIComponent(r.path).replace(/%2F/g, '/'), `GET ${r.path} comes back after login`);
    } else {
      const res = await c.post(r.path, { csrf: 'A'.repeat(43), id: '1' });
      assert.equal(res.status, 403, `POST ${r.path}`);
      assert.match(res.text_, /登录已过期/, `POST ${r.path}`);
    }
  }
});

// ------------------------------------------------------------------ b. scope (IDOR)

async function carTeamAdmin() {
  const { c, name, id } = await admin({ prefix: 'cdadm', name: '车队管理员', unit: '100020', roles: [['admin', 'subtree']] });
  return { c, name, id };
}

test('the 车队 sub-admin manages 车队 and its teams, and gets 403 on 维修中心 ids by URL or form', async () => {
  const { c } = await carTeamAdmin();
  const cd = unitId('100020'), team = unitId('10002001'), wx = unitId('100030'), wxTeam = unitId('10003001');

  // units: the list and the edit pages of their own subtree
  const list = await c.get('/admin/units');
  assert.equal(list.status, 200);
  assert.match(list.text_, /<code>100020<\/code>/);
  assert.match(list.text_, /<code>10002001<\/code>/);
  assert.doesNotMatch(list.text_, /<code>100030<\/code>/, '维修中心 is not listed');
  assert.doesNotMatch(list.text_, /<code>100<\/code>/, 'nor the company');
  assert.equal((await c.get(`/admin/units/edit?id=${cd}`)).status, 200);
  assert.equal((await c.get(`/admin/units/edit?id=${team}`)).status, 200);

  // units of 维修中心
  const wxBefore = unitRow(wx);
  assertDenied(await c.get(`/admin/units/edit?id=${wx}`), 'GET /admin/units/edit 维修中心');
  assertDenied(await c.get(`/admin/units/edit?id=${wxTeam}`), 'GET /admin/units/edit 水电维修班');
  assertDenied(await c.send('/admin/units/edit', { id: wx, version: wxBefore.version, name: '维修中心（改）', parent: unitId('100'), kind: 'dept', sort: '30' }),
    'POST /admin/units/edit 维修中心');
  assertDenied(await c.send('/admin/units/active', { id: wxTeam, active: '0' }), 'POST /admin/units/active 水电维修班');
  // moving a team of 车队 under 维修中心, or creating a unit there
  assertDenied(await c.send('/admin/units/edit', { id: team, version: unitRow(team).version, name: unitRow(team).name, parent: wx, kind: 'team', sort: '1' }),
    'moving 客运一班 under 维修中心');
  const stray = 'T' + uniq('');
  assertDenied(await c.send('/admin/units/new', { code: stray, name: '越权新建', parent: wx, kind: 'team', sort: '0' }), 'new unit under 维修中心');
  assert.deepEqual(unitRow(wx), wxBefore, '维修中心 unchanged');
  assert.equal(unitRow(team).parent, cd, '客运一班 still under 车队');
  assert.equal(unitRow(wxTeam).active, 1);
  assert.equal(count(`org_unit WHERE code=${q(stray)}`), 0);
});

test('the 车队 sub-admin cannot touch an account of 维修中心 by id, nor move or grant into 维修中心', async () => {
  const { c } = await carTeamAdmin();
  const cd = unitId('100020'), wx = unitId('100030');
  const wxLogin = uniq('wxu');
  const wxId = mkuser(wxLogin, PW, { name: '维修工', unit: '100030' });
  const grant = sql(`SELECT id FROM user_role WHERE user_id=${wxId}`);
  const snapshot = () => sql(`SELECT name, org_unit_id, active, pw_hash, version, (SELECT COUNT(*) FROM user_role WHERE user_id=${wxId}) FROM app_user WHERE id=${wxId}`);
  const before = snapshot();
  const since = maxAudit();

  assertDenied(await c.get(`/admin/users/edit?id=${wxId}`), 'GET /admin/users/edit');
  assertDenied(await c.send('/admin/users/edit', { id: wxId, version: '1', name: '改名', unit: cd, phone: '' }), 'POST /admin/users/edit');
  assertDenied(await c.send('/admin/users/active', { id: wxId, active: '0' }), 'POST /admin/users/active');
  assertDenied(await c.send('/admin/users/reset', { id: wxId }), 'POST /admin/users/reset');
  assertDenied(await c.send('/admin/users/unlock', { id: wxId }), 'POST /admin/users/unlock');
  assertDenied(await c.send('/admin/users/grant', { id: wxId, role: 'head', gunit: cd, scope: 'unit' }), 'POST /admin/users/grant');
  assertDenied(await c.send('/admin/users/revoke', { id: wxId, grant }), 'POST /admin/users/revoke');
  assert.equal(snapshot(), before, 'the 维修中心 account is unchanged');

  // an account of their own: editable, but not into 维修中心
  const mine = uniq('cdu');
  const mineId = mkuser(mine, PW, { name: '车队队员', unit: '10002001' });
  const edit = await c.get(`/admin/users/edit?id=${mineId}`);
  assert.equal(edit.status, 200);
  const ok = await c.send('/admin/users/edit', { ...formFields(edit.text_, '/admin/users/edit'), csrf: c.csrf, name: '车队队员乙' });
  assert.equal(ok.status, 303, errorMessage(ok.text_));
  assert.equal(sql(`SELECT name FROM app_user WHERE id=${mineId}`), '车队队员乙');
  const v = sql(`SELECT version FROM app_user WHERE id=${mineId}`);
  assertDenied(await c.send('/admin/users/edit', { id: mineId, version: v, name: '车队队员乙', unit: wx, phone: '' }), 'moving an account into 维修中心');
  assertDenied(await c.send('/admin/users/grant', { id: mineId, role: 'head', gunit: wx, scope: 'unit' }), 'a grant on 维修中心');
  assert.equal(sql(`SELECT org_unit_id FROM app_user WHERE id=${mineId}`), String(unitId('10002001')));
  assert.equal(auditsSince(since).filter((a) => a.object.includes(wxLogin)).length, 0, 'no audit record for the refused actions');
});

test('the 车队 sub-admin sees base items of 车队 only; items elsewhere are 403 by URL or form', async () => {
  const { c } = await carTeamAdmin();
  const kid = sql("SELECT id FROM base_kind WHERE code='vehicle'");
  // a vehicle of our own that belongs to 维修中心
  const outside = 'W' + uniq('');
  sql(`INSERT INTO base_item (kind_id, code, name, org_unit_id, a1, active, created_at, updated_at)
       VALUES (${kid}, ${q(outside)}, '维修工程车', ${unitId('100030')}, '京A·00001', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP())`);
  const oid = sql(`SELECT id FROM base_item WHERE kind_id=${kid} AND code=${q(outside)}`);
  const inside = sql(`SELECT b.id FROM base_item b JOIN org_unit o ON o.id=b.org_unit_id WHERE b.kind_id=${kid} AND o.path LIKE '/${unitId('100')}/${unitId('100020')}/%' LIMIT 1`);
  assert.ok(inside, 'a demo vehicle of 车队');

  assert.equal((await c.get(`/admin/base/item?k=vehicle&id=${inside}`)).status, 200);
  assertDenied(await c.get(`/admin/base/item?k=vehicle&id=${oid}`), 'GET /admin/base/item outside 车队');
  assertDenied(await c.send('/admin/base/item', { k: 'vehicle', id: oid, version: '1', code: outside, name: '改名', unit: unitId('10002001'), a1: '京A·00001', active: '1' }),
    'POST /admin/base/item outside 车队');
  assertDenied(await c.send('/admin/base/item', { k: 'vehicle', id: '', version: '', code: 'W' + uniq(''), name: '越权车辆', unit: unitId('100030'), a1: '京A·00002', active: '1' }),
    'a new item in 维修中心');
  assertDenied(await c.send('/admin/base/item', { k: 'vehicle', id: '', version: '', code: 'W' + uniq(''), name: '无单位车辆', unit: '0', a1: '京A·00003', active: '1' }),
    'a new item without a unit (company-wide)');
  assert.equal(sql(`SELECT name FROM base_item WHERE id=${oid}`), '维修工程车');

  // the list shows 车队's vehicles, not ours of 维修中心
  const kind = await c.get('/admin/base/kind?k=vehicle');
  assert.equal(kind.status, 200);
  assert.doesNotMatch(kind.text_, new RegExp(`<code>${outside}</code>`));
  assert.match(kind.text_, /<code>CL001<\/code>/);

  // an item of their own in 客运一班: create, then edit
  const mine = 'C' + uniq('');
  const created = await c.send('/admin/base/item', { k: 'vehicle', id: '', version: '', code: mine, name: '测试客车', unit: unitId('10002001'), a1: '京B·12345', a2: '宇通', a3: '45', a4: '', active: '1' });
  assert.equal(created.status, 303, errorMessage(created.text_));
  assert.equal(location(created), '/admin/base/kind?k=vehicle&ok=1');
  const mid = sql(`SELECT id FROM base_item WHERE kind_id=${kid} AND code=${q(mine)}`);
  const form = await c.get(`/admin/base/item?k=vehicle&id=${mid}`);
  const saved = await c.send('/admin/base/item', { ...formFields(form.text_, '/admin/base/item'), csrf: c.csrf, name: '测试客车（改）', active: '0' });
  assert.equal(saved.status, 303, errorMessage(saved.text_));
  assert.equal(sql(`SELECT name, active FROM base_item WHERE id=${mid}`), '测试客车（改）\t0', 'renamed, and inactive again (the demo fleet stays as it was)');
  sql(`UPDATE base_item SET active=0 WHERE id=${oid}`);
});

test('the 车队 sub-admin\'s account list and export hold only 车队 subtree accounts', async () => {
  const { c } = await carTeamAdmin();
  const cdPath = sql("SELECT path FROM org_unit WHERE code='100020'");
  const subtreeCodes = new Set(sql(`SELECT code FROM org_unit WHERE path LIKE ${q(cdPath + '%')}`).split('\n'));
  const subtreeNames = new Set(sql(`SELECT name FROM org_unit WHERE path LIKE ${q(cdPath + '%')}`).split('\n'));
  const wxLogin = uniq('wxl');
  mkuser(wxLogin, PW, { name: '维修员', unit: '10003001' });

  const page = await c.get('/admin/users');
  assert.equal(page.status, 200);
  const rows = [...page.text_.matchAll(/<tr class="[^"]*"><td><code>([^<]+)<\/code><\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)];
  assert.ok(rows.length > 0, 'accounts are listed');
  for (const [, lg, unitName] of rows) assert.ok(subtreeNames.has(unitName), `${lg} of ${unitName} is in 车队's subtree`);
  for (const wxName of ['wx_head', 'wx_clerk', 'wx01_clerk', wxLogin]) {
    const s = await c.get('/admin/users?q=' + encodeURIComponent(wxName));
    assert.doesNotMatch(s.text_, new RegExp(`<code>${wxName}</code>`), `${wxName} is not visible`);
  }
  assert.match((await c.get('/admin/users?q=cd_head')).text_, /<code>cd_head<\/code>/);
  assert.doesNotMatch((await c.get(`/admin/users?unit=${unitId('100030')}`)).text_, /<code>wx_/);

  const csv = await download(c, '/admin/export?what=users&fmt=csv');
  assert.equal(csv.status, 200);
  const table = parseCsv(csv.body.subarray(3).toString('utf8'));
  assert.deepEqual(table[0].slice(0, 4), ['账户', '姓名', '单位编码', '单位名称']);
  const logins = table.slice(1).map((r) => r[0]);
  assert.ok(logins.includes('cd_head') && logins.includes('cd01_clerk'), '车队 accounts are exported');
  for (const r of table.slice(1)) assert.ok(subtreeCodes.has(r[2]), `exported ${r[0]} of unit ${r[2]} is in 车队's subtree`);
  assert.ok(!logins.includes('wx_head') && !logins.includes(wxLogin) && !logins.includes('admin'), 'no account outside 车队');
});

test('the 车队 sub-admin cannot grant scope "all" nor create a top-level unit', async () => {
  const { c } = await carTeamAdmin();
  const mine = uniq('cdg');
  const id = mkuser(mine, PW, { name: '车队调度', unit: '100020' });
  const grants = () => sql(`SELECT COUNT(*) FROM user_role WHERE user_id=${id}`);
  const g0 = grants();
  assertDenied(await c.send('/admin/users/grant', { id, role: 'clerk', gunit: unitId('100020'), scope: 'all' }), 'a grant with scope all');
  assertDenied(await c.send('/admin/users/grant', { id, role: 'leader', gunit: unitId('10002001'), scope: 'all' }), 'a grant with scope all on a team');
  assert.equal(grants(), g0);
  // the same grant with scope subtree is allowed
  const ok = await c.send('/admin/users/grant', { id, role: 'dispatcher', gunit: unitId('100020'), scope: 'subtree' });
  assert.equal(ok.status, 303, errorMessage(ok.text_));
  assert.equal(Number(grants()), Number(g0) + 1);
  // a new account with scope all
  const lg = uniq('cdn');
  assertDenied(await c.send('/admin/users/new', { login: lg, name: '新人', unit: unitId('100020'), phone: '', role: 'clerk', scope: 'all' }), 'a new account with scope all');
  assert.equal(count(`app_user WHERE login=${q(lg)}`), 0);

  const code = 'T' + uniq('');
  assertDenied(await c.send('/admin/units/new', { code, name: '顶级单位', parent: '0', kind: 'company', sort: '0' }), 'a top-level unit');
  assert.equal(count(`org_unit WHERE code=${q(code)}`), 0);
  // a unit under 车队 is fine
  const team = await c.send('/admin/units/new', { code, name: '车队新班组', parent: unitId('100020'), kind: 'team', sort: '9' });
  assert.equal(team.status, 303, errorMessage(team.text_));
  assert.equal(unitRow(unitId(code)).parent, unitId('100020'));
  // and deactivate it again: 车队 keeps its three active teams
  assert.equal((await c.send('/admin/units/active', { id: unitId(code), active: '0' })).status, 303);
  assert.equal(unitRow(unitId(code)).active, 0);
});

test('a sub-admin can rename the top unit of their subtree through its edit form', async () => {
  // our own subtree: 测试部 (code T…) under the company, with one team
  const top = ownUnit('子树测试部');
  ownUnit('子树测试班', top.code);
  const { c } = await admin({ prefix: 'subadm', unit: top.code, roles: [['admin', 'subtree']] });
  const page = await c.get(`/admin/units/edit?id=${top.id}`);
  assert.equal(page.status, 200);
  const fields = formFields(page.text_, '/admin/units/edit');
  // the browser sends what the form holds, with only the name changed
  const res = await c.send('/admin/units/edit', { ...fields, csrf: c.csrf, name: '子树测试部（改名）' });
  assert.equal(res.status, 303, `renaming their own top unit: got ${res.status} ${errorMessage(res.text_)} (parent sent: ${fields.parent})`);
  assert.equal(unitRow(top.id).name, '子树测试部（改名）');
  assert.equal(unitRow(top.id).parent, unitId('100'), 'still under the company');
});

// ------------------------------------------------------------------ c. units

test('units: create with leading zeros, duplicate code refused, rename', async () => {
  const { c } = await admin();
  const code = '007' + uniq('');
  const since = maxAudit();
  const res = await c.send('/admin/units/new', { code, name: '零零七测试部', parent: unitId('100'), kind: 'dept', sort: '7' });
  assert.equal(res.status, 303, errorMessage(res.text_));
  assert.equal(location(res), '/admin/units?ok=1');
  const id = unitId(code);
  const u = unitRow(id);
  assert.equal(u.code, code, 'leading zeros kept');
  assert.equal(u.path, `/${unitId('100')}/${id}/`);
  const list = await c.get('/admin/units?ok=1');
  assert.match(list.text_, /已保存/);
  assert.match(list.text_, new RegExp(`零零七测试部</td><td><code>${code}</code>`));
  const a = oneAudit(since, 'unit.create');
  assert.equal(a.object, `unit:${code}`);
  assert.equal(a.detail.after.code, code);
  assert.equal(a.detail.after.name, '零零七测试部');
  assert.equal(a.detail.after.parent, '100');

  // the same code again: refused, with the form kept, nothing saved
  const units = count('org_unit');
  const audits = maxAudit();
  const dup = await c.send('/admin/units/new', { code, name: '重复编码', parent: unitId('100'), kind: 'dept', sort: '0' });
  assert.equal(dup.status, 400);
  assert.match(errorMessage(dup.text_), /该编码已被使用/);
  assert.match(dup.text_, /value="重复编码"/, 'the form keeps what was typed');
  assert.equal(count('org_unit'), units, 'nothing saved');
  assert.equal(maxAudit(), audits, 'a refusal writes no audit record');
  // codes with spaces or quotes are refused too
  const bad = await c.send('/admin/units/new', { code: 'a b', name: '坏编码', parent: unitId('100'), kind: 'dept', sort: '0' });
  assert.equal(bad.status, 400);
  assert.match(errorMessage(bad.text_), /编码不正确/);

  // rename through the edit form
  const page = await c.get(`/admin/units/edit?id=${id}`);
  const f = formFields(page.text_, '/admin/units/edit');
  assert.equal(f.parent, String(unitId('100')), 'the current parent is selected');
  const since2 = maxAudit();
  const ren = await c.send('/admin/units/edit', { ...f, csrf: c.csrf, name: '零零七测试部（新）' });
  assert.equal(ren.status, 303, errorMessage(ren.text_));
  assert.equal(location(ren), `/admin/units/edit?id=${id}&ok=1`);
  assert.equal(unitRow(id).name, '零零七测试部（新）');
  assert.equal(unitRow(id).code, code, 'the code does not change');
  const up = oneAudit(since2, 'unit.update', ['before', 'after']);
  assert.equal(up.detail.before.name, '零零七测试部');
  assert.equal(up.detail.after.name, '零零七测试部（新）');
});

test('units: moving a unit rebuilds its and its children\'s paths; not under itself or a child', async () => {
  const { c } = await admin();
  const p1 = ownUnit('迁出部门'), p2 = ownUnit('迁入部门');
  const mid = ownUnit('被移动科室', p1.code), leaf = ownUnit('被移动班组', mid.code);
  assert.equal(unitRow(leaf.id).path, `/${unitId('100')}/${p1.id}/${mid.id}/${leaf.id}/`);
  const page = await c.get(`/admin/units/edit?id=${mid.id}`);
  const f = formFields(page.text_, '/admin/units/edit');
  assert.ok(!new RegExp(`<option value="${leaf.id}"`).test(/<select id="parent"[\s\S]*?<\/select>/.exec(page.text_)[0]),
    'its own children are not offered as parents');
  const since = maxAudit();
  const res = await c.send('/admin/units/edit', { ...f, csrf: c.csrf, parent: p2.id });
  assert.equal(res.status, 303, errorMessage(res.text_));
  assert.equal(unitRow(mid.id).parent, p2.id);
  assert.equal(unitRow(mid.id).path, `/${unitId('100')}/${p2.id}/${mid.id}/`);
  assert.equal(unitRow(leaf.id).path, `/${unitId('100')}/${p2.id}/${mid.id}/${leaf.id}/`, 'the child moved along');
  const mv = oneAudit(since, 'unit.move', ['before', 'after']);
  assert.equal(mv.detail.before.parent, p1.code);
  assert.equal(mv.detail.after.parent, p2.code);

  // under its own child, or itself: refused, nothing changes
  for (const target of [leaf.id, mid.id]) {
    const before = unitRow(mid.id);
    const audits = maxAudit();
    const r = await c.send('/admin/units/edit', { id: mid.id, version: before.version, name: before.name, parent: target, kind: 'dept', sort: '0' });
    assert.equal(r.status, 400);
    assert.match(errorMessage(r.text_), /不能把单位移到它自己或它的下级之下/);
    assert.deepEqual(unitRow(mid.id), before);
    assert.equal(maxAudit(), audits);
  }
  // and the company root under one of its descendants, by a forged form
  const root = unitRow(unitId('100'));
  const r = await c.send('/admin/units/edit', { id: unitId('100'), version: root.version, name: root.name, parent: p2.id, kind: 'company', sort: '0' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能把单位移到它自己或它的下级之下/);
  assert.deepEqual(unitRow(unitId('100')), root);
});

test('units: deactivation needs no active accounts or children; a deactivated code is never reused', async () => {
  const { c } = await admin();
  const dept = ownUnit('待停用部门');
  const team = ownUnit('待停用班组', dept.code);
  const person = uniq('stay');
  const pid = mkuser(person, PW, { name: '还在岗', unit: team.code });

  let r = await c.send('/admin/units/active', { id: dept.id, active: '0' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /还有启用的下级单位/);
  r = await c.send('/admin/units/active', { id: team.id, active: '0' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /还有启用的账户/);
  assert.equal(unitRow(team.id).active, 1);

  // the account moves away: now the team, then the department can go
  sql(`UPDATE app_user SET active=0 WHERE id=${pid}`);
  const since = maxAudit();
  r = await c.send('/admin/units/active', { id: team.id, active: '0' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  assert.equal(unitRow(team.id).active, 0);
  const d = oneAudit(since, 'unit.deactivate', ['before', 'after']);
  assert.equal(d.object, `unit:${team.code}`);
  assert.deepEqual(d.detail, { before: { active: 1 }, after: { active: 0 } });
  r = await c.send('/admin/units/active', { id: dept.id, active: '0' });
  assert.equal(r.status, 303);
  const page = await c.get(`/admin/units/edit?id=${dept.id}`);
  assert.match(page.text_, /该单位已停用/);

  // the code stays taken
  const dup = await c.send('/admin/units/new', { code: team.code, name: '复用编码', parent: unitId('100'), kind: 'dept', sort: '0' });
  assert.equal(dup.status, 400);
  assert.match(errorMessage(dup.text_), /该编码已被使用（包括已停用的记录）/);
  assert.equal(count(`org_unit WHERE code=${q(team.code)}`), 1);
  // a unit cannot be created under a deactivated parent either
  const under = await c.send('/admin/units/new', { code: 'T' + uniq(''), name: '停用单位之下', parent: dept.id, kind: 'team', sort: '0' });
  assert.equal(under.status, 400);
  assert.match(errorMessage(under.text_), /上级单位不存在或已停用/);
});

test('units: two saves from the same version -- the second gets 409 刚刚已被他人修改', async () => {
  const { c } = await admin();
  const u = ownUnit('并发修改');
  const page = await c.get(`/admin/units/edit?id=${u.id}`);
  const f = formFields(page.text_, '/admin/units/edit');
  const first = await c.send('/admin/units/edit', { ...f, csrf: c.csrf, name: '并发修改甲' });
  assert.equal(first.status, 303);
  const audits = maxAudit();
  const second = await c.send('/admin/units/edit', { ...f, csrf: c.csrf, name: '并发修改乙' });
  assert.equal(second.status, 409);
  assert.match(errorMessage(second.text_), /刚刚已被他人修改/);
  assert.equal(unitRow(u.id).name, '并发修改甲', 'the first save stands');
  assert.equal(maxAudit(), audits, 'no audit record for the refused save');
  // the page shown with the 409 carries the new version: saving again works
  const again = await c.send('/admin/units/edit', { ...formFields(second.text_, '/admin/units/edit'), csrf: c.csrf, name: '并发修改乙' });
  assert.equal(again.status, 303, errorMessage(again.text_));
  assert.equal(unitRow(u.id).name, '并发修改乙');
});

// ------------------------------------------------------------------ d. accounts

test('accounts: a new account gets a one-time code, activates with it once, and reaches the portal', async () => {
  const { c } = await admin();
  const unit = ownUnit('新账户单位');
  const lg = uniq('new');
  const since = maxAudit();
  const res = await c.send('/admin/users/new', { login: lg, name: '新同事', unit: unit.id, phone: '13800001111', role: 'clerk', scope: 'unit' });
  assert.equal(res.status, 200, errorMessage(res.text_));
  assert.match(res.text_, /一次性激活码/);
  assert.match(res.text_, /激活码只显示这一次/);
  const code = codeOf(res.text_);
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  const id = userId(lg);
  assert.equal(sql(`SELECT pw_hash IS NULL, must_change, org_unit_id FROM app_user WHERE id=${id}`), `1\t1\t${unit.id}`);
  assert.equal(sql(`SELECT r.code, ur.scope FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${id}`), 'clerk\tunit');
  const a = oneAudit(since, 'user.create');
  assert.equal(a.object, `user:${lg}`);
  assert.equal(a.detail.after.login, lg);
  assert.equal(a.detail.after.unit, unit.code);
  assert.equal(a.detail.role, 'clerk');
  assert.doesNotMatch(JSON.stringify(a.detail), new RegExp(code.replace('-', '-?')), 'the code is not in the audit log');
  // the list shows it as 待激活
  assert.match((await c.get('/admin/users?q=' + lg)).text_, /待激活/);
  // the same login again is refused
  const dup = await c.send('/admin/users/new', { login: lg, name: '重名', unit: unit.id, phone: '', role: '', scope: 'unit' });
  assert.equal(dup.status, 400);
  assert.match(errorMessage(dup.text_), /该账户名已存在/);

  await keepingIpCounter(async () => {
    const wrong = await activate(lg, 'AAAAA-AAAAA');
    assert.equal(wrong.last.status, 400);
    assert.match(wrong.last.text_, /激活码不正确/);
    const ok = await activate(lg, code.toLowerCase().replace('-', ' '));   // typed loosely: still the code
    assert.equal(ok.last.status, 303);
    assert.equal(location(ok.last), '/?activated=1');
    const portal = await ok.get('/?activated=1');
    assert.equal(portal.status, 200);
    assert.match(portal.text_, /账户已激活/);
    assert.match(portal.text_, /新同事/);
    assert.match(portal.text_, /新账户单位/);
    const twice = await activate(lg, code, 'Ling-yi#ge2026');
    assert.equal(twice.last.status, 400, 'a code works once');
    assert.match(twice.last.text_, /激活码不正确/);
  });
  assert.equal((await login(lg, NEWPW)).last.status, 303, 'the new password works');
  assert.equal(count(`activation_sheet WHERE user_id=${id}`), 0, 'the code sheet entry is gone');
});

test('accounts: grant and revoke roles; 三员分立 and the self-rules', async () => {
  const { c, id: me } = await admin();
  const unit = ownUnit('授权测试');
  const x = mkuser(uniq('gx'), PW, { name: '授权甲', unit: unit.code, roles: [] });
  let since = maxAudit();
  let r = await c.send('/admin/users/grant', { id: x, role: 'head', gunit: unit.id, scope: 'unit' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  assert.equal(location(r), `/admin/users/edit?id=${x}&ok=1`);
  const gid = sql(`SELECT ur.id FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${x} AND r.code='head'`);
  assert.ok(gid);
  const g = oneAudit(since, 'user.grant');
  assert.deepEqual(g.detail.after, { role: 'head', unit: unit.code, scope: 'unit' });
  const page = await c.get(`/admin/users/edit?id=${x}`);
  assert.match(page.text_, /<td>审核人<\/td><td>授权测试<\/td><td>本单位<\/td>/);
  // the same grant twice
  r = await c.send('/admin/users/grant', { id: x, role: 'head', gunit: unit.id, scope: 'unit' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /已有此角色/);
  // an unknown role or scope
  r = await c.send('/admin/users/grant', { id: x, role: 'boss', gunit: unit.id, scope: 'unit' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /角色不存在/);
  since = maxAudit();
  r = await c.send('/admin/users/revoke', { id: x, grant: gid });
  assert.equal(r.status, 303, errorMessage(r.text_));
  assert.equal(count(`user_role WHERE id=${gid}`), 0);
  const rv = oneAudit(since, 'user.revoke', ['before']);
  assert.equal(rv.detail.before.role, 'head');
  assert.equal(rv.detail.before.scope, 'unit');

  // admin + auditor on one account, either way round
  r = await c.send('/admin/users/grant', { id: x, role: 'admin', gunit: unit.id, scope: 'subtree' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  let audits = maxAudit();
  r = await c.send('/admin/users/grant', { id: x, role: 'auditor', gunit: unit.id, scope: 'all' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /系统管理员与审计员不能由同一账户兼任/);
  const y = mkuser(uniq('gy'), PW, { name: '审计乙', unit: unit.code, roles: [['auditor', 'all']] });
  r = await c.send('/admin/users/grant', { id: y, role: 'admin', gunit: unit.id, scope: 'unit' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能由同一账户兼任/);
  assert.equal(count(`user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id IN (${x},${y}) AND r.code IN ('admin','auditor')`), 2);
  // a new account cannot get both either (one role at creation, then a grant)
  // issue 12: a refusal by rule is recorded as one "denied" record, never as a change
  assert.deepEqual(auditsSince(audits).map((a) => `${a.action} ${a.result} ${a.detail.reason}`),
    ['user.grant denied org.admin_auditor', 'user.grant denied org.admin_auditor'], 'the refusals are not audited as changes');

  // to oneself
  r = await c.send('/admin/users/grant', { id: me, role: 'auditor', gunit: unitId('100090'), scope: 'all' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能给自己授予/);
  r = await c.send('/admin/users/grant', { id: me, role: 'admin', gunit: unitId('100'), scope: 'all' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能给自己授予/);
  r = await c.send('/admin/users/active', { id: me, active: '0' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能停用自己的账户/);
  r = await c.send('/admin/users/reset', { id: me });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能重置自己的密码/);
  const own = sql(`SELECT ur.id FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${me} AND r.code='admin'`);
  r = await c.send('/admin/users/revoke', { id: me, grant: own });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /不能撤销自己的系统管理员角色/);
  assert.equal(sql(`SELECT active FROM app_user WHERE id=${me}`), '1');
  assert.equal(count(`user_role WHERE user_id=${me}`), 1);
  // issue 12: each self-rule refusal is one "denied" record with its reason, no change
  assert.deepEqual(auditsSince(audits).slice(2).map((a) => `${a.action} ${a.result} ${a.detail.reason}`),
    ['user.grant denied org.self_grant', 'user.grant denied org.self_grant', 'user.deactivate denied org.self_deactivate',
     'user.reset denied org.self_reset', 'user.revoke denied org.self_demote'], 'nothing audited as a change for the refusals');
});

test('accounts: a scope-all admin can be touched only by a scope-all admin, never by themselves', async () => {
  // B holds admin with scope all.  A administers the whole tree, but with
  // scope subtree on the company root: A must not be able to reset, demote
  // or deactivate B (that would hand A B's wider powers).  B cannot demote
  // or deactivate themselves.  So the last scope-all admin always stays.
  const B = mkuser(uniq('lastb'), PW, { name: '全局管理员', unit: '100090', roles: [['admin', 'all']] });
  const { c } = await admin({ prefix: 'lasta', unit: '100', roles: [['admin', 'subtree']] });
  const bGrant = sql(`SELECT ur.id FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${B} AND r.code='admin'`);
  const audits = maxAudit();
  for (const [path, fields] of [['/admin/users/revoke', { id: B, grant: bGrant }], ['/admin/users/active', { id: B, active: '0' }],
                                ['/admin/users/reset', { id: B }], ['/admin/users/edit', { id: B, version: 1, name: 'x', unit: 1 }]]) {
    const r = await c.send(path, fields);
    assert.equal(r.status, 403, path);
  }
  assert.equal((await c.get(`/admin/users/edit?id=${B}`)).status, 403);
  assert.equal(count(`user_role WHERE id=${bGrant}`), 1, 'the grant is still there');
  assert.equal(sql(`SELECT active FROM app_user WHERE id=${B}`), '1');
  // issue 12: each refusal (the four POSTs and the page) is one "denied" record, nothing else
  assert.deepEqual(auditsSince(audits).map((a) => `${a.action} ${a.result}`), Array(5).fill('access.denied denied'), 'nothing audited as a change');
  // B on B: the self rules
  const b = await login(sql(`SELECT login FROM app_user WHERE id=${B}`), PW);
  const page = await b.get(`/admin/users/edit?id=${B}`);
  let r = await b.post('/admin/users/revoke', { csrf: csrfOf(page.text_), id: B, grant: bGrant });
  assert.equal(r.status, 400);
  assert.match(r.text_, /不能撤销自己的系统管理员角色/);
  r = await b.post('/admin/users/active', { csrf: csrfOf(page.text_), id: B, active: '0' });
  assert.equal(r.status, 400);
  assert.match(r.text_, /不能停用自己的账户/);
  assert.equal(count(`user_role WHERE id=${bGrant}`), 1);
});

test('accounts: five failed logins lock an account; the admin sees 已锁定 and unlocks it', async () => {
  const { c } = await admin();
  const unit = ownUnit('锁定测试');
  const lg = uniq('lock');
  const id = mkuser(lg, PW, { name: '被锁定', unit: unit.code });
  await keepingIpCounter(async () => {
    for (let i = 0; i < 5; i++) await login(lg, 'Wrong#pass' + i);
    assert.equal((await login(lg, PW)).last.status, 429, 'locked');
  });
  const list = await c.get('/admin/users?q=' + lg);
  assert.match(list.text_, new RegExp(`<code>${lg}</code>[\\s\\S]*?已锁定`));
  const page = await c.get(`/admin/users/edit?id=${id}`);
  assert.match(page.text_, /已锁定/);
  assert.match(page.text_, /解除锁定/);
  const since = maxAudit();
  const r = await c.send('/admin/users/unlock', formFields(page.text_, '/admin/users/unlock'));
  assert.equal(r.status, 303, errorMessage(r.text_));
  const u = oneAudit(since, 'user.unlock', ['before', 'after']);
  assert.deepEqual(u.detail, { before: { locked: 1 }, after: { locked: 0 } });
  assert.doesNotMatch((await c.get(`/admin/users/edit?id=${id}`)).text_, /已锁定/);
  assert.equal((await login(lg, PW)).last.status, 303, 'the account logs in again');
});

test('accounts: a reset ends the old password and sessions and gives a new code', async () => {
  const { c } = await admin();
  const unit = ownUnit('重置测试');
  const lg = uniq('reset');
  const id = mkuser(lg, PW, { name: '忘记密码', unit: unit.code });
  const session = await login(lg, PW);
  assert.equal((await session.get('/')).status, 200);
  const since = maxAudit();
  const r = await c.send('/admin/users/reset', { id });
  assert.equal(r.status, 200, errorMessage(r.text_));
  const code = codeOf(r.text_);
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  const a = oneAudit(since, 'user.reset', ['before', 'after']);
  assert.ok(a.detail.before, 'before and after');
  assert.equal((await session.get('/')).status, 303, 'the old session is gone');
  await keepingIpCounter(async () => {
    assert.equal((await login(lg, PW)).last.status, 401, 'the old password no longer works');
  });
  const act = await activate(lg, code);
  assert.equal(act.last.status, 303);
  assert.equal((await act.get('/')).status, 200);
  assert.equal((await login(lg, NEWPW)).last.status, 303);
});

test('accounts: edit name and phone with before/after in the audit; move to another unit', async () => {
  const { c } = await admin();
  const u1 = ownUnit('原单位'), u2 = ownUnit('新单位');
  const lg = uniq('edit');
  const id = mkuser(lg, PW, { name: '改前', unit: u1.code });
  const page = await c.get(`/admin/users/edit?id=${id}`);
  const since = maxAudit();
  const r = await c.send('/admin/users/edit', { ...formFields(page.text_, '/admin/users/edit'), csrf: c.csrf, name: '改后', unit: u2.id, phone: '010-12345678' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  assert.equal(sql(`SELECT name, org_unit_id, phone FROM app_user WHERE id=${id}`), `改后\t${u2.id}\t010-12345678`);
  const a = oneAudit(since, 'user.update', ['before', 'after']);
  assert.equal(a.detail.before.name, '改前');
  assert.equal(a.detail.before.unit, u1.code);
  assert.equal(a.detail.after.name, '改后');
  assert.equal(a.detail.after.unit, u2.code);
  assert.equal(a.detail.after.phone, '010-12345678');
  // a stale version: 409
  const stale = await c.send('/admin/users/edit', { ...formFields(page.text_, '/admin/users/edit'), csrf: c.csrf, name: '过时' });
  assert.equal(stale.status, 409);
  assert.match(errorMessage(stale.text_), /刚刚已被他人修改/);
  assert.equal(sql(`SELECT name FROM app_user WHERE id=${id}`), '改后');
});

test('accounts: a role change takes effect on the user\'s next request, without logging in again', async () => {
  const { c } = await admin();
  const unit = ownUnit('即时生效');
  const lg = uniq('live');
  const id = mkuser(lg, PW, { name: '即时', unit: unit.code });
  const s = await login(lg, PW);
  assertDenied(await s.get('/admin/'), 'a clerk before the grant');
  const r = await c.send('/admin/users/grant', { id, role: 'admin', gunit: unit.id, scope: 'subtree' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  const now = await s.get('/admin/');
  assert.equal(now.status, 200, 'the same session is now an admin');
  assert.match((await s.get('/')).text_, /系统管理/);
  // and limited to their unit
  assertDenied(await s.get(`/admin/units/edit?id=${unitId('100030')}`), 'outside the new scope');
  const gid = sql(`SELECT ur.id FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${id} AND r.code='admin'`);
  assert.equal((await c.send('/admin/users/revoke', { id, grant: gid })).status, 303);
  assertDenied(await s.get('/admin/'), 'revoked: 403 at once');
});

test('accounts: deactivating an account ends its sessions; it can be activated again', async () => {
  const { c } = await admin();
  const unit = ownUnit('停用账户');
  const lg = uniq('off');
  const id = mkuser(lg, PW, { name: '将停用', unit: unit.code });
  const s = await login(lg, PW);
  const since = maxAudit();
  let r = await c.send('/admin/users/active', { id, active: '0' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  assert.equal((await s.get('/')).status, 303, 'logged out');
  const d = oneAudit(since, 'user.deactivate', ['before', 'after']);
  assert.deepEqual(d.detail, { before: { active: 1 }, after: { active: 0 } });
  assert.match((await c.get('/admin/users?q=' + lg)).text_, /已停用/);
  r = await c.send('/admin/users/active', { id, active: '1' });
  assert.equal(r.status, 303);
  assert.equal((await login(lg, PW)).last.status, 303);
});

// ------------------------------------------------------------------ e. audit

test('audit: refused actions (400, 403, 409) write nothing', async () => {
  const { c } = await admin();
  const { c: sub } = await carTeamAdmin();
  const u = ownUnit('审计拒绝');
  const page = await c.get(`/admin/units/edit?id=${u.id}`);
  const f = formFields(page.text_, '/admin/units/edit');
  assert.equal((await c.send('/admin/units/edit', { ...f, csrf: c.csrf, name: '审计拒绝一' })).status, 303);
  const before = count('audit_log');
  const snapshot = () => sql(`SELECT name, version FROM org_unit WHERE id=${u.id}`);
  const s0 = snapshot();
  const tries = [
    [c, '/admin/units/edit', { ...f, name: '过时的版本' }, 409],
    [c, '/admin/units/new', { code: u.code, name: '重复', parent: unitId('100'), kind: 'dept', sort: '0' }, 400],
    [c, '/admin/units/new', { code: 'T' + uniq(''), name: '', parent: unitId('100'), kind: 'dept', sort: '0' }, 400],
    [c, '/admin/units/edit', { id: u.id, version: unitRow(u.id).version, name: '坏类型', parent: unitId('100'), kind: 'castle', sort: '0' }, 400],
    [sub, '/admin/units/edit', { id: u.id, version: unitRow(u.id).version, name: '越权', parent: unitId('100'), kind: 'dept', sort: '0' }, 403],
    [sub, '/admin/units/active', { id: u.id, active: '0' }, 403],
  ];
  for (const [cl, url, fields, status] of tries) {
    const r = await cl.send(url, fields);
    assert.equal(r.status, status, `${url} ${JSON.stringify(fields)}`);
  }
  assert.equal(snapshot(), s0);
  // issue 12: input that fails validation (400, 409) writes nothing; a refusal
  // of authority (403) writes one "denied" record, never a change
  assert.deepEqual(sql(`SELECT CONCAT(action, ' ', result) FROM audit_log ORDER BY id DESC LIMIT ${count('audit_log') - before}`).split('\n').filter(Boolean),
    ['access.denied denied', 'access.denied denied'], 'no audit record of a change for any refusal');
});

// ------------------------------------------------------------------ f. base data

test('base data: the built-in kinds are listed', async () => {
  const { c } = await admin();
  const page = await c.get('/admin/base');
  assert.equal(page.status, 200);
  for (const [code, name] of [['vehicle', '车辆'], ['driver', '驾驶员'], ['location', '楼宇/地点'], ['meter', '计量表'], ['canteen', '食堂'], ['service', '服务类别']])
    assert.match(page.text_, new RegExp(`<a href="/admin/base/kind\\?k=${code}">${name}</a></td><td>\\d+</td>`), code);   // the name, not the internal code
  const v = await c.get('/admin/base/kind?k=vehicle');
  assert.match(v.text_, /<th>车牌号<\/th><th>车型<\/th><th>座位数<\/th><th>载重\(吨\)<\/th>/);
});

test('base data: a new kind from the documented field syntax keeps every label', async () => {
  // the syntax and the very example shown on the page (templates/admin_base.cs)
  const { c } = await admin();
  const code = uniq('boiler');
  const since = maxAudit();
  const r = await c.send('/admin/base/kinds', { code, name: '锅炉', fields: 'model:型号\npower:额定功率(kW):decimal\nyear:投用年份:integer:必填' });
  assert.equal(r.status, 303, `POST /admin/base/kinds: ${r.status} ${errorMessage(r.text_)}`);
  assert.equal(location(r), '/admin/base?ok=1');
  const fields = sql(`SELECT f.col, f.code, f.label, f.type, f.required FROM base_field f JOIN base_kind k ON k.id=f.kind_id WHERE k.code=${q(code)} ORDER BY f.col`);
  assert.equal(fields, '1\tmodel\t型号\ttext\t0\n2\tpower\t额定功率(kW)\tdecimal\t0\n3\tyear\t投用年份\tinteger\t1');
  assert.equal(oneAudit(since, 'base.kind.create').detail.after.code, code);
});

test('base data: a full-width colon works as the separator, and any Chinese label survives', async () => {
  const { c } = await admin();
  const code = uniq('kindfw');
  const r = await c.send('/admin/base/kinds', { code, name: '设备', fields: 'rated：额定电压（V）：decimal\nplace：安装地点\nnote:备注说明' });
  assert.equal(r.status, 303, `POST /admin/base/kinds: ${r.status} ${errorMessage(r.text_)}`);
  const fields = sql(`SELECT f.code, f.label, f.type FROM base_field f JOIN base_kind k ON k.id=f.kind_id WHERE k.code=${q(code)} ORDER BY f.col`);
  assert.equal(fields, 'rated\t额定电压（V）\tdecimal\nplace\t安装地点\ttext\nnote\t备注说明\ttext');
});

test('base data: a new kind, items through the form, number checks, the import select and template', async () => {
  // labels chosen to avoid the separator bug shown by the test above
  const { c } = await admin();
  const code = uniq('kind');
  let r = await c.send('/admin/base/kinds', { code, name: '锅炉', fields: 'model:型号\npower:功率(kW):decimal\nyear:投用年份:integer:必填' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  const base = await c.get('/admin/base?ok=1');
  assert.match(base.text_, new RegExp(`<a href="/admin/base/kind\\?k=${code}">锅炉</a>`));
  // the same code again
  r = await c.send('/admin/base/kinds', { code, name: '锅炉二', fields: '' });
  assert.equal(r.status, 400);
  assert.match(errorMessage(r.text_), /该编码已被使用/);

  const form = await c.get(`/admin/base/item?k=${code}`);
  assert.equal(form.status, 200);
  assert.match(form.text_, /<label for="a1">型号<\/label>/);
  assert.match(form.text_, /<label for="a2">功率\(kW\)<\/label>/);
  assert.match(form.text_, /<label for="a3">投用年份 \*<\/label>/);
  const unit = ownUnit('锅炉房');
  const item = { k: code, id: '', version: '', code: 'GL-01', name: '1号锅炉', unit: unit.id, a1: 'WNS4', a2: '2800.5', a3: '2019', active: '1' };
  const since = maxAudit();
  r = await c.send('/admin/base/item', item);
  assert.equal(r.status, 303, errorMessage(r.text_));
  assert.equal(location(r), `/admin/base/kind?k=${code}&ok=1`);
  const cr = oneAudit(since, 'base.item.create');
  assert.equal(cr.object, `base:${code}:GL-01`);
  assert.deepEqual(cr.detail.after, { code: 'GL-01', name: '1号锅炉', unit_id: unit.id, model: 'WNS4', power: '2800.5', year: '2019', active: 1 });
  const list = await c.get(`/admin/base/kind?k=${code}`);
  assert.match(list.text_, /<td><code>GL-01<\/code><\/td><td>1号锅炉<\/td><td>锅炉房<\/td><td>WNS4<\/td><td>2800.5<\/td><td>2019<\/td>/);

  // not a number, a missing required field, a duplicate code: refused, nothing saved
  const audits = maxAudit();
  for (const [bad, msg] of [[{ a2: '大约三千' }, /数字字段的格式不正确/], [{ a3: '2019年' }, /数字字段的格式不正确/],
    [{ a3: '' }, /请填写所有必填字段/], [{}, /该编码已被使用/]]) {
    r = await c.send('/admin/base/item', { ...item, name: '2号锅炉', ...bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(errorMessage(r.text_), msg);
    assert.match(r.text_, /value="2号锅炉"/, 'the form keeps what was typed');
  }
  assert.equal(count(`base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(code)}`), 1);
  assert.equal(maxAudit(), audits);

  // edit: before and after
  const iid = sql(`SELECT b.id FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(code)} AND b.code='GL-01'`);
  const edit = await c.get(`/admin/base/item?k=${code}&id=${iid}`);
  const f = formFields(edit.text_, '/admin/base/item');
  assert.equal(f.a2, '2800.5');
  const since2 = maxAudit();
  r = await c.send('/admin/base/item', { ...f, csrf: c.csrf, a2: '3000' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  const up = oneAudit(since2, 'base.item.update', ['before', 'after']);
  assert.equal(up.detail.before.power, '2800.5');
  assert.equal(up.detail.after.power, '3000');
  r = await c.send('/admin/base/item', { ...f, csrf: c.csrf, a2: '3100' });
  assert.equal(r.status, 409, 'the old version again');
  assert.match(errorMessage(r.text_), /刚刚已被他人修改/);

  // the kind is offered for import, and its template carries the labels
  const imp = await c.get('/admin/import');
  assert.match(imp.text_, new RegExp(`<option value="base:${code}">基础数据 · 锅炉</option>`));
  const tpl = await download(c, `/admin/import/template?kind=base:${code}&fmt=csv`);
  assert.equal(tpl.status, 200);
  assert.match(tpl.type, /^text\/csv/);
  assert.deepEqual([...tpl.body.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
  const header = tpl.body.subarray(3).toString('utf8').split('\r\n')[0];
  assert.equal(header, '编码,名称,所属单位编码,型号,功率(kW),投用年份,状态,原编码');
  const x = await download(c, `/admin/import/template?kind=base:${code}&fmt=xlsx`);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
});

// ------------------------------------------------------------------ g. exports

test('exports: CSV with BOM and CRLF, formula-injection guard, XLSX', async () => {
  const { c } = await admin();
  const parent = ownUnit('导出测试');
  const code = 'T' + uniq('');
  const r = await c.send('/admin/units/new', { code, name: '=HYPERLINK("x")', parent: parent.id, kind: 'team', sort: '0' });
  assert.equal(r.status, 303, errorMessage(r.text_));
  const csv = await download(c, '/admin/export?what=units&fmt=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv; charset=utf-8/);
  assert.match(csv.disp, /^attachment; filename="[\x20-\x7e]+\.csv"; /, 'a plain ASCII fallback name');
  assert.ok(csv.disp.endsWith(`filename*=UTF-8''${encodeURIComponent('组织机构.csv')}`), csv.disp);
  assert.deepEqual([...csv.body.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 BOM');
  const text = csv.body.subarray(3).toString('utf8');
  assert.ok(text.endsWith('\r\n'));
  assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line ends with CRLF');
  assert.ok(text.startsWith('单位编码,单位名称,上级单位编码,类型,排序,状态\r\n'));
  assert.ok(text.includes(`${code},"'=HYPERLINK(""x"")",${parent.code},班组,0,启用\r\n`), 'a leading apostrophe guards the formula');
  const rows = parseCsv(text);
  assert.ok(rows.some((row) => row[0] === '100020' && row[1] === '车队' && row[2] === '100'));
  assert.ok(rows.some((row) => row[0] === code && row[1] === "'=HYPERLINK(\"x\")"));
  const xlsx = await download(c, '/admin/export?what=units&fmt=xlsx');
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
  for (const what of ['users', 'readiness', 'base:vehicle']) {
    const d = await download(c, `/admin/export?what=${what}&fmt=csv`);
    assert.equal(d.status, 200, what);
    assert.deepEqual([...d.body.subarray(0, 3)], [0xEF, 0xBB, 0xBF], what);
    assert.equal((await download(c, `/admin/export?what=${what}&fmt=xlsx`)).body.subarray(0, 2).toString(), 'PK', what);
  }
  assert.equal((await c.get('/admin/export?what=secrets&fmt=csv')).status, 404);
});

test('readiness: demo units with 审核人/录入员 columns and their counts', async () => {
  const { c } = await admin();
  const page = await c.get('/admin/readiness');
  assert.equal(page.status, 200);
  assert.match(page.text_, /<th>单位<\/th><th>审核人<\/th><th>录入员<\/th><th>账户<\/th><th>已激活<\/th><th>基础数据<\/th>/);
  const units = Number(sql('SELECT COUNT(*) FROM org_unit WHERE active=1'));
  const accounts = Number(sql('SELECT COUNT(*) FROM app_user a JOIN org_unit o ON o.id=a.org_unit_id WHERE a.active=1 AND o.active=1'));
  assert.match(page.text_, new RegExp(`单位 <b>${units}</b>`));
  assert.match(page.text_, new RegExp(`已激活 <b>\\d+</b> / ${accounts} \\(`));
  const row = (code) => {
    const m = new RegExp(`<tr><td class="d\\d+">([^<]+) <code>${code}</code></td>(.*?)</tr>`).exec(page.text_);
    assert.ok(m, `a row for ${code}`);
    const cells = [...m[2].matchAll(/<td>(.*?)<\/td>/g)].map((x) => x[1].replace(/<[^>]+>/g, ''));
    return { name: m[1], head: cells[0], clerk: cells[1], accounts: Number(cells[2]), activated: cells[3], base: Number(cells[4]) };
  };
  for (const [code, name] of [['100020', '车队'], ['100030', '维修中心'], ['10002001', '客运一班'], ['10004001', '第一职工食堂']]) {
    const r = row(code);
    assert.equal(r.name, name);
    assert.equal(r.head, '是', `${name} has a head (demo)`);
    assert.equal(r.clerk, '是', `${name} has a clerk (demo)`);
    assert.equal(r.accounts, Number(sql(`SELECT COUNT(*) FROM app_user a JOIN org_unit o ON o.id=a.org_unit_id WHERE o.code=${q(code)} AND a.active=1`)));
    assert.equal(r.base, Number(sql(`SELECT COUNT(*) FROM base_item b JOIN org_unit o ON o.id=b.org_unit_id WHERE o.code=${q(code)} AND b.active=1`)));
  }
  assert.equal(row('10002001').base > 0, true, 'the demo vehicles of 客运一班');
  // a unit without people is not ready
  const empty = ownUnit('空单位');
  const again = await c.get('/admin/readiness');
  assert.match(again.text_, new RegExp(`空单位 <code>${empty.code}</code></td><td><span class="no">否</span></td><td><span class="no">否</span></td><td>0</td>`));
});
