// entry.test.mjs -- the browser test of 数据填报 (Debian's chromium driven by
// playwright-core): a clerk fills a vehicle sheet (the demo's 车辆调度日报
// definition, for a team of the test's own) with 3 rows, makes a mistake,
// sees the message next to the field, fixes it and submits -- once with
// JavaScript on and once with it off -- and the same sheet at phone width
// (390 px: every row a card).  Then axe-core (from npm, injected with the
// page's CSP bypassed) checks the entry pages and every page that exists
// for serious or critical violations.  Screenshots: tests/out/entry-*.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BASE, ROOT, ctl, mkunit, mkuser, sql, q, uniq } from '../http/lib.mjs';

const OUT = path.join(ROOT, 'tests/out');
fs.mkdirSync(OUT, { recursive: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'Che-dui#2026x';
const T = uniq('V');                     // the team's code
const FORM = 'bv' + T.slice(1);
const local = (daysBack = 0) => new Date(Date.now() - daysBack * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
let clerk, admin, disp, unit;

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

before(() => {
  // a team with vehicles and drivers of its own, and the vehicle sheet for it
  mkunit(T, '浏览器测试车班', '100020');
  unit = Number(sql(`SELECT id FROM org_unit WHERE code=${q(T)}`));
  for (const [kind, code, name] of [['vehicle', T + 'C1', '测试中巴'], ['vehicle', T + 'C2', '测试轿车'], ['vehicle', T + 'C3', '测试货车'],
    ['driver', T + 'D1', '测试司机甲'], ['driver', T + 'D2', '测试司机乙']]) {
    sql(`INSERT INTO base_item (kind_id, code, name, org_unit_id, created_at, updated_at)
         SELECT k.id, ${q(code)}, ${q(name)}, ${unit}, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM base_kind k WHERE k.code=${q(kind)}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-bforms-'));
  const def = fs.readFileSync(path.join(ROOT, 'conf/forms/vehicle_daily.hdf'), 'utf8')
    .replace(/^Code = vehicle_daily$/m, `Code = ${FORM}`)
    .replace(/^Units = .*$/m, `Units = ${T}`);
  fs.writeFileSync(path.join(dir, `${FORM}.hdf`), def);
  assert.match(ctl('forms', 'apply', dir), new RegExp(`applied ${FORM} version \\d+: new`));
  // in use for two months: a month back is closed, not history
  sql(`UPDATE form SET created_at = UTC_TIMESTAMP() - INTERVAL 60 DAY WHERE code=${q(FORM)}`);
  clerk = uniq('bcl');
  mkuser(clerk, PW, { name: '车班录入员', unit: T, roles: [['clerk', 'unit']] });
  disp = uniq('bdd');
  mkuser(disp, PW, { name: '调度检查', unit: '100010', roles: [['dispatcher', 'all']] });
  admin = uniq('bad');
  mkuser(admin, PW, { name: '无障碍检查', unit: '100090', roles: [['admin', 'all']] });
});

async function logIn(page, who) {
  await page.goto(BASE + '/login');
  await page.fill('#login', who);
  await page.fill('#password', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(BASE + '/');
}

// three trips; row 2 (index 1) comes back with the return odometer below the start
async function fillSheet(page, tag) {
  await page.fill('#h-duty', '王调度');
  for (let i = 0; i < 3; i++) {
    if (i > 0) {
      await page.click('button[value=addrow]');                       // a round trip to the server
      await page.waitForSelector(`#r${i}-vehicle`);
    }
    await page.selectOption(`#r${i}-vehicle`, `${T}C${i + 1}`);
    await page.selectOption(`#r${i}-driver`, `${T}D${(i % 2) + 1}`);
    await page.selectOption(`#r${i}-task`, i === 2 ? '货物运输' : '公务用车');
    await page.fill(`#r${i}-depart`, `${String(8 + i).padStart(2, '0')}:00`);
    await page.fill(`#r${i}-back`, `${12 + i}:30`);
    await page.fill(`#r${i}-odo_start`, i === 0 ? '12,345.6' : `${20000 + i * 1000}`);
    await page.fill(`#r${i}-odo_end`, i === 0 ? '12400' : i === 1 ? '20900' : '22080.5');   // row 2: 20900 < 21000
    if (i === 2) await page.fill(`#r${i}-tons`, '２.5');
    else await page.fill(`#r${i}-passengers`, String(10 + i));
  }
  // every typed value survived the round trips
  assert.equal(await page.inputValue('#r0-odo_start'), '12,345.6');
  assert.equal(await page.inputValue('#h-duty'), '王调度');
  await page.screenshot({ path: path.join(OUT, `entry-${tag}-filled.png`), fullPage: true });
}

async function submitWithMistake(page, tag) {
  await page.click('#op-submit');
  await page.waitForSelector('#sheet-msg');
  assert.match(await page.textContent('#sheet-msg'), /有 1 处需要修改/);
  const msg = page.locator('#e-r1-odo_end');
  assert.equal(await msg.textContent(), '返回里程表读数不能小于出车里程表读数。');
  // next to the field it concerns, in the same row, tied to the input
  assert.equal(await page.getAttribute('#r1-odo_end', 'aria-describedby'), 'e-r1-odo_end');
  assert.equal(await page.evaluate(() => document.querySelector('#e-r1-odo_end').closest('tr').id), 'row-1');
  assert.equal(await page.inputValue('#r1-odo_end'), '20900');
  assert.equal(await page.inputValue('#r2-tons'), '２.5');
  await page.screenshot({ path: path.join(OUT, `entry-${tag}-mistake.png`), fullPage: true });
  await page.fill('#r1-odo_end', '21090');
  await page.click('#op-submit');
  await page.waitForURL(/\/entry\/view\?id=\d+&ok=submitted$/);
  assert.match(await page.textContent('.msg-ok'), /报表已提交/);
  assert.match(await page.textContent('#status'), /已提交/);
  const id = Number(/id=(\d+)/.exec(page.url())[1]);
  assert.equal(sql(`SELECT GROUP_CONCAT(mileage ORDER BY line) FROM f_${FORM}_r WHERE entry_id=${id}`), '54.4,90.0,80.5');
  assert.equal(sql(`SELECT total_km FROM f_${FORM} WHERE entry_id=${id}`), '224.9');
  assert.equal(sql(`SELECT tons FROM f_${FORM}_r WHERE entry_id=${id} AND line=3`), '2.50');
  await page.screenshot({ path: path.join(OUT, `entry-${tag}-submitted.png`), fullPage: true });
  return id;
}

test('a clerk fills a vehicle sheet with 3 rows, fixes a mistake and submits: JavaScript on and off, and on a phone', async () => {
  const b = await browser();
  try {
    for (const [js, daysBack] of [[true, 0], [false, 1]]) {
      const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: js });
      const page = await ctx.newPage();
      await logIn(page, clerk);
      const tag = js ? 'js' : 'nojs';
      if (daysBack === 0) {
        // today's sheet from the portal
        const row = page.locator('table.today tr', { hasText: '车班' });
        assert.match(await row.textContent(), /未填/);
        await row.locator('a', { hasText: '填报' }).click();
      } else {
        await page.goto(`${BASE}/entry/list`);
        await page.selectOption('#n-form', FORM);
        await page.selectOption('#n-unit', String(unit));
        await page.fill('#n-date', local(daysBack));
        await page.click('form[action="/entry/new"] button[type=submit]');
      }
      await page.waitForURL(/\/entry\/new\?/);
      assert.equal(await page.textContent('h1'), '车辆调度日报');
      await fillSheet(page, tag);
      await submitWithMistake(page, tag);
      await ctx.close();
    }
    // the same sheet on a phone: rows are cards, labels before each value
    const ctx = await b.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await logIn(page, clerk);
    await page.goto(`${BASE}/entry/new?form=${FORM}&unit=${unit}&date=${local(2)}`);
    await fillSheet(page, 'phone');
    await page.click('#op-submit');
    await page.waitForSelector('#e-r1-odo_end');
    const card = await page.evaluate(() => {
      const tr = document.querySelector('#row-1');
      const td = tr.querySelector('td.t-decimal');
      return { display: getComputedStyle(tr).display, width: tr.getBoundingClientRect().width,
        label: getComputedStyle(td, '::before').content, scroll: document.documentElement.scrollWidth };
    });
    assert.equal(card.display, 'block', 'a row is a card');
    assert.ok(card.width <= 390 && card.width > 300, `the card fits the screen (${card.width})`);
    assert.equal(card.label, '"出车里程表"');
    assert.ok(card.scroll <= 390, `no sideways scrolling (${card.scroll})`);
    await page.screenshot({ path: path.join(OUT, 'entry-phone-mistake.png'), fullPage: true });
    await page.fill('#r1-odo_end', '21090');
    await page.click('#op-submit');
    await page.waitForURL(/ok=submitted$/);
    await page.screenshot({ path: path.join(OUT, 'entry-phone-submitted.png'), fullPage: true });
    await page.goto(page.url().replace('/view', '/print'));
    await page.screenshot({ path: path.join(OUT, 'entry-phone-print.png'), fullPage: true });
    await ctx.close();
  } finally {
    await b.close();
  }
});

// ------------------------------------------------------------------ accessibility

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe-core: no serious or critical violation on the entry pages and every other page', async () => {
  const b = await browser();
  try {
    const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await ctx.newPage();
    const found = [];
    const check = async (url, expectStatus = 200) => {
      const res = await page.goto(BASE + url);
      assert.equal(res.status(), expectStatus, url);
      for (const v of await axe(page)) found.push(`${url}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    };
    // before logging in
    for (const url of ['/login', '/activate']) await check(url);
    // the clerk's pages, a sheet with a mistake on it, a closed period
    await logIn(page, clerk);
    const sheet = Number(sql('SELECT MIN(id) FROM entry'));          // read by the dispatcher below
    for (const url of ['/', '/password', '/entry/', '/entry/list', `/entry/new?form=${FORM}&unit=${unit}&date=${local(3)}`]) await check(url);
    await page.fill('#r0-odo_start', 'abc');
    await page.click('#op-submit');
    await page.waitForSelector('#sheet-msg');
    for (const v of await axe(page)) found.push(`sheet with errors: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    await check(`/entry/new?form=${FORM}&unit=${unit}&date=${local(30)}`, 409);
    // the ledger import: the page, and a dry run with an error on it
    await check('/entry/import');
    const ledger = path.join(os.tmpdir(), `ledger-${T}.csv`);
    fs.writeFileSync(ledger, `日期,车辆,驾驶员,任务类型,出车时间,出车里程表\n${local(4)},${T}C1,${T}D1,公务用车,08:00,abc\n`);
    await page.selectOption('#l-form', FORM);
    await page.selectOption('#l-unit', String(unit));
    await page.setInputFiles('#l-file', ledger);
    await page.click('form[action="/entry/import/check"] button[type=submit]');
    await page.waitForSelector('#ledger-msg');
    assert.match(await page.textContent('#errors'), /出车里程表/);
    for (const v of await axe(page)) found.push(`ledger check: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    await page.screenshot({ path: path.join(OUT, 'entry-ledger-check.png'), fullPage: true });
    fs.rmSync(ledger, { force: true });
    await check('/entry/edit?id=999999999', 404);
    // English
    await page.goto(BASE + '/lang?to=en&next=/entry/list');
    for (const v of await axe(page)) found.push(`/entry/list (en): ${v.impact} ${v.id} at ${v.nodes.join(', ')}`);
    await page.goto(BASE + '/lang?to=zh_CN&next=/');
    // a dispatcher's list (the reopening form) and the administrator's pages
    await page.context().clearCookies();
    await logIn(page, disp);
    for (const url of ['/', '/entry/list', `/entry/view?id=${sheet}`, `/entry/print?id=${sheet}`]) await check(url);
    await page.context().clearCookies();
    await logIn(page, admin);
    const uid = sql(`SELECT id FROM app_user WHERE login=${q(clerk)}`);
    const item = sql(`SELECT b.id FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code='vehicle' ORDER BY b.id LIMIT 1`);
    for (const url of ['/admin/', '/admin/units', `/admin/units/edit?id=${unit}`, '/admin/users', '/admin/users/new',
      `/admin/users/edit?id=${uid}`, '/admin/roles', '/admin/base', '/admin/base/kind?k=vehicle',
      `/admin/base/item?k=vehicle&id=${item}`, '/admin/import', '/admin/readiness', '/admin/forms',
      '/admin/forms/form?code=vehicle_daily']) await check(url);
    await check('/no-such-page', 404);
    assert.deepEqual(found, [], found.join('\n'));
  } finally {
    await b.close();
  }
});
