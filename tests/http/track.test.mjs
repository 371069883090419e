// track.test.mjs -- 上报情况 and 催报 (/report/track, cgi-bin/report/tracking.c)
// through nginx and the report workers against the real MariaDB: the rows of
// the route table (403 for roles without the capability, CSRF, the log-in
// page); the matrix for a day with a late, a missing and a returned unit
// (and one on time), as the page shows it, and the month around it; scope
// (a head sees the department, a unit id of another department edited into
// the URL or the reminder's form is refused); a reminder from the due list,
// five identical POSTs at once making one; the reminded clerk's portal;
// escalation to the heads by `diaodu-ctl track escalate`, once however
// often it runs, on the head's portal and in the matrix.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, login, location, sql, q, ctl, mkunit, mkuser, uniq, csrfOf, ROOT } from './lib.mjs';

const PW = 'Cui-bao#2026x';
const U = uniq('K');
const FORM = 'k' + U.slice(1).toLowerCase();
const UP = U, UA = U + 'a', UB = U + 'b', UC = U + 'c', UD = U + 'd', UO = U + 'o', UO1 = U + 'o1';
const local = (daysBack = 0) => new Date(Date.now() - daysBack * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const DAY = local(2);                    // the day tracked: its cut-off (09:00 the next day) has passed
const unitId = (code) => Number(sql(`SELECT id FROM org_unit WHERE code=${q(code)}`));
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const reminds = (unit, kind = 'remind', day = DAY) => Number(sql(`SELECT COUNT(*) FROM track_remind r JOIN form f ON f.id=r.form_id
  WHERE f.code=${q(FORM)} AND r.org_unit_id=${unitId(unit)} AND r.kind=${q(kind)} AND r.period_key=${q(day)}`));

const people = {};
async function as(key, roles, unit) {
  if (!people[key]) {
    const name = uniq('tk');
    mkuser(name, PW, { name: `催报${key}`, unit, roles });
    people[key] = name;
  }
  const c = await login(people[key], PW);
  assert.equal(c.last.status, 303, `${key} logs in`);
  c.name = people[key];
  return c;
}

before(() => {
  mkunit(UP, '催报测试部');
  for (const [code, name] of [[UA, '催报甲班'], [UB, '催报乙班'], [UC, '催报丙班'], [UD, '催报丁班']]) mkunit(code, name, UP);
  mkunit(UO, '催报其他部');
  mkunit(UO1, '催报其他班', UO);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-tforms-'));
  fs.writeFileSync(path.join(dir, `${FORM}.hdf`), `Code = ${FORM}
Name = 催报测试日报
Version = 1
Period = day
Units = ${UA}, ${UB}, ${UC}, ${UD}, ${UO1}
Window {
  Cutoff = 9h
}
Header {
  who {
    Type = text
    Label = 填报人
  }
}
Approval {
  Steps {
    head {
      Label = 部门审核
      Role = head
      Scope = up
    }
  }
}
`);
  assert.match(ctl('forms', 'apply', dir), new RegExp(`applied ${FORM} version 1: new`));
  // in use long before the days tracked (else they would be history: never late or missing)
  sql(`UPDATE form SET created_at='2020-01-01 00:00:00' WHERE code=${q(FORM)}`);
});

// the fields of the form posting to action
function fields(html, action, n = 0) {
  const forms = [...html.matchAll(new RegExp(`<form method="post" action="${action}"[^>]*>([\\s\\S]*?)</form>`, 'g'))];
  assert.ok(forms[n], `a form posting to ${action}`);
  const f = {};
  for (const i of forms[n][1].matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(i[1]);
    const value = /value="([^"]*)"/.exec(i[1]);
    if (name) f[name[1]] = value ? value[1].replace(/&amp;/g, '&') : '';
  }
  return f;
}

async function submit(c, unit, day) {
  const page = await c.get(`/entry/new?form=${FORM}&unit=${unitId(unit)}&date=${day}`);
  assert.equal(page.status, 200, `a blank sheet (${page.status})`);
  const f = fields(page.text_, '/entry/save');
  f['h.who'] = '王五';
  const res = await c.post('/entry/save', { ...f, op: 'submit' });
  assert.equal(res.status, 303, `submitted (${res.status})`);
  return Number(/id=(\d+)/.exec(location(res))[1]);
}

// the cells of a unit's row in the matrix: the state classes of its <td>s
function rowStates(html, unit) {
  const m = new RegExp(`<tr id="u-${unitId(unit)}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  if (!m) return null;
  return [...m[1].matchAll(/<td class="t-([a-z]+)"/g)].map((x) => x[1]);
}

// ------------------------------------------------------------------ routes

const src = fs.readFileSync(path.join(ROOT, 'cgi-bin/report/report.c'), 'utf8');
const table = /static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
const ROUTES = [...(table ? table[1] : '').matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*(\w+),\s*([^,]+),\s*([^,]+),/g)]
  .map((m) => ({ method: m[1], path: m[2], fn: m[3], caps: m[5].trim() })).filter((r) => r.path.startsWith('/report/track'));

test('the tracking rows of the report route table refuse the roles without their capability', async () => {
  assert.equal(ROUTES.length, 3, 'three tracking routes in report.c');
  assert.deepEqual(ROUTES.map((r) => r.caps), ['TRACK_READ', 'TRACK_DUE', 'TRACK_SEND']);
  const probe = async (c, r) => {
    const csrf = csrfOf((await c.get('/password')).text_);
    return r.method === 'GET' ? c.get(r.path + `?form=${FORM}`) : c.post(r.path, { csrf, form: FORM, unit: String(unitId(UB)), period: DAY, seen: '0' });
  };
  // no business capability (admin, auditor), a clerk: 403 everywhere
  for (const [key, roles, unit] of [['adm', [['admin', 'all']], '100090'], ['aud', [['auditor', 'unit']], '100090'], ['c0', [['clerk', 'unit']], UA]]) {
    const c = await as(key, roles, unit);
    for (const r of ROUTES) {
      const res = await probe(c, r);
      assert.equal(res.status, 403, `${key}: ${r.method} ${r.path}`);
      assert.match(res.text_, /无权访问/);
    }
  }
  // a leader reads the matrix only; a head the matrix and the due list but sends nothing
  const leader = await as('l0', [['leader', 'all']], '100');
  assert.deepEqual(await Promise.all(ROUTES.map(async (r) => (await probe(leader, r)).status)), [200, 403, 403]);
  const head = await as('h0', [['head', 'subtree']], UP);
  assert.deepEqual(await Promise.all(ROUTES.map(async (r) => (await probe(head, r)).status)), [200, 200, 403]);
  // no session: the log-in page, 403 for the POST; a dispatcher without the CSRF token: 403
  const anon = new Client();
  for (const r of ROUTES) {
    const res = r.method === 'GET' ? await anon.get(r.path) : await anon.post(r.path, { form: FORM });
    if (r.method === 'GET') { assert.equal(res.status, 303); assert.match(location(res), /^\/login\?next=\/report\/track/); }
    else assert.equal(res.status, 403);
  }
  const disp = await as('x0', [['dispatcher', 'all']], '100010');
  assert.equal((await disp.post('/report/track/remind', { form: FORM, unit: String(unitId(UB)), period: DAY, seen: '0' })).status, 403);
  // bad input
  const csrf = csrfOf((await disp.get('/report/track/due')).text_);
  assert.equal((await disp.post('/report/track/remind', { csrf, form: FORM, unit: 'x', period: DAY, seen: '0' })).status, 400);
  assert.equal((await disp.post('/report/track/remind', { csrf, form: '../x', unit: '1', period: DAY, seen: '0' })).status, 400);
  assert.equal((await disp.get('/report/track?form=no_such_form')).status, 404);
  assert.equal((await disp.get(`/report/track?form=${FORM}&unit=-1`)).status, 400);
  assert.equal((await disp.get('/report/track/due?fid=x')).status, 400);
  assert.equal(reminds(UB), 0);
});

// ------------------------------------------------------------------ the matrix

test('the matrix for a day with a late, a missing and a returned unit, and the month around it', async () => {
  const ca = await as('ca', [['clerk', 'unit']], UA);
  const cc = await as('cc', [['clerk', 'unit']], UC);
  const cd = await as('cd', [['clerk', 'unit']], UD);
  const head = await as('h1', [['head', 'subtree']], UP);
  await submit(ca, UA, DAY);                                  // late: submitted after the cut-off
  const returned = await submit(cc, UC, DAY);
  const page = await head.get(`/approval/entry?id=${returned}`);
  const f = fields(page.text_, '/approval/act');
  assert.equal((await head.post('/approval/act', { ...f, op: 'reject', note: '数字不对' })).status, 303);
  const ontime = await submit(cd, UD, DAY);
  sql(`UPDATE entry SET late=0 WHERE id=${ontime}`);          // as if before the cut-off
  // B: nothing at all (missing)
  const disp = await as('x1', [['dispatcher', 'all']], '100010');
  const day = await disp.get(`/report/track?form=${FORM}&from=${DAY}&to=${DAY}`);
  assert.equal(day.status, 200);
  const t = text(day.text_);
  assert.match(day.text_, new RegExp(`<tr id="u-${unitId(UA)}" class="t-late">`));
  assert.match(day.text_, new RegExp(`<tr id="u-${unitId(UB)}" class="t-missing">`));
  assert.match(day.text_, new RegExp(`<tr id="u-${unitId(UC)}" class="t-returned">`));
  assert.match(day.text_, new RegExp(`<tr id="u-${unitId(UD)}" class="t-submitted">`));
  assert.match(day.text_, new RegExp(`<tr id="u-${unitId(UO1)}" class="t-missing">`));
  assert.match(t, /催报甲班 迟报/);
  assert.match(t, /催报乙班 未报/);
  assert.match(t, /催报丙班 已退回/);
  assert.match(t, /截止时间 \d{4}-\d\d-\d\d 09:00/);
  // the totals: 1 late, 2 missing (B and the other department's team), 1 returned, 1 submitted
  const tot = Object.fromEntries([...day.text_.matchAll(/<span class="tot t-([a-z]+)">[^<]*<b>(\d+)<\/b>/g)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual(tot, { approved: 0, submitted: 1, late: 1, returned: 1, draft: 0, missing: 2, pending: 0 });
  // a reminder button for the open ones only (dispatchers)
  assert.equal([...day.text_.matchAll(/action="\/report\/track\/remind"/g)].length, 3);   // B, C, the other team
  // the month: the day's column among the others, counts per unit and per day
  const month = await disp.get(`/report/track?form=${FORM}&from=${DAY.slice(0, 8)}01&to=${local(0)}`);
  assert.equal(month.status, 200);
  const col = Number(DAY.slice(8)) - 1;
  if (DAY.slice(0, 7) === local(0).slice(0, 7)) {        // (on the 1st and 2nd of a month the day is last month's)
    assert.equal(rowStates(month.text_, UA)[col], 'late');
    assert.equal(rowStates(month.text_, UB)[col], 'missing');
    assert.equal(rowStates(month.text_, UC)[col], 'returned');
    assert.equal(rowStates(month.text_, UD)[col], 'submitted');
    assert.equal(rowStates(month.text_, UA).at(-1), 'pending');            // today: before its cut-off
  }
  assert.match(month.text_, /id="matrix"/);
  assert.match(month.text_, /role="region"/);
  assert.match(month.text_, /<tfoot>/);
  // the previous and next ranges are links that work
  const prev = /id="prev" href="([^"]+)"/.exec(month.text_)[1].replace(/&amp;/g, '&');
  assert.equal((await disp.get(prev)).status, 200);
  // a bad date is said in Chinese, and the default range shown
  const bad = await disp.get(`/report/track?form=${FORM}&from=2026-02-30`);
  assert.equal(bad.status, 200);
  assert.match(text(bad.text_), /日期应写成 年-月-日/);
});

test('scope: a head sees the department only; another department by id in the URL or the form is refused', async () => {
  const head = await as('h2', [['head', 'subtree']], UP);
  const page = await head.get(`/report/track?form=${FORM}&from=${DAY}&to=${DAY}`);
  assert.equal(page.status, 200);
  for (const u of [UA, UB, UC, UD]) assert.match(page.text_, new RegExp(`id="u-${unitId(u)}"`));
  assert.doesNotMatch(page.text_, new RegExp(`id="u-${unitId(UO1)}"`));
  assert.doesNotMatch(page.text_, /action="\/report\/track\/remind"/);     // a head does not send
  assert.equal((await head.get(`/report/track?form=${FORM}&unit=${unitId(UO1)}`)).status, 403);
  assert.equal((await head.get(`/report/track?form=${FORM}&unit=${unitId(UA)}&from=${DAY}&to=${DAY}`)).status, 200);
  // the due list holds the department's units only
  const due = await head.get('/report/track/due');
  assert.equal(due.status, 200);
  assert.doesNotMatch(due.text_, new RegExp(`data-unit="${unitId(UO1)}"`));
  // a dispatcher of the department: reminding the other department's unit is 403, nothing written
  const xd = await as('xd', [['dispatcher', 'subtree']], UP);
  const csrf = csrfOf((await xd.get('/report/track/due')).text_);
  const res = await xd.post('/report/track/remind', { csrf, form: FORM, unit: String(unitId(UO1)), period: DAY, seen: '0', back: 'due' });
  assert.equal(res.status, 403);
  assert.equal(reminds(UO1), 0);
});

// ------------------------------------------------------------------ reminders

test('a reminder from the page: five identical POSTs make one; the clerk sees it on the portal until submitting', async () => {
  const cb = await as('cb', [['clerk', 'unit']], UB);
  const disp = await as('x2', [['dispatcher', 'all']], '100010');
  const page = await disp.get(`/report/track?form=${FORM}&from=${DAY}&to=${DAY}`);
  const forms = [...page.text_.matchAll(/<form method="post" action="\/report\/track\/remind"[^>]*>([\s\S]*?)<\/form>/g)];
  const idx = forms.findIndex((m) => m[1].includes(`name="unit" value="${unitId(UB)}"`));
  assert.ok(idx >= 0, 'a reminder button for B');
  const f = fields(page.text_, '/report/track/remind', idx);
  assert.equal(f.seen, '0');
  assert.equal(f.period, DAY);
  const all = await Promise.all([0, 1, 2, 3, 4].map(() => disp.post('/report/track/remind', f)));
  for (const r of all) assert.equal(r.status, 303);
  assert.equal(reminds(UB), 1, 'one reminder');
  assert.equal(Number(sql(`SELECT recipients FROM track_remind r JOIN form f ON f.id=r.form_id WHERE f.code=${q(FORM)} AND r.org_unit_id=${unitId(UB)}`)), 1);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE action='track.remind' AND object=${q('unit:' + unitId(UB))}`)), 1);
  const locs = all.map((r) => location(r));
  assert.equal(locs.filter((l) => /sent=1/.test(l)).length, 1);
  assert.equal(locs.filter((l) => /again=1/.test(l)).length, 4);
  const after = await disp.get(locs.find((l) => /sent=1/.test(l)));
  assert.match(text(after.text_), /已催报，1 名录入员将在首页看到提醒/);
  assert.match(text(after.text_), /已催报 1 次，最近一次 \d{4}-\d\d-\d\d \d\d:\d\d（催报x2）/);
  const again = await disp.get(locs.find((l) => /again=1/.test(l)));
  assert.match(text(again.text_), /重复提交只算一次/);
  // the button now says 再次催报 and carries seen=1: a second reminder is a new one
  const f2 = fields(after.text_, '/report/track/remind', [...after.text_.matchAll(/<form method="post" action="\/report\/track\/remind"[^>]*>([\s\S]*?)<\/form>/g)]
    .findIndex((m) => m[1].includes(`name="unit" value="${unitId(UB)}"`)));
  assert.equal(f2.seen, '1');
  assert.equal((await disp.post('/report/track/remind', f2)).status, 303);
  assert.equal(reminds(UB), 2);
  // the month shows the mark with who and when in the cell's tip
  const month = await disp.get(`/report/track?form=${FORM}&from=${DAY}&to=${local(0)}`);
  const cell = new RegExp(`<tr id="u-${unitId(UB)}">[\\s\\S]*?<td class="t-missing" title="已催报 2 次[^"]*">缺<sup class="rm">催</sup>`);
  assert.match(month.text_, cell);
  // the clerk's portal: one line for the unit, form and period, with a link to fill it in
  const portal = await cb.get('/');
  assert.match(portal.text_, /id="reminders"/);
  assert.match(text(portal.text_), new RegExp(`催报x2于 .* 催报：催报乙班的催报测试日报（.*）尚未提交`));
  assert.equal([...portal.text_.matchAll(/class="remind-remind"/g)].length, 1);
  assert.match(portal.text_, new RegExp(`href="/entry/new\\?form=${FORM}&amp;unit=${unitId(UB)}&amp;period=${DAY}"`));
  // refused: the unit has submitted meanwhile (409, nothing written)
  await submit(cb, UB, DAY);
  assert.doesNotMatch((await cb.get('/')).text_, /id="reminders"/);
  const res = await disp.post('/report/track/remind', { ...f2, seen: '2' });
  assert.equal(res.status, 409);
  assert.match(text(res.text_), /该单位已提交这一期的报表，无需催报/);
  assert.equal(reminds(UB), 2);
  // not due yet: tomorrow
  const tomorrow = new Date(Date.now() + 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const nd = await disp.post('/report/track/remind', { ...f2, unit: String(unitId(UA)), period: tomorrow, seen: '0' });
  assert.equal(nd.status, 400);
  assert.match(text(nd.text_), /这一期尚未开始填报/);
});

test('escalation: diaodu-ctl track escalate takes the units still missing to their heads, once', async () => {
  const head = await as('h3', [['head', 'subtree']], UP);
  const headO = await as('ho', [['head', 'subtree']], UO);
  const out = ctl('track', 'escalate', FORM);
  const n = Number(/track: (\d+) escalated/.exec(out)[1]);
  assert.ok(n >= 2, out);
  // the day's open ones: C (returned) and the other department's team (missing); not A, B, D
  assert.equal(reminds(UC, 'escalate'), 1);
  assert.equal(reminds(UO1, 'escalate'), 1);
  for (const u of [UA, UB, UD]) assert.equal(reminds(u, 'escalate'), 0, u);
  // again: nothing new
  assert.match(ctl('track', 'escalate', FORM), /track: 0 escalated/);
  assert.equal(reminds(UC, 'escalate'), 1);
  // each head's portal, its own department's only
  const p = text((await head.get('/')).text_);
  assert.match(p, new RegExp(`催报丙班的催报测试日报（[^）]*）截止后仍未提交，已于 .* 上报给您`));
  assert.doesNotMatch(p, /催报其他班的催报测试日报/);
  assert.match(text((await headO.get('/')).text_), /催报其他班的催报测试日报/);
  // the matrix says when
  const disp = await as('x3', [['dispatcher', 'all']], '100010');
  const day = await disp.get(`/report/track?form=${FORM}&from=${DAY}&to=${DAY}`);
  assert.match(text(day.text_), /催报丙班 已退回 .*已于 \d{4}-\d\d-\d\d \d\d:\d\d 上报负责人（\d+ 人）/);
  const due = await disp.get(`/report/track/due?fid=${sql(`SELECT id FROM form WHERE code=${q(FORM)}`)}`);
  assert.equal(due.status, 200);
});
