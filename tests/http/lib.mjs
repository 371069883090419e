// lib.mjs -- a small HTTP client with a cookie jar, and helpers that reach
// the test instance's MariaDB and diaodu-ctl; the log-in, CSRF, form,
// upload, download, audit and browser helpers the test files share.
// Used by every tests/http/*.test.mjs and tests/browser/*.test.mjs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VAR = process.env.DIAODU_VAR || path.join(ROOT, 'var', 'test');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
export const OUT = path.join(ROOT, 'tests/out');            // screenshots, TAP files
export const BASE = process.env.DIAODU_URL || `http://127.0.0.1:${process.env.DIAODU_PORT || 18080}`;
const BUILD = process.env.DIAODU_BUILD || 'build-asan';

export class Client {
  constructor(headers = {}) { this.jar = new Map(); this.headers = headers; }
  cookieHeader() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  store(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i), v = pair.slice(i + 1);
      if (v === '' || /Max-Age=0/i.test(c)) this.jar.delete(k); else this.jar.set(k, v);
    }
  }
  async request(method, url, { body, headers = {}, raw = false } = {}) {
    const h = { ...this.headers, ...headers };
    if (this.jar.size) h.cookie = this.cookieHeader();
    let payload = body;
    if (body && typeof body === 'object' && !(body instanceof Buffer) && !raw) {
      payload = new URLSearchParams(body).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(BASE + url, { method, headers: h, body: payload, redirect: 'manual' });
    this.store(res);
    res.text_ = await res.text();
    return res;
  }
  get(url, opts) { return this.request('GET', url, opts); }
  post(url, body, opts = {}) { return this.request('POST', url, { ...opts, body }); }
  // GET a page, then POST its form with the page's CSRF token
  async submit(pageUrl, action, fields) {
    const page = await this.get(pageUrl);
    const csrf = csrfOf(page.text_);
    return this.post(action, { csrf, ...fields });
  }
}

export function csrfOf(html) {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in page');
  return m[1];
}

export function location(res) {
  const l = res.headers.get('location') || '';
  return l.replace(/^https?:\/\/[^/]+/, '');
}

export async function login(login, password, client = new Client()) {
  const res = await client.submit('/login', '/login', { login, password });
  client.last = res;
  return client;
}

// An account made by mk (mkuser, or a file's demoSafeMkuser) with admin
// roles, logged in; c.csrf is its session's CSRF token (read from page),
// c.send(url, fields) POSTs a form with it.  Returns { c, name, id }.
export async function adminLogin(mk, { prefix = 'adm', name = '测试管理员', unit = '100090',
  roles = [['admin', 'all']], password, page = '/admin/' } = {}) {
  const login_ = uniq(prefix);
  const id = mk(login_, password, { name, unit, roles });
  const c = await login(login_, password);
  assert.equal(c.last.status, 303, 'the admin logs in');
  const res = await c.get(page);
  assert.equal(res.status, 200, `the admin opens ${page}`);
  c.csrf = csrfOf(res.text_);
  c.send = (url, fields) => c.post(url, { csrf: c.csrf, ...fields });
  return { c, name: login_, id };
}

// activation with a one-time code, in a fresh client; c.last is the reply
export async function activate(loginName, code, pw) {
  const c = new Client();
  const page = await c.get('/activate');
  assert.equal(page.status, 200);
  const res = await c.post('/activate', { csrf: csrfOf(page.text_), login: loginName, code, new: pw, again: pw });
  c.last = res;
  return c;
}

export const unescapeHtml = (s) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&#39;/g, "'").replace(/&amp;/g, '&');

// the text of the page's error message (the form's, or an error page's)
export const errorMessage = (html) => unescapeHtml((/<p class="msg msg-error"[^>]*>([^<]*)<\/p>/.exec(html) || [])[1] || '');

// the fields a browser would submit for the form with this action: inputs,
// the selected option of each select (else the first), textareas
export function formFields(html, action) {
  const m = new RegExp(`<form method="post" action="${action.replace(/[/?]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(m, `a form posting to ${action}`);
  const f = {};
  for (const i of m[1].matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(i[1]);
    const value = /value="([^"]*)"/.exec(i[1]);
    if (name) f[name[1]] = value ? unescapeHtml(value[1]) : '';
  }
  for (const s of m[1].matchAll(/<select id="[^"]*" name="([^"]*)">([\s\S]*?)<\/select>/g)) {
    const opts = [...s[2].matchAll(/<option value="([^"]*)"( selected)?>/g)];
    const sel = opts.find((o) => o[2]) || opts[0];
    f[s[1]] = sel ? unescapeHtml(sel[1]) : '';
  }
  for (const t of m[1].matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) f[t[1]] = unescapeHtml(t[2]);
  return f;
}

// multipart/form-data, the way a browser sends a form with a file
// (file: { name, data, type }); returns { body, type } for Client.post
export function multipart(fields, file) {
  const b = '----DiaoduTest' + Math.random().toString(16).slice(2);
  const parts = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `Content-Type: ${file.type || 'text/csv'}\r\n\r\n`), Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data),
      Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

// the 预检 of an import: the upload form of /admin/import, as a browser sends it
export function importCheck(c, kind, data, name = 'import.csv', type = 'text/csv') {
  const { body, type: ct } = multipart({ csrf: c.csrf, kind }, { name, data, type });
  return c.post('/admin/import/check', body, { raw: true, headers: { 'content-type': ct } });
}

// the counts line of an import's 预检 page, and its error table (rows with
// the spreadsheet's row number, column, value and message)
export function importSummary(html) {
  const m = /数据行 <b>(\d+)<\/b> · 新增 <b>(\d+)<\/b> · 更新 <b>(\d+)<\/b> · 无变化 <b>(\d+)<\/b> · 错误 <b>(\d+)<\/b>/.exec(html);
  return m ? { rows: +m[1], new: +m[2], updated: +m[3], same: +m[4], errors: +m[5] } : null;
}
export function importErrors(html) {
  const t = /<table class="grid errors">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  if (!t) return [];
  return [...t[1].matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => ({ row: +m[1], column: m[2], value: unescapeHtml(m[3]), msg: unescapeHtml(m[4]) }));
}
// importCheck, with the reply's .summary, .batch (to confirm) and .errors
export async function importDryRun(c, kind, data, name = 'import.csv', type = 'text/csv') {
  const res = await importCheck(c, kind, data, name, type);
  res.summary = importSummary(res.text_);
  res.batch = (/name="batch" value="(\d+)"/.exec(res.text_) || [])[1];
  res.errors = importErrors(res.text_);
  return res;
}

// the raw bytes of a download (fetch's text() would drop the BOM)
export async function download(c, url) {
  const res = await fetch(BASE + url, { headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), disp: res.headers.get('content-disposition'),
    body: Buffer.from(await res.arrayBuffer()) };
}

// a fixture of tests/fixtures with its {placeholders} filled in (a BOM stays U+FEFF)
export function fixtureText(name, vars = {}) {
  let text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, v);
  return text;
}

// SQL as MariaDB's root over the instance socket (test set-up and checks only)
export function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', `--socket=${VAR}/run/mysqld.sock`, '-uroot',
    '--default-character-set=utf8mb4', '-N', '-B', 'diaodu', '-e', query], { encoding: 'utf8' }).trim();
}
export const q = (s) => "'" + String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";

export function ctl(...args) {
  return execFileSync(path.join(ROOT, BUILD, 'bin', 'diaodu-ctl'),
    ['-c', path.join(ROOT, 'conf/diaodu.conf'), '-c', path.join(VAR, 'local.conf'), ...args],
    { encoding: 'utf8', input: args[0] === 'hash' ? args.pop() + '\n' : undefined }).trim();
}

const hashCache = new Map();
export function hash(pw) {
  if (!hashCache.has(pw)) hashCache.set(pw, execFileSync(path.join(ROOT, BUILD, 'bin', 'diaodu-ctl'),
    ['-c', path.join(ROOT, 'conf/diaodu.conf'), '-c', path.join(VAR, 'local.conf'), 'hash'],
    { encoding: 'utf8', input: pw + '\n' }).trim());
  return hashCache.get(pw);
}

let seq = 0;
export const uniq = (p) => `${p}${process.pid % 10000}${Date.now() % 100000}${seq++}`;

// a unit under the company root; returns its id
export function mkunit(code, name, parentCode = '100') {
  sql(`INSERT INTO org_unit (parent_id, code, name, kind, created_at, updated_at)
       SELECT id, ${q(code)}, ${q(name)}, 'dept', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM org_unit WHERE code=${q(parentCode)}`);
  sql(`UPDATE org_unit u JOIN org_unit p ON p.id=u.parent_id SET u.path=CONCAT(p.path,u.id,'/') WHERE u.code=${q(code)}`);
  return unitId(code);
}

// an account with a known password; roles: [['clerk','unit']...] granted on its unit
export function mkuser(loginName, password, { name = '测试用户', unit = '100090', mustChange = 0, roles = [['clerk', 'unit']] } = {}) {
  sql(`INSERT INTO app_user (login, name, org_unit_id, pw_hash, must_change, pw_changed_at, created_at, updated_at)
       SELECT ${q(loginName)}, ${q(name)}, id, ${q(hash(password))}, ${mustChange}, UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP()
       FROM org_unit WHERE code=${q(unit)}`);
  for (const [role, scope] of roles) {
    sql(`INSERT INTO user_role (user_id, role_id, org_unit_id, scope)
         SELECT u.id, r.id, u.org_unit_id, ${q(scope)} FROM app_user u, role r WHERE u.login=${q(loginName)} AND r.code=${q(role)}`);
  }
  return userId(loginName);
}

export function tokenHash(cookieValue) {
  return createHash('sha256').update(Buffer.from(cookieValue, 'base64url')).digest('hex');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const unitId = (code) => Number(sql(`SELECT id FROM org_unit WHERE code=${q(code)}`));
export const userId = (login) => Number(sql(`SELECT id FROM app_user WHERE login=${q(login)}`));
export const count = (from) => Number(sql(`SELECT COUNT(*) FROM ${from}`));
export const maxAudit = () => Number(sql('SELECT COALESCE(MAX(id), 0) FROM audit_log'));

// audit rows after id, of one action or all (the detail as parsed JSON;
// HEX avoids the client's escaping)
export function auditsSince(id, action) {
  const out = sql(`SELECT action, object, result, login, HEX(detail) FROM audit_log WHERE id>${id}
                   ${action ? 'AND action=' + q(action) : ''} ORDER BY id`);
  if (!out) return [];
  return out.split('\n').map((l) => {
    const [act, object, result, who, hex] = l.split('\t');
    const text = Buffer.from(hex, 'hex').toString('utf8');
    let detail;
    assert.doesNotThrow(() => { detail = JSON.parse(text); }, `detail of ${act} is JSON: ${text}`);
    return { action: act, object, result, login: who, detail };
  });
}

// the IP counter of failed logins is shared by every test from 127.0.0.1;
// a test that fails logins on purpose gives its failures back
export async function keepingIpCounter(fn) {
  const key = q('ip:127.0.0.1');
  const before = sql(`SELECT failures FROM login_lock WHERE lock_key=${key}`);
  try { return await fn(); } finally {
    if (before === '') sql(`DELETE FROM login_lock WHERE lock_key=${key}`);
    else sql(`UPDATE login_lock SET failures=${Number(before)}, locked_until=NULL WHERE lock_key=${key}`);
  }
}

// headless chromium for tests/browser (playwright-core is loaded only here)
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(OUT, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function lastAudit(action) {
  const row = sql(`SELECT login, ip, ua, action, result, object FROM audit_log WHERE action=${q(action)} ORDER BY id DESC LIMIT 1`);
  const [login, ip, ua, act, result, object] = row.split('\t');
  return { login, ip, ua, action: act, result, object };
}

// mkuser() for a test file that must leave the demo company as it found it:
// accounts it adds to the demo units are switched off (and their sessions
// ended) when the file is done.  Pass node:test's after().
export function demoSafeMkuser(after) {
  const demoUnits = fs.readFileSync(path.join(ROOT, 'demo/units.csv'), 'utf8').split(/\r?\n/).slice(1)
    .map((l) => l.split(',')[0]).filter(Boolean);
  const made = [];
  after(() => {
    if (!made.length) return;
    const mine = `id IN (${made.join(',')}) AND org_unit_id IN (SELECT id FROM org_unit WHERE code IN (${demoUnits.map(q).join(',')}))`;
    sql(`DELETE FROM session WHERE user_id IN (SELECT id FROM app_user WHERE ${mine})`);
    sql(`UPDATE app_user SET active=0 WHERE ${mine}`);
  });
  return (...args) => { const id = mkuser(...args); made.push(id); return id; };
}

// the master's own list of its workers (var/<instance>/run/<app>.workers,
// rewritten by the master on every change): [{ slot, pid, state, served }],
// state one of down, starting, ready, serving.  Tests count workers here,
// never in the process table.
export function workerStatus(file = path.join(VAR, 'run/login.workers')) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const [slot, pid, state, served] = l.split('\t');
    return { slot: Number(slot), pid: Number(pid), state, served: Number(served) };
  });
}

export async function waitFor(fn, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await fn()) return true; await sleep(50); }
  return false;
}
