// jobs.test.mjs -- the browser test of background jobs (后台任务) and the
// archive (报表归档): Debian's chromium, driven by playwright-core.  On a
// 390 px phone with JavaScript off, a dispatcher queues a big export (a
// month of 车辆运行月报 as XLSX) from 我的后台任务; the job page's bar moves
// while the page reloads itself (meta refresh: no script), and when it is
// done the file downloads with the checksum the page shows.  A leader opens
// the archive and downloads an archived PDF.  Then axe-core on every job
// page (desktop and phone, Chinese and English), and no Latin words in the
// Chinese pages but data and file-format names.  Screenshots:
// tests/out/jobs-*.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BASE, ROOT, ctl, mkuser, uniq, sql, sleep } from '../http/lib.mjs';

const OUT = path.join(ROOT, 'tests/out');
fs.mkdirSync(OUT, { recursive: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'Hou-tai#2026x';
let disp, leader;

before(() => {
  disp = uniq('bjd');
  mkuser(disp, PW, { name: '尹敏', unit: '100010', roles: [['dispatcher', 'all']] });
  leader = uniq('bjl');
  mkuser(leader, PW, { name: '杜洋', unit: '100', roles: [['leader', 'all']] });
  // an archived period of its own (the runner makes the PDFs)
  ctl('report-archive', '--date', `${2000 + (process.pid % 20)}-09-10`);
});

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
const shot = (page, name) => page.screenshot({ path: path.join(OUT, `jobs-${name}.png`), fullPage: true });
const sha = (buf) => createHash('sha256').update(buf).digest('hex');

// what the page shows now (the page may be reloading itself: retry)
async function now(page) {
  for (let i = 0; i < 20; i++) {
    try {
      return await page.evaluate(() => ({
        bar: document.querySelector('#bar') ? Number(document.querySelector('#bar').value) : null,
        state: document.querySelector('#job') ? document.querySelector('#job').dataset.state : null,
        done: !!document.querySelector('#download'),
      }));
    } catch { await sleep(100); }
  }
  throw new Error('the page did not settle');
}

test('on a phone without JavaScript: queue a big export, watch the bar, download the file', async () => {
  const b = await browser();
  try {
    const page = await logIn(b, disp, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false, isMobile: true });
    await page.goto(BASE + '/report/jobs');
    await page.selectOption('#j-report', 'vehicle_month');
    await page.selectOption('#j-period', 'month');
    await page.fill('#j-date', '2026-11-15');
    await page.selectOption('#j-format', 'xlsx');
    await shot(page, 'new');
    await page.click('#queue');
    await page.waitForURL(/\/report\/job\?id=\d+$/);
    const id = Number(/id=(\d+)/.exec(page.url())[1]);
    const first = await now(page);
    assert.ok(first.bar !== null, 'a progress bar while it is under way');
    assert.ok(['queued', 'running'].includes(first.state));
    assert.match(await page.getAttribute('meta[http-equiv=refresh]', 'content'), /^\d+$/);
    await shot(page, 'running');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'no sideways scrolling at 390 px');
    // the page reloads itself until the job is done; the bar moves on the way
    const seen = new Set([first.bar]);
    const end = Date.now() + 90000;
    let s = first;
    while (!s.done && Date.now() < end) {
      await sleep(250);
      s = await now(page);
      if (s.bar !== null) seen.add(s.bar);
    }
    assert.ok(s.done, `done within the time (bar values seen: ${[...seen].join(', ')})`);
    assert.ok(seen.size >= 2, `the bar moved: ${[...seen].join(', ')}`);
    assert.equal(await page.$('meta[http-equiv=refresh]'), null, 'it stops reloading when done');
    await shot(page, 'done');
    const shown = (await page.textContent('#sha256')).trim();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const file = path.join(OUT, 'jobs-export.xlsx');
    await dl.saveAs(file);
    const body = fs.readFileSync(file);
    assert.equal(sha(body), shown, 'the downloaded file is the one the page names');
    assert.equal(body.subarray(0, 2).toString(), 'PK', 'an XLSX');
    assert.match(dl.suggestedFilename(), /\.xlsx$/);
    assert.equal(sql(`SELECT state FROM job WHERE id=${id}`), 'done');
    // the list shows it
    await page.goto(BASE + '/report/jobs');
    assert.ok(await page.isVisible(`#job-${id}`));
    await shot(page, 'list');
  } finally {
    await b.close();
  }
});

test('a leader browses the archive by period and downloads the same PDF again', async () => {
  const b = await browser();
  try {
    const page = await logIn(b, leader);
    const y = 2000 + (process.pid % 20);
    const end = Date.now() + 60000;
    while (Date.now() < end && Number(sql(`SELECT COUNT(*) FROM report_archive WHERE YEAR(period_start)=${y} AND state='done'`)) < 2) await sleep(300);
    await page.goto(BASE + '/report/archive');
    await page.selectOption('#f-year', String(y));
    await page.selectOption('#f-kind', 'month');
    await page.click('.filters button[type=submit]');
    await page.waitForURL(/\/report\/archive\?/);
    const row = page.locator('#list tbody tr').first();
    const shown = (await row.locator('code.sha').textContent()).trim();
    assert.match(shown, /^[0-9a-f]{64}$/);
    await shot(page, 'archive');
    const [dl] = await Promise.all([page.waitForEvent('download'), row.locator('a[href^="/report/archive/file"]').click()]);
    const file = path.join(OUT, 'jobs-archive.pdf');
    await dl.saveAs(file);
    const body = fs.readFileSync(file);
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    assert.equal(sha(body), shown, 'the same PDF as recorded');
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

// Latin words a Chinese user reads on the page, other than file formats, checksums and the user's own data
function latin(text, allowed) {
  // (a file's name ends in its extension: data)
  const ok = new Set(['CSV', 'XLSX', 'PDF', 'csv', 'xlsx', 'pdf', 'MB', 'Diaodu', 'English', ...allowed]);
  return [...new Set((text.match(/[A-Za-z][A-Za-z0-9_.-]*/g) || []).map((t) => t.replace(/[.-]+$/, ''))
    .filter((t) => t && !ok.has(t) && !/^[0-9a-f]{16,64}$/.test(t)))];
}

test('axe-core and words: the job pages and the archive, on a desktop and a phone, in Chinese and English', async () => {
  const b = await browser();
  try {
    const found = [], words = [];
    const jid = sql(`SELECT MAX(j.id) FROM job j JOIN app_user u ON u.id=j.user_id WHERE u.login='${disp}'`);
    for (const [who, urls] of [[disp, ['/report/jobs', `/report/job?id=${jid}`]], [leader, ['/report/archive', '/report/jobs']]]) {
      for (const viewport of [{ width: 1200, height: 860 }, { width: 390, height: 844 }]) {
        const page = await logIn(b, who, { bypassCSP: true, viewport });   // axe is injected as a script
        for (const url of urls) {
          const res = await page.goto(BASE + url);
          assert.equal(res.status(), 200, url);
          for (const v of await axe(page)) found.push(`${url} ${viewport.width}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
          const bad = latin(await page.evaluate(() => document.body.innerText), [who]);
          if (bad.length) words.push(`${url}: ${bad.join(', ')}`);
          if (viewport.width === 390) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, `${url} fits 390 px`);
        }
        await page.goto(BASE + '/lang?to=en&next=/report/jobs');
        for (const url of urls) {
          await page.goto(BASE + url);
          for (const v of await axe(page)) found.push(`${url} en ${viewport.width}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
        }
      }
    }
    assert.deepEqual(found, []);
    assert.deepEqual(words, [], 'Latin words in the Chinese pages');
  } finally {
    await b.close();
  }
});
