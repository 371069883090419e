// robust.test.mjs -- bad input gets clear Chinese error pages with the right
// status and the workers keep serving; the master replaces dead workers and
// recycles old ones; the workers survive a MariaDB restart; nginx shows a
// friendly page while a worker is down; the audit log is append-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, login, sql, mkuser, uniq, ctl, VAR, ROOT, BASE, csrfOf, workerStatus, waitFor } from './lib.mjs';

const PW = 'Robust#2026x';
const raw = (url, init = {}) => fetch(BASE + url, { redirect: 'manual', ...init });

async function stillServes() {
  const r = await raw('/login');
  assert.equal(r.status, 200, 'the worker keeps serving');
}

test('a malformed query string is a 400 page in Chinese', async () => {
  for (const qs of ['?a=%zz', '?a=%', '?%00=1', '?a=%ff%fe', '?na me=1']) {
    const r = await raw('/login' + qs);
    assert.equal(r.status, 400, qs);
    const body = await r.text();
    assert.match(body, /请求有误|不是有效的 UTF-8/, qs);
    assert.match(r.headers.get('content-type'), /text\/html; charset=utf-8/);
  }
  await stillServes();
});

test('invalid UTF-8 in a form is refused with 400 and saves nothing', async () => {
  const c = new Client();
  const page = await c.get('/login');
  const body = `csrf=${csrfOf(page.text_)}&login=%C0%AFadmin&password=x`;
  const r = await c.post('/login', body, { raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 400);
  assert.match(r.text_, /不是有效的 UTF-8/);
  await stillServes();
});

test('an oversize body is a 413 page in Chinese', async () => {
  const c = new Client();
  const page = await c.get('/login');
  const big = 'x'.repeat(200 * 1024);
  const r = await c.post('/login', { csrf: csrfOf(page.text_), login: 'a', password: big });
  assert.equal(r.status, 413);
  assert.match(r.text_, /提交的内容过大/);
  const huge = await c.post('/login', 'x'.repeat(13 * 1024 * 1024), { raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(huge.status, 413, 'nginx itself refuses over 12 MB');
  assert.match(huge.text_, /提交的内容过大/);
  await stillServes();
});

test('unknown routes are 404 and wrong methods 405, in Chinese', async () => {
  const r = await raw('/no/such/page');
  assert.equal(r.status, 404);
  assert.match(await r.text(), /页面不存在/);
  const m = await raw('/password', { method: 'PUT' });
  assert.equal(m.status, 405);
  assert.match(await m.text(), /不支持的请求方式/);
  const bad = await raw('/%E4%B8');
  assert.equal(bad.status, 400);
  await stillServes();
});

function workers() {
  return { pids: workerStatus().filter((w) => w.pid).map((w) => String(w.pid)) };
}

test('the master runs two workers and replaces one that is killed', async () => {
  const { pids } = workers();
  assert.equal(pids.length, 2, 'two workers');
  process.kill(Number(pids[0]), 'SIGKILL');
  assert.ok(await waitFor(() => { const w = workers().pids; return w.length === 2 && !w.includes(pids[0]); }), 'a new worker');
  for (let i = 0; i < 10; i++) await stillServes();
  const log = fs.readFileSync(path.join(VAR, 'log/login.log'), 'utf8');
  assert.match(log, new RegExp(`worker ${pids[0]} killed by signal 9`));
});

test('workers are recycled after Workers.MaxRequests requests', async () => {
  const before = workers().pids;
  for (let i = 0; i < 220; i++) await raw('/login');          // the test instance recycles at 100
  assert.ok(await waitFor(() => workers().pids.length === 2));
  const after = workers().pids;
  assert.notDeepEqual(after.sort(), before.sort());
  const log = fs.readFileSync(path.join(VAR, 'log/login.log'), 'utf8');
  assert.match(log, /worker recycling after 100 requests/);
  assert.match(log, /exited normally .* \(recycled\)/);
});

test('nginx shows a friendly page while the workers are unreachable', async () => {
  const sock = path.join(VAR, 'run/login.sock');
  fs.renameSync(sock, sock + '.away');
  try {
    const r = await raw('/login');
    assert.equal(r.status, 502);
    const body = await r.text();
    assert.match(body, /服务暂时不可用/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  } finally {
    fs.renameSync(sock + '.away', sock);
  }
  await stillServes();
});

test('the workers reconnect after MariaDB restarts', async () => {
  const name = uniq('restart');
  mkuser(name, PW);
  const c = await login(name, PW);
  assert.equal((await c.get('/')).status, 200);
  execFileSync(path.join(ROOT, 'diaodu'), ['db-restart'], { env: { ...process.env, DIAODU_INSTANCE: process.env.DIAODU_INSTANCE || 'test' }, stdio: 'ignore' });
  // both workers held connections to the old server; each must reconnect
  for (let i = 0; i < 6; i++) assert.equal((await c.get('/')).status, 200, `request ${i} after the restart`);
  const log = fs.readFileSync(path.join(VAR, 'log/login.log'), 'utf8');
  assert.match(log, /reconnected to MariaDB/);
});

test('the application account may only INSERT and SELECT the audit log, under a time limit', async () => {
  const conf = fs.readFileSync(path.join(VAR, 'local.conf'), 'utf8');
  const pw = /Db\.Password = (.*)/.exec(conf)[1];
  const app = (query) => execFileSync('mariadb', ['--no-defaults', `--socket=${VAR}/run/mysqld.sock`, '-udiaodu', `-p${pw}`, '-N', 'diaodu', '-e', query], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  assert.ok(Number(app('SELECT COUNT(*) FROM audit_log')) > 0);
  assert.throws(() => app("UPDATE audit_log SET result='x'"), /denied/);
  assert.throws(() => app('DELETE FROM audit_log'), /denied/);
  assert.ok(Number(app('SELECT @@max_statement_time')) > 0, 'a statement time limit');
  assert.throws(() => app('SELECT SLEEP(120)'), /max_statement_time|interrupted|exceeded/i);
});

test('the audit chain verifies, and a tampered record is found', async () => {
  assert.match(ctl('verify-audit'), /audit chain intact: \d+ records/);
  const id = sql('SELECT MIN(id) FROM audit_log WHERE action=\'login.fail\'');
  sql(`UPDATE audit_log SET result='ok' WHERE id=${id}`);
  try {
    assert.throws(() => ctl('verify-audit'), (e) => /BROKEN at record/.test(e.stdout));
  } finally {
    sql(`UPDATE audit_log SET result='fail' WHERE id=${id}`);
  }
  assert.match(ctl('verify-audit'), /intact/);
});

test('pages rendered again from a worker\'s parsed templates carry only their own request\'s data', async () => {
  // two users, two languages, several grants, interleaved over both workers:
  // the parsed page is reused, the data never is
  const a = uniq('tplA'), b = uniq('tplB');
  mkuser(a, PW, { name: '甲用户', roles: [['clerk', 'unit']] });
  mkuser(b, PW, { name: '乙用户', roles: [['leader', 'subtree'], ['clerk', 'unit'], ['auditor', 'unit']] });
  const ca = await login(a, PW);
  const cb = await login(b, PW);
  cb.jar.set('dd_lang', 'en');
  for (let i = 0; i < 12; i++) {
    const pa = await ca.get(i % 3 ? '/' : '/?changed=1');
    assert.equal(pa.status, 200);
    assert.match(pa.text_, /甲用户/);
    assert.doesNotMatch(pa.text_, /乙用户|Audit log|统计报表/);
    assert.match(pa.text_, /报表录入/);
    assert.equal(/密码已修改/.test(pa.text_), i % 3 === 0, `notice only with ?changed (${i})`);
    const pb = await cb.get('/');
    assert.equal(pb.status, 200);
    assert.match(pb.text_, /乙用户/);
    assert.match(pb.text_, /<html lang="en">/);
    assert.match(pb.text_, /Data entry[\s\S]*Reports[\s\S]*Audit log/, 'every grant counts');
    assert.doesNotMatch(pb.text_, /甲用户|报表录入/);
  }
});
