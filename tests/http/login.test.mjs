// login.test.mjs -- logging in and out through nginx and the login workers,
// against the real MariaDB: sessions, cookies, CSRF, throttling, audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, login, location, sql, q, mkuser, uniq, tokenHash, lastAudit, csrfOf } from './lib.mjs';

const PW = 'Tiao#du-2026x';

test('the login page is Chinese, has a CSRF field and the security headers', async () => {
  const c = new Client();
  const res = await c.get('/login');
  assert.equal(res.status, 200);
  assert.match(res.text_, /<title>登录 - 调度管理系统<\/title>/);
  assert.match(res.text_, /name="csrf" value="[A-Za-z0-9_-]{43}"/);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'same-origin');
  const setc = res.headers.getSetCookie().join('\n');
  assert.match(setc, /dd_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  assert.doesNotMatch(res.text_, /<script/i, 'no script on the page');
});

test('the portal needs a session: redirect to the login page', async () => {
  const res = await new Client().get('/');
  assert.equal(res.status, 303);
  assert.equal(location(res), '/login');
  const deep = await new Client().get('/password');
  assert.equal(deep.status, 303);
  assert.equal(location(deep), '/login?next=/password');
});

test('a good login sets an HttpOnly SameSite session cookie and shows the portal', async () => {
  const name = uniq('zhang');
  mkuser(name, PW, { name: '张三' });
  const c = await login(name, PW);
  assert.equal(c.last.status, 303);
  assert.equal(location(c.last), '/');
  const cookie = c.last.headers.getSetCookie().find((s) => s.startsWith('dd_sess='));
  assert.match(cookie, /^dd_sess=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/, 'no Secure over plain http');
  const portal = await c.get('/');
  assert.equal(portal.status, 200);
  assert.match(portal.text_, /张三/);
  assert.match(portal.text_, /信息中心/);
  assert.match(portal.text_, /报表录入/, 'a clerk sees data entry');
  assert.doesNotMatch(portal.text_, /系统管理/, 'a clerk does not see administration');
  const a = lastAudit('login.ok');
  assert.equal(a.login, name);
  assert.equal(a.result, 'ok');
  assert.equal(a.ip, '127.0.0.1');
  assert.ok(a.ua.length > 0, 'user agent recorded');
});

test('only a hash of the session token is stored', async () => {
  const name = uniq('hash');
  const id = mkuser(name, PW);
  const c = await login(name, PW);
  const tok = c.jar.get('dd_sess');
  const stored = sql(`SELECT HEX(token_hash) FROM session WHERE user_id=${id}`).toLowerCase();
  assert.equal(stored, tokenHash(tok));
  assert.notEqual(stored, Buffer.from(tok, 'base64url').toString('hex'));
});

test('a wrong password and an unknown account get the same answer', async () => {
  const name = uniq('li');
  mkuser(name, PW);
  const wrong = (await login(name, 'Wrong#pass1')).last;
  const unknown = (await login(uniq('nobody'), 'Wrong#pass1')).last;
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.match(wrong.text_, /账户或密码错误/);
  const strip = (h) => h.replace(/name="csrf" value="[^"]+"/, '').replace(/value="[^"]*"/g, '');
  assert.equal(strip(wrong.text_), strip(unknown.text_));
  const a = lastAudit('login.fail');
  assert.equal(a.result, 'fail');
});

test('five failures lock the account for 30 minutes, without telling whether it exists', async () => {
  const name = uniq('wang');
  mkuser(name, PW);
  const ghost = uniq('ghost');
  for (let i = 0; i < 5; i++) {
    await login(name, 'Bad#guess' + i);
    await login(ghost, 'Bad#guess' + i);
  }
  const locked = (await login(name, PW)).last;       // right password, still locked
  assert.equal(locked.status, 429);
  assert.match(locked.text_, /已被临时锁定/);
  assert.equal(locked.headers.getSetCookie().some((s) => s.startsWith('dd_sess=')), false);
  const ghostLocked = (await login(ghost, PW)).last;
  assert.equal(ghostLocked.status, 429, 'unknown names lock the same way');
  const lock = lastAudit('login.lockout');
  assert.equal(lock.result, 'denied');
  const until = sql(`SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), locked_until) FROM login_lock WHERE lock_key=${q('u:' + name)}`);
  assert.ok(Number(until) >= 29 && Number(until) <= 30, `locked for 30 minutes, got ${until}`);
  // when the lock has run out, the right password works again
  sql(`UPDATE login_lock SET locked_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE lock_key=${q('u:' + name)}`);
  assert.equal((await login(name, PW)).last.status, 303);
});

test('a POST without or with a wrong CSRF token is refused with 403', async () => {
  const name = uniq('csrf');
  mkuser(name, PW);
  const c = new Client();
  await c.get('/login');
  const none = await c.post('/login', { login: name, password: PW });
  assert.equal(none.status, 403);
  assert.match(none.text_, /安全校验未通过/);
  const bad = await c.post('/login', { login: name, password: PW, csrf: 'A'.repeat(43) });
  assert.equal(bad.status, 403);
  // logged in: the session's own token is required
  const s = await login(name, PW);
  const out = await s.post('/logout', { csrf: s.jar.get('dd_csrf') });
  assert.equal(out.status, 403, 'the pre-login token is not the session token');
  assert.equal((await s.get('/')).status, 200, 'still logged in');
});

test('logout ends the session on the server', async () => {
  const name = uniq('zhao');
  mkuser(name, PW);
  const c = await login(name, PW);
  const stolen = new Client();
  stolen.jar.set('dd_sess', c.jar.get('dd_sess'));
  assert.equal((await stolen.get('/')).status, 200);
  const portal = await c.get('/');
  const out = await c.post('/logout', { csrf: csrfOf(portal.text_) });
  assert.equal(out.status, 303);
  assert.equal(location(out), '/login?bye=1');
  assert.match(out.headers.getSetCookie().join(), /dd_sess=; Path=\/; Max-Age=0/);
  const again = await stolen.get('/');
  assert.equal(again.status, 303, 'the old cookie no longer works');
  assert.equal(lastAudit('logout').login, name);
});

test('idle and absolute timeouts end sessions', async () => {
  const name = uniq('idle');
  const id = mkuser(name, PW);
  const c = await login(name, PW);
  assert.equal((await c.get('/')).status, 200);
  sql(`UPDATE session SET last_seen_at = last_seen_at - INTERVAL 31 MINUTE WHERE user_id=${id}`);
  assert.equal((await c.get('/')).status, 303, 'idle for 31 minutes');
  assert.equal(sql(`SELECT COUNT(*) FROM session WHERE user_id=${id}`), '0');
  const d = await login(name, PW);
  sql(`UPDATE session SET created_at = created_at - INTERVAL 13 HOUR WHERE user_id=${id}`);
  assert.equal((await d.get('/')).status, 303, 'older than 12 hours');
});

test('a deactivated account cannot log in and loses its sessions', async () => {
  const name = uniq('gone');
  const id = mkuser(name, PW);
  const c = await login(name, PW);
  sql(`UPDATE app_user SET active=0 WHERE id=${id}`);
  assert.equal((await c.get('/')).status, 303);
  assert.equal((await login(name, PW)).last.status, 401);
});

test('hostile input in the login form comes back escaped', async () => {
  const res = (await login('<script>alert(1)</script>', 'x')).last;
  assert.equal(res.status, 401);
  assert.match(res.text_, /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  assert.doesNotMatch(res.text_, /<script>alert/);
});

test('the next parameter only redirects within the site', async () => {
  const name = uniq('next');
  mkuser(name, PW);
  for (const [next, want] of [['/password', '/password'], ['//evil.example/', '/'], ['https://evil.example/', '/'], ['/\\evil', '/']]) {
    const c = new Client();
    const res = await c.submit('/login?next=' + encodeURIComponent(next), '/login', { login: name, password: PW, next });
    assert.equal(res.status, 303);
    assert.equal(location(res), want, `next=${next}`);
  }
});

test('the interface switches to English and back', async () => {
  const c = new Client();
  const sw = await c.get('/lang?to=en&next=/login');
  assert.equal(sw.status, 303);
  const en = await c.get('/login');
  assert.match(en.text_, /<html lang="en">/);
  assert.match(en.text_, />Log in</);
  await c.get('/lang?to=zh_CN&next=/login');
  assert.match((await c.get('/login')).text_, /登录/);
});

test('long Chinese names and a malformed User-Agent are audited, not a 500', async () => {
  const c = new Client({ 'user-agent': 'Moz\xFFilla/5.0 ' + 'x'.repeat(300) });
  const res = (await login('张'.repeat(30), 'Wrong#pass1', c)).last;
  assert.equal(res.status, 401);
  const a = lastAudit('login.fail');
  assert.equal(a.login, '张'.repeat(21), 'cut on a character boundary to the column');
  assert.match(a.ua, /^Moz\?illa/);
});

// HTTPS through the same nginx (the test instance listens with a self-signed
// certificate on DIAODU_TLS_PORT): cookies carry Secure, HSTS is sent
import https from 'node:https';
function tls(method, path, { body, cookie } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: Number(process.env.DIAODU_TLS_PORT || 18443), path, method,
      rejectUnauthorized: false,
      headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) } },
    (res) => { let d = ''; res.on('data', (c) => { d += c; }); res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: d })); });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

test('over HTTPS the cookies are Secure and HSTS is sent', async () => {
  const name = uniq('tls');
  mkuser(name, PW);
  const page = await tls('GET', '/login');
  assert.equal(page.status, 200);
  const pre = page.headers['set-cookie'].find((s) => s.startsWith('dd_csrf='));
  assert.match(pre, /; HttpOnly; SameSite=Lax; Secure$/);
  assert.match(page.headers['strict-transport-security'], /max-age=\d+/);
  const csrf = /dd_csrf=([^;]+)/.exec(pre)[1];
  const res = await tls('POST', '/login', { cookie: `dd_csrf=${csrf}`,
    body: new URLSearchParams({ csrf, login: name, password: PW }).toString() });
  assert.equal(res.status, 303);
  const sess = res.headers['set-cookie'].find((s) => s.startsWith('dd_sess='));
  assert.match(sess, /^dd_sess=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
});

test('a password older than Password.MaxAgeDays must be changed', async () => {
  const name = uniq('old');
  const id = mkuser(name, PW);
  sql(`UPDATE app_user SET pw_changed_at = UTC_TIMESTAMP() - INTERVAL 91 DAY WHERE id=${id}`);
  const c = await login(name, PW);
  const home = await c.get('/');
  assert.equal(home.status, 303);
  assert.equal(location(home), '/password');
  assert.match((await c.get('/password')).text_, /已被重置\/过期/);
});
