// report.test.mjs -- 统计报表 through nginx and the report workers against the
// real MariaDB and the demo company: the route table (403 for the roles
// without a business capability, the log-in page without a session, CSRF);
// each built-in report's figures and totals, downloaded as CSV, against an
// independent SQL computation on the demo data (ratios and averages divided
// here in BigInt, half up), to the last digit; pending sheets and the title
// that says so; the PDF (pdftotext finds the Chinese title and a known row,
// qpdf --check passes) and the XLSX (numbers as numbers); a CSV cell '=1+1'
// neutralised; the audit record of every download; a clerk's saved report
// run by a head shows the head's scope only; IDOR on saved reports and units.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client, login, location, mkuser, uniq, csrfOf, sql, q, download, unitId, ROOT } from './lib.mjs';

const PW = 'Bao-biao#2026x';
const people = {};
async function as(key, roles, unit) {
  if (!people[key]) {
    const name = uniq('rp');
    mkuser(name, PW, { name: `报表${key}`, unit, roles });
    people[key] = name;
  }
  const c = await login(people[key], PW);
  assert.equal(c.last.status, 303, `${key} logs in`);
  c.name = people[key];
  return c;
}

// ------------------------------------------------------------------ routes

const src = fs.readFileSync(path.join(ROOT, 'cgi-bin/report/report.c'), 'utf8');
const table = /static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
const ROUTES = [...(table ? table[1] : '').matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*(\w+),\s*([^,]+),\s*([^,]+),/g)]
  .map((m) => ({ method: m[1], path: m[2], fn: m[3], caps: m[5].trim() }));

test('the report route table is found, and every route refuses the roles without a business capability', async () => {
  assert.ok(ROUTES.length >= 1, `routes parsed from report.c: ${ROUTES.length}`);
  assert.ok(ROUTES.some((r) => r.method === 'GET' && r.path === '/report/'));
  // admin and auditor hold no business capability: 403 everywhere
  for (const [key, roles] of [['adm', [['admin', 'all']]], ['aud', [['auditor', 'unit']]]]) {
    const c = await as(key, roles, '100090');
    const csrf = csrfOf((await c.get('/password')).text_);
    for (const r of ROUTES) {
      const res = r.method === 'GET' ? await c.get(r.path + '?r=vehicle_month&id=1') : await c.post(r.path, { csrf, id: '1', r: 'vehicle_month' });
      assert.equal(res.status, 403, `${key}: ${r.method} ${r.path}`);
      assert.match(res.text_, /无权访问/);
    }
  }
  // no session: the log-in page for GET, 403 for POST
  const anon = new Client();
  for (const r of ROUTES) {
    const res = r.method === 'GET' ? await anon.get(r.path) : await anon.post(r.path, { id: '1' });
    if (r.method === 'GET') { assert.equal(res.status, 303); assert.match(location(res), /^\/login\?next=\/report\//); }
    else assert.equal(res.status, 403, `anonymous POST ${r.path}`);
  }
  // every reader reaches the list: a clerk, a head, a dispatcher, a leader
  for (const [key, roles, unit] of [['c', [['clerk', 'unit']], '10002001'], ['h', [['head', 'subtree']], '100020'],
    ['d', [['dispatcher', 'all']], '100010'], ['l', [['leader', 'all']], '100']]) {
    const c = await as(key, roles, unit);
    const res = await c.get('/report/');
    assert.equal(res.status, 200, key);
    for (const name of ['调度日报汇总', '车辆运行月报', '维修工单统计', '餐饮供应月报', '能耗月报']) assert.match(res.text_, new RegExp(name), `${key}: ${name}`);
  }
});

// ------------------------------------------------------------------ helpers

// exact decimals: "123.45" -> { v: 12345n, s: 2 }
function dec(t) {
  const neg = t.startsWith('-'), u = neg ? t.slice(1) : t;
  const [i, f = ''] = u.split('.');
  return { v: BigInt((neg ? '-' : '') + i + f), s: f.length };
}
function fmt(v, scale) {
  const neg = v < 0n, t = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const out = scale ? `${t.slice(0, -scale)}.${t.slice(-scale)}` : t;
  return (neg && v !== 0n ? '-' : '') + out;
}
// a / b rounded half away from zero to scale decimals; '' when b is 0 or missing
function divRound(a, b, scale, times = 1n) {
  if (a === '' || b === '' || a == null || b == null) return '';
  const x = dec(a), y = dec(b);
  if (y.v === 0n) return '';
  let num = x.v * times * 10n ** BigInt(y.s + scale), den = y.v * 10n ** BigInt(x.s);
  if (den < 0n) { den = -den; num = -num; }
  const neg = num < 0n;
  if (neg) num = -num;
  let qv = num / den;
  if (2n * (num % den) >= den) qv += 1n;
  return fmt(neg ? -qv : qv, scale);
}
const nul = (v) => (v === 'NULL' || v === undefined ? '' : v);
const rows = (query) => { const t = sql(query); return t ? t.split('\n').map((l) => l.split('\t').map(nul)) : []; };

// RFC 4180 as the engine writes it (BOM, quotes, CRLF)
function parseCsv(buf) {
  let t = buf.toString('utf8');
  assert.equal(t.charCodeAt(0), 0xfeff, 'the CSV starts with a BOM');
  t = t.slice(1);
  const out = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (quoted) {
      if (ch === '"' && t[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r') { /* CRLF */ }
    else if (ch === '\n') { row.push(cell); out.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); out.push(row); }
  return out;
}

// a report downloaded as CSV: { title, header, body, totals }
async function csvOf(c, query) {
  const res = await download(c, `/report/export?fmt=csv&${query}`);
  assert.equal(res.status, 200, `CSV of ${query}: ${res.status}`);
  assert.match(res.type, /^text\/csv/);
  const t = parseCsv(res.body);
  return { title: t[0][0], sub: t[1][0], header: t[2], body: t.slice(3, -1), totals: t[t.length - 1] };
}

const byKey = (list, n) => new Map(list.map((r) => [r.slice(0, n).join('|'), r.slice(n)]));
function sameTable(got, want, n, what) {
  const g = byKey(got, n), w = byKey(want, n);
  assert.deepEqual([...g.keys()].sort(), [...w.keys()].sort(), `${what}: the same groups`);
  for (const [k, v] of w) assert.deepEqual(g.get(k), v, `${what}: ${k}`);
}

let D;                       // the demo's dates
before(() => {
  const last = sql("SELECT MAX(period_start) FROM entry WHERE counted = 1");
  const month = sql(`SELECT DATE_FORMAT(DATE_SUB(${q(last)}, INTERVAL 10 DAY), '%Y-%m-01')`);
  const monthEnd = sql(`SELECT LAST_DAY(${q(month)})`);
  const prevMonth = sql(`SELECT DATE_SUB(${q(month)}, INTERVAL 1 MONTH)`);
  const prevEnd = sql(`SELECT LAST_DAY(${q(prevMonth)})`);
  // a day with sheets of the vehicle form both approved and waiting
  const day = sql(`SELECT e.period_start FROM entry e JOIN form f ON f.id = e.form_id AND f.code = 'vehicle_daily'
    GROUP BY e.period_start HAVING SUM(e.counted = 1) > 0 ORDER BY SUM(e.status = 'submitted' AND e.cur = 1) DESC, e.period_start DESC LIMIT 1`);
  D = { month, monthEnd, prevMonth, prevEnd, day };
});

const COUNTED = (form) => `FROM entry e JOIN form fm ON fm.id = e.form_id AND fm.code = ${q(form)} JOIN org_unit o ON o.id = e.org_unit_id`;

// ------------------------------------------------------------------ figures

test('调度日报汇总: every unit\'s figures and the totals equal the SQL on the demo data, to the last digit', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const got = await csvOf(c, `r=dispatch_daily&period=day&date=${D.day}`);
  assert.equal(got.title, '调度日报汇总');
  assert.match(got.sub, new RegExp(`统计期间：${D.day}`));
  assert.deepEqual(got.header, ['单位', '报表份数', '出车次数', '行驶里程（km）', '加油量（L）', '乘车人次', '载货吨数（t）']);
  const sel = `COUNT(DISTINCT e.id), COUNT(*), SUM(r.mileage), SUM(r.fuel), SUM(r.passengers), SUM(r.tons)
    ${COUNTED('vehicle_daily')} JOIN f_vehicle_daily_r r ON r.entry_id = e.id WHERE e.counted = 1 AND e.period_start = ${q(D.day)}`;
  const want = rows(`SELECT o.name, ${sel} GROUP BY o.id`);
  assert.ok(want.length >= 1, 'the day has approved sheets');
  sameTable(got.body, want, 1, 'dispatch_daily');
  assert.deepEqual(got.totals, ['合计', ...rows(`SELECT ${sel}`)[0]]);
});

test('车辆运行月报: trips, mileage, fuel and fuel per 100 km per vehicle, and the totals', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const got = await csvOf(c, `r=vehicle_month&period=month&date=${D.month}`);
  assert.equal(got.title, '车辆运行月报');
  assert.deepEqual(got.header, ['车辆', '出车次数', '行驶里程（km）', '加油量（L）', '百公里油耗（L）']);
  const from = `${COUNTED('vehicle_daily')} JOIN f_vehicle_daily_r r ON r.entry_id = e.id
    WHERE e.counted = 1 AND e.period_start BETWEEN ${q(D.month)} AND ${q(D.monthEnd)}`;
  const want = rows(`SELECT b.name, COUNT(*), SUM(r.mileage), SUM(r.fuel) ${from.replace('JOIN f_vehicle_daily_r r ON r.entry_id = e.id',
    'JOIN f_vehicle_daily_r r ON r.entry_id = e.id JOIN base_item b ON b.id = r.vehicle')} GROUP BY r.vehicle`)
    .map(([n, trips, km, fuel]) => [n, trips, km, fuel, divRound(fuel, km, 2, 100n)]);
  assert.ok(want.length >= 5);
  sameTable(got.body, want, 1, 'vehicle_month');
  // sorted by mileage, largest first
  const km = got.body.map((r) => dec(r[2]).v);
  for (let i = 1; i < km.length; i++) assert.ok(km[i - 1] >= km[i], 'ordered by mileage');
  const [trips, tkm, tfuel] = rows(`SELECT COUNT(*), SUM(r.mileage), SUM(r.fuel) ${from}`)[0];
  assert.deepEqual(got.totals, ['合计', trips, tkm, tfuel, divRound(tfuel, tkm, 2, 100n)]);
});

test('维修工单统计: count, hours, cost and the average completion time by category and unit', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const got = await csvOf(c, `r=repair_stats&period=month&date=${D.month}`);
  assert.equal(got.title, '维修工单统计');
  assert.deepEqual(got.header, ['类别', '单位', '工单数', '工时（小时）', '材料费（元）', '平均完工用时（小时）']);
  const span = 'TIME_TO_SEC(r.finished) - TIME_TO_SEC(r.reported)';
  const sel = `COUNT(*), SUM(r.hours), SUM(r.material_cost), SUM(${span}), COUNT(${span})
    ${COUNTED('repair_order')} JOIN f_repair_order_r r ON r.entry_id = e.id
    WHERE e.counted = 1 AND e.period_start BETWEEN ${q(D.month)} AND ${q(D.monthEnd)}`;
  const avg = (secs, n) => (n === '0' ? '' : divRound(secs, String(BigInt(n) * 3600n), 2));
  const want = rows(`SELECT r.category, o.name, ${sel} GROUP BY r.category, o.id`)
    .map(([cat, unit, n, h, cost, secs, k]) => [cat, unit, n, h, cost, avg(secs, k)]);
  assert.ok(want.length >= 3);
  sameTable(got.body, want, 2, 'repair_stats');
  // categories in the order of the form's options
  const order = ['水', '电', '暖', '土建', '其他'];
  const idx = got.body.map((r) => order.indexOf(r[0]));
  assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
  const [n, h, cost, secs, k] = rows(`SELECT ${sel}`)[0];
  assert.deepEqual(got.totals, ['合计', '', n, h, cost, avg(secs, k)]);
});

test('餐饮供应月报: diners, cost and cost per head by canteen and meal', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const got = await csvOf(c, `r=canteen_month&period=month&date=${D.month}`);
  assert.equal(got.title, '餐饮供应月报');
  const sel = `COUNT(*), SUM(r.diners), SUM(r.cost) ${COUNTED('canteen_daily')} JOIN f_canteen_daily_r r ON r.entry_id = e.id
    WHERE e.counted = 1 AND e.period_start BETWEEN ${q(D.month)} AND ${q(D.monthEnd)}`;
  const want = rows(`SELECT b.name, r.meal, ${sel.replace('JOIN f_canteen_daily_r r ON r.entry_id = e.id',
    'JOIN f_canteen_daily_r r ON r.entry_id = e.id JOIN base_item b ON b.id = r.canteen')} GROUP BY r.canteen, r.meal`)
    .map(([cn, meal, n, diners, cost]) => [cn, meal, n, diners, cost, divRound(cost, diners, 2)]);
  assert.ok(want.length >= 3);
  sameTable(got.body, want, 2, 'canteen_month');
  const [n, diners, cost] = rows(`SELECT ${sel}`)[0];
  assert.deepEqual(got.totals, ['合计', '', n, diners, cost, divRound(cost, diners, 2)]);
});

test('能耗月报: consumption per unit and meter, the previous month and the change in per cent', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const got = await csvOf(c, `r=energy_month&period=month&date=${D.month}`);
  assert.equal(got.title, '能耗月报');
  assert.deepEqual(got.header, ['单位', '计量表', '抄表次数', '用量', '上期用量', '环比（%）']);
  const of = (a, b) => `${COUNTED('meter_reading')} JOIN f_meter_reading_r r ON r.entry_id = e.id JOIN base_item b ON b.id = r.meter
    WHERE e.counted = 1 AND e.period_start BETWEEN ${q(a)} AND ${q(b)}`;
  const prev = byKey(rows(`SELECT o.name, b.name, SUM(r.consumption) ${of(D.prevMonth, D.prevEnd)} GROUP BY o.id, r.meter`), 2);
  // (cur - prev) exactly, as a decimal string of the larger scale
  const diff = (a, b) => { const x = dec(a), y = dec(b), s = Math.max(x.s, y.s); return fmt(x.v * 10n ** BigInt(s - x.s) - y.v * 10n ** BigInt(s - y.s), s); };
  const want = rows(`SELECT o.name, b.name, COUNT(*), SUM(r.consumption) ${of(D.month, D.monthEnd)} GROUP BY o.id, r.meter`)
    .map(([u, m, n, used]) => {
      const p = prev.get(`${u}|${m}`);
      const pv = p ? p[0] : '';
      return [u, m, n, used, pv, pv === '' || dec(pv).v === 0n || used === '' ? '' : divRound(diff(used, pv), pv, 1, 100n)];
    });
  assert.ok(want.length >= 3);
  sameTable(got.body, want, 2, 'energy_month');
  const [n, used] = rows(`SELECT COUNT(*), SUM(r.consumption) ${of(D.month, D.monthEnd)}`)[0];
  const [pused] = rows(`SELECT SUM(r.consumption) ${of(D.prevMonth, D.prevEnd)}`)[0];
  assert.deepEqual(got.totals, ['合计', '', n, used, pused, pused === '' ? '' : divRound(diff(used, pused), pused, 1, 100n)]);
});

test('pending sheets: counted only with the switch, a correction waiting replaces its approved revision, and the title says so', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const plain = await csvOf(c, `r=dispatch_daily&period=day&date=${D.day}`);
  const pend = await csvOf(c, `r=dispatch_daily&period=day&date=${D.day}&pending=1`);
  assert.equal(pend.title, '调度日报汇总（含待审数据）');
  const cond = `((e.cur = 1 AND e.status = 'submitted') OR (e.counted = 1 AND NOT EXISTS(SELECT 1 FROM entry p
    WHERE p.form_id = e.form_id AND p.org_unit_id = e.org_unit_id AND p.period_key = e.period_key AND p.cur = 1 AND p.status = 'submitted' AND p.id <> e.id)))`;
  const [sheets, trips] = rows(`SELECT COUNT(DISTINCT e.id), COUNT(*) ${COUNTED('vehicle_daily')} JOIN f_vehicle_daily_r r ON r.entry_id = e.id
    WHERE ${cond} AND e.period_start = ${q(D.day)}`)[0];
  assert.equal(pend.totals[1], sheets);
  assert.equal(pend.totals[2], trips);
  const waiting = Number(sql(`SELECT COUNT(*) FROM entry e JOIN form f ON f.id = e.form_id AND f.code = 'vehicle_daily'
    WHERE e.cur = 1 AND e.status = 'submitted' AND e.period_start = ${q(D.day)}`));
  if (waiting > 0) assert.ok(Number(pend.totals[1]) > Number(plain.totals[1]) || Number(sql(`SELECT COUNT(*) FROM entry e JOIN form f ON f.id = e.form_id
    AND f.code = 'vehicle_daily' WHERE e.cur = 1 AND e.status = 'submitted' AND e.revision > 1 AND e.period_start = ${q(D.day)}`)) > 0);
  const page = await c.get(`/report/view?r=dispatch_daily&period=day&date=${D.day}&pending=1`);
  assert.match(page.text_, /<h1 id="title">调度日报汇总（含待审数据）<\/h1>/);
});

test('periods: a week is Monday to Sunday, a range is inclusive, a bad date or range is refused with a message', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const wk = await csvOf(c, `r=dispatch_daily&period=week&date=2026-11-26`);
  assert.match(wk.sub, /统计期间：2026-11-23 至 2026-11-29/);
  const rg = await csvOf(c, `r=vehicle_month&period=range&from=${D.month}&to=${D.monthEnd}`);
  const mo = await csvOf(c, `r=vehicle_month&period=month&date=${D.monthEnd}`);
  assert.deepEqual(rg.body, mo.body);
  assert.deepEqual(rg.totals, mo.totals);
  for (const bad of ['period=day&date=2026-02-30', 'period=range&from=2026-11-05&to=2026-11-01', 'period=year', 'period=range&from=x&to=y']) {
    const res = await c.get(`/report/view?r=vehicle_month&${bad}`);
    assert.equal(res.status, 400, bad);
    assert.match(res.text_, /class="msg msg-error"/, bad);
  }
  assert.equal((await c.get('/report/view?r=no_such_report')).status, 404);
  assert.equal((await c.get('/report/export?r=vehicle_month&fmt=doc')).status, 400);
});

test('PDF: A4 with the Chinese title, a known row and the signature lines, qpdf --check passes; XLSX numbers are numbers', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const res = await download(c, `/report/export?fmt=pdf&r=vehicle_month&period=month&date=${D.month}`);
  assert.equal(res.status, 200);
  assert.equal(res.type, 'application/pdf');
  assert.match(res.disp, /filename\*=UTF-8''/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  const f = path.join(dir, 'r.pdf');
  fs.writeFileSync(f, res.body);
  const text = execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(text, /车辆运行月报/);
  assert.match(text.replace(/ /g, ""), /第1页共\d+页/);
  assert.match(text, /制表人/);
  assert.match(text, /负责人/);
  const csv = await csvOf(c, `r=vehicle_month&period=month&date=${D.month}`);
  const [vehicle, trips, km] = csv.body[0];
  assert.match(text, new RegExp(`${vehicle}\\s+${trips}\\s+${km.replace('.', '\\.')}`), 'the first row');
  execFileSync('qpdf', ['--check', f], { stdio: 'ignore' });
  const info = execFileSync('pdfinfo', [f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(info, /Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/);
  // the XLSX: the mileage cell is a number with one decimal shown
  const x = await download(c, `/report/export?fmt=xlsx&r=vehicle_month&period=month&date=${D.month}`);
  assert.equal(x.status, 200);
  const xf = path.join(dir, 'r.xlsx');
  fs.writeFileSync(xf, x.body);
  const sheet = execFileSync('unzip', ['-p', xf, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  const styles = execFileSync('unzip', ['-p', xf, 'xl/styles.xml'], { encoding: 'utf8' });
  assert.match(sheet, new RegExp(`<c r="C4" s="(\\d+)"><v>${Number(km)}</v></c>`), 'C4 is the number');
  assert.match(styles, /formatCode="0\.0"/);
  fs.rmSync(dir, { recursive: true });
});

// ------------------------------------------------------------------ builder, scope, audit

async function save(c, fields) {
  const page = await c.get(`/report/build?form=${fields.form}`);
  assert.equal(page.status, 200);
  const res = await c.post('/report/save', { csrf: csrfOf(page.text_), ...fields });
  return res;
}

test('the builder: a clerk\'s saved report run by a head shows the head\'s scope only; others get 404; the owner edits and deletes', async () => {
  const U1 = unitId('10002001'), U2 = unitId('10002002');
  const clerk = await as('sc', [['clerk', 'unit']], '10002001');
  const res = await save(clerk, { form: 'vehicle_daily', name: '各班出车统计', m1_fn: 'sum', m1_field: 'mileage', m2_fn: 'count', g1: 'unit', period: 'month', chart: 'm1', role_head: '1' });
  assert.equal(res.status, 303, res.text_.slice(0, 300));
  const id = /u(\d+)$/.exec(location(res))[1];
  assert.equal(sql(`SELECT roles FROM report_saved WHERE id = ${id}`), 'head');
  const units = async (c) => (await csvOf(c, `r=u${id}&period=month&date=${D.month}`)).body.map((r) => r[0]);
  assert.deepEqual(await units(clerk), ['客运一班']);
  const head = await as('sh', [['head', 'unit']], '10002002');
  assert.deepEqual(await units(head), ['客运二班']);
  const head2 = await as('sh2', [['head', 'subtree']], '100020');
  assert.deepEqual((await units(head2)).sort(), ['客运一班', '客运二班', '货运班'].sort());
  // the head's figures are the SQL's for that unit
  const got = await csvOf(head, `r=u${id}&period=month&date=${D.month}`);
  const [km, n] = rows(`SELECT SUM(r.mileage), COUNT(*) ${COUNTED('vehicle_daily')} JOIN f_vehicle_daily_r r ON r.entry_id = e.id
    WHERE e.counted = 1 AND e.org_unit_id = ${U2} AND e.period_start BETWEEN ${q(D.month)} AND ${q(D.monthEnd)}`)[0];
  assert.deepEqual(got.body[0], ['客运二班', km, n]);
  // the head reaches only its own unit: another unit's filter is refused
  const other = await head.get(`/report/view?r=u${id}&period=month&date=${D.month}&unit=${U1}`);
  assert.equal(other.status, 400);
  assert.match(other.text_, /所选单位不在您的权限范围内/);
  // not among the roles chosen: no such report
  const leader = await as('sl', [['leader', 'all']], '100');
  assert.equal((await leader.get(`/report/view?r=u${id}`)).status, 404);
  assert.equal((await download(leader, `/report/export?fmt=csv&r=u${id}`)).status, 404);
  // IDOR: editing or deleting someone else's report
  assert.equal((await head.get(`/report/build?id=${id}`)).status, 404);
  const hcsrf = csrfOf((await head.get('/report/')).text_);
  assert.equal((await head.post('/report/delete', { csrf: hcsrf, id })).status, 404);
  assert.equal((await head.post('/report/save', { csrf: hcsrf, id, form: 'vehicle_daily', name: '改名', m1_fn: 'count' })).status, 404);
  assert.equal(sql(`SELECT name FROM report_saved WHERE id = ${id}`), '各班出车统计');
  // the list shows it to the head, not to the leader
  assert.match((await head.get('/report/')).text_, /各班出车统计/);
  assert.doesNotMatch((await leader.get('/report/')).text_, /各班出车统计/);
  // the owner edits (roles too) and deletes
  const edit = await clerk.get(`/report/build?id=${id}`);
  assert.equal(edit.status, 200);
  assert.match(edit.text_, /name="m1_fn" value="sum"/);
  const res2 = await save(clerk, { id, form: 'vehicle_daily', name: '各班出车统计（改）', m1_fn: 'sum', m1_field: 'mileage', g1: 'unit', role_leader: '1' });
  assert.equal(res2.status, 303);
  assert.equal(sql(`SELECT CONCAT(name, '/', roles) FROM report_saved WHERE id = ${id}`), '各班出车统计（改）/leader');
  assert.equal((await leader.get(`/report/view?r=u${id}&period=month&date=${D.month}`)).status, 200);
  const ccsrf = csrfOf((await clerk.get('/report/')).text_);
  const del = await clerk.post('/report/delete', { csrf: ccsrf, id });
  assert.equal(del.status, 303);
  assert.equal((await clerk.get(`/report/view?r=u${id}`)).status, 404);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE object = 'report:${id}' AND action IN ('report.save', 'report.update', 'report.delete')`)) >= 3);
});

test('the builder refuses what cannot run, keeping the choices: a text field summed, a missing measure, a forged field name', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const bad = await save(c, { form: 'vehicle_daily', name: '错误的报表', m1_fn: 'sum', m1_field: 'driver', g1: 'unit' });
  assert.equal(bad.status, 400);
  assert.match(bad.text_, /只能对数字字段求合计/);
  assert.match(bad.text_, /value="错误的报表"/);
  const none = await save(c, { form: 'vehicle_daily', name: '没有指标', g1: 'unit' });
  assert.equal(none.status, 400);
  assert.match(none.text_, /请至少选择一项统计指标/);
  const forged = await save(c, { form: 'vehicle_daily', name: '伪造', m1_fn: 'sum', m1_field: 'mileage`) FROM app_user -- ', g1: 'unit' });
  assert.equal(forged.status, 400);
  const forged2 = await c.get('/report/build?form=vehicle_daily&preview=1&m1_fn=sum&m1_field=id&g1=f:password');
  assert.equal(forged2.status, 400);
  assert.equal(Number(sql("SELECT COUNT(*) FROM report_saved WHERE name IN ('错误的报表', '没有指标', '伪造')")), 0);
  // a preview runs through the same engine
  const pv = await c.get(`/report/build?form=vehicle_daily&preview=1&m1_fn=sum&m1_field=mileage&g1=unit&period=month&date=${D.month}`);
  assert.equal(pv.status, 200);
  assert.match(pv.text_, /id="preview-result"/);
  assert.match(pv.text_, /<tr class="totals" id="totals">/);
});

test('CSV: a cell starting with = comes out neutralised; every download writes an audit record with the filters and the rows', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const res = await save(c, { form: 'vehicle_daily', name: '=1+1', m1_fn: 'sum', m1_field: 'mileage', g1: 'unit' });
  assert.equal(res.status, 303);
  const id = /u(\d+)$/.exec(location(res))[1];
  const got = await csvOf(c, `r=u${id}&period=month&date=${D.month}`);
  assert.equal(got.title, "'=1+1");
  const before = Number(sql("SELECT COALESCE(MAX(id), 0) FROM audit_log"));
  for (const f of ['csv', 'xlsx', 'pdf']) assert.equal((await download(c, `/report/export?fmt=${f}&r=vehicle_month&period=month&date=${D.month}`)).status, 200);
  const recs = rows(`SELECT action, object, detail FROM audit_log WHERE id > ${before} AND action = 'export.report' ORDER BY id`);
  assert.deepEqual(recs.map((r) => JSON.parse(r[2]).format), ['csv', 'xlsx', 'pdf']);
  const n = (await csvOf(c, `r=vehicle_month&period=month&date=${D.month}`)).body.length;
  for (const [, object, detail] of recs) {
    assert.equal(object, 'report:vehicle_month');
    const d = JSON.parse(detail);
    assert.deepEqual([d.report, d.from, d.to, d.unit, d.pending, d.rows], ['车辆运行月报', D.month, D.monthEnd, '权限范围内全部单位', 0, n]);
  }
  // viewing the page is not a download
  const mid = Number(sql("SELECT COALESCE(MAX(id), 0) FROM audit_log"));
  await c.get(`/report/view?r=vehicle_month&period=month&date=${D.month}`);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE id > ${mid} AND action = 'export.report'`)), 0);
});

test('averages, minima and maxima of a saved report: exact, rounded half up at the field\'s decimals, totals from all rows', async () => {
  const c = await as('disp', [['dispatcher', 'all']], '100010');
  const res = await save(c, { form: 'canteen_daily', name: '餐次平均', m1_fn: 'avg', m1_field: 'cost', m2_fn: 'avg', m2_field: 'diners',
    m3_fn: 'min', m3_field: 'cost', m4_fn: 'max', m4_field: 'per_head', g1: 'f:meal' });
  assert.equal(res.status, 303);
  const id = /u(\d+)$/.exec(location(res))[1];
  const got = await csvOf(c, `r=u${id}&period=month&date=${D.month}`);
  assert.deepEqual(got.header, ['餐次', '平均采购金额（元）', '平均就餐人数（人）', '最小采购金额（元）', '最大人均成本（元）']);
  const sel = `SUM(r.cost), COUNT(r.cost), SUM(r.diners), COUNT(r.diners), MIN(r.cost), MAX(r.per_head)
    ${COUNTED('canteen_daily')} JOIN f_canteen_daily_r r ON r.entry_id = e.id
    WHERE e.counted = 1 AND e.period_start BETWEEN ${q(D.month)} AND ${q(D.monthEnd)}`;
  const line = ([sc, nc, sd, nd, mn, mx]) => [divRound(sc, nc, 2), divRound(sd, nd, 1), mn, mx];
  sameTable(got.body, rows(`SELECT r.meal, ${sel} GROUP BY r.meal`).map(([m, ...v]) => [m, ...line(v)]), 1, 'averages');
  assert.deepEqual(got.totals, ['合计', ...line(rows(`SELECT ${sel}`)[0])]);
});
