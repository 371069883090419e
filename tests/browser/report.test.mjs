// report.test.mjs -- the browser test of 统计报表: Debian's chromium, driven by
// playwright-core.  A dispatcher opens 车辆运行月报 from the portal, switches
// the period (上一期, the period kinds, a custom range), downloads the PDF and
// the XLSX (the PDF rendered with pdftoppm into tests/out/report-pdf-1.png
// to be looked at), previews and saves a report in the builder; the same at
// 390 px (no horizontal scrolling of the page) and without JavaScript;
// axe-core on every report page.  Screenshots: tests/out/report-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BASE, ROOT, mkuser, uniq, sql } from '../http/lib.mjs';

const OUT = path.join(ROOT, 'tests/out');
fs.mkdirSync(OUT, { recursive: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'Liu-lan#2026x';
const disp = uniq('rb');
mkuser(disp, PW, { name: '报表浏览', unit: '100010', roles: [['dispatcher', 'all']] });

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
async function logIn(b, who, opts = {}) {
  const ctx = await b.newContext({ viewport: { width: 1200, height: 860 }, acceptDownloads: true, ...opts });
  const page = await ctx.newPage();
  await page.goto(BASE + '/login');
  await page.fill('#login', who);
  await page.fill('#password', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(BASE + '/');
  return page;
}
const shot = (page, name) => page.screenshot({ path: path.join(OUT, `report-${name}.png`), fullPage: true });
const month = () => sql("SELECT DATE_FORMAT(DATE_SUB(MAX(period_start), INTERVAL 10 DAY), '%Y-%m-01') FROM entry WHERE counted = 1");

test('a dispatcher opens a report, switches the period, downloads the PDF and the XLSX, and saves a report of the builder', async () => {
  const b = await browser();
  try {
    const page = await logIn(b, disp);
    await page.click('.menu-report a');
    await page.waitForURL(BASE + '/report/');
    await shot(page, 'list');
    await page.click('#r-vehicle_month a');
    await page.waitForSelector('#result');
    assert.equal(await page.textContent('#title'), '车辆运行月报');
    // the month of the demo's data, through the filter form
    await page.fill('#f-date', month());
    await page.click('#filters button[type=submit]');
    await page.waitForSelector('#chart svg rect.bar');
    const before = await page.textContent('#subtitle');
    assert.match(before, new RegExp(`统计期间：${month()} 至`));
    await shot(page, 'month');
    // the previous period, then the week of the same day, then a range
    await page.click('#prev');
    await page.waitForLoadState();
    assert.notEqual(await page.textContent('#subtitle'), before);
    await page.click('#k-week');
    await page.waitForLoadState();
    assert.equal(await page.inputValue('#f-period'), 'week');
    await page.selectOption('#f-period', 'range');
    await page.fill('#f-from', month());
    await page.fill('#f-to', sql(`SELECT LAST_DAY('${month()}')`));
    await page.click('#filters button[type=submit]');
    await page.waitForSelector('#totals');
    assert.match(await page.textContent('#subtitle'), new RegExp(`${month()} 至`));
    await shot(page, 'range');
    // downloads
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('#dl-pdf')]);
    const pdfPath = path.join(OUT, 'report.pdf');
    await pdf.saveAs(pdfPath);
    assert.match(pdf.suggestedFilename(), /\.pdf$/);
    execFileSync('qpdf', ['--check', pdfPath], { stdio: 'ignore' });
    execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '1', pdfPath, path.join(OUT, 'report-pdf')]);
    assert.ok(fs.readdirSync(OUT).some((f) => /^report-pdf-0*1\.png$/.test(f)), 'the PDF rendered');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#dl-xlsx')]);
    const xlsxPath = path.join(OUT, 'report.xlsx');
    await xlsx.saveAs(xlsxPath);
    assert.equal(fs.readFileSync(xlsxPath).subarray(0, 2).toString(), 'PK');
    // the builder: form, measures, grouping, preview, save
    await page.click('.subnav a[href="/report/build"]');
    await page.selectOption('#b-form', 'canteen_daily');
    await page.click('#pick-form button');
    await page.selectOption('select[name=m1_fn]', 'sum');
    await page.selectOption('select[name=m1_field]', 'diners');
    await page.selectOption('select[name=m2_fn]', 'avg');
    await page.selectOption('select[name=m2_field]', 'cost');
    await page.selectOption('select[name=g1]', 'f:meal');
    await page.selectOption('#b-chart', 'm1');
    await page.click('#preview');
    await page.waitForSelector('#preview-result');
    assert.match(await page.textContent('#preview-result'), /就餐人数/);
    await shot(page, 'builder');
    await page.fill('#b-name', '各餐次就餐统计');
    await page.check('#role-leader');
    await page.click('#save');
    await page.waitForURL(/\/report\/view\?r=u\d+/);
    assert.equal(await page.textContent('#title'), '各餐次就餐统计');
    await shot(page, 'saved');
  } finally { await b.close(); }
});

test('at 390 px the report reads without scrolling the page sideways; without JavaScript every control works', async () => {
  const b = await browser();
  try {
    const page = await logIn(b, disp, { viewport: { width: 390, height: 844 }, isMobile: true, javaScriptEnabled: false });
    await page.goto(`${BASE}/report/view?r=energy_month&period=month&date=${month()}`);
    await page.waitForSelector('#result');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 1, `the page scrolls sideways by ${over}px`);
    await shot(page, 'phone');
    await page.click('#next');
    await page.waitForSelector('#title');
    assert.match(await page.textContent('#subtitle'), /统计期间：/);
  } finally { await b.close(); }
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe-core: no serious or critical violation on the report pages', async () => {
  const b = await browser();
  try {
    const page = await logIn(b, disp, { bypassCSP: true });
    const m = month();
    const found = [];
    for (const url of ['/report/', `/report/view?r=vehicle_month&date=${m}`, `/report/view?r=dispatch_daily&period=month&date=${m}`,
      `/report/view?r=energy_month&date=${m}&pending=1`, '/report/build', '/report/build?form=vehicle_daily',
      `/report/build?form=vehicle_daily&preview=1&m1_fn=sum&m1_field=mileage&g1=day&chart=m1&period=month&date=${m}`]) {
      await page.goto(BASE + url);
      for (const v of await axe(page)) found.push(`${url}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    }
    assert.deepEqual(found, []);
  } finally { await b.close(); }
});
