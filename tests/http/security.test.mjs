// security.test.mjs -- regressions for the findings of the security review:
// privilege escalation by sub-admins, lockout bypass by name variants, the
// tab open redirect, CSV bombs, scope leaks in lists, reuse of retired
// codes, guessing the current password, forged log lines, double applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, login, location, sql, q, mkuser, mkunit, uniq, csrfOf, VAR, adminLogin, importCheck } from './lib.mjs';

const PW = 'An-quan#2026x';

const admin = (unit, roles) => adminLogin(mkuser, { prefix: 'sec', name: '安全测试管理员', unit, roles, password: PW });
const upload = (c, kind, text) => importCheck(c, kind, text, 'f.csv');

test('a sub-admin cannot reset, edit or deactivate an account whose roles reach beyond the sub-admin', async () => {
  const top = 'X' + uniq('');
  mkunit(top, '安全测试部门');
  const { c } = await admin(top, [['admin', 'subtree']]);
  // an account living in the sub-admin's unit but holding dispatcher over everything
  const wide = mkuser(uniq('wide'), PW, { name: '全局调度', unit: top, roles: [['dispatcher', 'all']] });
  const narrow = mkuser(uniq('narrow'), PW, { name: '本单位录入', unit: top, roles: [['clerk', 'unit']] });
  assert.equal((await c.get(`/admin/users/edit?id=${wide}`)).status, 403);
  assert.equal((await c.send('/admin/users/reset', { id: wide })).status, 403);
  assert.equal((await c.send('/admin/users/active', { id: wide, active: '0' })).status, 403);
  assert.equal(sql(`SELECT activation_hash IS NULL FROM app_user WHERE id=${wide}`), '1', 'not reset');
  assert.equal((await c.get(`/admin/users/edit?id=${narrow}`)).status, 200, 'own accounts still work');
  // and the same through an import that would rewrite the wide account's roles
  const login_ = sql(`SELECT login FROM app_user WHERE id=${wide}`);
  const r = await upload(c, 'users', `账户,姓名,单位编码,角色\n${login_},全局调度,${top},录入员\n`);
  assert.equal(r.status, 422);
  assert.match(r.text_, /您无权管理该单位的数据/);
});

test('a unit-scope admin cannot grant a wider scope than its own', async () => {
  const top = 'Y' + uniq('');
  mkunit(top, '单位范围部门');
  const { c } = await admin(top, [['admin', 'unit']]);
  const unit = sql(`SELECT id FROM org_unit WHERE code=${q(top)}`);
  const r = await c.send('/admin/users/new', { login: uniq('esc'), name: '提权', unit, role: 'admin', scope: 'subtree' });
  assert.equal(r.status, 403);
  const ok = await c.send('/admin/users/new', { login: uniq('fine'), name: '正常', unit, role: 'clerk', scope: 'unit' });
  assert.equal(ok.status, 200);
  assert.match(ok.text_, /id="activation-code"/);
});

test('an admin cannot give the auditor role to an account that is not activated, nor reset an auditor', async () => {
  const { c } = await admin('100090', [['admin', 'all']]);
  const unit = sql(`SELECT id FROM org_unit WHERE code='100090'`);
  const r = await c.send('/admin/users/new', { login: uniq('aud'), name: '新审计员', unit, role: 'auditor', scope: 'all' });
  assert.equal(r.status, 400);
  assert.match(r.text_, /审计员角色只能授予本人已激活的账户/);
  const aud = mkuser(uniq('audx'), PW, { name: '现任审计员', unit: '100090', roles: [['auditor', 'all']] });
  const reset = await c.send('/admin/users/reset', { id: aud });
  assert.equal(reset.status, 400);
  assert.match(reset.text_, /审计员账户的密码不能由系统管理员重置/);
  assert.equal(sql(`SELECT activation_hash IS NULL FROM app_user WHERE id=${aud}`), '1');
});

test('the account lock cannot be bypassed by changing the case or adding control characters', async () => {
  const name = uniq('victim');
  mkuser(name, PW);
  const ipKey = q('ip:127.0.0.1');
  const before = sql(`SELECT COALESCE(MAX(failures), 0) FROM login_lock WHERE lock_key=${ipKey}`);
  try {
    for (let i = 0; i < 5; i++) await login(name, 'Bad#guess' + i);
    assert.equal((await login(name, PW)).last.status, 429);
    assert.equal((await login(name.toUpperCase(), PW)).last.status, 429, 'upper case is the same account');
    const variant = (await login(name + '\u0001', PW)).last;
    assert.notEqual(variant.status, 303, 'a control character never reaches the account');
  } finally {
    sql(`UPDATE login_lock SET failures=${before}, locked_until=NULL WHERE lock_key=${ipKey}`);
  }
});

test('a tab, space or backslash in next= never redirects off the site', async () => {
  for (const next of ['/\t/evil.example/x', '/ /evil.example', '/\\evil.example', '/\n/evil.example']) {
    const r = await new Client().get('/lang?to=en&next=' + encodeURIComponent(next));
    assert.equal(r.status, 303);
    assert.equal(location(r), '/', JSON.stringify(next));
  }
});

// that the parser stops at the limit instead of building 2 million cells
// (bounded memory) is test_csv.c's parse_too_many_cols_stops_early
test('a CSV made of commas is refused at the column limit, keeps nothing and the worker serves on', async () => {
  const { c } = await admin('100090', [['admin', 'all']]);
  const batches = Number(sql('SELECT COUNT(*) FROM import_batch'));
  const r = await upload(c, 'units', ','.repeat(2 * 1024 * 1024));
  assert.equal(r.status, 422);
  assert.match(r.text_, /列数超过 256 列/);
  assert.equal(Number(sql('SELECT COUNT(*) FROM import_batch')), batches, 'no batch kept');
  assert.equal((await c.get('/admin/import')).status, 200, 'the worker serves on');
});

test('a unit-scope admin sees only its own unit in lists, exports and readiness', async () => {
  const top = 'Z' + uniq('');
  mkunit(top, '只看本单位'); mkunit(top + 'k', '下级班组', top);
  const child = mkuser(uniq('kid'), PW, { name: '下级员工', unit: top + 'k' });
  const own = mkuser(uniq('own'), PW, { name: '本级员工', unit: top });
  const { c } = await admin(top, [['admin', 'unit']]);
  const list = await c.get('/admin/users?q=' + encodeURIComponent(''));
  assert.match(list.text_, new RegExp(sql(`SELECT login FROM app_user WHERE id=${own}`)));
  assert.doesNotMatch(list.text_, new RegExp(sql(`SELECT login FROM app_user WHERE id=${child}`)));
  const ready = await c.get('/admin/readiness');
  const rows = /<tbody>([\s\S]*?)<\/tbody>/.exec(ready.text_)[1];
  assert.match(rows, /只看本单位/);
  assert.doesNotMatch(rows, /下级班组|后勤服务公司|餐饮中心/);
  const csv = await c.get('/admin/export?what=readiness&fmt=csv');
  assert.doesNotMatch(csv.text_, /餐饮中心/);
});

test('a code retired by a rename is never given out again', async () => {
  const { c } = await admin('100090', [['admin', 'all']]);
  const old = 'R' + uniq('');
  mkunit(old, '改码前');
  const renamed = await upload(c, 'units', `单位编码,单位名称,上级单位编码,原编码\n${old}n,改码后,100,${old}\n`);
  assert.equal(renamed.status, 200);
  const batch = /name="batch" value="(\d+)"/.exec(renamed.text_)[1];
  assert.equal((await c.send('/admin/import/apply', { batch })).status, 200);
  assert.equal((await c.send('/admin/import/apply', { batch })).status, 409, 'the same batch twice');
  const reuse = await upload(c, 'units', `单位编码,单位名称,上级单位编码\n${old},重用旧码,100\n`);
  assert.equal(reuse.status, 422);
  assert.match(reuse.text_, /不能再次使用/);
  const form = await c.send('/admin/units/new', { code: old, name: '重用旧码', parent: '1', kind: 'dept', sort: '0' });
  assert.equal(form.status, 400);
  assert.match(form.text_, /该编码已被使用/);
});

test('guessing the current password on the change form locks the account and ends the session', async () => {
  const name = uniq('guess');
  mkuser(name, PW);
  const c = await login(name, PW);
  for (let i = 0; i < 5; i++) {
    const page = await c.get('/password');
    if (page.status !== 200) break;
    await c.post('/password', { csrf: csrfOf(page.text_), old: 'Not#mine' + i, new: 'Xin#mima2026', again: 'Xin#mima2026' });
  }
  assert.equal((await c.get('/')).status, 303, 'the session ended');
  assert.equal((await login(name, PW)).last.status, 429, 'the account is locked');
  sql(`DELETE FROM login_lock WHERE lock_key=${q('u:' + name)}`);
});

test('control characters in a request cannot forge log lines', async () => {
  const mark = 'FORGED' + uniq('');
  await new Client().get(`/x%0a${mark}?a=%zz`);
  const log = fs.readFileSync(path.join(VAR, 'log/login.log'), 'utf8');
  assert.ok(log.includes(mark), 'the request was logged');
  assert.equal(log.split('\n').filter((l) => l.startsWith(mark)).length, 0, 'but not as a line of its own');
});
