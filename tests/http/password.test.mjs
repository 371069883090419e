// password.test.mjs -- first-login password change and the password policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, location, sql, mkuser, uniq, lastAudit } from './lib.mjs';

const INITIAL = 'Init#2026-abc';

// the password form, with the CSRF token of its page
const change = (c, fields) => c.submit('/password', '/password', fields);

test('an account with an initial password must change it before anything else', async () => {
  const name = uniq('new');
  mkuser(name, INITIAL, { mustChange: 1 });
  const c = await login(name, INITIAL);
  assert.equal(location(c.last), '/');
  const portal = await c.get('/');
  assert.equal(portal.status, 303);
  assert.equal(location(portal), '/password');
  const page = await c.get('/password');
  assert.match(page.text_, /首次登录或密码已被重置/);
  const ok = await change(c, { old: INITIAL, new: 'Xin-mima#2026', again: 'Xin-mima#2026' });
  assert.equal(ok.status, 303);
  assert.equal(location(ok), '/?changed=1');
  const after = await c.get('/?changed=1');
  assert.equal(after.status, 200);
  assert.match(after.text_, /密码已修改/);
  assert.equal(lastAudit('password.change').result, 'ok');
  assert.equal((await login(name, INITIAL)).last.status, 401, 'the old password is gone');
  assert.equal((await login(name, 'Xin-mima#2026')).last.status, 303);
});

test('the policy refuses weak passwords with a clear Chinese message', async () => {
  const name = uniq('policy');
  const id = mkuser(name, INITIAL);
  const c = await login(name, INITIAL);
  const cases = [
    [{ old: INITIAL, new: 'Ab1!', again: 'Ab1!' }, /太短/],
    [{ old: INITIAL, new: 'abcdefgh12', again: 'abcdefgh12' }, /至少 3 类/],
    [{ old: INITIAL, new: `${name}#X1`, again: `${name}#X1` }, /不能包含账户名/],
    [{ old: INITIAL, new: 'P@ssw0rd', again: 'P@ssw0rd' }, /过于常见/],
    [{ old: INITIAL, new: 'Good#Pass-1', again: 'Good#Pass-2' }, /不一致/],
    [{ old: 'Not#theold1', new: 'Good#Pass-1', again: 'Good#Pass-1' }, /当前密码不正确/],
    [{ old: INITIAL, new: INITIAL, again: INITIAL }, /不能与当前密码相同/],
  ];
  const before = sql(`SELECT pw_hash FROM app_user WHERE id=${id}`);
  for (const [fields, msg] of cases) {
    const res = await change(c, fields);
    assert.equal(res.status, 400, JSON.stringify(fields));
    assert.match(res.text_, msg);
  }
  assert.equal(sql(`SELECT pw_hash FROM app_user WHERE id=${id}`), before, 'nothing saved');
  assert.equal(lastAudit('password.change').result, 'fail');
});

test('changing the password ends the account\'s other sessions', async () => {
  const name = uniq('multi');
  mkuser(name, INITIAL);
  const a = await login(name, INITIAL);
  const b = await login(name, INITIAL);
  const res = await change(a, { old: INITIAL, new: 'Ling-yi#2026', again: 'Ling-yi#2026' });
  assert.equal(res.status, 303);
  assert.equal((await a.get('/')).status, 200, 'this session goes on');
  assert.equal((await b.get('/')).status, 303, 'the other one ended');
});

test('stored hashes are argon2id', async () => {
  const name = uniq('argon');
  const id = mkuser(name, INITIAL);
  const c = await login(name, INITIAL);
  await change(c, { old: INITIAL, new: 'Argon#2id-ok', again: 'Argon#2id-ok' });
  assert.match(sql(`SELECT pw_hash FROM app_user WHERE id=${id}`), /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
});
