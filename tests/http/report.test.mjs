// report.test.mjs -- 统计报表 through nginx and the report workers against the
// real MariaDB and the demo company: the route table (403 for the roles
// without a business capability, the log-in page without a session, CSRF).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, login, location, mkuser, uniq, csrfOf, ROOT } from './lib.mjs';

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
