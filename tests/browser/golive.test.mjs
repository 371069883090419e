// golive.test.mjs -- going live from an empty install with the customer's own
// spreadsheets, in the browser only, as a customer's information centre
// would: an instance of its own started without the demo company
// (DIAODU_DEMO=0, var/golive, the test port + 1), the first admin's one-time
// password, then the files of tests/fixtures/golive as the customer sent
// them -- their own column titles, an organisation chart in XLSX with a
// title row, formatted blank rows, parents given by name and a duplicate
// code in the middle (and their corrected export), accounts in GBK with
// their own words for roles (科长, 班长, 总经理, 审计), units by name, trailing
// spaces, a column the system has no field for and a phone number Excel
// turned into 1.39E+10, and vehicles with a legacy 旧编号 column.  Every
// column and role word is placed on the page; no file is edited.  The
// test checks the tree (set-up's company root and 信息中心 taken over: no
// duplicate, no retired code), accounts, scopes, the pending auditor, base
// data and readiness, and prints how many uploads and page loads it took.
// Screenshots at 1280 px and 390 px: tests/out/golive-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../http/lib.mjs';

const OUT = path.join(ROOT, 'tests/out');
const FIX = path.join(ROOT, 'tests/fixtures/golive');
const VAR = path.join(ROOT, 'var/golive');
const PORT = Number(process.env.DIAODU_GOLIVE_PORT || Number(process.env.DIAODU_PORT || 18080) + 1);
const BASE = `http://127.0.0.1:${PORT}`;
const BUILD = process.env.DIAODU_BUILD || 'build-asan';
const ADMIN_PW = 'Xin-xi#zhongxin26';
fs.mkdirSync(OUT, { recursive: true });

// the empty install: its own MariaDB, workers and nginx, no demo company
const env = () => {
  const e = { ...process.env, DIAODU_INSTANCE: 'golive', DIAODU_DEMO: '0', DIAODU_PORT: String(PORT), DIAODU_BUILD: BUILD };
  delete e.DIAODU_TLS_PORT;
  return e;
};
const diaodu = (cmd) => execFileSync(path.join(ROOT, 'diaodu'), [cmd], { env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000 });
const sql = (query) => execFileSync('mariadb', ['--no-defaults', `--socket=${VAR}/run/mysqld.sock`, '-uroot',
  '--default-character-set=utf8mb4', '-N', '-B', 'diaodu', '-e', query], { encoding: 'utf8' }).trim();
const ctl = (...args) => execFileSync(path.join(ROOT, BUILD, 'bin', 'diaodu-ctl'),
  ['-c', path.join(ROOT, 'conf/diaodu.conf'), '-c', path.join(VAR, 'local.conf'), ...args], { encoding: 'utf8' }).trim();

before(() => {
  try { diaodu('stop'); } catch { /* not running */ }
  fs.rmSync(VAR, { recursive: true, force: true });
  diaodu('start');
});
after(() => { try { diaodu('stop'); } catch { /* already stopped */ } });

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

test('go-live from an empty install with the customer\'s own files, every mapping on the page', async () => {
  assert.equal(sql('SELECT GROUP_CONCAT(code ORDER BY id) FROM org_unit'), '100,100090', 'set-up made the company root and 信息中心');
  assert.equal(sql('SELECT COUNT(*) FROM app_user'), '1', 'and the first admin, nothing else');
  const initial = fs.readFileSync(path.join(VAR, 'initial-admin.txt'), 'utf8').trim();
  const b = await browser();
  let uploads = 0, loads = 0;
  const shots = async (page, name) => {
    await page.screenshot({ path: path.join(OUT, `golive-${name}.png`), fullPage: true });
    const phone = await page.context().browser().newContext({ viewport: { width: 390, height: 800 }, isMobile: true,
      storageState: await page.context().storageState() });
    const p = await phone.newPage();
    // the same page on a phone: a result page is a POST, so show what the phone would get for a GET of it
    if (page.url().match(/\/admin\/import\/(check|map|apply)$/)) await p.setContent(await page.content(), { waitUntil: 'load' });
    else await p.goto(page.url());
    await p.addStyleTag({ url: BASE + '/static/diaodu.css' }).catch(() => {});
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${name}: no sideways scrolling of the page on a phone (${width}px)`);
    await p.screenshot({ path: path.join(OUT, `golive-${name}-390.png`), fullPage: true });
    await phone.close();
  };
  try {
    const ctx = await b.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.on('load', () => loads++);
    const text = async (sel) => ((await page.textContent(sel)) || '').replace(/\s+/g, ' ');
    const choose = async (table, cell, value) =>
      page.locator(`${table} tr`, { has: page.locator('td', { hasText: new RegExp(`^\\s*${cell}\\s*$`) }) }).locator('select').selectOption(value);
    const upload = async (kind, file) => {
      await page.click('nav.subnav a[href="/admin/import"]');
      await page.selectOption('#kind', kind);
      await page.setInputFiles('#file', path.join(FIX, file));
      await page.click('form[action="/admin/import/check"] button[type=submit]');
      await page.waitForURL(/\/admin\/import\/check$/);
      uploads++;
      return text('#summary').catch(() => '');
    };
    const remap = async () => {
      await page.click('#remap');
      await page.waitForURL(/\/admin\/import\/map$/);
      return text('#summary');
    };
    const confirm = async () => {
      await page.click('#confirm');
      await page.waitForURL(/\/admin\/import\/apply$/);
      assert.match(await text('.msg-ok'), /导入完成/);
    };

    // the first log-in: the one-time password, then the admin's own
    await page.goto(BASE + '/login');
    await page.fill('#login', 'admin');
    await page.fill('#password', initial);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/password$/);
    await page.fill('#old', initial);
    await page.fill('#new', ADMIN_PW);
    await page.fill('#again', ADMIN_PW);
    await page.click('form[action="/password"] button[type=submit]');
    await page.waitForURL(/\/\?changed=1$/);
    await page.click('a[href="/admin/"]');

    // 1. the organisation chart, XLSX: every column shown; two need a choice; a duplicate code
    let sum = await upload('units', 'golive-units.xlsx');
    assert.match(sum, /数据行 12 · 新增 9 · 更新 2 · 无变化 0 · 错误 1 · 有错误的行 1/);
    assert.match(await text('#need-map'), /有的列还没有对应的字段/);
    const cols = await page.$$eval('#cols tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent.trim())));
    assert.deepEqual(cols.map((c) => [c[0], c[1], c[3].replace(/（.*/, '')]), [
      ['A', '部门编号', '单位编码'], ['B', '部门名称', '单位名称'], ['C', '上级部门', '上级单位编码'], ['D', '层级', '类型'], ['E', '显示顺序', '排序'],
      ['F', '旧编号', '这一列的值都不是系统中已有的编码，不像新旧编码对照；如是旧编号请“忽略”或“新增为字段”保留'], ['G', '部门负责人', '未识别，请选择']]);
    assert.deepEqual(await page.$$eval('table.errors tbody td', (tds) => tds.map((td) => td.textContent.trim())),
      ['12', '单位编码', 'CD02（第 8 行）', '编码在文件中重复出现。']);
    assert.match(await text('#adopt'), /后勤服务公司 100 → 华东后勤服务集团 HQ/);
    assert.match(await text('#adopt'), /信息中心 100090 → 信息中心 XXZX/);
    assert.equal(await page.$('#confirm'), null);
    await shots(page, 'units-columns');
    await choose('#cols', '旧编号', '-');
    await choose('#cols', '部门负责人', '-');
    sum = await remap();
    assert.match(await text('main'), /对照已保存/);
    assert.match(sum, /错误 1 · 有错误的行 1/, 'the duplicate is still there: the customer corrects their export');
    // the customer's corrected export, same layout: no clicks
    sum = await upload('units', 'golive-units-fixed.xlsx');
    assert.match(sum, /数据行 12 · 新增 10 · 更新 2 · 无变化 0 · 错误 0 · 有错误的行 0/);
    const state = async (header) => page.$$eval('#cols tbody tr', (trs, h) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()))
      .filter((td) => td[1] === h).map((td) => td[3])[0], header);
    assert.equal(await state('旧编号'), '忽略', 'the choice made for the first export');
    assert.equal(await state('部门负责人'), '忽略');
    const tree = await page.$$eval('#preview tbody tr', (trs) => trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      return `${td[2].className.replace('d', '')}:${td[2].textContent.trim()}`;
    }));
    assert.deepEqual(tree, ['0:华东后勤服务集团 HQ', '1:调度中心 DDZX', '1:车队 CD', '2:货运班 CD02', '2:客运班 CD01', '2:货运二班 CD03',
      '1:维修中心 WX', '2:水电班 WX01', '2:土建班 WX02', '1:餐饮中心 CT', '2:第一食堂 CT01', '1:信息中心 XXZX'], 'the tree before confirming');
    await shots(page, 'units-preview');
    await confirm();

    // 2. accounts, GBK: the customer's words for roles, two columns to ignore, a mangled phone
    sum = await upload('users', 'golive-accounts-gbk.csv');
    assert.match(sum, /数据行 15 · 新增 6 .* 有错误的行 9/);
    assert.deepEqual(await page.$$eval('#words tbody tr td:first-child', (tds) => tds.map((td) => td.textContent.trim())), ['总经理', '科长', '班长', '审计']);
    assert.match(await text("#warnings"), /4电话1\.39E\+10这个数字被 Excel 改成了科学计数法/);
    await choose('#cols', '序号', '-');
    await choose('#cols', '备注', '-');
    await choose('#words', '总经理', 'leader');
    await choose('#words', '科长', 'head');
    await choose('#words', '班长', 'head');
    await choose('#words', '审计', 'auditor+pending');
    await shots(page, 'accounts-mapping');
    sum = await remap();
    assert.match(sum, /数据行 15 · 新增 15 · 更新 0 · 无变化 0 · 错误 0 · 有错误的行 0/);
    const preview = Object.fromEntries(await page.$$eval('#preview tbody tr', (trs) => trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      return [td[2].textContent.trim().split(/\s+/).pop(), td[3].textContent.trim()];
    })));
    assert.match(preview.likz, /单位：车队（CD）.*角色：审核人（本单位及下级）/);
    assert.doesNotMatch(preview.likz, /电话/, 'the mangled phone is not stored');
    assert.match(preview.zhaobz, /单位：客运班（CD01）.*角色：审核人（本单位）/);
    assert.match(preview.zhust, /审核人（本单位）、录入员（本单位）/);
    assert.match(preview.chenzong, /领导（全部）/);
    assert.match(preview.zhouxin, /审计员（全部，本人激活后生效）/);
    await shots(page, 'accounts-preview');
    await confirm();
    assert.match(await text('#pending'), /周信 zhouxin：diaodu-ctl activation-code zhouxin/);
    const csvHref = await page.locator('a', { hasText: '下载激活码清单 (CSV)' }).getAttribute('href');
    const sheet = (await (await page.request.get(BASE + csvHref)).text()).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    assert.equal(sheet.length, 1 + 14, 'codes for everyone but the auditor');
    assert.ok(!sheet.some((r) => r[0] === 'zhouxin'));
    const codeOf = (login) => sheet.find((r) => r[0] === login)[4];

    // 3. vehicles: the legacy number kept as a new field, the purchase date ignored, units by name
    sum = await upload('base:vehicle', 'golive-vehicles.csv');
    assert.match(sum, /数据行 5 · 新增 5/);
    await choose('#cols', '旧编号', '+');
    await choose('#cols', '购置日期', '-');
    sum = await remap();
    assert.match(sum, /数据行 5 · 新增 5 · 更新 0 · 无变化 0 · 错误 0 · 有错误的行 0/);
    await confirm();

    // what the browser did, checked in the database
    assert.equal(sql('SELECT COUNT(*) FROM org_unit'), '12', 'no duplicate of the company root or 信息中心');
    assert.equal(sql("SELECT COUNT(*) FROM org_unit WHERE code IN ('100', '100090')"), '0');
    assert.equal(sql('SELECT COUNT(*) FROM code_map'), '0', 'no code retired');
    assert.equal(sql("SELECT CONCAT(o.code, ' ', o.name) FROM app_user a JOIN org_unit o ON o.id=a.org_unit_id WHERE a.login='admin'"), 'XXZX 信息中心',
      'the admin stays in the information centre, which took over the pre-created one');
    assert.equal(sql("SELECT GROUP_CONCAT(CONCAT(u.code, '<', IFNULL(p.code, '-')) ORDER BY u.code) FROM org_unit u LEFT JOIN org_unit p ON p.id=u.parent_id"),
      'CD<HQ,CD01<CD,CD02<CD,CD03<CD,CT<HQ,CT01<CT,DDZX<HQ,HQ<-,WX<HQ,WX01<WX,WX02<WX,XXZX<HQ');
    const grants = sql(`SELECT GROUP_CONCAT(CONCAT(a.login, ':', r.code, ':', ur.scope, '@', o.code) ORDER BY a.login, r.code) FROM user_role ur
      JOIN app_user a ON a.id=ur.user_id JOIN role r ON r.id=ur.role_id JOIN org_unit o ON o.id=ur.org_unit_id WHERE a.login <> 'admin'`);
    assert.equal(grants, ['chenzong:leader:all@HQ', 'fenglr:clerk:unit@WX01', 'hanbz:head:unit@WX02', 'jiangbz:head:unit@WX01',
      'likz:head:subtree@CD', 'qianlr:clerk:unit@CD01', 'shenlr:clerk:unit@WX02', 'sunbz:head:unit@CD02', 'wangdd:dispatcher:all@DDZX',
      'wulr:clerk:unit@CD02', 'yanglr:clerk:unit@CD03', 'zhaobz:head:unit@CD01', 'zhengkz:head:subtree@WX', 'zhust:clerk:unit@CT01',
      'zhust:head:unit@CT01'].join(','));
    assert.equal(sql("SELECT IFNULL(phone, 'NULL') FROM app_user WHERE login='likz'"), 'NULL');
    assert.equal(sql("SELECT COUNT(*) FROM pending_grant p JOIN app_user a ON a.id=p.user_id WHERE a.login='zhouxin'"), '1');
    assert.equal(sql("SELECT GROUP_CONCAT(CONCAT(i.code, '@', o.code, ':', IFNULL(i.a5, '-')) ORDER BY i.code) FROM base_item i JOIN org_unit o ON o.id=i.org_unit_id"),
      'V001@CD01:CL-2015-01,V002@CD01:CL-2016-07,V003@CD02:CL-2018-02,V004@CD03:-,V005@WX01:CL-2012-11');
    assert.equal(sql("SELECT label FROM base_field f JOIN base_kind k ON k.id=f.kind_id WHERE k.code='vehicle' AND f.col=5"), '旧编号');

    // the tree as the admin sees it, siblings by their sort number then code
    await page.click('nav.subnav a[href="/admin/units"]');
    const listed = await page.$$eval('table.tree tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent.trim()));
    assert.deepEqual(listed, ['HQ', 'DDZX', 'CD', 'CD02', 'CD01', 'CD03', 'WX', 'WX01', 'WX02', 'CT', 'CT01', 'XXZX']);
    await shots(page, 'units');

    // readiness: what each unit still needs, in words
    const ready = async () => {
      await page.click('nav.subnav a[href="/admin/readiness"]');
      return Object.fromEntries(await page.$$eval('table.ready tbody tr', (trs) => trs.map((tr) =>
        [tr.querySelector('code').textContent.trim(), tr.querySelector('td.state').textContent.replace(/\s+/g, '')])));
    };
    let ok = await ready();
    assert.equal(ok.HQ, '不需填报：公司本级，由各部门填报');
    assert.equal(ok.XXZX, '不需填报：只有调度、领导、管理或审计人员');
    assert.equal(ok.DDZX, '不需填报：只有调度、领导、管理或审计人员');
    assert.equal(ok.CD, '不需填报：由下级单位填报');
    assert.equal(ok.CT, '不需填报：由下级单位填报');
    assert.equal(ok.CD01, '未就绪：审核人尚未激活；录入员尚未激活');
    assert.equal(ok.CD03, '未就绪：审核人尚未激活；录入员尚未激活', '货运二班 has no head of its own: the 车队 head reaches it');
    await shots(page, 'readiness');

    // two colleagues of 客运班 activate with their codes; the auditor with the operator's
    const activate = async (login, code, pw) => {
      const other = await b.newContext({ viewport: { width: 390, height: 800 }, isMobile: true });
      const p = await other.newPage();
      p.on('load', () => loads++);
      await p.goto(BASE + '/activate');
      await p.fill('#login', login);
      await p.fill('#code', code);
      await p.fill('#new', pw);
      await p.fill('#again', pw);
      await p.click('form[action="/activate"] button[type=submit]');
      await p.waitForURL(/\/\?activated=1$/);
      const main = (await p.textContent('main')).replace(/\s+/g, ' ');
      await other.close();
      return main;
    };
    await activate('qianlr', codeOf('qianlr'), 'Qian-lu#2026ru');
    await activate('zhaobz', codeOf('zhaobz'), 'Zhao-ban#2026zh');
    ok = await ready();
    assert.equal(ok.CD01, '就绪');
    // issue 12 (三员分立): an administrator makes no one an auditor alone -- the
    // security officer, appointed by the operator, confirms the proposed grant
    const soPw = 'Bao-mi#2026yuan';
    const soHash = execFileSync(path.join(ROOT, BUILD, 'bin', 'diaodu-ctl'), ['-c', path.join(ROOT, 'conf/diaodu.conf'),
      '-c', path.join(VAR, 'local.conf'), 'hash'], { encoding: 'utf8', input: soPw + '\n' }).trim();
    sql(`INSERT INTO app_user (login, name, org_unit_id, pw_hash, must_change, pw_changed_at, created_at, updated_at)
         SELECT 'golive_so', '保密员', id, '${soHash}', 0, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit WHERE code = 'XXZX'`);
    ctl('grant-officer', 'golive_so');
    const so = await b.newContext({ viewport: { width: 1100, height: 800 } });
    const sp = await so.newPage();
    await sp.goto(BASE + '/login');
    await sp.fill('#login', 'golive_so');
    await sp.fill('#password', soPw);
    await sp.click('form[action="/login"] button[type=submit]');
    await sp.waitForURL(BASE + '/');
    await sp.click('a.menu-title[href="/audit/officer"]');
    await sp.locator('#pending tr', { hasText: 'zhouxin' }).locator('button', { hasText: '确认' }).click();
    await sp.waitForURL(/ok=confirmed$/);
    await so.close();
    const auditorCode = ctl('activation-code', 'zhouxin');
    const portal = await activate('zhouxin', auditorCode, 'Zhou-xin#2026sj');
    assert.match(portal, /审计日志/, 'the auditor role took effect on activation');
    assert.equal(sql("SELECT CONCAT(r.code, ':', ur.scope) FROM user_role ur JOIN role r ON r.id=ur.role_id JOIN app_user a ON a.id=ur.user_id WHERE a.login='zhouxin'"), 'auditor:all');
    await ctx.close();
    console.log(`# go-live: ${uploads} uploads, ${loads} page loads`);
    assert.ok(uploads <= 5, `uploads: ${uploads}`);
  } finally {
    await b.close();
  }
});
