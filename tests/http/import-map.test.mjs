// import-map.test.mjs -- the customer's own spreadsheets without editing
// them: every column of the file shown with what it became, an unrecognised
// column never dropped silently, the mapping chosen on the page and
// remembered for the same header row, the customer's words for columns,
// role words mapped once, units and parents by a unique name (refused with
// the candidates when not unique), legacy numbers kept as a new field,
// numbers Excel turned into 1.38E+10 flagged and not stored, the preview of
// every new and updated record, and counts that add up.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { sql, q, demoSafeMkuser, mkunit, uniq, ctl, ROOT, VAR } from './lib.mjs';
import { adminClient, check, map, apply, fingerprint, hasError, download } from './implib.mjs';

const PW = 'Shang-xian#2026x';
const mkuser = demoSafeMkuser(after);
// mappings are remembered per header row: the ones this file's admins saved go
// again, so that the next run of this file starts where this one did
const admins = [];
after(() => { if (admins.length) sql(`DELETE FROM import_mapping WHERE updated_by IN (${admins.join(',')})`); });
const admin = async () => { const c = await adminClient(mkuser, uniq('gl'), PW); admins.push(c.id); return c; };
const unitOf = (code) => {
  const r = sql(`SELECT u.name, u.kind, u.sort, COALESCE(p.code, '') FROM org_unit u LEFT JOIN org_unit p ON p.id=u.parent_id WHERE u.code=${q(code)}`);
  if (!r) return null;
  const [name, kind, sort, parent] = r.split('\t');
  return { name, kind, sort: +sort, parent };
};
// role words are remembered for every later file: the ones this file makes up go again
const words = [];
after(() => { if (words.length) sql(`DELETE FROM import_role_word WHERE word IN (${words.map(q).join(',')})`); });

test('an unrecognised column is shown, never silently dropped; the choice is remembered for the same header row', async () => {
  const c = await admin();
  const P = 'M' + uniq('');
  const file = `部门编号,部门名称,上级部门,负责人,成立日期\n${P}0,映射测试部,后勤服务公司,张三,2001-01-01\n${P}1,映射测试班,${P}0,李四,\n`;
  const before = fingerprint();
  const first = await check(c, 'units', file);
  assert.equal(first.status, 422, 'not confirmable while a column is unplaced');
  assert.equal(first.batch, undefined, 'no batch to confirm');
  assert.doesNotMatch(first.text_, /id="confirm"/);
  assert.match(first.text_, /有的列还没有对应的字段/);
  assert.deepEqual(first.cols.map((x) => [x.letter, x.header, x.state]), [
    ['A', '部门编号', 'auto'], ['B', '部门名称', 'auto'], ['C', '上级部门', 'auto'], ['D', '负责人', 'unknown'], ['E', '成立日期', 'unknown']]);
  assert.match(first.cols[0].shown, /单位编码（自动识别）/);
  assert.match(first.cols[2].shown, /上级单位编码（自动识别）/);
  assert.match(first.cols[3].shown, /未识别/);
  assert.equal(first.cols[3].sample, '张三', 'an example value of the column');
  // the rows were still checked: counts are there
  assert.deepEqual(first.summary, { rows: 2, new: 2, updated: 0, same: 0, errors: 0, errorRows: 0 });
  assert.equal(fingerprint(), before, 'nothing written');

  // the admin chooses "ignore" for both on the page: no new upload
  const mapped = await map(c, first, { 3: '-', 4: '-' });
  assert.equal(mapped.status, 200, mapped.fileMsg + JSON.stringify(mapped.errors));
  assert.match(mapped.text_, /对照已保存/);
  assert.deepEqual(mapped.cols.map((x) => x.state), ['saved', 'saved', 'saved', 'ignored', 'ignored']);
  assert.ok(mapped.batch, 'now confirmable');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE action='import.mapping' AND detail LIKE '%负责人%'`) >= '1', true, 'the mapping is audited');
  // the same layout again: no clicks
  const again = await check(c, 'units', file.replace('映射测试班', '映射测试一班'));
  assert.equal(again.status, 200);
  assert.ok(again.batch);
  assert.deepEqual(again.cols.map((x) => x.state), ['saved', 'saved', 'saved', 'ignored', 'ignored']);
  const done = await apply(c, again.batch);
  assert.equal(done.status, 200, done.fileMsg);
  assert.deepEqual(unitOf(P + '0'), { name: '映射测试部', kind: 'dept', sort: 0, parent: '100' }, 'the parent given by its name');
  assert.equal(unitOf(P + '1').parent, P + '0');
  assert.equal(unitOf(P + '1').name, '映射测试一班');
  // another order of the same titles is another layout
  const other = await check(c, 'units', `部门名称,部门编号,上级部门,负责人\n映射测试部,${P}0,后勤服务公司,张三\n`);
  assert.equal(other.status, 422);
  assert.equal(other.cols[3].state, 'unknown');
});

test('the customers\' words for columns in any combination; a required column mapped on the page', async () => {
  const c = await admin();
  const P = 'W' + uniq('');
  // 机构代码 / 机构全称 / 隶属 (units), 工号 / 员工姓名 / 所在科室 / 职务 / 手机号码 (accounts)
  const units = await check(c, 'units', `机构代码,机构全称,隶属,层级,排序号\n${P}0,词语部,100,部门,3\n`);
  assert.equal(units.status, 200, units.fileMsg + JSON.stringify(units.errors));
  assert.deepEqual(units.cols.map((x) => x.state), ['auto', 'auto', 'auto', 'auto', 'auto']);
  assert.equal((await apply(c, units.batch)).status, 200);
  const L = uniq('gw');
  const users = await check(c, 'users', `工号,员工姓名,所在科室,职务,手机号码\n${L},词语甲,${P}0,录入员,13900000001\n`);
  assert.equal(users.status, 200, users.fileMsg + JSON.stringify(users.errors));
  assert.deepEqual(users.cols.map((x) => x.shown.replace(/（.*/, '')), ['账户', '姓名', '单位编码', '角色', '电话']);
  // no name column at all: refused with the missing column, mapped on the page
  const noName = await check(c, 'units', `编码,简写,上级\n${P}1,词语一班,${P}0\n`);
  assert.equal(noName.status, 422);
  assert.match(noName.fileMsg, /表头与模板不符.*缺少的列：单位名称/);
  assert.equal(noName.cols[1].state, 'unknown');
  const fixed = await map(c, noName, { 1: 'name' });
  assert.equal(fixed.status, 200, fixed.fileMsg);
  assert.equal(fixed.cols[1].state, 'saved');
  assert.equal((await apply(c, fixed.batch)).status, 200);
  assert.deepEqual(unitOf(P + '1'), { name: '词语一班', kind: 'dept', sort: 0, parent: P + '0' });
  // a value that is no field of the kind is refused, not stored
  const bad = await c.post('/admin/import/map', { csrf: c.csrf, upload: noName.upload, m0: 'password_hash' });
  assert.equal(bad.status, 400);
});

test('role words: the customer\'s own words mapped once, remembered, applied to every row; heads of units with sub-units get 本单位及下级', async () => {
  const c = await admin();
  const P = 'J' + uniq('');
  const dept = '角色词语部' + P.slice(-5), team = '角色词语班' + P.slice(-5);
  mkunit(P, dept); mkunit(P + 'a', team, P);
  const L = uniq('gj');
  const chief = '科长' + L.slice(-5), leader = '班长' + L.slice(-5), plain = '职员' + L.slice(-5);
  words.push(chief, leader, plain);
  const file = `账号,姓名,部门,岗位\n${L}a,甲科长,${dept},${chief}\n${L}b,乙班长,${team},${leader}\n${L}c,丙班长,${team},${leader}、录入员\n${L}d,丁职员,${team},${plain}\n`;
  const first = await check(c, 'users', file);
  assert.equal(first.status, 422);
  assert.deepEqual(first.words.map((w) => [w.word, w.rows]), [[chief, 1], [leader, 2], [plain, 1]]);
  assert.ok(hasError(first, { row: 3, column: '角色', value: leader, msg: /角色不存在.*角色的叫法/ }));
  assert.equal(first.summary.errorRows, 4);
  const mapped = await map(c, first, {}, { [chief]: 'head', [leader]: 'head', [plain]: '-' });
  assert.equal(mapped.status, 200, JSON.stringify(mapped.errors));
  assert.deepEqual(mapped.words.map((w) => w.chosen), ['head', 'head', '-']);
  assert.equal(sql(`SELECT role FROM import_role_word WHERE word=${q(chief)}`), 'head');
  // the preview shows every granted scope: the head of a unit with sub-units reaches them
  const pv = Object.fromEntries(mapped.preview.map((p) => [p.record.split(' ').pop(), p.changes]));
  assert.ok(pv[L + 'a'].includes('角色：审核人（本单位及下级）'), JSON.stringify(pv[L + 'a']));
  assert.ok(pv[L + 'b'].includes('角色：审核人（本单位）'), JSON.stringify(pv[L + 'b']));
  assert.ok(pv[L + 'c'].includes('角色：审核人（本单位）、录入员（本单位）'));
  assert.ok(pv[L + 'd'].includes('角色：（无）'));
  assert.ok(pv[L + 'a'].includes(`单位：${dept}（${P}）`), 'the unit given by its name, resolved');
  assert.equal((await apply(c, mapped.batch)).status, 200);
  const roles = (lg) => sql(`SELECT GROUP_CONCAT(CONCAT(r.code, ':', ur.scope) ORDER BY r.code) FROM user_role ur JOIN role r ON r.id=ur.role_id JOIN app_user a ON a.id=ur.user_id WHERE a.login=${q(lg)}`);
  assert.equal(roles(L + 'a'), 'head:subtree');
  assert.equal(roles(L + 'c'), 'clerk:unit,head:unit');
  assert.equal(roles(L + 'd'), 'NULL');
  // a later file with the same words, in another layout: no mapping step
  const later = await check(c, 'users', `姓名,工号,所属部门,职务\n戊班长,${L}e,${team},${leader}\n`);
  assert.equal(later.status, 200, JSON.stringify(later.errors));
  assert.equal(later.words[0].chosen, 'head');
  // an updated account shows old -> new per field
  const upd = await check(c, 'users', `账号,姓名,部门,岗位\n${L}b,乙班长,${dept},${chief}\n`);
  assert.equal(upd.status, 200);
  assert.deepEqual(upd.summary, { rows: 1, new: 0, updated: 1, same: 0, errors: 0, errorRows: 0 });
  assert.deepEqual(upd.preview[0].changes, [`单位：${team}（${P}a） → ${dept}（${P}）`, '角色：审核人（本单位） → 审核人（本单位及下级）']);
});

test('units by name: a unique name is resolved, an ambiguous one refused with the candidates', async () => {
  const c = await admin();
  const P = 'N' + uniq('');
  const twin = '同名班' + P.slice(-4);
  mkunit(P + 'x', twin); mkunit(P + 'y', twin); mkunit(P + 'z', '唯一班' + P.slice(-4));
  const L = uniq('gn');
  const res = await check(c, 'users', `账户,姓名,单位\n${L}a,重名甲,${twin}\n${L}b,唯一乙,唯一班${P.slice(-4)}\n`);
  assert.equal(res.status, 422);
  assert.ok(hasError(res, { row: 2, column: '单位编码', msg: /有多个同名单位，请改填单位编码/ }));
  const e = res.errors.find((x) => x.row === 2);
  assert.ok(e.value.includes(`${twin}（${P}x）`) && e.value.includes(`${twin}（${P}y）`), e.value);
  assert.deepEqual(res.summary, { rows: 2, new: 1, updated: 0, same: 0, errors: 1, errorRows: 1 });
  // parents too
  const units = await check(c, 'units', `单位编码,单位名称,上级单位\n${P}k,新班,${twin}\n`);
  assert.ok(hasError(units, { row: 2, column: '上级单位编码', msg: /有多个同名单位，请改填上级单位的编码/ }));
  // base data's unit column
  const veh = await check(c, 'base:vehicle', `编码,名称,车牌号,使用部门\n${P}V,同名车,沪A·1,${twin}\n`);
  assert.ok(hasError(veh, { row: 2, msg: /有多个同名单位/ }));
});

test('numbers Excel turned into scientific notation: a phone is flagged and not stored, a code is refused', async () => {
  const c = await admin();
  const P = 'E' + uniq('');
  mkunit(P, '科学计数部');
  const L = uniq('ge');
  const res = await check(c, 'users', `账户,姓名,单位编码,手机\n${L}a,科学甲,${P},1.38E+10\n${L}b,科学乙,${P},13800000002\n`);
  assert.equal(res.status, 200, JSON.stringify(res.errors));
  assert.deepEqual(res.warnings, [{ row: 2, column: '电话', value: '1.38E+10', msg: res.warnings[0].msg }]);
  assert.match(res.warnings[0].msg, /科学计数法.*未保存/);
  assert.equal((await apply(c, res.batch)).status, 200);
  assert.equal(sql(`SELECT IFNULL(phone, 'NULL') FROM app_user WHERE login=${q(L + 'a')}`), 'NULL');
  assert.equal(sql(`SELECT phone FROM app_user WHERE login=${q(L + 'b')}`), '13800000002');
  // a code in scientific notation has lost its digits: refused
  const code = await check(c, 'units', `单位编码,单位名称,上级单位编码\n1.2E+11,科学码,${P}\n`);
  assert.ok(hasError(code, { row: 2, column: '单位编码', value: '1.2E+11', msg: /科学计数法/ }));
  const veh = await check(c, 'base:vehicle', `编码,名称,车牌号,车型\n${P}V,科学车,2.1E+5,1.5E+3\n`);
  assert.ok(hasError(veh, { row: 2, column: '车牌号', value: '2.1E+5', msg: /科学计数法/ }), 'a required field: refused');
  assert.ok(veh.warnings.some((w) => w.column === '车型' && w.value === '1.5E+3'), 'an optional field: flagged');
});

test('legacy numbers: an old-number column that renames nothing is shown and kept as a new field of the kind', async () => {
  const c = await admin();
  const k = uniq('lk');
  assert.equal((await c.send('/admin/base/kinds', { code: k, name: '旧号测试', fields: '型号' })).status, 303);
  const P = 'O' + uniq('');
  const file = `设备编号,设备名称,型号,旧编号,购置日期\n${P}1,一号机,甲,JB-001,2015/3/1\n${P}2,二号机,乙,JB-002,2016/7/9\n`;
  const first = await check(c, `base:${k}`, file);
  assert.equal(first.status, 422);
  assert.equal(first.cols[3].state, 'legacy', 'not taken as 原编码: none of its values is a code');
  assert.match(first.cols[3].shown, /不像新旧编码对照/);
  assert.equal(first.cols[4].state, 'unknown');
  assert.equal(first.errors.length, 0, 'no "原编码不存在" on every row');
  const mapped = await map(c, first, { 3: '+', 4: '-' });
  assert.equal(mapped.status, 200, mapped.fileMsg + JSON.stringify(mapped.errors));
  assert.deepEqual(mapped.cols.map((x) => x.state), ['saved', 'saved', 'saved', 'new', 'ignored']);
  assert.ok(mapped.preview[0].changes.includes('旧编号：JB-001'), JSON.stringify(mapped.preview[0]));
  assert.equal(sql(`SELECT COUNT(*) FROM base_field f JOIN base_kind b ON b.id=f.kind_id WHERE b.code=${q(k)}`), '1', 'not before the confirmation');
  assert.equal((await apply(c, mapped.batch)).status, 200);
  assert.equal(sql(`SELECT f.label, f.type FROM base_field f JOIN base_kind b ON b.id=f.kind_id WHERE b.code=${q(k)} AND f.col=2`), '旧编号\ttext');
  assert.equal(sql(`SELECT a2 FROM base_item i JOIN base_kind b ON b.id=i.kind_id WHERE b.code=${q(k)} AND i.code=${q(P + '2')}`), 'JB-002');
  assert.equal(sql(`SELECT COUNT(*) FROM code_map WHERE entity=${q('base:' + k)}`), '0', 'no rename recorded');
  // the same file again: the new field is that field now, nothing changes
  const again = await check(c, `base:${k}`, file);
  assert.equal(again.status, 200);
  assert.equal(again.cols[3].state, 'saved');
  assert.deepEqual(again.summary, { rows: 2, new: 0, updated: 0, same: 2, errors: 0, errorRows: 0 });
});

test('counts add up: data rows = new + updated + unchanged + rows with errors (a row with two errors is one row)', async () => {
  const c = await admin();
  const k = uniq('ck');
  assert.equal((await c.send('/admin/base/kinds', { code: k, name: '计数测试', fields: '数量:整数' })).status, 303);
  const P = 'K' + uniq('');
  const first = await check(c, `base:${k}`, `编码,名称,数量\n${P}1,一,1\n${P}2,二,2\n`);
  assert.equal((await apply(c, first.batch)).status, 200);
  // row 2 unchanged, row 3 updated, row 4 new, row 5 two errors, row 6 one error, blank rows ignored
  const res = await check(c, `base:${k}`, `编码,名称,数量\n${P}1,一,1\n${P}2,二改,2\n\n${P}3,三,3\n${P} 4,,x\n,,,\n${P}5,五,y\n`);
  assert.equal(res.status, 422);
  assert.deepEqual(res.summary, { rows: 6 - 1, new: 1, updated: 1, same: 1, errors: 4, errorRows: 2 });
  const s = res.summary;
  assert.equal(s.rows, s.new + s.updated + s.same + s.errorRows);
  assert.match(res.text_, /数据行 = 新增 \+ 更新 \+ 无变化 \+ 有错误的行/);
  // units and accounts count the same way
  const u = await check(c, 'units', `单位编码,单位名称,上级单位编码,类型\n${P}u,,NOPE${P},工厂\n${P}v,好,100,部门\n`);
  assert.deepEqual(u.summary, { rows: 2, new: 1, updated: 0, same: 0, errors: 2, errorRows: 1 });
});

test('diaodu-ctl import refuses a column it cannot place instead of dropping it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-ctl-'));
  const file = path.join(dir, 'units.csv');
  fs.writeFileSync(file, `单位编码,单位名称,上级单位编码,备注说明\n${'C' + uniq('')},命令行单位,100,随便\n`);
  let out = '';
  try { ctl('import', 'units', file, '--dry-run'); } catch (e) { out = String(e.stderr || ''); }
  fs.rmSync(dir, { recursive: true, force: true });
  assert.match(out, /column 4 "备注说明" is not mapped to a field/);
});

test('the kind form takes fields without codes and Chinese type words (the example on the page)', async () => {
  const c = await admin();
  const page = await c.get('/admin/base');
  const example = (/<textarea id="fields"[^>]*placeholder="([^"]*)"/.exec(page.text_) || [])[1];
  assert.ok(example && !/[A-Za-z]{3,}/.test(example.replace(/kW/g, '')), `the example: ${example}`);
  const name = '锅炉' + uniq('').slice(-5);
  const r = await c.send('/admin/base/kinds', { code: '', name, fields: example.replace(/&#10;|\n/g, '\n') });
  assert.equal(r.status, 303);
  const code = sql(`SELECT code FROM base_kind WHERE name=${q(name)}`);
  assert.match(code, /^k[0-9a-f]{8}$/, 'a code made up for the kind');
  assert.equal(sql(`SELECT GROUP_CONCAT(CONCAT(f.label, ':', f.type, ':', f.required) ORDER BY f.col) FROM base_field f JOIN base_kind k ON k.id=f.kind_id WHERE k.code=${q(code)}`),
    '型号:text:0,额定功率(kW):decimal:0,投用年份:integer:1');
  void download; void ROOT; void VAR; void execFileSync;
});
