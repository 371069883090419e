import { chromium } from 'playwright-core';
const [,, url, out, width, cookie] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const ctx = await b.newContext({ viewport: { width: Number(width || 1200), height: 900 } });
await ctx.addCookies([{ name: 'dd_sess', value: cookie, url: 'http://127.0.0.1:8780' }]);
const p = await ctx.newPage();
await p.goto(url);
await p.screenshot({ path: out, fullPage: true });
await b.close();
