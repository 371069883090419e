// duties.test.mjs -- 三员分立 that holds against the administrator, through
// HTTP: the two ways an administrator could make someone (themselves) an
// auditor are closed -- (1) create an account, activate it with the code the
// admin was shown, grant it 审计员 (by form or by import); (2) revoke a real
// auditor's grant, reset the account, activate it and grant 审计员 back --
// and each refusal is in the audit log.  The security officer (安全保密管
// 理员, appointed by the server operator with diaodu-ctl) grants, resets and
// revokes auditors, and only for accounts their holder activated; one
// account never holds two of the three duties.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, login, sql, q, uniq, csrfOf, ctl, demoSafeMkuser, mkunit } from './lib.mjs';

const PW = 'San-yuan#2026x';
const NEWPW = 'Ben-ren#mima2026';
const mkuser = demoSafeMkuser(after);

async function as(roles, unit = '100090') {
  const name = uniq('du');
  const id = mkuser(name, PW, { name: '三员测试', unit, roles });
  const c = await login(name, PW);
  assert.equal(c.last.status, 303, `${name} logs in`);
  c.login = name;
  c.id = id;
  c.csrf = csrfOf((await c.get('/password')).text_);
  c.send = (url, fields) => c.post(url, { csrf: c.csrf, ...fields });
  return c;
}
const errorMsg = (html) => ((/class="msg msg-error"[^>]*>([^<]*)</.exec(html)) || [])[1] || '';
const roles = (id) => sql(`SELECT COALESCE(GROUP_CONCAT(r.code ORDER BY r.code), '') FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = ${id}`);
const maxId = () => Number(sql('SELECT MAX(id) FROM audit_log'));
const denials = (since, who) => sql(`SELECT CONCAT(action, ' ', object, ' ', JSON_VALUE(detail, '$.reason')) FROM audit_log
  WHERE id > ${since} AND result = 'denied' AND login = ${q(who)} ORDER BY id`).split('\n').filter(Boolean);
const unitOf = (code) => sql(`SELECT id FROM org_unit WHERE code = ${q(code)}`);

// activate an account with its one-time code, as its holder (or whoever has the code)
async function activate(loginName, code) {
  const c = new Client();
  const page = await c.get('/activate');
  const r = await c.post('/activate', { csrf: csrfOf(page.text_), login: loginName, code, new: NEWPW, again: NEWPW });
  assert.equal(r.status, 303, errorMsg(r.text_));
  return c;
}

function upload(c, text) {
  const b = '----du' + Date.now();
  const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${c.csrf}\r\n` +
    `--${b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nusers\r\n` +
    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="u.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`);
  return c.post('/admin/import/check', body, { raw: true, headers: { 'content-type': `multipart/form-data; boundary=${b}` } });
}

test('attack 1: an admin creates an account, activates it with the code shown, and cannot make it an auditor', async () => {
  const admin = await as([['admin', 'all']]);
  const name = uniq('mole');
  const created = await admin.send('/admin/users/new', { login: name, name: '内鬼', unit: unitOf('100090'), role: 'clerk', scope: 'unit' });
  assert.equal(created.status, 200);
  const code = /id="activation-code">([A-Z0-9-]+)</.exec(created.text_)[1];
  await activate(name, code);          // the admin knows this password now
  const id = Number(sql(`SELECT id FROM app_user WHERE login = ${q(name)}`));
  const since = maxId();
  // by the form: the select does not offer it, and a forged form is refused
  const form = await admin.get(`/admin/users/edit?id=${id}`);
  assert.doesNotMatch(form.text_, /<option value="auditor">|<option value="secofficer">/);
  let r = await admin.send('/admin/users/grant', { id, role: 'auditor', gunit: unitOf('100090'), scope: 'all' });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /审计员和安全保密管理员角色不由系统管理员授予或撤销（三员分立）/);
  r = await admin.send('/admin/users/grant', { id, role: 'secofficer', gunit: unitOf('100090'), scope: 'all' });
  assert.equal(r.status, 400);
  // by an import
  r = await upload(admin, `账户,姓名,单位编码,角色,数据范围\n${name},内鬼,100090,审计员,全部\n`);
  assert.equal(r.status, 422);
  assert.match(r.text_, /审计员和安全保密管理员角色不能由系统管理员导入授予/);
  r = await upload(admin, `账户,姓名,单位编码,角色\n${name},内鬼,100090,安全保密管理员\n`);
  assert.equal(r.status, 422);
  assert.match(r.text_, /审计员和安全保密管理员角色不能由系统管理员导入授予/);
  assert.equal(roles(id), 'clerk', 'still only a clerk');
  // each refusal is recorded, with why
  assert.deepEqual(denials(since, admin.login), [
    `user.grant user:${name} org.privileged_role`,
    `user.grant user:${name} org.privileged_role`,
  ]);
  // and the auditor pages stay shut to the account
  const mole = await login(name, NEWPW);
  assert.equal((await mole.get('/audit/')).status, 403);
});

test('attack 2: an admin cannot revoke a real auditor, reset the account, activate it and grant the role back', async () => {
  const officer = await as([['secofficer', 'all']]);
  const admin = await as([['admin', 'all']]);
  // a real auditor: an account its holder activated, made auditor by the officer
  const name = uniq('realaud');
  const created = await admin.send('/admin/users/new', { login: name, name: '真审计员', unit: unitOf('100090'), role: '', scope: 'unit' });
  await activate(name, /id="activation-code">([A-Z0-9-]+)</.exec(created.text_)[1]);
  // (the admin knew that first code, so the holder changes the password: the
  // officer would not grant before; here the holder's password is NEWPW)
  const id = Number(sql(`SELECT id FROM app_user WHERE login = ${q(name)}`));
  let r = await officer.send('/audit/officer/grant', { login: name });
  assert.equal(r.status, 303, errorMsg(r.text_));
  assert.equal(roles(id), 'auditor');
  assert.equal(sql(`SELECT ever_auditor FROM app_user WHERE id = ${id}`), '1');
  const grant = sql(`SELECT ur.id FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = ${id} AND r.code = 'auditor'`);
  const since = maxId();
  // the admin revokes the auditor's grant: refused
  r = await admin.send('/admin/users/revoke', { id, grant });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /不由系统管理员授予或撤销/);
  // resets the account: refused
  r = await admin.send('/admin/users/reset', { id });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /审计员账户的密码不能由系统管理员重置/);
  // edits or deactivates it: refused
  r = await admin.send('/admin/users/active', { id, active: '0' });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /担任或曾担任审计员/);
  // even once the officer has revoked the grant, the account stays out of reach
  r = await officer.send('/audit/officer/revoke', { grant });
  assert.equal(r.status, 303);
  assert.equal(roles(id), '');
  r = await admin.send('/admin/users/reset', { id });
  assert.equal(r.status, 400, 'an account that was an auditor cannot be reset by an admin');
  r = await admin.send('/admin/users/grant', { id, role: 'auditor', gunit: unitOf('100090'), scope: 'all' });
  assert.equal(r.status, 400);
  r = await admin.send('/admin/users/grant', { id, role: 'clerk', gunit: unitOf('100090'), scope: 'unit' });
  assert.equal(r.status, 400, 'nor granted anything');
  assert.match(errorMsg(r.text_), /担任或曾担任审计员/);
  r = await upload(admin, `账户,姓名,单位编码,角色\n${name},改名,100090,录入员\n`);
  assert.equal(r.status, 422);
  assert.match(r.text_, /不能通过导入修改/);
  assert.equal(sql(`SELECT activation_hash IS NULL AND pw_hash IS NOT NULL FROM app_user WHERE id = ${id}`), '1', 'never reset');
  assert.equal(roles(id), '');
  const d = denials(since, admin.login);
  assert.deepEqual(d, [
    `user.revoke user:${name} org.privileged_role`, `user.reset user:${name} org.auditor_reset`,
    `user.deactivate user:${name} org.privileged_account`, `user.reset user:${name} org.auditor_reset`,
    `user.grant user:${name} org.privileged_role`, `user.grant user:${name} org.privileged_account`,
  ]);
  // the officer can: a new code for the holder, then the role back
  r = await officer.send('/audit/officer/reset', { id });
  assert.equal(r.status, 200);
  const code = /id="activation-code">([A-Z0-9-]+)</.exec(r.text_)[1];
  await activate(name, code);
  r = await officer.send('/audit/officer/grant', { login: name });
  assert.equal(r.status, 303);
  assert.equal(roles(id), 'auditor');
  const recs = sql(`SELECT action FROM audit_log WHERE id > ${since} AND login = ${q(officer.login)} AND result = 'ok' ORDER BY id`);
  assert.equal(recs, 'auditor.revoke\nauditor.reset\nauditor.grant');
});

test('the security officer: only activated accounts, never an admin, never itself; officers come from the operator', async () => {
  const officer = await as([['secofficer', 'all']]);
  const admin = await as([['admin', 'subtree']]);
  // an account not yet activated by its holder
  const pending = uniq('pend');
  sql(`INSERT INTO app_user (login, name, org_unit_id, created_at, updated_at) SELECT ${q(pending)}, '待激活', id, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit WHERE code = '100090'`);
  let r = await officer.send('/audit/officer/grant', { login: pending });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /审计员角色只能授予本人已激活的账户/);
  r = await officer.send('/audit/officer/grant', { login: admin.login });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /一个账户只能担任系统管理员、安全保密管理员、审计员三者之一/);
  r = await officer.send('/audit/officer/grant', { login: officer.login });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /不能给自己授予/);
  r = await officer.send('/audit/officer/grant', { login: 'no-such-' + uniq('') });
  assert.equal(r.status, 400);
  // an auditor cannot then be made admin by an admin
  const aud = await as([['clerk', 'unit']]);
  r = await officer.send('/audit/officer/grant', { login: aud.login });
  assert.equal(r.status, 303);
  const top = await as([['admin', 'all']]);
  r = await top.send('/admin/users/grant', { id: aud.id, role: 'admin', gunit: unitOf('100090'), scope: 'unit' });
  assert.equal(r.status, 400);
  assert.match(errorMsg(r.text_), /不能由同一账户兼任/);
  // the officer page is the officer's: not the admin's, not the auditor's
  for (const c of [top, aud]) {
    assert.equal((await c.get('/audit/officer')).status, 403);
    assert.equal((await c.send('/audit/officer/grant', { login: admin.login })).status, 403);
  }
  // officers are appointed by the server operator alone
  const cand = uniq('sec');
  mkuser(cand, PW, { name: '保密员', unit: '100090', roles: [] });
  assert.match(ctl('grant-officer', cand), /grant-officer: .* secofficer/);
  assert.equal(sql(`SELECT CONCAT(ever_officer, ' ', (SELECT GROUP_CONCAT(r.code) FROM user_role ur JOIN role r ON r.id = ur.role_id WHERE ur.user_id = u.id)) FROM app_user u WHERE login = ${q(cand)}`), '1 secofficer');
  assert.equal(sql(`SELECT CONCAT(login, ' ', role) FROM audit_log WHERE action = 'officer.grant' ORDER BY id DESC LIMIT 1`), 'system operator');
  const asOfficer = await login(cand, PW);
  const portal = await asOfficer.get('/');
  assert.match(portal.text_, /<a class="menu-title" href="\/audit\/officer">三员管理<\/a>/);
  assert.doesNotMatch(portal.text_, /href="\/admin\/"|href="\/audit\/"/);
  assert.equal((await asOfficer.get('/audit/')).status, 403, 'the officer does not read the log');
  const page = await asOfficer.get('/audit/officer');
  assert.equal(page.status, 200);
  assert.match(page.text_, new RegExp(`<code>${aud.login}</code>`));
  assert.match(ctl('revoke-officer', cand), /revoke-officer/);
  // an officer cannot appoint another officer
  r = await officer.post('/audit/officer/grant', { csrf: officer.csrf, login: cand, role: 'secofficer' });
  assert.equal(roles(Number(sql(`SELECT id FROM app_user WHERE login = ${q(cand)}`))), 'auditor', 'the form grants the auditor role only');
});
