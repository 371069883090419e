// import.test.mjs -- 批量导入 through nginx and the admin workers: multipart
// uploads of the customers' own spreadsheets (CSV in UTF-8 with or without
// BOM, GBK; XLSX), the dry run (预检) that writes nothing, the confirmation
// that writes everything in one transaction with one audit record, the
// Chinese error table with the spreadsheet's row numbers, activation-code
// sheets for imported accounts, and the organisation scope of a sub-admin.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  login, location, sql, q, demoSafeMkuser, mkunit, uniq, VAR, adminLogin, activate, errorMessage,
  multipart, importDryRun, importSummary, download, fixtureText, unitId, count, maxAudit, auditsSince,
} from './lib.mjs';

const PW = 'Dao-ru#2026x';
const NEWPW = 'Ji-huo#2026x';

// ------------------------------------------------------------------ helpers

// accounts this file adds to the demo company's own units are switched off
// when the file is done (the admins live in 信息中心 100090)
const mkuser = demoSafeMkuser(after);

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const fixture = (name, vars) => Buffer.from(fixtureText(name, vars), 'utf8');   // keeps the BOM
const gbk = (buf) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: buf });
const hasPdftotext = (() => { try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; } })();

// everything an import could touch: a refused file must leave all of it alone
const fingerprint = () => sql(`SELECT (SELECT COUNT(*) FROM org_unit), (SELECT COALESCE(SUM(version),0) FROM org_unit),
  (SELECT COUNT(*) FROM app_user), (SELECT COALESCE(SUM(version),0) FROM app_user), (SELECT COUNT(*) FROM user_role),
  (SELECT COUNT(*) FROM base_item), (SELECT COUNT(*) FROM code_map), (SELECT COUNT(*) FROM activation_sheet),
  (SELECT COUNT(*) FROM import_batch), (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import.%')`);

const admin = (opts = {}) => adminLogin(mkuser, { prefix: 'imp', name: '导入管理员', password: PW, page: '/admin/import', ...opts });

const check = importDryRun;
const apply = (c, batch) => c.post('/admin/import/apply', { csrf: c.csrf, batch });

// a refused file: 422, the error shown, no confirm button, nothing written
async function refused(c, kind, data, expect, name) {
  const before = fingerprint();
  const res = await check(c, kind, data, name);
  assert.equal(res.status, 422, `422 for ${JSON.stringify(expect)}`);
  assert.doesNotMatch(res.text_, /id="confirm"/, 'no 确认导入 button');
  assert.equal(res.batch, undefined, 'no batch to confirm');
  if (expect.file) {
    assert.match(errorMessage(res.text_), expect.file);
  } else {
    assert.match(res.text_, /文件中有错误，未导入任何数据/);
    for (const e of expect.errors) {
      const hit = res.errors.find((r) => r.row === e.row && r.column === e.column && (e.value === undefined || r.value === e.value) && e.msg.test(r.msg));
      assert.ok(hit, `error row ${JSON.stringify({ ...e, msg: String(e.msg) })} in ${JSON.stringify(res.errors)}`);
    }
    assert.equal(res.summary.errors, expect.count ?? expect.errors.length, 'the number of errors');
  }
  assert.equal(fingerprint(), before, 'nothing written');
  return res;
}

const unitOf = (code) => {
  const r = sql(`SELECT u.id, u.name, u.kind, u.sort, u.path, COALESCE(p.code, '') FROM org_unit u LEFT JOIN org_unit p ON p.id=u.parent_id WHERE u.code=${q(code)}`);
  if (!r) return null;
  const [id, name, kind, sort, p, parent] = r.split('\t');
  return { id: +id, name, kind, sort: +sort, path: p, parent };
};

// ------------------------------------------------------------------ units

test('units: a real-world CSV (BOM, title row, English headers, blank rows) -- dry run, apply, re-import, update, rename', async () => {
  const { c } = await admin();
  const P = 'I' + uniq('');
  const file = fixture('units-good.csv', { P });
  const units = count('org_unit');
  const importsBefore = count("audit_log WHERE action='import.units'");

  // 预检: counts right, nothing written
  const dry = await check(c, 'units', file, '组织机构.csv');
  assert.equal(dry.status, 200, errorMessage(dry.text_) + JSON.stringify(dry.errors));
  assert.match(dry.text_, /<h1>组织机构 · 预检结果<\/h1>/);
  assert.match(dry.text_, /组织机构\.csv \(UTF-8\)/);
  assert.match(dry.text_, new RegExp(`<code class="small">${sha256(file)}</code>`));
  assert.deepEqual(dry.summary, { rows: 3, new: 3, updated: 0, same: 0, errors: 0 });
  assert.match(dry.text_, /预检通过，未发现错误/);
  assert.ok(dry.batch, 'a hidden batch id to confirm');
  assert.equal(count('org_unit'), units, 'the dry run writes no unit');
  assert.equal(unitOf(P + '0'), null);
  assert.equal(count("audit_log WHERE action='import.units'"), importsBefore, 'nor an audit record');
  assert.equal(sql(`SELECT status, n_rows, n_new FROM import_batch WHERE id=${dry.batch}`), 'checked\t3\t3');

  // another admin cannot confirm this batch
  const other = await admin();
  const stolen = await apply(other.c, dry.batch);
  assert.equal(stolen.status, 404);
  assert.equal(count('org_unit'), units);

  // 确认导入
  const since = maxAudit();
  const done = await apply(c, dry.batch);
  assert.equal(done.status, 200, errorMessage(done.text_));
  assert.match(done.text_, /<h1>组织机构 · 导入结果<\/h1>/);
  assert.match(done.text_, /导入完成，所有数据已在同一事务中保存/);
  assert.deepEqual(importSummary(done.text_), { rows: 3, new: 3, updated: 0, same: 0, errors: 0 });
  assert.equal(count('org_unit'), units + 3);
  const d = unitOf(P + '0'), t1 = unitOf(P + '1'), t2 = unitOf(P + '2');
  assert.deepEqual([d.name, d.kind, d.sort, d.parent], ['导入测试部', 'dept', 5, '100']);
  assert.deepEqual([t1.name, t1.kind, t1.sort, t1.parent], ['导入测试一班', 'team', 1, P + '0']);
  assert.deepEqual([t2.name, t2.kind, t2.parent], ['导入测试二班', 'team', P + '0']);
  assert.equal(d.path, `/${unitId('100')}/${d.id}/`);
  assert.equal(t1.path, `${d.path}${t1.id}/`);
  assert.equal(sql(`SELECT status FROM import_batch WHERE id=${dry.batch}`), 'applied');
  const audit = auditsSince(since, 'import.units');
  assert.equal(audit.length, 1, 'one audit record for the import');
  assert.equal(audit[0].object, `batch:${dry.batch}`);
  assert.equal(audit[0].detail.sha256, sha256(file), 'the file\'s SHA-256');
  assert.equal(audit[0].detail.encoding, 'UTF-8');
  assert.equal(audit[0].detail.new, 3);
  assert.equal(auditsSince(since, 'unit.create').length, 0, 'one record for the batch, not one per row');
  // the same batch twice
  const twice = await apply(c, dry.batch);
  assert.equal(twice.status, 409);
  assert.equal(count('org_unit'), units + 3);

  // the same file again: nothing new, all unchanged
  const again = await check(c, 'units', file);
  assert.equal(again.status, 200);
  assert.deepEqual(again.summary, { rows: 3, new: 0, updated: 0, same: 3, errors: 0 });
  const again2 = await apply(c, again.batch);
  assert.equal(again2.status, 200);
  assert.equal(count('org_unit'), units + 3);

  // a changed name: 更新
  const renamed = Buffer.from(file.toString('utf8').replace('导入测试一班', '导入测试一班（新）'));
  const upd = await check(c, 'units', renamed);
  assert.deepEqual(upd.summary, { rows: 3, new: 0, updated: 1, same: 2, errors: 0 });
  assert.equal(unitOf(P + '1').name, '导入测试一班', 'not before the confirmation');
  assert.equal((await apply(c, upd.batch)).status, 200);
  assert.equal(unitOf(P + '1').name, '导入测试一班（新）');
  assert.equal(unitOf(P + '1').id, t1.id, 'the same unit, updated');

  // 原编码: a new code for an existing unit, recorded in code_map
  const recode = Buffer.from(`单位编码,单位名称,上级单位编码,原编码\n${P}2x,导入测试二班,${P}0,${P}2\n`);
  const rc = await check(c, 'units', recode);
  assert.equal(rc.status, 200, JSON.stringify(rc.errors));
  assert.deepEqual(rc.summary, { rows: 1, new: 0, updated: 1, same: 0, errors: 0 });
  assert.equal((await apply(c, rc.batch)).status, 200);
  assert.equal(unitOf(P + '2'), null);
  assert.equal(unitOf(P + '2x').id, t2.id, 'the unit kept its id and got the new code');
  assert.equal(sql(`SELECT new_code FROM code_map WHERE entity='unit' AND old_code=${q(P + '2')}`), P + '2x');
});

test('units: the same file in GBK is recognised (GB18030) and imports the same', async () => {
  const { c } = await admin();
  const P = 'G' + uniq('');
  const utf8 = fixture('units-good.csv', { P });
  const file = gbk(utf8.subarray(3));          // Excel's "CSV (逗号分隔)": GBK, no BOM
  assert.notDeepEqual(file, utf8.subarray(3));
  const dry = await check(c, 'units', file, '组织机构-gbk.csv');
  assert.equal(dry.status, 200, errorMessage(dry.text_) + JSON.stringify(dry.errors));
  assert.match(dry.text_, /组织机构-gbk\.csv \(GB18030\)/);
  assert.deepEqual(dry.summary, { rows: 3, new: 3, updated: 0, same: 0, errors: 0 });
  const since = maxAudit();
  assert.equal((await apply(c, dry.batch)).status, 200);
  assert.equal(unitOf(P + '0').name, '导入测试部');
  assert.equal(unitOf(P + '1').name, '导入测试一班');
  assert.equal(unitOf(P + '2').parent, P + '0');
  const a = auditsSince(since, 'import.units');
  assert.equal(a.length, 1);
  assert.equal(a[0].detail.encoding, 'GB18030');
  assert.equal(a[0].detail.sha256, sha256(file), 'the SHA-256 of the bytes uploaded, not of the decoded text');
  // and the UTF-8 version of the same content now changes nothing
  const same = await check(c, 'units', utf8);
  assert.deepEqual(same.summary, { rows: 3, new: 0, updated: 0, same: 3, errors: 0 });
});

test('units: duplicate codes in the file are refused with both row numbers', async () => {
  const { c } = await admin();
  const P = 'D' + uniq('');
  const file = Buffer.from(`\uFEFF单位编码,单位名称,上级单位编码\n${P}0,重复一,100\n\n${P}1,正常,100\n${P}0,重复二,100\n`);
  await refused(c, 'units', file, { errors: [{ row: 5, column: '单位编码', value: `${P}0（第 2 行）`, msg: /编码在文件中重复出现/ }] });
  assert.equal(unitOf(P + '1'), null, 'the good rows are not imported either');
});

test('units: an unknown parent code is refused on its row', async () => {
  const { c } = await admin();
  const P = 'N' + uniq('');
  const file = Buffer.from(`标题：新单位\n单位编码,单位名称,上级单位编码\n${P}0,好单位,100\n${P}1,孤儿单位,NOPE${P}\n`);
  await refused(c, 'units', file, { errors: [{ row: 4, column: '上级单位编码', value: `NOPE${P}`, msg: /上级单位编码不存在/ }] });
});

test('units: a cycle of parents is refused', async () => {
  const { c } = await admin();
  const P = 'C' + uniq('');
  const file = Buffer.from(`单位编码,单位名称,上级单位编码\n${P}A,甲,${P}B\n${P}B,乙,${P}A\n${P}C,丙,${P}C\n`);
  await refused(c, 'units', file, {
    errors: [
      { row: 2, column: '上级单位编码', value: `${P}B`, msg: /形成了循环/ },
      { row: 3, column: '上级单位编码', value: `${P}A`, msg: /形成了循环/ },
      { row: 4, column: '上级单位编码', value: `${P}C`, msg: /形成了循环/ },
    ],
  });
  // an existing unit moved under its own child by the file
  const top = 'C' + uniq(''), child = top + 'k';
  mkunit(top, '循环上级'); mkunit(child, '循环下级', top);
  await refused(c, 'units', Buffer.from(`单位编码,单位名称,上级单位编码\n${top},循环上级,${child}\n`),
    { errors: [{ row: 2, column: '上级单位编码', value: child, msg: /形成了循环/ }] });
});

test('units: bad values are refused with the row, column and value', async () => {
  const { c } = await admin();
  const P = 'V' + uniq('');
  const file = Buffer.from(`单位编码,单位名称,上级单位编码,类型,排序\n${P}0,好的,100,部门,1\n${P} 1,空格编码,100,部门,1\n${P}2,,100,部门,1\n${P}3,类型错,100,工厂,1\n${P}4,排序错,100,班组,第一\n`);
  await refused(c, 'units', file, {
    errors: [
      { row: 3, column: '单位编码', value: `${P} 1`, msg: /编码格式不正确/ },
      { row: 4, column: '单位名称', value: '', msg: /必填/ },
      { row: 5, column: '类型', value: '工厂', msg: /类型应为 公司、部门 或 班组/ },
      { row: 6, column: '排序', value: '第一', msg: /应为整数/ },
    ],
  });
});

// A refusal of the whole file must not cost the worker: a 502 here is the
// worker dying (see var/<instance>/log/asan.*), not a refusal.
test('a file in an unknown encoding is refused: 无法识别文件编码', async () => {
  const { c } = await admin();
  await refused(c, 'units', Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x80, 0x80]), { file: /无法识别文件编码/ });
  await refused(c, 'units', Buffer.from('\uFEFF单位编码,单位名称\n1\u0000,甲\n'), { file: /无法识别文件编码/ });   // a NUL byte
  assert.equal((await c.get('/admin/import')).status, 200, 'the admin app still answers');
});

test('an empty file is refused: 文件是空的 (no bytes, no file, only blank rows)', async () => {
  const { c } = await admin();
  await refused(c, 'units', Buffer.alloc(0), { file: /文件是空的/ });
  await refused(c, 'units', Buffer.from(',,,\r\n  ,\r\n\r\n'), { file: /文件是空的/ });
  const { body, type } = multipart({ csrf: c.csrf, kind: 'units' });      // no file field at all
  const none = await c.post('/admin/import/check', body, { raw: true, headers: { 'content-type': type } });
  assert.equal(none.status, 422);
  assert.match(errorMessage(none.text_), /文件是空的/);
});

test('a file with nothing but a UTF-8 BOM is refused as empty', async () => {
  const { c } = await admin();
  await refused(c, 'units', Buffer.from([0xEF, 0xBB, 0xBF]), { file: /文件是空的/ });
});

test('a header row that does not match the template: 表头与模板不符, with the missing columns', async () => {
  const { c } = await admin();
  // (编号, 名字, 上级 and 部门 are the customers' own words for code, name, parent and unit: recognised)
  const hdr = await refused(c, 'units', Buffer.from('序号,甲,乙\n1,甲,\n'), { file: /表头与模板不符/ });
  assert.match(errorMessage(hdr.text_), /缺少的列：单位编码、单位名称/);
  const acc = await refused(c, 'users', Buffer.from('姓名,部门\n张三,车队\n'), { file: /表头与模板不符/ });
  assert.match(errorMessage(acc.text_), /缺少的列：账户$/);
  // an unknown kind is a 404, not an import
  assert.equal((await check(c, 'base:nosuchkind', Buffer.from('编码,名称\n1,a\n'))).status, 404);
});

test('an unclosed quote and a broken XLSX are refused with their messages', async () => {
  const { c } = await admin();
  await refused(c, 'units', Buffer.from('单位编码,单位名称\n"100,后勤服务公司\n'), { file: /引号没有闭合/ });
  await refused(c, 'units', Buffer.from('PK\x03\x04 this is not a workbook'), { file: /无法读取该 XLSX 文件/ }, 'x.xlsx');
});

test('a file over Limits.UploadMax (10 MB) is refused with 413 before it is read', async () => {
  const { c } = await admin();
  const logFile = path.join(VAR, 'log/admin.log');
  const logSize = fs.statSync(logFile).size;
  const before = fingerprint();
  const big = Buffer.alloc(11 * 1024 * 1024, 'a,b\r\n');
  const res = await check(c, 'units', big, 'big.csv');
  assert.equal(res.status, 413);
  assert.match(res.text_, /提交的内容过大/);
  assert.equal(fingerprint(), before);
  // the worker logged the refusal (the body was never parsed: no import ran)
  const log = fs.readFileSync(logFile).subarray(logSize).toString('utf8');
  assert.match(log, /413 POST \/admin\/import\/check: .*too_big/);
  // and the same admin goes on importing
  assert.equal((await c.get('/admin/import')).status, 200);
});

// ------------------------------------------------------------------ accounts

test('accounts: import with activation codes; the CSV and PDF sheets; an imported account activates', async () => {
  const { c } = await admin();
  const U = 'A' + uniq('');
  mkunit(U, '账户导入单位');
  const L = uniq('ia');
  const file = fixture('accounts-good.csv', { U, L });
  const dry = await check(c, 'users', file, '账户.csv');
  assert.equal(dry.status, 200, errorMessage(dry.text_) + JSON.stringify(dry.errors));
  assert.match(dry.text_, /<h1>账户 · 预检结果<\/h1>/);
  assert.deepEqual(dry.summary, { rows: 3, new: 3, updated: 0, same: 0, errors: 0 });
  assert.equal(count(`app_user WHERE login LIKE ${q(L + '%')}`), 0, 'the dry run creates nobody');

  const since = maxAudit();
  const done = await apply(c, dry.batch);
  assert.equal(done.status, 200, errorMessage(done.text_));
  assert.match(done.text_, /新账户的一次性激活码/);
  assert.match(done.text_, new RegExp(`href="/admin/import/codes\\?batch=${dry.batch}&amp;fmt=pdf">下载激活通知单 \\(PDF\\)</a>`));
  assert.match(done.text_, new RegExp(`href="/admin/import/codes\\?batch=${dry.batch}&amp;fmt=csv">下载激活码清单 \\(CSV\\)</a>`));
  assert.equal(count(`app_user WHERE login LIKE ${q(L + '%')} AND pw_hash IS NULL AND activation_hash IS NOT NULL`), 3);
  const roles = (lg) => sql(`SELECT GROUP_CONCAT(CONCAT(r.code, ':', ur.scope) ORDER BY r.code) FROM user_role ur JOIN role r ON r.id=ur.role_id JOIN app_user a ON a.id=ur.user_id WHERE a.login=${q(lg)}`);
  assert.equal(roles(L + 'a'), 'clerk:unit');
  assert.equal(roles(L + 'b'), 'clerk:unit,head:unit');
  assert.equal(roles(L + 'c'), 'clerk:unit,head:unit');
  assert.equal(sql(`SELECT phone FROM app_user WHERE login=${q(L + 'a')}`), '13800000001');
  const a = auditsSince(since, 'import.users');
  assert.equal(a.length, 1);
  assert.equal(a[0].detail.sha256, sha256(file));
  assert.equal(a[0].detail.new, 3);
  assert.equal(auditsSince(since, 'user.create').length, 0);

  // the code sheet as CSV
  const csv = await download(c, `/admin/import/codes?batch=${dry.batch}&fmt=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  assert.deepEqual([...csv.body.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
  const lines = csv.body.subarray(3).toString('utf8').trim().split('\r\n').map((l) => l.split(','));
  assert.deepEqual(lines[0], ['账户', '姓名', '单位编码', '单位名称', '激活码', '有效期至']);
  assert.equal(lines.length, 4);
  const byLogin = Object.fromEntries(lines.slice(1).map((l) => [l[0], l]));
  assert.deepEqual(Object.keys(byLogin).sort(), [L + 'a', L + 'b', L + 'c']);
  assert.equal(byLogin[L + 'a'][1], '导入甲');
  assert.equal(byLogin[L + 'a'][2], U);
  assert.equal(byLogin[L + 'a'][3], '账户导入单位');
  for (const l of lines.slice(1)) assert.match(l[4], /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  assert.match(byLogin[L + 'a'][5], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);

  // ... and as PDF slips
  const pdf = await download(c, `/admin/import/codes?batch=${dry.batch}&fmt=pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
  if (hasPdftotext) {
    const text = execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf.body, encoding: 'utf8' });
    assert.match(text, /激活码/);
    assert.match(text, /导入乙/);
    assert.ok(text.includes(byLogin[L + 'b'][4]), 'the code is on the slip');
  }
  // the sheets are the importing admin's: another admin gets nothing
  const other = await admin();
  assert.equal((await other.c.get(`/admin/import/codes?batch=${dry.batch}&fmt=csv`)).status, 404);
  // the import page lists the batch with its sheets
  const page = await c.get('/admin/import');
  assert.match(page.text_, new RegExp(`<td>${dry.batch}</td><td>账户</td><td>账户.csv</td><td>已导入</td><td>3</td>`));

  // one imported account activates with its code and logs in
  const act = await activate(L + 'b', byLogin[L + 'b'][4], NEWPW);
  const res = act.last;
  assert.equal(res.status, 303);
  assert.equal(location(res), '/?activated=1');
  const portal = await act.get('/');
  assert.match(portal.text_, /导入乙/);
  assert.match(portal.text_, /账户导入单位/);
  assert.equal((await login(L + 'b', NEWPW)).last.status, 303);
  // an activated account leaves the sheet
  const after = await download(c, `/admin/import/codes?batch=${dry.batch}&fmt=csv`);
  assert.ok(!after.body.toString('utf8').includes(L + 'b,'), 'the activated account is no longer on the sheet');

  // 已分发: the sheet is deleted
  const cleared = await c.post('/admin/import/codes/clear', { csrf: c.csrf, batch: dry.batch });
  assert.equal(cleared.status, 303);
  assert.equal(count(`activation_sheet WHERE batch_id=${dry.batch}`), 0);
  assert.equal((await c.get(`/admin/import/codes?batch=${dry.batch}&fmt=csv`)).status, 404);
});

test('accounts: an unknown role, admin+auditor in one row, bad values -- each on its row', async () => {
  const { c } = await admin();
  const U = 'R' + uniq('');
  mkunit(U, '角色测试单位');
  const L = uniq('ir');
  const file = Buffer.from(`\uFEFF账户,姓名,单位编码,角色,数据范围\n` +
    `${L}a,甲,${U},厨师长,本单位\n` +
    `${L}b,乙,${U},系统管理员、审计员,\n` +
    `${L}c,丙,${U},录入员,全世界\n` +
    `${L}d,丁,NOUNIT${L},录入员,\n` +
    `张 三,戊,${U},录入员,\n` +
    `${L}f,己,${U},,\n` +
    `${L}f,庚,${U},,\n`);
  await refused(c, 'users', file, {
    errors: [
      { row: 2, column: '角色', value: '厨师长', msg: /角色不存在（可填：录入员、审核人、调度员、领导、系统管理员、审计员）/ },
      { row: 3, column: '角色', value: '系统管理员、审计员', msg: /系统管理员与审计员不能由同一账户兼任/ },
      { row: 3, column: '角色', value: '系统管理员、审计员', msg: /审计员角色只能授予本人已激活的账户/ },
      { row: 4, column: '数据范围', value: '全世界', msg: /数据范围应为/ },
      { row: 5, column: '单位编码', value: `NOUNIT${L}`, msg: /单位编码不存在/ },
      { row: 6, column: '账户', value: '张 三', msg: /账户名应为/ },
      { row: 8, column: '账户', value: `${L}f（第 7 行）`, msg: /编码在文件中重复出现/ },
    ],
  });
  assert.equal(count(`app_user WHERE login LIKE ${q(L + '%')}`), 0);
});

test('accounts: a sub-admin cannot import into units outside their scope, nor give scope "all"', async () => {
  const top = 'S' + uniq('');
  mkunit(top, '分管部门'); mkunit(top + 'a', '分管班组', top);
  const { c } = await admin({ prefix: 'isub', unit: top, roles: [['admin', 'subtree']] });
  const L = uniq('is');
  const wxLogin = uniq('iw');
  mkuser(wxLogin, PW, { name: '维修员工', unit: '100030' });
  const file = Buffer.from(`账户,姓名,单位编码,角色,数据范围\n` +
    `${L}a,分管内,${top}a,录入员,\n` +
    `${L}b,越权,100030,录入员,\n` +
    `${L}c,全范围,${top},领导,全部\n` +
    `${wxLogin},改别人,${top},录入员,\n`);
  await refused(c, 'users', file, {
    errors: [
      { row: 3, column: '单位编码', value: '100030', msg: /您无权管理该单位的数据/ },
      { row: 4, column: '数据范围', msg: /您无权授予“全部”数据范围/ },
      { row: 5, column: '账户', value: wxLogin, msg: /您无权管理该单位的数据/ },
    ],
  });
  // units outside the scope too
  await refused(c, 'units', Buffer.from(`单位编码,单位名称,上级单位编码\n${L}u,越权单位,100030\n${L}v,顶级单位,\n`), {
    errors: [
      { row: 2, column: '单位编码', value: `${L}u`, msg: /您无权管理该单位的数据/ },
      { row: 3, column: '单位编码', value: `${L}v`, msg: /您无权管理该单位的数据/ },
    ],
  });
  // within the scope it works
  const ok = await check(c, 'users', Buffer.from(`账户,姓名,单位编码,角色\n${L}a,分管内,${top}a,录入员\n`));
  assert.equal(ok.status, 200, JSON.stringify(ok.errors));
  assert.equal((await apply(c, ok.batch)).status, 200);
  assert.equal(sql(`SELECT o.code FROM app_user a JOIN org_unit o ON o.id=a.org_unit_id WHERE a.login=${q(L + 'a')}`), top + 'a');
});

test('accounts: re-import updates an account, replaces its roles, and renames it by 原账户', async () => {
  const { c } = await admin();
  const U = 'E' + uniq(''), U2 = U + 'x';
  mkunit(U, '更新前单位'); mkunit(U2, '更新后单位');
  const L = uniq('iu');
  const first = await check(c, 'users', Buffer.from(`账户,姓名,单位编码,角色\n${L},更新前,${U},录入员\n`));
  assert.equal((await apply(c, first.batch)).status, 200);
  const id = sql(`SELECT id FROM app_user WHERE login=${q(L)}`);
  const same = await check(c, 'users', Buffer.from(`账户,姓名,单位编码\n${L},更新前,${U}\n`));
  assert.deepEqual(same.summary, { rows: 1, new: 0, updated: 0, same: 1, errors: 0 });
  const upd = await check(c, 'users', Buffer.from(`账户,姓名,单位编码,角色,电话,原账户\n${L}n,更新后,${U2},审核人,010-1,${L}\n`));
  assert.deepEqual(upd.summary, { rows: 1, new: 0, updated: 1, same: 0, errors: 0 });
  const done = await apply(c, upd.batch);
  assert.equal(done.status, 200);
  assert.doesNotMatch(done.text_, /新账户的一次性激活码/, 'no codes for updated accounts');
  assert.equal(sql(`SELECT login, name, phone FROM app_user WHERE id=${id}`), `${L}n\t更新后\t010-1`);
  assert.equal(sql(`SELECT GROUP_CONCAT(r.code) FROM user_role ur JOIN role r ON r.id=ur.role_id WHERE ur.user_id=${id}`), 'head');
  assert.equal(sql(`SELECT new_code FROM code_map WHERE entity='user' AND old_code=${q(L)}`), L + 'n');
  // an importing admin cannot change their own account by import
  const me = await admin();
  await refused(me.c, 'users', Buffer.from(`账户,姓名,单位编码,角色\n${me.name},改自己,100090,审计员\n`),
    { errors: [{ row: 2, column: '账户', value: me.name, msg: /不能通过导入修改您自己的账户/ }] });
});

test('accounts: the error table shows the scope cell as written in the file', async () => {
  const top = 'S' + uniq('');
  mkunit(top, '分管部门');
  const { c } = await admin({ prefix: 'isv', unit: top, roles: [['admin', 'subtree']] });
  const L = uniq('iv');
  await refused(c, 'users', Buffer.from(`账户,姓名,单位编码,角色,数据范围\n${L}a,全范围,${top},领导,全部\n`),
    { errors: [{ row: 2, column: '数据范围', value: '全部', msg: /您无权授予“全部”数据范围/ }] });
});

// ------------------------------------------------------------------ XLSX

test('XLSX: the units template is an XLSX workbook that the import reads (dry run only)', async () => {
  const { c } = await admin();
  const tpl = await download(c, '/admin/import/template?kind=units&fmt=xlsx');
  assert.equal(tpl.status, 200);
  assert.equal(tpl.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(tpl.body.subarray(0, 2).toString(), 'PK');
  const before = count('org_unit');
  const dry = await check(c, 'units', tpl.body, '组织机构导入模板.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(dry.status, 200, errorMessage(dry.text_) + JSON.stringify(dry.errors));
  assert.match(dry.text_, /组织机构导入模板\.xlsx \(XLSX\)/);
  // the template's example rows: 100 exists unchanged, 100010 is 调度中心 in the demo, 10001001 is new
  assert.deepEqual(dry.summary, { rows: 3, new: 1, updated: 1, same: 1, errors: 0 });
  assert.equal(count('org_unit'), before, 'a dry run only: the demo company is not touched');
  const csvTpl = await download(c, '/admin/import/template?kind=users&fmt=csv');
  assert.equal(csvTpl.body.subarray(3).toString('utf8').split('\r\n')[0], '账户,姓名,单位编码,角色,数据范围,电话,原账户');
});

test('XLSX: base data exported as XLSX and imported unchanged -- nothing new, all unchanged', async () => {
  const { c } = await admin();
  const k = uniq('xk');
  const kr = await c.post('/admin/base/kinds', { csrf: c.csrf, code: k, name: '往返测试', fields: 'model:型号\nqty:数量:integer' });
  assert.equal(kr.status, 303);
  const U = 'X' + uniq('');
  mkunit(U, '往返单位');
  const items = `编码,名称,所属单位编码,型号,数量\n001,第一件,${U},甲型,5\n002,第二件,${U},乙型,\n003,第三件,,,12\n`;
  const first = await check(c, `base:${k}`, Buffer.from(items));
  assert.equal(first.status, 200, JSON.stringify(first.errors));
  assert.deepEqual(first.summary, { rows: 3, new: 3, updated: 0, same: 0, errors: 0 });
  assert.equal((await apply(c, first.batch)).status, 200);
  const x = await download(c, `/admin/export?what=base:${k}&fmt=xlsx`);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
  const since = maxAudit();
  const rt = await check(c, `base:${k}`, x.body, '往返测试.xlsx');
  assert.equal(rt.status, 200, errorMessage(rt.text_) + JSON.stringify(rt.errors));
  assert.match(rt.text_, /\(XLSX\)/);
  assert.deepEqual(rt.summary, { rows: 3, new: 0, updated: 0, same: 3, errors: 0 });
  assert.equal((await apply(c, rt.batch)).status, 200);
  const a = auditsSince(since, `import.base:${k}`);
  assert.equal(a.length, 1);
  assert.equal(a[0].detail.sha256, sha256(x.body));
  assert.equal(a[0].detail.encoding, 'XLSX');
  assert.equal(sql(`SELECT b.a1 FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(k)} AND b.code='001'`), '甲型', 'leading zeros of codes kept');
});

test('XLSX: the units export imported unchanged -- nothing new, nothing refused', async () => {
  // the organisation tree as it stands, including a deactivated unit (units
  // with history are deactivated, never deleted, so every real tree has them)
  const { c } = await admin();
  const gone = 'Z' + uniq('');
  mkunit(gone, '已撤销的班组');
  sql(`UPDATE org_unit SET active=0 WHERE code=${q(gone)}`);
  const x = await download(c, '/admin/export?what=units&fmt=xlsx');
  assert.equal(x.status, 200);
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
  const before = fingerprint();
  const rt = await check(c, 'units', x.body, '组织机构.xlsx');
  const units = count('org_unit');
  assert.equal(rt.status, 200, `round trip of the units export: ${rt.status} ${JSON.stringify(rt.errors.slice(0, 3))}`);
  assert.equal(rt.summary.new, 0);
  assert.equal(rt.summary.errors, 0);
  assert.equal(rt.summary.rows, units);
  assert.equal(fingerprint().split('\t').slice(0, 8).join('\t'), before.split('\t').slice(0, 8).join('\t'));
});

test('units: a sub-admin re-imports their own units export unchanged', async () => {
  const top = 'S' + uniq('');
  mkunit(top, '分管部门'); mkunit(top + 'a', '分管一班', top); mkunit(top + 'b', '分管二班', top);
  const { c } = await admin({ prefix: 'isx', unit: top, roles: [['admin', 'subtree']] });
  const csv = await download(c, '/admin/export?what=units&fmt=csv');
  const text = csv.body.toString('utf8');
  assert.ok(text.includes(`${top},分管部门,100,`), 'their top unit is exported with its parent');
  const rt = await check(c, 'units', csv.body, '分管单位.csv');
  assert.equal(rt.status, 200, `re-import of their own export: ${rt.status} ${JSON.stringify(rt.errors)}`);
  assert.deepEqual(rt.summary, { rows: 3, new: 0, updated: 0, same: 3, errors: 0 });
});
