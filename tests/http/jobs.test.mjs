// jobs.test.mjs -- background jobs and the leadership reports' archive
// through nginx, the report workers and the job runner (diaodu-runner)
// against the real MariaDB and the demo company.  The test instance runs
// jobs slowly on purpose (Jobs.TestDelayMs, set only in run-all.sh's test
// configuration) so that a job can be watched half-way and killed.
//   - queueing returns at once (303 to the job page); the page refreshes
//     itself (meta refresh, allowed by the CSP) with a labelled <progress>;
//     the file downloads when done, with its SHA-256 shown and audited;
//   - only the owner sees, downloads or cancels a job (404 for others);
//   - cancelling; a limit on queued jobs per account; bad input refused;
//   - kill -9 of the runner process mid-job: the master starts another one,
//     the job is taken back and done again (attempts 2), or failed with a
//     reason when no attempt is left -- never left running;
//   - files under Jobs.Dir are 0600 in a 0700 directory and are removed
//     (expired) after Jobs.KeepHours;
//   - the archive: diaodu-ctl report-archive queues a period's reports once
//     (idempotent), the runner makes the PDFs, leaders browse them by period
//     and download the same PDF (its SHA-256 equals the recorded one),
//     audited; a clerk gets 403, a leader of another unit sees nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Client, login, location, mkuser, mkunit, uniq, csrfOf, sql, q, ctl, download, maxAudit, auditsSince,
  waitFor, sleep, workerStatus, VAR } from './lib.mjs';

const PW = 'Hou-tai#2026x';
const people = {};
async function as(key, roles, unit) {
  if (!people[key]) {
    const name = uniq('jb');
    mkuser(name, PW, { name: `任务${key}`, unit, roles });
    people[key] = name;
  }
  const c = await login(people[key], PW);
  assert.equal(c.last.status, 303, `${key} logs in`);
  c.name = people[key];
  c.csrf = csrfOf((await c.get('/report/jobs')).text_);
  return c;
}
const dispatcher = () => as('disp', [['dispatcher', 'all']], '100010');
const job = (id) => {
  const [state, progress, attempts, reason, runner, file] = sql(`SELECT state, progress, attempts, COALESCE(reason,''),
    COALESCE(runner,''), COALESCE(file_path,''), 'end' FROM job WHERE id=${id}`).split('\t');
  return { state, progress: Number(progress), attempts: Number(attempts), reason, runner, file };
};
const sha = (buf) => createHash('sha256').update(buf).digest('hex');

async function queue(c, fields = {}) {
  const res = await c.post('/report/job/new', { csrf: c.csrf, report: 'vehicle_month', period: 'month',
    date: '2026-11-15', format: 'xlsx', ...fields });
  return res;
}
function idOf(res) {
  const m = /^\/report\/job\?id=(\d+)$/.exec(location(res));
  assert.ok(m, `a redirect to the job page, got ${res.status} ${location(res)}`);
  return Number(m[1]);
}
const done = (id, ms = 30000) => waitFor(() => ['done', 'failed', 'cancelled'].includes(job(id).state), ms);

test('queueing returns at once; the page shows a progress bar that refreshes itself; the file downloads when done', async () => {
  const c = await dispatcher();
  const t0 = Date.now();
  const res = await queue(c);
  assert.equal(res.status, 303);
  assert.ok(Date.now() - t0 < 2000, 'the request that queued it returned at once');
  const id = idOf(res);
  const a0 = maxAudit();
  const page = await c.get(`/report/job?id=${id}`);
  assert.equal(page.status, 200);
  assert.ok(['queued', 'running'].includes(job(id).state), 'still under way when the page comes back');
  assert.match(page.text_, /<meta http-equiv="refresh" content="\d+">/, 'the page reloads itself, no JavaScript');
  assert.match(page.text_, /<progress id="bar" max="100" value="\d+">/);
  assert.match(page.text_, /<label for="bar">进度 \d+%/, 'the bar has a label a screen reader reads');
  // the CSP allows it: no script, and meta refresh is not a script
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(page.text_, /<script/);
  // half-way the bar moves
  assert.ok(await waitFor(() => job(id).state === 'running' && job(id).progress > 0, 15000), 'the runner reports progress');
  const mid = await c.get(`/report/job?id=${id}`);
  assert.match(mid.text_, /执行中/);
  assert.ok(await done(id), 'the job ends');
  assert.equal(job(id).state, 'done');
  const fin = await c.get(`/report/job?id=${id}`);
  assert.doesNotMatch(fin.text_, /http-equiv="refresh"/, 'no refresh once it is done');
  assert.match(fin.text_, /已完成/);
  const shown = /<code class="sha" id="sha256">([0-9a-f]{64})<\/code>/.exec(fin.text_)[1];
  const f = await download(c, `/report/job/file?id=${id}`);
  assert.equal(f.status, 200);
  assert.match(f.type, /spreadsheetml/);
  assert.match(f.disp, /^attachment; filename="diaodu\.xlsx"; filename\*=UTF-8''/);
  assert.equal(sha(f.body), shown, 'the file is the one whose SHA-256 the page shows');
  assert.equal(f.body.subarray(0, 2).toString(), 'PK', 'an XLSX (zip)');
  const au = auditsSince(a0, 'job.download');
  assert.equal(au.length, 1, 'the download is audited');
  assert.equal(au[0].login, c.name);
  assert.equal(au[0].detail.sha256, shown);
  assert.equal(au[0].detail.rows, Number(sql(`SELECT nrows FROM job WHERE id=${id}`)), 'with its rows');
  // the export was recorded when it was queued, as the owner's: what and which filters
  const queued = sql(`SELECT HEX(detail) FROM audit_log WHERE login=${q(c.name)} AND action='job.queue' AND object='job:${id}'`);
  const detail = JSON.parse(Buffer.from(queued, 'hex').toString('utf8'));
  assert.match(detail.args, /Report = vehicle_month\nFormat = xlsx\nPeriod = month\nDate = 2026-11-15/);
  // the list shows it with its download
  const list = await c.get('/report/jobs');
  assert.match(list.text_, new RegExp(`id="job-${id}" class="st-done"`));
  assert.match(list.text_, new RegExp(`/report/job/file\\?id=${id}`));
});

test('only the owner sees, downloads or cancels a job: 404 for anyone else; no business capability: 403', async () => {
  const c = await dispatcher();
  const id = idOf(await queue(c, { format: 'csv' }));
  const other = await as('other', [['dispatcher', 'all']], '100010');
  assert.equal((await other.get(`/report/job?id=${id}`)).status, 404);
  assert.equal((await download(other, `/report/job/file?id=${id}`)).status, 404);
  assert.equal((await other.post('/report/job/cancel', { csrf: other.csrf, id: String(id) })).status, 404);
  assert.doesNotMatch((await other.get('/report/jobs')).text_, new RegExp(`job-${id}"`));
  const admName = uniq('jba');
  mkuser(admName, PW, { name: '任务管理员', unit: '100090', roles: [['admin', 'all']] });
  const a = await login(admName, PW);
  assert.equal((await a.get(`/report/job?id=${id}`)).status, 403);
  assert.equal((await a.get('/report/jobs')).status, 403);
  assert.ok(await done(id));
  assert.equal((await c.get(`/report/job/file?id=${id}`)).status, 200);
  // a bad id, a bad format, a report that does not exist: refused with a sentence
  assert.equal((await c.get('/report/job?id=abc')).status, 400);
  const bad = await queue(c, { format: 'doc' });
  assert.equal(bad.status, 400);
  assert.match(bad.text_, /不支持的导出格式/);
  const none = await queue(c, { report: 'no_such_report' });
  assert.equal(none.status, 404);
  assert.match(none.text_, /没有找到这个报表/);
  const csrf = await c.post('/report/job/new', { report: 'vehicle_month', format: 'csv' });
  assert.equal(csrf.status, 403, 'CSRF token required');
});

test('the owner cancels a job; a cancelled job keeps no file; at most Jobs.MaxActive queued at once', async () => {
  const c = await as('cancel', [['dispatcher', 'all']], '100010');
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(idOf(await queue(c, { format: 'pdf' })));
  const sixth = await queue(c, { format: 'pdf' });
  assert.equal(sixth.status, 409, 'the sixth active job of one account is refused');
  assert.match(sixth.text_, /您已有多个任务在排队或执行中/);
  const a0 = maxAudit();
  for (const id of ids) {
    const res = await c.post('/report/job/cancel', { csrf: c.csrf, id: String(id) });
    assert.equal(res.status, 303);
    assert.equal(location(res), `/report/job?id=${id}&cancelled=1`);
  }
  assert.equal(auditsSince(a0, 'job.cancel').length, 5, 'each cancellation is audited');
  for (const id of ids) assert.equal(job(id).state, 'cancelled');
  const again = await c.post('/report/job/cancel', { csrf: c.csrf, id: String(ids[0]) });
  assert.equal(again.status, 409);
  assert.match(again.text_, /已经结束/);
  // a runner that had one of them under way stops at its next progress report and writes nothing
  await sleep(1500);
  for (const id of ids) { assert.equal(job(id).state, 'cancelled'); assert.equal(job(id).file, ''); }
  const page = await c.get(`/report/job?id=${ids[0]}&cancelled=1`);
  assert.match(page.text_, /任务已取消/);
  assert.equal((await c.get(`/report/job/file?id=${ids[0]}`)).status, 409);
});

test('kill -9 of the runner mid-job: another process takes over and the job is done again, or failed with a reason', async () => {
  const c = await as('kill', [['dispatcher', 'all']], '100010');
  // retried: attempts left
  const id = idOf(await queue(c, { format: 'pdf' }));
  assert.ok(await waitFor(() => job(id).state === 'running' && job(id).progress >= 5, 20000), 'running');
  const pid = Number(job(id).runner.split(':').pop());
  assert.ok(workerStatus(path.join(VAR, 'run/runner.workers')).some((w) => w.pid === pid), 'the runner is one of the master\'s');
  process.kill(pid, 'SIGKILL');
  assert.ok(await waitFor(() => !workerStatus(path.join(VAR, 'run/runner.workers')).some((w) => w.pid === pid)
    && workerStatus(path.join(VAR, 'run/runner.workers')).every((w) => w.state !== 'down'), 10000),
  'the master replaces the killed process');
  assert.ok(await done(id, 40000), 'not left running');
  const j = job(id);
  assert.equal(j.state, 'done', `retried and done (${j.reason})`);
  assert.equal(j.attempts, 2, 'a second attempt');
  const page = await c.get(`/report/job?id=${id}`);
  assert.match(page.text_, /id="attempts">2 \/ 3</);
  assert.equal((await download(c, `/report/job/file?id=${id}`)).status, 200);
  // failed: the last attempt is killed
  const id2 = idOf(await queue(c, { format: 'pdf' }));
  sql(`UPDATE job SET max_attempts = 1 WHERE id=${id2}`);
  assert.ok(await waitFor(() => job(id2).state === 'running' && job(id2).progress >= 5, 20000));
  process.kill(Number(job(id2).runner.split(':').pop()), 'SIGKILL');
  assert.ok(await done(id2, 40000), 'not left running');
  assert.equal(job(id2).state, 'failed');
  assert.equal(job(id2).reason, 'job.interrupted');
  const p2 = await c.get(`/report/job?id=${id2}`);
  assert.match(p2.text_, /失败<\/strong>（任务执行中被中断，重试次数已用完。）/);
  assert.equal(Number(sql("SELECT COUNT(*) FROM job WHERE state='running' AND lease_until < UTC_TIMESTAMP() - INTERVAL 30 SECOND")), 0,
    'no job stays running past its lease');
});

test('a lease that passes without a beat (a hung runner) takes the job back', async () => {
  const c = await as('lease', [['dispatcher', 'all']], '100010');
  const id = idOf(await queue(c, { format: 'csv' }));
  assert.ok(await waitFor(() => job(id).state === 'running', 20000));
  // another claim holds it now (as if a runner on another host hung): its lease ends
  sql(`UPDATE job SET claim = 'hung', runner = 'elsewhere:1', lease_until = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id=${id}`);
  assert.ok(await done(id, 40000));
  assert.equal(job(id).state, 'done');
  assert.ok(job(id).attempts >= 2);
});

test('files: 0600 under a 0700 directory, removed after Jobs.KeepHours', async () => {
  const c = await as('files', [['dispatcher', 'all']], '100010');
  const id = idOf(await queue(c, { format: 'csv' }));
  assert.ok(await done(id));
  const d = path.join(VAR, 'jobs');
  assert.equal(fs.statSync(d).mode & 0o777, 0o700);
  const file = path.join(d, job(id).file);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  sql(`UPDATE job SET finished_at = UTC_TIMESTAMP() - INTERVAL 100 HOUR WHERE id=${id}`);
  assert.ok(await waitFor(() => job(id).state === 'expired', 15000), 'expired by the runner\'s housekeeping');
  assert.ok(!fs.existsSync(file), 'the file is gone');
  const res = await c.get(`/report/job/file?id=${id}`);
  assert.equal(res.status, 404);
  assert.match(res.text_, /已超过保存期限/);
});

test('报表归档: diaodu-ctl report-archive queues a period once, the runner makes the PDFs, leaders browse and download them', async () => {
  // a period of its own, long past (the demo has no sheets then: empty reports are archived too)
  const y = 2000 + (process.pid % 20), day = `${y}-06-11`;
  const out = ctl('report-archive', '--date', day);
  assert.match(out, /archive: [1-9]\d* report\(s\) queued/);
  const where = `period_start <= '${day}' AND period_end >= '${day}'`;
  const rows = () => Number(sql(`SELECT COUNT(*) FROM report_archive WHERE ${where}`));
  const n = rows();
  assert.ok(n >= 2, 'the weekly and the monthly reports');
  assert.ok(await waitFor(() => Number(sql(`SELECT COUNT(*) FROM report_archive WHERE ${where} AND state='done'`)) === n, 60000),
    'the runner made them');
  // idempotent: again, nothing new
  assert.match(ctl('report-archive', '--date', day), /archive: 0 report\(s\) queued/);
  assert.equal(rows(), n);
  assert.throws(() => ctl('report-archive', '--date', '2099-01-01'));
  const listed = ctl('report-archive', '--list');
  assert.match(listed, new RegExp(`${y}-W\\d+\tdispatch_daily\tdone\tarchive/`));

  const leader = await as('leader', [['leader', 'all']], '100');
  const page = await leader.get(`/report/archive?kind=month&year=${y}`);
  assert.equal(page.status, 200);
  assert.match(page.text_, new RegExp(`${y}-06-01 至 ${y}-06-30`));
  assert.doesNotMatch(page.text_, /<td>周报<\/td>/, 'the weekly ones are filtered out');
  const [, aid, shown] = /<tr id="a-(\d+)">[\s\S]*?<code class="sha">([0-9a-f]{64})<\/code>/.exec(page.text_);
  const a0 = maxAudit();
  const f = await download(leader, `/report/archive/file?id=${aid}`);
  assert.equal(f.status, 200);
  assert.equal(f.type, 'application/pdf');
  assert.equal(f.body.subarray(0, 5).toString(), '%PDF-');
  assert.equal(sha(f.body), shown, 'the same PDF as recorded');
  assert.equal(sha(f.body), sql(`SELECT file_sha256 FROM report_archive WHERE id=${aid}`));
  const again = await download(leader, `/report/archive/file?id=${aid}`);
  assert.equal(sha(again.body), shown, 'downloaded again: the same bytes');
  const au = auditsSince(a0, 'archive.download');
  assert.equal(au.length, 2, 'each download is audited');
  assert.equal(au[0].detail.sha256, shown);
  // the PDF reads: its title is Chinese text pdftotext extracts
  const text = execFileSync('pdftotext', ['-raw', '-', '-'], { input: f.body, encoding: 'utf8' });
  const name = sql(`SELECT title FROM report_archive WHERE id=${aid}`).split(' ')[0];
  assert.match(text.replace(/\s+/g, ''), new RegExp(name), `the report's name ${name} in the PDF's text`);

  // a clerk has no CAP_REPORT: 403; a leader of one unit only sees nothing of the company's
  const clerk = await as('clerk', [['clerk', 'unit']], '10002001');
  assert.equal((await clerk.get('/report/archive')).status, 403);
  assert.equal((await download(clerk, `/report/archive/file?id=${aid}`)).status, 403);
  const code = uniq('JU').slice(0, 12);
  mkunit(code, '归档测试单位');
  const small = await as('small', [['leader', 'unit']], code);
  const sp = await small.get(`/report/archive?year=${y}`);
  assert.equal(sp.status, 200);
  assert.doesNotMatch(sp.text_, new RegExp(`id="a-${aid}"`));
  assert.equal((await download(small, `/report/archive/file?id=${aid}`)).status, 404);
});

test('后台导出 on a report page: the same file as the direct download, with the scope of its owner', async () => {
  const c = await as('page', [['head', 'subtree']], '100020');
  const view = await c.get('/report/view?r=vehicle_month&period=month&date=2026-11-15');
  assert.equal(view.status, 200);
  const form = /<form method="post" action="\/report\/job\/new"[^>]*>([\s\S]*?)<\/form>/.exec(view.text_);
  assert.ok(form, 'the report page offers the background export');
  const fields = Object.fromEntries([...form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  assert.equal(fields.report, 'vehicle_month');
  assert.equal(fields.period, 'month');
  const res = await c.post('/report/job/new', { ...fields, format: 'csv' });
  const id = idOf(res);
  assert.ok(await done(id));
  assert.equal(job(id).state, 'done');
  const bg = await download(c, `/report/job/file?id=${id}`);
  const direct = await download(c, '/report/export?fmt=csv&r=vehicle_month&period=month&date=2026-11-15');
  assert.equal(direct.status, 200);
  assert.equal(bg.body.toString('utf8'), direct.body.toString('utf8'), 'the job makes the same CSV as the page');
  // a head of 车队 sees 车队's units only, in the job as on the page
  const everyone = await dispatcher();
  const all = await download(everyone, '/report/export?fmt=csv&r=vehicle_month&period=month&date=2026-11-15');
  assert.ok(all.body.length >= bg.body.length);
});
