// audit.test.mjs -- the browser test of 安全审计, in headless chromium:
//  - a clerk of a motor-pool team changes a return odometer on one of the
//    demo company's 车辆调度日报 sheets, so its 行驶里程 changes; the auditor
//    finds who changed that sheet's mileage, from which address and when,
//    sees the change row by row and field by field (the form's own labels),
//    follows the sheet's whole history and exports it to CSV;
//  - the same for a base-data vehicle's 载重(吨) changed by an administrator.
// Screenshots: tests/out/audit-*.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, OUT, login, sql, q, uniq, csrfOf, formFields, launchBrowser, demoSafeMkuser } from '../http/lib.mjs';

async function logIn(page, who) {
  await page.goto(BASE + '/login');
  await page.fill('#login', who);
  await page.fill('#password', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(BASE + '/');
}

const PW = 'Liu-lan#2026qi';
const mkuser = demoSafeMkuser(after);

test('the auditor finds who changed a vehicle sheet\'s mileage, from where and when, and exports its history', async () => {
  // one of the demo company's vehicle sheets (of the last days) a team's clerk may still edit
  const [entryId, team] = sql(`SELECT e.id, u.code FROM entry e JOIN form f ON f.id = e.form_id JOIN org_unit u ON u.id = e.org_unit_id
    WHERE f.code = 'vehicle_daily' AND e.status = 'draft' AND e.period_key >= DATE_FORMAT(UTC_TIMESTAMP() + INTERVAL 8 HOUR - INTERVAL 3 DAY, '%Y-%m-%d')
      AND EXISTS (SELECT 1 FROM f_vehicle_daily_r r WHERE r.entry_id = e.id AND r.line = 1)
    ORDER BY e.period_key DESC, e.id LIMIT 1`).split('\t');
  assert.ok(entryId, 'the demo has a draft vehicle sheet');
  const [start, oldKm] = sql(`SELECT odo_start, mileage FROM f_vehicle_daily_r WHERE entry_id = ${entryId} AND line = 1`).split('\t');
  const km = oldKm === '123.4' ? '234.5' : '123.4';
  const end = (Number(start) + Number(km)).toFixed(1);
  const clerkName = uniq('lc');
  mkuser(clerkName, PW, { name: '改里程的人', unit: team, roles: [['clerk', 'unit']] });
  const auditorName = uniq('sj');
  mkuser(auditorName, PW, { name: '审计员甲', unit: '100090', roles: [['auditor', 'all']] });
  const b = await launchBrowser();
  try {
    // the change: the clerk corrects row 1's return odometer and saves
    const cctx = await b.newContext({ viewport: { width: 1200, height: 900 } });
    const cpage = await cctx.newPage();
    await logIn(cpage, clerkName);
    await cpage.goto(`${BASE}/entry/edit?id=${entryId}`);
    await cpage.fill('#r0-odo_end', end);
    await Promise.all([cpage.waitForLoadState('load'), cpage.click('#op-save')]);
    await cpage.waitForURL((u) => !/\/entry\/edit\?id=\d+$/.test(u.toString()));
    assert.match(cpage.url(), /\/entry\/edit\?id=\d+&ok=saved$/,
      `saved: ${await cpage.locator('#sheet-msg, .ferr, .msg-error').allTextContents()}`);
    await cctx.close();
    assert.equal(sql(`SELECT mileage FROM f_vehicle_daily_r WHERE entry_id = ${entryId} AND line = 1`), km, 'the mileage changed');
    const [recId, ip, at] = sql(`SELECT id, ip, DATE_FORMAT(CONVERT_TZ(at, '+00:00', '+08:00'), '%Y-%m-%d %H:%i:%s') FROM audit_log
      WHERE object = ${q('entry:' + entryId)} AND action = 'entry.save' ORDER BY id DESC LIMIT 1`).split('\t');
    assert.ok(recId, 'the save is recorded');

    // the auditor: the sheet's records, newest first
    const ctx = await b.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const page = await ctx.newPage();
    await logIn(page, auditorName);
    await page.click('a.menu-title[href="/audit/"]');
    await page.waitForURL(/\/audit\/$/);
    await page.fill('#object', `entry:${entryId}`);
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/object=entry%3A/);
    const first = page.locator('#audit-rows tbody tr').first();
    assert.match(await first.textContent(), /保存报表/);
    assert.match(await first.textContent(), new RegExp(clerkName));
    await page.screenshot({ path: path.join(OUT, 'audit-sheet-history.png'), fullPage: true });
    // the change: who, in which role, from where, when; the mileage before and after
    await first.locator('a[href^="/audit/record?id="]').click();
    await page.waitForURL(new RegExp(`/audit/record\\?id=${recId}$`));
    const facts = await page.textContent('#record-facts');
    assert.match(facts, new RegExp(clerkName), 'who');
    assert.match(facts, /录入员/, 'in which role');
    assert.match(facts, new RegExp(team), 'of which unit');
    assert.equal((await page.textContent('#record-ip')).trim(), ip, 'from which address');
    assert.match(facts, new RegExp(at), 'when, in the company\'s time');
    const row = page.locator('#changes tr.changed', { hasText: '行驶里程' });
    assert.equal(await row.count(), 1, 'the mileage is shown as changed');
    assert.deepEqual(await row.locator('td').allTextContents(), ['第1行 行驶里程', oldKm, km]);
    assert.equal(await page.locator('#changes tr.changed', { hasText: '返回里程表' }).count(), 1, 'and the odometer it came from');
    await page.screenshot({ path: path.join(OUT, 'audit-sheet-record.png'), fullPage: true });
    // the sheet's whole history (the demo's entry and approvals too), exported
    await page.click('#object-history');
    await page.waitForURL(/\/audit\/\?object=entry/);
    assert.ok(await page.locator('#audit-rows tbody tr').count() >= 2, 'the sheet\'s earlier records are in its history');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = path.join(OUT, 'audit-sheet-history.csv');
    await download.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    assert.match(csv[0], /^编号,时间,账户,角色/);
    const line = csv.find((l) => l.startsWith(recId + ','));
    assert.ok(line, 'the change is in the export');
    assert.match(line, new RegExp(`,${clerkName},录入员,${team},${ip.replace(/\./g, '\\.')},`));
    assert.ok(line.includes(`""field"":""mileage"",""old"":""${oldKm}"",""new"":""${km}""`), 'with the mileage before and after');
    assert.ok(csv.slice(1).every((l) => l.includes(`entry:${entryId}`)), 'only this sheet\'s records');
    assert.equal(sql(`SELECT CONCAT(action, ' ', login, ' ', object) FROM audit_log WHERE action = 'export.audit' ORDER BY id DESC LIMIT 1`),
      `export.audit ${auditorName} audit:log`, 'the export is in the log');
  } finally {
    await b.close();
  }
});

test('the auditor finds who changed a vehicle\'s load, from where and when, and exports its history', async () => {
  // the change, made by an administrator through the admin pages
  const adminName = uniq('chg');
  mkuser(adminName, PW, { name: '改数人', unit: '100090', roles: [['admin', 'all']] });
  const admin = await login(adminName, PW);
  const [itemId, code] = sql("SELECT i.id, i.code FROM base_item i JOIN base_kind k ON k.id = i.kind_id WHERE k.code = 'vehicle' ORDER BY i.id LIMIT 1").split('\t');
  const form = await admin.get(`/admin/base/item?k=vehicle&id=${itemId}`);
  const fields = formFields(form.text_, '/admin/base/item');
  const before = fields.a4 || '';
  const load = before === '7.5' ? '8.25' : '7.5';
  const saved = await admin.post('/admin/base/item', { ...fields, csrf: csrfOf(form.text_), a4: load });
  assert.equal(saved.status, 303);
  const [recId, ip, at] = sql(`SELECT id, ip, DATE_FORMAT(CONVERT_TZ(at, '+00:00', '+08:00'), '%Y-%m-%d %H:%i:%s') FROM audit_log
    WHERE object = ${q('base:vehicle:' + code)} AND action = 'base.item.update' ORDER BY id DESC LIMIT 1`).split('\t');

  const auditorName = uniq('sj');
  mkuser(auditorName, PW, { name: '审计员乙', unit: '100090', roles: [['auditor', 'all']] });
  const b = await launchBrowser();
  try {
    const ctx = await b.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(BASE + '/login');
    await page.fill('#login', auditorName);
    await page.fill('#password', PW);
    await page.click('button[type=submit]');
    await page.waitForURL(BASE + '/');
    await page.click('a.menu-title[href="/audit/"]');
    await page.waitForURL(/\/audit\/$/);
    // find the vehicle's records: by object
    await page.fill('#object', `base:vehicle:${code}`);
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/object=base%3Avehicle%3A/);
    const first = page.locator('#audit-rows tbody tr').first();
    assert.match(await first.textContent(), /修改基础数据/);
    assert.match(await first.textContent(), new RegExp(adminName));
    await page.screenshot({ path: path.join(OUT, 'audit-history.png'), fullPage: true });
    // open the change
    await first.locator('a[href^="/audit/record?id="]').click();
    await page.waitForURL(new RegExp(`/audit/record\\?id=${recId}$`));
    const facts = await page.textContent('#record-facts');
    assert.match(facts, new RegExp(adminName), 'who');
    assert.match(facts, /系统管理员/, 'in which role');
    assert.equal((await page.textContent('#record-ip')).trim(), ip, 'from which address');
    assert.match(facts, new RegExp(at), 'when, in the company\'s time');
    const row = page.locator('#changes tr.changed', { hasText: '载重(吨)' });
    assert.equal(await row.count(), 1, 'the load is shown as changed');
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual(cells, ['载重(吨)', before || '—', load]);
    await page.screenshot({ path: path.join(OUT, 'audit-record.png'), fullPage: true });
    // the vehicle's whole history, then its export
    await page.click('#object-history');
    await page.waitForURL(/\/audit\/\?object=/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = path.join(OUT, 'audit-history.csv');
    await download.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    assert.match(csv[0], /^编号,时间,账户,角色/);
    const line = csv.find((l) => l.startsWith(recId + ','));
    assert.ok(line, 'the change is in the export');
    assert.match(line, new RegExp(`,${adminName},系统管理员,100090,${ip.replace(/\./g, '\\.')},`));
    assert.ok(line.includes(`""load_t"":""${load}""`), 'with the new load');
    assert.equal(sql(`SELECT CONCAT(action, ' ', login) FROM audit_log WHERE action = 'export.audit' ORDER BY id DESC LIMIT 1`),
      `export.audit ${auditorName}`, 'the export is in the log');
  } finally {
    await b.close();
  }
});
