// hardening.test.mjs -- what the outside security test found on the
// instance itself: responses nginx makes on its own (robots.txt, the
// favicon, static files, its own 400/404/405 pages) carry the security
// headers, FastCGI replies carry each exactly once, and the instance's
// sockets and directories are for its owner (and the web server) only.
// Requests go through curl, as a browser's would, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE, VAR } from './lib.mjs';

const HEADERS = ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy'];

// status and headers (name -> list of values) of one request made by curl
function curl(args) {
  const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-D', '-', '--max-time', '10', ...args],
    { encoding: 'latin1' });
  const lines = out.split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = new Map();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const k = l.slice(0, i).toLowerCase();
    headers.set(k, [...(headers.get(k) || []), l.slice(i + 1).trim()]);
  }
  return { status, headers };
}

function assertHeadersOnce(r, what) {
  for (const h of HEADERS) {
    const v = r.headers.get(h) || [];
    assert.equal(v.length, 1, `${what}: ${h} present once (got ${JSON.stringify(v)})`);
  }
  assert.match(r.headers.get('content-security-policy')[0], /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-frame-options')[0], 'DENY');
  assert.equal(r.headers.get('x-content-type-options')[0], 'nosniff');
}

test('nginx-made responses carry the security headers', () => {
  const cases = [
    ['robots.txt', [`${BASE}/robots.txt`], 200],
    ['favicon', [`${BASE}/favicon.ico`], 204],
    ['static file', [`${BASE}/static/diaodu.css`], 200],
    ['missing static file (nginx 404)', [`${BASE}/static/no-such-file.css`], 404],
    ['POST to a static file (nginx 405)', ['-X', 'POST', `${BASE}/robots.txt`], 405],
    ['malformed request line (nginx 400)', ['--path-as-is', `${BASE}/%`], 400],
    ['bad Content-Length (nginx 400)', ['-H', 'Content-Length: abc', `${BASE}/`], 400],
  ];
  for (const [what, args, status] of cases) {
    const r = curl(args);
    assert.equal(r.status, status, what);
    assertHeadersOnce(r, what);
  }
});

test('FastCGI replies carry each security header exactly once', () => {
  for (const u of ['/login', '/', '/admin/', '/no-such-page']) {
    const r = curl([`${BASE}${u}`]);
    assert.ok([200, 303, 302, 404].includes(r.status), `${u}: ${r.status}`);
    assertHeadersOnce(r, u);
  }
});

test('sockets and directories belong to the instance owner only', () => {
  const mode = (p) => fs.statSync(p).mode & 0o777;
  const run = path.join(VAR, 'run');
  assert.equal(mode(run), 0o700, 'run/ is 0700 (nginx runs as the same user here)');
  assert.equal(mode(path.join(VAR, 'db')), 0o700, 'db/ is 0700');
  assert.equal(mode(path.join(VAR, 'local.conf')) & 0o077, 0, 'local.conf holds the DB password');
  for (const a of ['login', 'admin']) {
    const s = path.join(run, `${a}.sock`);
    assert.ok(fs.statSync(s).isSocket(), s);
    assert.equal(mode(s), 0o660, `${a}.sock is 0660`);
  }
  // MariaDB makes its socket 0777: the directory is what protects it
  assert.ok(fs.statSync(path.join(run, 'mysqld.sock')).isSocket());
});
