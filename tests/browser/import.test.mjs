// import.test.mjs -- the browser test of 批量导入: Debian's chromium, driven
// by playwright-core, as an admin: units CSV -> 预检 -> 确认导入; an accounts
// CSV with an unknown unit -> the error table with the spreadsheet's row;
// the fixed file -> 预检 -> 确认 -> activation-code downloads; then the new
// account activates with its code in a fresh browser and sees the portal.
// Screenshots: tests/out/import-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, OUT, mkuser, uniq, sql, q, fixtureText, launchBrowser } from '../http/lib.mjs';


// a fixture with its placeholders filled in, written where the file chooser can take it
function fixtureFile(dir, name, vars, edit = (s) => s, as = name) {
  const file = path.join(dir, as);
  fs.writeFileSync(file, edit(fixtureText(name, vars)));
  return file;
}

async function upload(page, kind, file) {
  await page.click('nav.subnav a[href="/admin/import"]');
  await page.waitForURL(/\/admin\/import$/);
  await page.selectOption('#kind', kind);
  await page.setInputFiles('#file', file);
  await page.click('form[action="/admin/import/check"] button[type=submit]');
  await page.waitForURL(/\/admin\/import\/check$/);
  return (await page.textContent('#summary')) || '';
}

test('an admin imports units and accounts in the browser; a new account activates with its code', async () => {
  const admin = uniq('bimp');
  mkuser(admin, 'Liu-lan#2026x', { name: '导入员', unit: '100090', roles: [['admin', 'all']] });
  const P = 'B' + uniq('');
  const L = uniq('bu');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-import-'));
  const b = await launchBrowser();
  try {
    const ctx = await b.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(BASE + '/login');
    await page.fill('#login', admin);
    await page.fill('#password', 'Liu-lan#2026x');
    await page.click('button[type=submit]');
    await page.waitForURL(BASE + '/');
    await page.click('a[href="/admin/"]');                       // 系统管理
    await page.waitForURL(/\/admin\/$/);
    assert.match(await page.textContent('h1'), /系统管理/);

    // units: preview, then confirm
    const units = fixtureFile(dir, 'units-browser.csv', { P });
    let sum = await upload(page, 'units', units);
    assert.match(sum, /数据行 2 · 新增 2 · 更新 0 · 无变化 0 · 错误 0/);
    assert.match(await page.textContent('main'), /预检通过，未发现错误/);
    assert.match(await page.textContent('main'), /units-browser\.csv \(UTF-8\)/);
    await page.screenshot({ path: path.join(OUT, 'import-preview.png'), fullPage: true });
    await page.click('#confirm');
    await page.waitForURL(/\/admin\/import\/apply$/);
    assert.match(await page.textContent('h1'), /组织机构 · 导入结果/);
    assert.match(await page.textContent('.msg-ok'), /导入完成/);
    assert.equal(sql(`SELECT p.code FROM org_unit u JOIN org_unit p ON p.id=u.parent_id WHERE u.code=${q(P + '1')}`), P + '0');

    // accounts with an unknown unit code on spreadsheet row 4
    const bad = fixtureFile(dir, 'accounts-browser-bad.csv', { P, L });
    sum = await upload(page, 'users', bad);
    assert.match(sum, /错误 1/);
    assert.match(await page.textContent('.msg-error'), /文件中有错误，未导入任何数据/);
    const cells = await page.$$eval('table.errors tbody tr td', (tds) => tds.map((td) => td.textContent.trim()));
    assert.deepEqual(cells, ['4', '单位编码', P + '9', '单位编码不存在，请先导入组织机构。']);
    assert.equal(await page.$('#confirm'), null, 'no confirm button for a file with errors');
    await page.screenshot({ path: path.join(OUT, 'import-errors.png'), fullPage: true });
    assert.equal(sql(`SELECT COUNT(*) FROM app_user WHERE login LIKE ${q(L + '%')}`), '0');

    // fixed: preview, confirm, and the code sheets
    const good = fixtureFile(dir, 'accounts-browser-bad.csv', { P, L }, (s) => s.replace(`${P}9`, `${P}1`), '账户-已改正.csv');
    sum = await upload(page, 'users', good);
    assert.match(await page.textContent('main'), /账户-已改正\.csv \(UTF-8\)/);
    assert.match(sum, /数据行 2 · 新增 2 · 更新 0 · 无变化 0 · 错误 0/);
    await page.click('#confirm');
    await page.waitForURL(/\/admin\/import\/apply$/);
    assert.match(await page.textContent('h1'), /账户 · 导入结果/);
    assert.match(await page.textContent('main'), /新账户的一次性激活码/);
    const pdfLink = page.locator('a', { hasText: '下载激活通知单 (PDF)' });
    const csvLink = page.locator('a', { hasText: '下载激活码清单 (CSV)' });
    assert.equal(await pdfLink.count(), 1);
    assert.equal(await csvLink.count(), 1);
    await page.screenshot({ path: path.join(OUT, 'import-result.png'), fullPage: true });
    const pdf = await page.request.get(BASE + await pdfLink.getAttribute('href'));
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const csv = await page.request.get(BASE + await csvLink.getAttribute('href'));
    assert.equal(csv.status(), 200);
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    assert.deepEqual(rows[0], ['账户', '姓名', '单位编码', '单位名称', '激活码', '有效期至']);
    const mine = rows.find((r) => r[0] === L + 'b');
    assert.ok(mine, `${L}b is on the code sheet`);
    assert.equal(mine[3], '浏览器导入班');
    const code = mine[4];
    assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    assert.equal(sql(`SELECT s.code FROM activation_sheet s JOIN app_user a ON a.id=s.user_id WHERE a.login=${q(L + 'b')}`), code);

    // the new colleague, in a browser of their own
    const fresh = await b.newContext({ viewport: { width: 1100, height: 800 } });
    const p2 = await fresh.newPage();
    await p2.goto(BASE + '/login');
    await p2.click('a[href="/activate"]');
    await p2.waitForURL(/\/activate$/);
    await p2.fill('#login', L + 'b');
    await p2.fill('#code', code);
    await p2.fill('#new', 'abc');
    await p2.fill('#again', 'abc');
    await p2.click('form[action="/activate"] button[type=submit]');
    assert.match(await p2.textContent('.msg-error'), /太短/, 'the password rules apply; the code stays valid');
    await p2.fill('#login', L + 'b');
    await p2.fill('#code', code);
    await p2.fill('#new', 'Wo-de#mima2026');
    await p2.fill('#again', 'Wo-de#mima2026');
    await p2.click('form[action="/activate"] button[type=submit]');
    await p2.waitForURL(/\/\?activated=1$/);
    assert.match(await p2.textContent('.msg-ok'), /账户已激活/);
    const main = await p2.textContent('main');
    assert.match(main, /浏览器乙/);
    assert.match(main, new RegExp(`浏览器导入班 \\(${P}1\\)`));
    assert.match(main, /报表审核/, 'the imported role 审核人');
    assert.match(await p2.textContent('header'), /浏览器乙 · 浏览器导入班/);
    await p2.screenshot({ path: path.join(OUT, 'import-portal.png'), fullPage: true });
    await fresh.close();
    await ctx.close();
  } finally {
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
    // the admin lived in 信息中心, a demo unit: switch it off again
    sql(`DELETE FROM session WHERE user_id=(SELECT id FROM app_user WHERE login=${q(admin)})`);
    sql(`UPDATE app_user SET active=0 WHERE login=${q(admin)}`);
  }
});
