// typed.test.mjs -- one checker for typed values (base/val.c) behind the admin
// form and the import engine: integer and decimal fields of a base-data kind
// take what clerks type ("１２.5", "1,234.50", "0.10", full-width digits,
// ideographic spaces), store the canonical text, and the kind's own CSV and
// XLSX exports re-import with nothing new and nothing updated.  "1e3", "nan",
// "0x1A" are refused with a Chinese sentence next to the field (the form) or
// in the error table (the import), and nothing is saved.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  sql, q, demoSafeMkuser, mkunit, uniq, location, adminLogin, unescapeHtml, errorMessage, importDryRun, download,
} from './lib.mjs';

const PW = 'Lei-xing#2026x';
const mkuser = demoSafeMkuser(after);

const admin = async () => (await adminLogin(mkuser, { prefix: 'typ', name: '类型测试管理员', password: PW })).c;

const unesc = unescapeHtml;
const errorMsg = errorMessage;
// the note shown next to field aN, and the value the field keeps
const fieldError = (html, n) => {
  const m = new RegExp(`<input id="a${n}"[^>]*aria-invalid="true"[^>]*><span class="field-error" id="a${n}-error">([^<]*)</span>`).exec(html);
  return m ? unesc(m[1]) : null;
};
const fieldValue = (html, n) => unesc((new RegExp(`<input id="a${n}"[^>]*value="([^"]*)"`).exec(html) || [])[1] ?? '');
const stored = (kind, code) => sql(`SELECT CONCAT_WS('|', IFNULL(b.a1,'-'), IFNULL(b.a2,'-'), IFNULL(b.a3,'-'), IFNULL(b.a4,'-'))
  FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(kind)} AND b.code=${q(code)}`);
const items = (kind) => Number(sql(`SELECT COUNT(*) FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(kind)}`));

const dryRun = importDryRun;

// one kind for the file: 数量 integer, 单价/费率/载重 decimal
const KIND = uniq('typed');
let UNIT;
async function kind(c) {
  if (!UNIT) {
    const r = await c.send('/admin/base/kinds', { code: KIND, name: '类型往返', fields: 'qty:数量:integer\nprice:单价:decimal\nrate:费率:decimal\nload:载重(吨):decimal' });
    assert.equal(r.status, 303, errorMsg(r.text_));
    UNIT = 'Y' + uniq('');
    mkunit(UNIT, '类型测试单位');
  }
  return Number(sql(`SELECT id FROM org_unit WHERE code=${q(UNIT)}`));
}
const item = (unit, code, a) => ({ k: KIND, id: '', version: '', code, name: `物品${code}`, unit, active: '1', a1: a[0], a2: a[1], a3: a[2], a4: a[3] });

test('the admin form stores the canonical text of what a clerk types', async () => {
  const c = await admin();
  const unit = await kind(c);
  const rows = [
    ['T-001', ['１,０００', '１２.5', '0.10', '1,234.50'], '1000|12.5|0.1|1234.5'],
    ['T-002', ['+7', '\u3000 3000 \u3000', '－0.5', '0.0001'], '7|3000|-0.5|0.0001'],
    ['003', ['', '99999999999999.9999', '12。5', '\u00a00\u00a0'], '-|99999999999999.9999|12.5|0'],
  ];
  for (const [code, a, want] of rows) {
    const r = await c.send('/admin/base/item', item(unit, code, a));
    assert.equal(r.status, 303, `${code}: ${errorMsg(r.text_)}`);
    assert.equal(location(r), `/admin/base/kind?k=${KIND}&ok=1`);
    assert.equal(stored(KIND, code), want, `${code} stored canonically`);
  }
  // the edit form shows the stored text, and saving it unchanged changes nothing
  const id = sql(`SELECT b.id FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(KIND)} AND b.code='T-001'`);
  const edit = await c.get(`/admin/base/item?k=${KIND}&id=${id}`);
  assert.equal(fieldValue(edit.text_, 4), '1234.5');
  assert.equal(fieldValue(edit.text_, 1), '1000');
});

test('"1e3", "nan", "0x1A" and friends are refused with a Chinese note next to the field', async () => {
  const c = await admin();
  const unit = await kind(c);
  const before = items(KIND);
  const audits = sql('SELECT MAX(id) FROM audit_log');
  const cases = [
    [2, '1e3', /不要用科学计数法/], [2, 'nan', /不能填“非数字”或“无穷大”/], [2, '0x1A', /十进制/],
    [2, 'inf', /不能填“非数字”或“无穷大”/], [3, '1,23', /千位分隔逗号的位置不对/], [3, '0.12345', /最多四位小数/],
    [4, '12吨', /请输入数字，最多四位小数/], [1, '5.5', /应为整数，不能带小数/], [1, '1e3', /不要用科学计数法/],
    [1, '0x1A', /十进制/], [1, '第一', /应为整数/], [1, '99999999999999999999', /超出允许的范围/],
  ];
  for (const [n, bad, msg] of cases) {
    const a = ['1', '2', '3', '4'];
    a[n - 1] = bad;
    const r = await c.send('/admin/base/item', item(unit, 'BAD-1', a));
    assert.equal(r.status, 400, `a${n}=${bad}`);
    assert.match(errorMsg(r.text_), /数字字段的格式不正确/);
    const note = fieldError(r.text_, n);
    assert.ok(note, `a note next to field a${n} for ${bad}`);
    assert.match(note, msg);
    assert.doesNotMatch(note, /[A-Za-z]{2,}/, 'no Latin words in the Chinese note');
    assert.equal(fieldValue(r.text_, n), bad, 'the field keeps what was typed');
    for (const other of [1, 2, 3, 4].filter((x) => x !== n)) assert.equal(fieldError(r.text_, other), null, `no note on a${other}`);
  }
  // two bad fields: a note on each
  const r = await c.send('/admin/base/item', item(unit, 'BAD-2', ['nan', '1e3', '0.1', '0x1A']));
  assert.equal(r.status, 400);
  assert.ok(fieldError(r.text_, 1) && fieldError(r.text_, 2) && fieldError(r.text_, 4));
  assert.equal(fieldError(r.text_, 3), null);
  assert.equal(items(KIND), before, 'nothing saved');
  assert.equal(sql('SELECT MAX(id) FROM audit_log'), audits, 'nothing audited');
  // English: the same notes in the user's language
  c.jar.set('dd_lang', 'en');
  const en = await c.send('/admin/base/item', item(unit, 'BAD-3', ['1', '1e3', '1', '1']));
  assert.equal(en.status, 400);
  assert.match(fieldError(en.text_, 2), /scientific notation/);
});

test('the kind\'s CSV and XLSX exports re-import unchanged: 0 new, 0 updated', async () => {
  const c = await admin();
  const unit = await kind(c);
  if (items(KIND) < 3) {
    for (const [code, a] of [['T-001', ['１,０００', '１２.5', '0.10', '1,234.50']], ['T-002', ['+7', '3000', '－0.5', '0.0001']], ['003', ['', '1', '12。5', '']]]) {
      const r = await c.send('/admin/base/item', item(unit, code, a));
      assert.ok(r.status === 303 || /该编码已被使用/.test(errorMsg(r.text_)));
    }
  }
  // a value stored before the checker existed, in a form it would not write
  sql(`UPDATE base_item b JOIN base_kind k ON k.id=b.kind_id SET b.a4='12600.50' WHERE k.code=${q(KIND)} AND b.code='003'`);
  const n = items(KIND);
  const fp = () => sql(`SELECT GROUP_CONCAT(CONCAT_WS('|', b.code, b.version, IFNULL(b.a1,''), IFNULL(b.a2,''), IFNULL(b.a3,''), IFNULL(b.a4,'')) ORDER BY b.code)
    FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(KIND)}`);
  const before = fp();
  for (const [fmt, type] of [['csv', 'text/csv'], ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']]) {
    const x = await download(c, `/admin/export?what=base:${KIND}&fmt=${fmt}`);
    assert.equal(x.status, 200, `export ${fmt}`);
    const rt = await dryRun(c, `base:${KIND}`, x.body, `类型往返.${fmt}`, type);
    assert.equal(rt.status, 200, `${fmt}: ${JSON.stringify(rt.errors)}`);
    assert.deepEqual(rt.summary, { rows: n, new: 0, updated: 0, same: n, errors: 0 }, `${fmt} round trip`);
  }
  assert.equal(fp(), before, 'dry runs write nothing');
});

test('the import refuses the same spellings with the same sentences, and stores canonical text', async () => {
  const c = await admin();
  await kind(c);
  const bad = `编码,名称,所属单位编码,数量,单价,费率,载重(吨)\nI-1,甲,${UNIT},1e3,nan,0x1A,1\nI-2,乙,${UNIT},5.5,1,2,3\nI-3,丙,${UNIT},１,"1,23",１２.5,inf\n`;
  const r = await dryRun(c, `base:${KIND}`, Buffer.from(bad), 'bad.csv', 'text/csv');
  assert.equal(r.status, 422);
  const want = [
    [2, '数量', '1e3', /不要用科学计数法/], [2, '单价', 'nan', /不能填“非数字”或“无穷大”/], [2, '费率', '0x1A', /十进制/],
    [3, '数量', '5.5', /应为整数，不能带小数/], [4, '单价', '1,23', /千位分隔逗号的位置不对/], [4, '载重(吨)', 'inf', /不能填“非数字”或“无穷大”/],
  ];
  for (const [row, column, value, msg] of want)
    assert.ok(r.errors.find((e) => e.row === row && e.column === column && e.value === value && msg.test(e.msg)),
      `${row} ${column} ${value} in ${JSON.stringify(r.errors)}`);
  // the good spellings import as the form would store them
  const code = uniq('I');
  const good = `编码,名称,所属单位编码,数量,单价,费率,载重(吨)\n${code},丁,${UNIT},"１,０００",１２.5,0.10,"1,234.50"\n`;
  const ok = await dryRun(c, `base:${KIND}`, Buffer.from(good), 'good.csv', 'text/csv');
  assert.equal(ok.status, 200, JSON.stringify(ok.errors));
  const batch = (/name="batch" value="(\d+)"/.exec(ok.text_) || [])[1];
  const done = await c.post('/admin/import/apply', { csrf: c.csrf, batch });
  assert.equal(done.status, 200);
  assert.equal(stored(KIND, code), '1000|12.5|0.1|1234.5');
  // the units import reads 排序 with the same checker
  const u = await dryRun(c, 'units', Buffer.from(`单位编码,单位名称,上级单位编码,排序\n${UNIT},类型测试单位,100,1e3\n`), 'u.csv', 'text/csv');
  assert.equal(u.status, 422);
  assert.match(u.errors[0].msg, /不要用科学计数法/);
});
