// track.test.mjs -- the browser test of 上报情况 and 催报: Debian's chromium,
// driven by playwright-core, with JavaScript off (the pages have none).  A
// dispatcher opens 调度监控 from the portal, reminds a unit from the due
// list, opens the demo company's month of 餐饮供应日报 and a day of
// 车辆调度日报, narrows the matrix to one unit and pages back a month; the
// reminded clerk sees the reminder on the portal.  At 390 px the page does
// not scroll sideways (only the matrix does, inside its region).  Then
// axe-core on every tracking page.  Screenshots: tests/out/track-*.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BASE, ROOT, mkuser, uniq, sql, q } from '../http/lib.mjs';

const OUT = path.join(ROOT, 'tests/out');
fs.mkdirSync(OUT, { recursive: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'Cui-bao-ll#2026';
const yesterday = new Date(Date.now() - 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
let disp, clerks = {};

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

before(() => {
  disp = uniq('tkd');
  mkuser(disp, PW, { name: '邵调度', unit: '100010', roles: [['dispatcher', 'all']] });
});

// a clerk of a unit (by id), made once
function clerkOf(unitId) {
  if (!clerks[unitId]) {
    const code = sql(`SELECT code FROM org_unit WHERE id=${Number(unitId)}`);
    clerks[unitId] = uniq('tkc');
    mkuser(clerks[unitId], PW, { name: '尤录入', unit: code, roles: [['clerk', 'unit']] });
  }
  return clerks[unitId];
}

async function logIn(b, who, opts = {}) {
  const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, ...opts });
  const page = await ctx.newPage();
  await page.goto(BASE + '/login');
  await page.fill('#login', who);
  await page.fill('#password', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(BASE + '/');
  return page;
}
const shot = (page, name) => page.screenshot({ path: path.join(OUT, `track-${name}.png`), fullPage: true });

test('a dispatcher reminds a unit from the due list and reads the matrix; the clerk sees the reminder', async () => {
  const b = await browser();
  try {
    const d = await logIn(b, disp);
    // the portal's 调度监控 goes to the due list
    await d.click('li.menu-dispatch a');
    await d.waitForURL(BASE + '/report/track/due');
    assert.match(await d.textContent('h1'), /催报/);
    const rows = await d.$$('#due tbody tr');
    assert.ok(rows.length > 0, 'the demo company has units that have not submitted');
    // remind the first unit that was not reminded yet
    const row = await d.$('#due tbody tr:has(button:text-is("催报"))');
    assert.ok(row, 'a unit to remind');
    const unit = await row.getAttribute('data-unit');
    const form = await row.getAttribute('data-form');
    const period = await row.getAttribute('data-period');
    const clerk = clerkOf(unit);                 // a clerk of the unit when the reminder goes out
    await row.$('button').then((x) => x.click());
    await d.waitForURL(/\/report\/track\/due\?fid=0&sent=\d+/);
    assert.match(await d.textContent('.msg-ok'), /已催报，\d+ 名录入员将在首页看到提醒/);
    const again = await d.$(`#due tbody tr[data-unit="${unit}"][data-form="${form}"][data-period="${period}"]`);
    assert.match(await again.textContent(), /已催报 1 次/);
    assert.match(await again.textContent(), /再次催报/);
    await shot(d, 'due');
    // the matrix: a month of the demo canteens, every state there is
    await d.click('nav.subnav a[href="/report/track"]');
    await d.selectOption('#t-form', 'canteen_daily');
    await d.click('form.filters button[type=submit]');
    await d.waitForURL(/form=canteen_daily/);
    assert.equal(await d.$$eval('#matrix tbody tr', (r) => r.length), 3);
    const states = await d.$$eval('#matrix tbody td[class^="t-"]', (t) => [...new Set(t.map((x) => x.className))]);
    for (const s of ['t-approved', 't-late', 't-missing']) assert.ok(states.includes(s), `${s} among ${states}`);
    assert.match(await d.textContent('#legend'), /缺 未报：截止时间已过，尚未填报/);
    await shot(d, 'matrix-desktop');
    // a month back, then one unit only
    await d.click('#prev');
    await d.waitForURL(/from=\d{4}-\d\d-01&to=/);
    await d.click('#matrix tbody tr:first-child th a');
    await d.waitForURL(/unit=\d+/);
    assert.equal(await d.$$eval('#matrix tbody tr', (r) => r.length), 1);
    // a day of the vehicles: one line per team, with the words and times
    await d.goto(`${BASE}/report/track?form=vehicle_daily&from=${yesterday}&to=${yesterday}`);
    assert.equal(await d.$$eval('#day tbody tr', (r) => r.length), 3);
    await shot(d, 'day-desktop');
    // at 390 px: the page does not scroll sideways; the matrix scrolls in its region
    const phone = await b.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false,
      storageState: await d.context().storageState() });
    const p = await phone.newPage();
    await p.goto(`${BASE}/report/track?form=canteen_daily`);
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scroll of the page');
    assert.ok(await p.$eval('.matrix-wrap', (w) => w.scrollWidth > w.clientWidth), 'the matrix scrolls in its region');
    await shot(p, 'matrix-390');
    await p.goto(`${BASE}/report/track/due`);
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 390), 'the due list fits');
    await shot(p, 'due-390');
    await p.goto(`${BASE}/report/track?form=vehicle_daily&from=${yesterday}&to=${yesterday}`);
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 390), 'a day fits');
    await shot(p, 'day-390');
    // the reminded unit's clerk: the portal's reminder, and its link to the sheet
    const c = await logIn(b, clerk);
    assert.match(await c.textContent('#reminders'), /邵调度于 .* 催报：/);
    await shot(c, 'portal-reminder');
    await c.click('#reminders a');
    await c.waitForURL(/\/entry\/(new|edit)\?/);
  } finally {
    await b.close();
  }
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe-core: no serious or critical violation on the tracking pages', async () => {
  const b = await browser();
  try {
    const found = [];
    const d = await logIn(b, disp, { bypassCSP: true, javaScriptEnabled: true });   // axe is injected as a script
    const check = async (page, url) => {
      const res = await page.goto(BASE + url);
      assert.equal(res.status(), 200, url);
      for (const v of await axe(page)) found.push(`${url}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    };
    for (const url of ['/report/track', '/report/track?form=canteen_daily', `/report/track?form=vehicle_daily&from=${yesterday}&to=${yesterday}`,
      '/report/track/due', '/report/track?form=meter_reading&from=2026-13-01'])
      await check(d, url);
    const reminded = sql(`SELECT org_unit_id FROM track_remind ORDER BY id DESC LIMIT 1`);
    if (reminded) {
      const c = await logIn(b, clerkOf(reminded), { bypassCSP: true, javaScriptEnabled: true });
      await check(c, '/');
    }
    await d.goto(BASE + '/lang?to=en&next=/report/track');
    for (const url of ['/report/track', '/report/track/due']) await check(d, url);
    await d.goto(BASE + '/lang?to=zh_CN&next=/');
    assert.deepEqual(found, []);
  } finally {
    await b.close();
  }
});
