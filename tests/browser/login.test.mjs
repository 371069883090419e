// login.test.mjs -- the browser test: Debian's chromium, driven by
// playwright-core, logs in as a new account, sets a new password at first
// login, reaches the portal, and saves screenshots (tests/out/*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, OUT, mkuser, uniq, launchBrowser } from '../http/lib.mjs';


test('a new clerk logs in, sets a password and sees the portal', async () => {
  const name = uniq('liu');
  mkuser(name, 'Chu-shi#2026', { name: '刘晓红', mustChange: 1, roles: [['clerk', 'unit'], ['head', 'unit']] });
  const b = await launchBrowser();
  try {
    const page = await b.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(BASE + '/');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.textContent('h1'), '登录');
    await page.screenshot({ path: path.join(OUT, 'login.png') });

    await page.fill('#login', name);
    await page.fill('#password', 'wrong-password');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.msg-error'), /账户或密码错误/);

    await page.fill('#password', 'Chu-shi#2026');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/password$/);
    assert.match(await page.textContent('.msg-warn'), /请先设置新密码/);
    await page.fill('#old', 'Chu-shi#2026');
    await page.fill('#new', 'abc');
    await page.fill('#again', 'abc');
    await page.click('form[action="/password"] button[type=submit]');
    assert.match(await page.textContent('.msg-error'), /太短/);
    await page.fill('#old', 'Chu-shi#2026');
    await page.fill('#new', 'Xin-de#mima9');
    await page.fill('#again', 'Xin-de#mima9');
    await page.click('form[action="/password"] button[type=submit]');
    await page.waitForURL(/\/\?changed=1$/);
    const body = await page.textContent('main');
    assert.match(body, /刘晓红/);
    assert.match(body, /信息中心/);
    assert.match(body, /报表录入/);
    assert.match(body, /报表审核/);
    await page.screenshot({ path: path.join(OUT, 'portal.png'), fullPage: true });

    // the same pages on a phone
    const phone = await b.newPage({ viewport: { width: 375, height: 700 }, isMobile: true });
    await phone.goto(BASE + '/login');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no horizontal scrolling on a phone (${width}px)`);
    await phone.screenshot({ path: path.join(OUT, 'login-phone.png') });

    await page.click('header button.link');           // 退出
    await page.waitForURL(/\/login\?bye=1$/);
    assert.match(await page.textContent('.msg-ok'), /已安全退出/);
  } finally {
    await b.close();
  }
});
