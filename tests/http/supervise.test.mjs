// supervise.test.mjs -- the master under load.  A worker killed while it
// was serving is replaced at once: N kills cost at most N requests (the ones
// the killed worker had accepted) and every worker comes back; the crash-loop
// back-off is kept for workers that die before answering anything (a worker
// that cannot start).  Workers are counted from the master's own status file,
// and "at once" is what the master logs, not a stopwatch under ASan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VAR, ROOT, BASE, workerStatus, waitFor } from './lib.mjs';

const BUILD = process.env.DIAODU_BUILD || 'build-asan';
const LOG = path.join(VAR, 'log/login.log');

// a bounded loop of concurrent GET /login; failures are non-200 answers and
// requests that got no answer at all
function load(concurrency, max = 50000) {
  let stop = false, ok = 0, sent = 0;
  const failed = [];
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stop && sent < max) {
      sent++;
      try {
        const r = await fetch(BASE + '/login', { signal: AbortSignal.timeout(30000) });
        await r.arrayBuffer();
        if (r.status === 200) ok++; else failed.push(r.status);
      } catch (e) {
        failed.push(e.cause?.code || e.name);
      }
    }
  });
  return {
    get ok() { return ok; },
    failed,
    async stop() { stop = true; await Promise.all(loops); },
  };
}

const allServing = (n = 2) => () => {
  const s = workerStatus();
  return s.length === n && s.every((w) => w.state === 'serving');
};

test('workers killed under load are restarted at once: N kills cost at most N requests', async (t) => {
  const N = 6;
  const L = load(6);
  try {
    for (let k = 0; k < N; k++) {
      assert.ok(await waitFor(allServing(), 20000), `both workers serving before kill ${k + 1}`);
      const victim = workerStatus()[k % 2].pid;
      const okBefore = L.ok;
      const t0 = Date.now();
      process.kill(victim, 'SIGKILL');
      assert.ok(await waitFor(() => workerStatus().every((w) => w.pid !== victim && w.pid !== 0), 20000),
        `worker ${victim} replaced`);
      assert.ok(await waitFor(allServing(), 20000), `every worker back and serving after kill ${k + 1}`);
      t.diagnostic(`kill ${k + 1}: both workers serving again after ${Date.now() - t0} ms`);
      assert.ok(await waitFor(() => L.ok >= okBefore + 20, 20000), 'requests succeed after the kill');
      assert.match(fs.readFileSync(LOG, 'utf8'),
        new RegExp(`worker ${victim} killed by signal 9 after \\d+s and \\d+ requests; restarting at once`));
    }
  } finally {
    await L.stop();
  }
  t.diagnostic(`${L.ok} answered, ${L.failed.length} failed (${L.failed.join(' ')})`);
  assert.ok(L.ok > 0);
  assert.ok(L.failed.length <= N, `${L.failed.length} failed requests for ${N} kills: ${L.failed.join(' ')}`);
});

test('with every worker killed at once, the executable is never left without workers', async () => {
  const L = load(4);
  try {
    assert.ok(await waitFor(allServing(), 20000));
    const victims = workerStatus().map((w) => w.pid);
    for (const p of victims) process.kill(p, 'SIGKILL');
    assert.ok(await waitFor(() => workerStatus().every((w) => !victims.includes(w.pid) && w.pid !== 0), 20000));
    const log = fs.readFileSync(LOG, 'utf8');
    for (const p of victims) assert.match(log, new RegExp(`worker ${p} killed by signal 9 .*restarting at once`));
    const okBefore = L.ok;
    assert.ok(await waitFor(() => L.ok > okBefore + 10, 20000), 'the new workers answer');
  } finally {
    await L.stop();
  }
  assert.ok(L.failed.length <= 2, `failed: ${L.failed.join(' ')}`);
  const r = await fetch(BASE + '/login');
  assert.equal(r.status, 200);
});

test('a worker that dies before serving anything is restarted with a growing back-off', async () => {
  // a separate master whose workers cannot start: its templates are missing
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-crashloop-'));
  const conf = path.join(dir, 'broken.conf');
  fs.writeFileSync(conf, `Paths.Templates = ${dir}/no-such-templates\n`);
  const log = path.join(dir, 'login.log');
  const fd = fs.openSync(log, 'a');
  const master = spawn(path.join(ROOT, BUILD, 'bin/diaodu-login'),
    ['-c', path.join(ROOT, 'conf/diaodu.conf'), '-c', path.join(VAR, 'local.conf'), '-c', conf,
      '-s', path.join(dir, 'login.sock'), '-n', '1'],
    { stdio: ['ignore', fd, fd] });
  const exited = new Promise((resolve) => master.on('exit', (code) => resolve(code)));
  try {
    const text = () => fs.readFileSync(log, 'utf8');
    assert.ok(await waitFor(() => /crash 3 in a row/.test(text()), 30000), text());
    const t = text();
    assert.match(t, /no-such-templates/, 'the reason is logged');
    assert.match(t, /exited with status 2 after \d+s before serving a request \(crash 1 in a row\); restarting at once/);
    assert.match(t, /exited with status 2 after \d+s before serving a request \(crash 2 in a row\); restarting in 1s/);
    assert.match(t, /exited with status 2 after \d+s before serving a request \(crash 3 in a row\); restarting in 2s/);
    // the master's status: its one worker is down (or just starting), never serving
    const s = workerStatus(path.join(dir, 'login.workers'));
    assert.equal(s.length, 1);
    assert.ok(['down', 'starting', 'ready'].includes(s[0].state), s[0].state);
    assert.equal(master.exitCode, null, 'the master keeps going');
  } finally {
    master.kill('SIGTERM');
    assert.equal(await exited, 0);
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
