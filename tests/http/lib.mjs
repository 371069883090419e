// lib.mjs -- a small HTTP client with a cookie jar, and helpers that reach
// the test instance's MariaDB and diaodu-ctl.  Used by every *.test.mjs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VAR = process.env.DIAODU_VAR || path.join(ROOT, 'var', 'test');
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
  return Number(sql(`SELECT id FROM org_unit WHERE code=${q(code)}`));
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
  return Number(sql(`SELECT id FROM app_user WHERE login=${q(loginName)}`));
}

export function tokenHash(cookieValue) {
  return createHash('sha256').update(Buffer.from(cookieValue, 'base64url')).digest('hex');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
