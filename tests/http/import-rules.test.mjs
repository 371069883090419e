// import-rules.test.mjs -- the rules a go-live import must keep: the auditor
// role imported as a pending grant that takes effect when its holder
// activates with a code only the server operator issued (三员分立: no admin
// ever holds a working auditor); renames that cannot take a retired code or
// a renamed login; codes that differ only in letter case refused in the
// dry run with the row number (and matched to the existing record, never a
// 409 at apply); readiness with "not required" units and what is missing in
// words; siblings in order of their sort number, then code, everywhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, csrfOf, location, login, sql, q, demoSafeMkuser, mkunit, mkuser as mkuserRaw, uniq, ctl } from './lib.mjs';
import { adminClient, check, map, apply, hasError, download, unesc } from './implib.mjs';

const PW = 'Gui-ze#2026x';
const mkuser = demoSafeMkuser(after);
const admins = [];
after(() => { if (admins.length) sql(`DELETE FROM import_mapping WHERE updated_by IN (${admins.join(',')})`); });
const admin = async () => { const c = await adminClient(mkuser, uniq('gr'), PW); admins.push(c.id); return c; };
const errorMsg = (html) => unesc((/<p class="msg msg-error"[^>]*>([^<]*)<\/p>/.exec(html) || [])[1] || '');

test('the auditor role imported for an account not yet activated waits for its holder; no admin ever holds a working auditor', async () => {
  after(() => sql("DELETE FROM import_role_word WHERE word='审计员'"));
  const c = await admin();
  const P = 'A' + uniq('');
  mkunit(P, '审计导入部');
  const L = uniq('ga');
  const file = `账户,姓名,单位编码,角色\n${L}a,审计甲,${P},审计员\n${L}b,录入乙,${P},录入员\n`;
  // by default refused, as before; the page offers the pending grant
  const first = await check(c, 'users', file);
  assert.equal(first.status, 422);
  assert.ok(hasError(first, { row: 2, column: '角色', msg: /审计员角色只能授予本人已激活的账户/ }));
  assert.deepEqual(first.words.map((w) => w.word), ['审计员']);
  assert.match(first.text_, /<option value="auditor\+pending">审计员（本人激活后生效）<\/option>/);
  const mapped = await map(c, first, {}, { 审计员: 'auditor+pending' });
  assert.equal(mapped.status, 200, JSON.stringify(mapped.errors));
  const pv = mapped.preview.find((p) => p.record.endsWith(L + 'a'));
  assert.ok(pv.changes.includes('角色：审计员（全部，本人激活后生效）'), JSON.stringify(pv.changes));
  const done = await apply(c, mapped.batch);
  assert.equal(done.status, 200, done.fileMsg);
  assert.match(done.pending, new RegExp(`审计甲 ${L}a：diaodu-ctl activation-code ${L}a`));
  const id = Number(sql(`SELECT id FROM app_user WHERE login=${q(L + 'a')}`));
  assert.equal(sql(`SELECT COUNT(*) FROM pending_grant p JOIN role r ON r.id=p.role_id WHERE p.user_id=${id} AND r.code='auditor' AND p.scope='all'`), '1');
  assert.equal(sql(`SELECT COUNT(*) FROM user_role WHERE user_id=${id}`), '0', 'no working role yet');
  assert.equal(sql(`SELECT IFNULL(activation_hash, 'NULL') FROM app_user WHERE id=${id}`), 'NULL', 'no code an admin could have seen');
  assert.equal(sql(`SELECT COUNT(*) FROM activation_sheet WHERE user_id=${id}`), '0', 'not on the admin\'s sheet');
  const sheet = (await download(c, `/admin/import/codes?batch=${mapped.batch}&fmt=csv`)).body.toString('utf8');
  assert.ok(sheet.includes(L + 'b,') && !sheet.includes(L + 'a,'), 'only the clerk is on the code sheet');
  // the account's page says so
  const edit = await c.get(`/admin/users/edit?id=${id}`);
  assert.match(edit.text_, /<tr class="pending"><td>审计员<\/td><td>审计导入部<\/td><td>全部<\/td><td>待本人激活后生效<\/td><\/tr>/);
  assert.match(edit.text_, /id="pending-note"/);
  // no admin can get a code for it, nor make it an administrator
  const reset = await c.send('/admin/users/reset', { id });
  assert.equal(reset.status, 400);
  assert.match(errorMsg(reset.text_), /审计员账户的密码不能由系统管理员重置/);
  const grant = await c.send('/admin/users/grant', { id, role: 'admin', gunit: sql(`SELECT id FROM org_unit WHERE code=${q(P)}`), scope: 'unit' });
  assert.equal(grant.status, 400);
  assert.match(errorMsg(grant.text_), /系统管理员与审计员不能由同一账户兼任/);
  // issue 12: an administrator makes no one an auditor alone -- the grant an
  // admin's import proposed waits for the security officer's confirmation too
  const officerName = uniq('so');
  mkuser(officerName, PW, { name: '保密员', unit: '100090', roles: [['secofficer', 'all']] });
  const officer = await login(officerName, PW);
  const op = await officer.get('/audit/officer');
  const pendingId = sql(`SELECT id FROM pending_grant WHERE user_id=${id}`);
  assert.match(op.text_, new RegExp(`<code>${L}a</code>[\\s\\S]*?待确认`), 'the officer sees the proposed grant');
  const conf = await officer.post('/audit/officer/pending', { csrf: csrfOf(op.text_), pending: pendingId, accept: '1' });
  assert.equal(conf.status, 303);
  assert.equal(sql(`SELECT CONCAT(action, ' ', login) FROM audit_log WHERE action='auditor.confirm' ORDER BY id DESC LIMIT 1`), `auditor.confirm ${officerName}`);
  // the server operator issues a code on the server; the holder activates; the grant takes effect
  const code = ctl('activation-code', L + 'a');
  assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  assert.equal(sql(`SELECT login FROM audit_log WHERE action='account.code' AND object=${q('user:' + L + 'a')}`), 'system');
  const holder = new Client();
  const form = await holder.get('/activate');
  const act = await holder.post('/activate', { csrf: csrfOf(form.text_), login: L + 'a', code, new: 'Shen-ji#2026x', again: 'Shen-ji#2026x' });
  assert.equal(act.status, 303, errorMsg(act.text_));
  assert.equal(location(act), '/?activated=1');
  assert.equal(sql(`SELECT CONCAT(r.code, ':', ur.scope) FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${id}`), 'auditor:all');
  assert.equal(sql(`SELECT COUNT(*) FROM pending_grant WHERE user_id=${id}`), '0');
  assert.match(sql(`SELECT detail FROM audit_log WHERE action='account.activate' AND user_id=${id} ORDER BY id DESC LIMIT 1`), /"pending_granted":1/);
  // an account an admin created (and so holds a code for) loses that code when it gets the pending grant
  const codes = await download(c, `/admin/import/codes?batch=${mapped.batch}&fmt=csv`);
  const clerkCode = codes.body.toString('utf8').split('\r\n').find((l) => l.startsWith(L + 'b,')).split(',')[4];
  const again = await check(c, 'users', `账户,姓名,单位编码,角色\n${L}b,录入乙,${P},审计员\n`);
  assert.equal(again.status, 200, JSON.stringify(again.errors));
  assert.equal((await apply(c, again.batch)).status, 200);
  const tryOld = new Client();
  const f2 = await tryOld.get('/activate');
  const used = await tryOld.post('/activate', { csrf: csrfOf(f2.text_), login: L + 'b', code: clerkCode, new: 'Lu-ru#2026xx', again: 'Lu-ru#2026xx' });
  assert.equal(used.status, 400, 'the code the admin had no longer works');
  assert.match(errorMsg(used.text_), /激活码不正确/);
  sql(`DELETE FROM login_lock WHERE lock_key IN (${q('u:' + (L + 'b').toLowerCase())}, ${q('ip:127.0.0.1')})`);
  sql(`UPDATE app_user SET active=0 WHERE login LIKE ${q(L + '%')}`);
});

test('a rename cannot take a retired code or a renamed login; refused in the dry run with the row number', async () => {
  const c = await admin();
  const P = 'T' + uniq('');
  mkunit(P + 'a', '改名甲'); mkunit(P + 'b', '改名乙');
  const r1 = await check(c, 'units', `单位编码,单位名称,上级单位编码,原编码\n${P}x,改名甲,100,${P}a\n`);
  assert.equal((await apply(c, r1.batch)).status, 200);
  // 乙 renamed to the code 甲 gave up
  const r2 = await check(c, 'units', `单位编码,单位名称,上级单位编码,原编码\n${P}c,别的,100,\n${P}a,改名乙,100,${P}b\n`);
  assert.equal(r2.status, 422);
  assert.ok(hasError(r2, { row: 3, column: '单位编码', value: P + 'a', msg: /曾被改为新编码.*不能再次使用/ }), JSON.stringify(r2.errors));
  // logins alike: a renamed login never names another person
  const L = uniq('gt');
  mkuserRaw(L + 'a', PW, { name: '改名前', unit: P + 'b' });
  mkuserRaw(L + 'b', PW, { name: '另一人', unit: P + 'b' });
  const u1 = await check(c, 'users', `账户,姓名,单位编码,原账户\n${L}x,改名前,${P}b,${L}a\n`);
  assert.equal((await apply(c, u1.batch)).status, 200);
  const u2 = await check(c, 'users', `账户,姓名,单位编码,原账户\n${L}a,另一人,${P}b,${L}b\n`);
  assert.ok(hasError(u2, { row: 2, column: '账户', value: L + 'a', msg: /曾被改名.*不能再次使用/ }), JSON.stringify(u2.errors));
  assert.ok(hasError(await check(c, 'users', `账户,姓名,单位编码\n${L.toUpperCase()}A,新人,${P}b\n`),
    { row: 2, column: '账户', msg: /曾被改名/ }), 'letter case does not make it another login');
  sql(`UPDATE app_user SET active=0 WHERE login LIKE ${q(L + '%')}`);
});

test('codes that differ only in letter case: one code -- refused twice in a file, matched to the existing record', async () => {
  const c = await admin();
  const P = 'c' + uniq('');
  const dup = await check(c, 'units', `单位编码,单位名称,上级单位编码\n${P}x,小写,100\n${P}y,别的,100\n${P.toUpperCase()}X,大写,100\n`);
  assert.equal(dup.status, 422);
  assert.ok(hasError(dup, { row: 4, column: '单位编码', value: `${P.toUpperCase()}X（第 2 行：${P}x）`, msg: /只有大小写不同/ }), JSON.stringify(dup.errors));
  const L = uniq('gc');
  const ud = await check(c, 'users', `账户,姓名,单位编码\n${L}a,甲,100090\n${L.toUpperCase()}A,乙,100090\n`);
  assert.ok(hasError(ud, { row: 3, column: '账户', msg: /只有大小写不同/ }));
  const bd = await check(c, 'base:vehicle', `编码,名称,车牌号\n${P}v,车一,沪A·1\n${P.toUpperCase()}V,车二,沪A·2\n`);
  assert.ok(hasError(bd, { row: 3, column: '编码', msg: /只有大小写不同/ }));
  // an existing unit written in other letters is that unit: updated, never a duplicate (no 409)
  const first = await check(c, 'units', `单位编码,单位名称,上级单位编码\n${P}x,小写,100\n`);
  assert.equal((await apply(c, first.batch)).status, 200);
  const id = sql(`SELECT id FROM org_unit WHERE code=${q(P + 'x')}`);
  const upper = await check(c, 'units', `单位编码,单位名称,上级单位编码\n${P.toUpperCase()}X,小写改,100\n`);
  assert.deepEqual(upper.summary, { rows: 1, new: 0, updated: 1, same: 0, errors: 0, errorRows: 0 });
  const done = await apply(c, upper.batch);
  assert.equal(done.status, 200, done.fileMsg);
  assert.equal(sql(`SELECT name FROM org_unit WHERE id=${id}`), '小写改');
  assert.equal(sql(`SELECT COUNT(*) FROM code_map WHERE entity='unit' AND old_code=${q(P + 'x')}`), '0', 'the same code: nothing retired');
});

test('readiness: units that submit no forms say why; a unit is ready when its head and clerk have activated', async () => {
  const c = await admin();
  const P = 'Y' + uniq('');
  const units = await check(c, 'units', `单位编码,单位名称,上级单位编码\n${P},准备部,100\n${P}a,准备一班,${P}\n${P}d,调度室,${P}\n`);
  assert.equal((await apply(c, units.batch)).status, 200);
  const L = uniq('gy');
  const users = await check(c, 'users', `账户,姓名,单位编码,角色\n${L}h,部长,${P},审核人\n${L}c,班员,${P}a,录入员\n${L}d,调度,${P}d,调度员\n`);
  assert.equal((await apply(c, users.batch)).status, 200);
  const row = async (code) => {
    const pg = await c.get('/admin/readiness');
    const m = new RegExp(`<tr><td class="d\\d+">([^<]+) <code>${code}</code></td>(.*?)</tr>`).exec(pg.text_);
    assert.ok(m, `a row for ${code}`);
    const cells = [...m[2].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((x) => unesc(x[1].replace(/<[^>]+>/g, '')));
    return { head: cells[0], clerk: cells[1], state: cells[6], action: cells[7], page: pg.text_ };
  };
  let r = await row(P);
  assert.equal(r.state, '不需填报：由下级单位填报', 'the department: its team does the entry');
  r = await row(P + 'd');
  assert.equal(r.state, '不需填报：只有调度、领导、管理或审计人员');
  r = await row(P + 'a');
  assert.equal(r.head, '是', 'the department\'s head reaches down (本单位及下级 by default)');
  assert.equal(r.state, '未就绪：审核人尚未激活；录入员尚未激活');
  sql(`UPDATE app_user SET last_login_at=UTC_TIMESTAMP() WHERE login=${q(L + 'c')}`);
  assert.equal((await row(P + 'a')).state, '未就绪：审核人尚未激活');
  sql(`UPDATE app_user SET last_login_at=UTC_TIMESTAMP() WHERE login=${q(L + 'h')}`);
  assert.equal((await row(P + 'a')).state, '就绪');
  // the admin says otherwise for one unit, and back
  const id = sql(`SELECT id FROM org_unit WHERE code=${q(P)}`);
  assert.equal((await c.send('/admin/readiness/forms', { id, forms: '1' })).status, 303);
  r = await row(P);
  assert.equal(r.state, '未就绪：没有录入员');
  assert.equal(r.action, '恢复自动判断');
  assert.match(sql(`SELECT detail FROM audit_log WHERE action='unit.forms' AND object=${q('unit:' + P)} ORDER BY id DESC LIMIT 1`), /"forms":"yes"/);
  assert.equal((await c.send('/admin/readiness/forms', { id, forms: 'auto' })).status, 303);
  assert.equal((await row(P)).state, '不需填报：由下级单位填报');
  assert.equal((await c.send('/admin/readiness/forms', { id, forms: 'maybe' })).status, 400);
  // the export says the same
  const csv = (await download(c, '/admin/export?what=readiness&fmt=csv')).body.toString('utf8');
  assert.ok(csv.split('\r\n')[0].endsWith(',状态'));
  assert.ok(csv.includes(`${P}d,调度室,1,0,1,0,0,不需填报：只有调度、领导、管理或审计人员`), csv.split('\r\n').find((l) => l.startsWith(P + 'd')));
  sql(`UPDATE app_user SET active=0 WHERE login LIKE ${q(L + '%')}`);
});

test('siblings in order of their sort number, then code: the units list, selects, export, readiness and code slips', async () => {
  const c = await admin();
  const P = 'S' + uniq('');
  // written in another order than they sort: 3, 1 (B before A by code? no: A), 1, 2
  const file = `单位编码,单位名称,上级单位编码,排序\n${P},排序部,100,0\n${P}D,丁班,${P},3\n${P}B,乙班,${P},1\n${P}A,甲班,${P},1\n${P}C,丙班,${P},2\n`;
  const u = await check(c, 'units', file);
  assert.deepEqual(u.preview.map((p) => p.record.split(' ')[0]), ['排序部', '甲班', '乙班', '丙班', '丁班'], 'the preview in tree order');
  assert.deepEqual(u.preview.map((p) => p.depth), [1, 2, 2, 2, 2]);
  assert.equal((await apply(c, u.batch)).status, 200);
  const want = [P + 'A', P + 'B', P + 'C', P + 'D'];
  const order = (html) => [...html.matchAll(new RegExp(`(${P}[A-D])\\b`, 'g'))].map((m) => m[1]).filter((x, i, a) => a.indexOf(x) === i);
  assert.deepEqual(order((await c.get('/admin/units')).text_), want, 'the units list');
  assert.deepEqual(order((await c.get('/admin/users/new')).text_), want, 'the unit select');
  assert.deepEqual(order((await c.get('/admin/readiness')).text_), want, 'readiness');
  assert.deepEqual(order((await download(c, '/admin/export?what=units&fmt=csv')).body.toString('utf8')), want, 'the export');
  const L = uniq('gs');
  const accts = await check(c, 'users', `账户,姓名,单位编码\n${L}1,丁,${P}D\n${L}2,丙,${P}C\n${L}3,甲,${P}A\n${L}4,乙,${P}B\n`);
  assert.equal((await apply(c, accts.batch)).status, 200);
  const slips = (await download(c, `/admin/import/codes?batch=${accts.batch}&fmt=csv`)).body.toString('utf8');
  assert.deepEqual(slips.split('\r\n').slice(1, 5).map((l) => l.split(',')[2]), want, 'the activation slips');
  sql(`UPDATE app_user SET active=0 WHERE login LIKE ${q(L + '%')}`);
  void login;
});
