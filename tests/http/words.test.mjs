// words.test.mjs -- no internal or English words in the Chinese interface.
//
// An admin over everything walks every GET route of the login and admin
// executables (read from their route tables, so a new page cannot be
// missed) with the demo company loaded, plus the pages an import shows
// (the preview with its column table, role words and records), and every
// Latin word on a page -- text, and the words a person reads in
// placeholders, titles and labels -- must be one of: the customer's own
// data (codes, account names, plates and other values in the database),
// or a small allow-list of names a Chinese user reads as they are (CSV,
// XLSX, PDF, UTF-8, GBK, Excel, the product's name, the "English" switch).
// So import kinds like "base:vehicle", role codes, field type names,
// "SHA-256" and kind codes after names fail here.  The English interface
// gets the mirror check on its titles: no Chinese words there except data.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, login, csrfOf, sql, q, demoSafeMkuser, uniq, ROOT } from './lib.mjs';

const PW = 'Ci-yu#2026x';
const mkuser = demoSafeMkuser(after);

// names a Chinese user reads as they are; everything else Latin must be data
const ALLOWED = new Set(['CSV', 'XLSX', 'PDF', 'UTF-8', 'GBK', 'GB18030', 'MB', 'Excel', 'Diaodu', 'English', 'kW']);
// codes that are not in the database: a file's fingerprint (64 hex digits), the
// activation-code pattern, spreadsheet column letters, and the units (kW) of labels
const CODE = /^(?:[0-9a-f]{16,64}|[A-Z]{5}-[A-Z]{5}|[A-Z])$/;

function routes(file) {
  const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const table = /static const ROUTE routes\[\] = \{([\s\S]*?)\n\};/.exec(src);
  return [...table[1].matchAll(/\{\s*"(GET|POST)",\s*"([^"]+)",\s*(\w+)/g)].map((m) => ({ method: m[1], path: m[2] }));
}

// every Latin token of the customer's data, so that codes, logins and values pass
function dataWords() {
  const words = new Set();
  const add = (text) => { for (const t of text.match(/[A-Za-z][A-Za-z0-9_.@:+-]*/g) || []) words.add(t); };
  add(sql('SELECT code, name FROM org_unit'));
  add(sql('SELECT login, name, COALESCE(phone, "") FROM app_user'));
  add(sql(`SELECT code, name, COALESCE(a1,''), COALESCE(a2,''), COALESCE(a3,''), COALESCE(a4,''),
    COALESCE(a5,''), COALESCE(a6,''), COALESCE(a7,''), COALESCE(a8,'') FROM base_item`));
  add(sql('SELECT name FROM base_kind'));
  add(sql('SELECT label FROM base_field'));
  add(sql('SELECT filename FROM import_batch'));
  // the customer's form definitions: form and field codes, names, files, and the units they typed
  add(sql("SELECT code, name, COALESCE(name_en, ''), file FROM form"));
  add(sql('SELECT code, label FROM form_field'));
  for (const m of sql('SELECT source FROM form').replace(/\\n/g, '\n').matchAll(/^\s*Unit = (.+)$/gm)) add(m[1]);
  // what the clerks typed into the sheets' text fields (work order numbers such as WX20261129-0301)
  const text = sql("SELECT f.code, ff.code, ff.part FROM form_field ff JOIN form f ON f.id = ff.form_id WHERE ff.type IN ('text', 'textarea')");
  for (const [form, field, part] of (text ? text.split('\n') : []).map((l) => l.split('\t'))) {
    add(sql(`SELECT DISTINCT \`${field}\` FROM \`f_${form}${part === 'row' ? '_r' : ''}\` WHERE \`${field}\` IS NOT NULL LIMIT 20000`));
  }
  return words;
}

// what a person reads on the page: text, and placeholders, titles, labels, button values
function readable(html) {
  const attrs = [...html.matchAll(/\s(?:placeholder|title|aria-label|alt)="([^"]*)"/g)].map((m) => m[1]);
  const buttons = [...html.matchAll(/<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"/g)].map((m) => m[1]);
  const text = html.replace(/<head>[\s\S]*?<\/head>/, ' ').replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  const title = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || '';
  return [title, text, ...attrs, ...buttons].join(' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

function latinWords(html, allowed) {
  const bad = new Set();
  for (const t of readable(html).match(/[A-Za-z][A-Za-z0-9_.@:+-]*/g) || []) {
    const word = t.replace(/[.:+-]+$/, '');
    if (!word || ALLOWED.has(word) || CODE.test(word) || allowed.has(word) || allowed.has(t)) continue;
    bad.add(word);
  }
  return [...bad];
}

async function admin() {
  const name = uniq('cy');
  mkuser(name, PW, { name: '词语检查员', unit: '100090', roles: [['admin', 'all']] });
  const c = await login(name, PW);
  assert.equal(c.last.status, 303);
  return { c, name };
}

// a GET path with the parameters its handler needs, for each route
function urls(r) {
  const unit = sql("SELECT id FROM org_unit WHERE code='100020'");
  const user = sql("SELECT id FROM app_user WHERE login='cd_clerk'");
  const kinds = sql('SELECT code FROM base_kind WHERE active=1').split('\n');
  const item = (k) => sql(`SELECT b.id FROM base_item b JOIN base_kind k ON k.id=b.kind_id WHERE k.code=${q(k)} ORDER BY b.id LIMIT 1`);
  switch (r.path) {
    case '/admin/units/edit': return [`${r.path}?id=${unit}`];
    case '/admin/users/edit': return [`${r.path}?id=${user}`];
    case '/admin/users': return [r.path, `${r.path}?unit=${unit}&q=cd`];
    case '/admin/base/kind': return kinds.map((k) => `${r.path}?k=${k}`);
    case '/admin/base/item': return kinds.flatMap((k) => [`${r.path}?k=${k}`, ...(item(k) ? [`${r.path}?k=${k}&id=${item(k)}`] : [])]);
    case '/admin/import': return [r.path, ...kinds.map((k) => `${r.path}?kind=base:${k}`)];
    case '/lang': return [];                      // a redirect
    case '/admin/forms/form': return sql('SELECT code FROM form').split('\n').map((f) => `${r.path}?code=${f}`);
    case '/entry/view': case '/entry/print': return [`${r.path}?id=${sql('SELECT MIN(id) FROM entry')}`];
    case '/entry/edit': return [`${r.path}?id=${sql("SELECT MIN(id) FROM entry WHERE status='draft'")}`];
    case '/entry/new': return [`${r.path}?form=vehicle_daily&unit=${sql("SELECT id FROM org_unit WHERE code='10002001'")}`,
      `${r.path}?form=vehicle_daily&unit=${sql("SELECT id FROM org_unit WHERE code='10002001'")}&date=2020-01-01`];
    case '/entry/list': return [r.path, `${r.path}?form=vehicle_daily&status=approved`];
    case '/approval/entry': return [`${r.path}?id=${sql("SELECT MIN(id) FROM entry WHERE status='approved'")}`,
      `${r.path}?id=${sql("SELECT MIN(id) FROM entry WHERE status='submitted'")}`];
    case '/report/view': return [`${r.path}?r=vehicle_month`, `${r.path}?r=energy_month&period=month`,
      `${r.path}?r=dispatch_daily&period=week&pending=1`, `${r.path}?r=repair_stats&period=range&from=2026-01-01&to=2026-12-31`];
    case '/report/export': return [];               // downloads
    case '/report/build': return [r.path, `${r.path}?form=vehicle_daily`,
      `${r.path}?form=repair_order&preview=1&m1_fn=sum&m1_field=hours&m2_fn=avg&m2_field=material_cost&g1=f:category&g2=month&chart=m1`];
    case '/report/track': {                       // a month, and one day as a list with the reminder buttons
      const day = new Date(Date.now() - 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      return [r.path, `${r.path}?form=vehicle_daily&from=${day}&to=${day}`, `${r.path}?form=security_patrol`];
    }
    case '/login': return [r.path];
    default: return [r.path];
  }
}

// downloads are files, not pages
const isPage = (res) => /^text\/html/.test(res.headers.get('content-type') || '');

function multipart(fields, file) {
  const b = '----DiaoduWords' + Math.random().toString(16).slice(2);
  const parts = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

test('every page of the Chinese interface is free of Latin words other than data and file-format names', async () => {
  const { c } = await admin();
  const allowed = dataWords();
  const gets = [...routes('cgi-bin/login/login.c'), ...routes('cgi-bin/admin/admin.c')].filter((r) => r.method === 'GET');
  assert.ok(gets.length >= 20, `GET routes found: ${gets.length}`);
  // the entry pages, as a clerk and dispatcher of the whole company
  const clerk = uniq('cye');
  mkuser(clerk, PW, { name: '填报词语检查', unit: '100010', roles: [['clerk', 'all'], ['dispatcher', 'all']] });
  const e = await login(clerk, PW);
  allowed.add(clerk);
  const entryGets = [...routes('cgi-bin/entry/entry.c'), ...routes('cgi-bin/approval/approval.c'),
    ...routes('cgi-bin/report/report.c')].filter((r) => r.method === 'GET');
  assert.ok(entryGets.length >= 6, `entry GET routes found: ${entryGets.length}`);
  const found = [];
  let pages = 0;
  for (const [who, r] of [...gets.map((r) => [c, r]), ...entryGets.map((r) => [e, r])]) {
    for (const url of urls(r)) {
      const res = await who.get(url);
      if (res.status >= 300 && res.status < 400) continue;
      assert.ok(res.status < 500, `${url}: ${res.status}`);
      if (!isPage(res)) continue;
      pages++;
      const bad = latinWords(res.text_, allowed);
      if (bad.length) found.push(`${url}: ${bad.join(', ')}`);
    }
  }
  // the public pages as a visitor sees them, and an error page
  const anon = new Client();
  for (const url of ['/login', '/activate', '/no/such/page']) {
    const res = await anon.get(url);
    pages++;
    const bad = latinWords(res.text_, allowed);
    if (bad.length) found.push(`${url} (anonymous): ${bad.join(', ')}`);
  }
  // the pages an import shows: a preview with its columns, role words and records
  const page = await c.get('/admin/import');
  const csrf = csrfOf(page.text_);
  const L = uniq('cw');
  const files = [
    ['units', `部门编号,部门名称,上级部门,负责人\n${L}U,词语检查部,车队,张三\n`],
    ['users', `工号,姓名,所属部门,岗位,手机\n${L}a,词语甲,车队,车间主任,1.39E+10\n`],
    ['base:vehicle', `车辆编号,车辆名称,车牌号码,使用部门,旧编号\n${L}V,词语车,沪A·00001,车队,OLD-1\n`],
  ];
  allowed.add('x.csv');                         // the file's own name
  for (const [kind, text] of files) {
    for (const t of text.match(/[A-Za-z][A-Za-z0-9_.@:+-]*/g) || []) allowed.add(t.replace(/[.:+-]+$/, ''));
    const { body, type } = multipart({ csrf, kind }, { name: 'x.csv', data: Buffer.from(text) });
    const res = await c.post('/admin/import/check', body, { raw: true, headers: { 'content-type': type } });
    assert.ok([200, 422].includes(res.status), `${kind}: ${res.status}`);
    pages++;
    const bad = latinWords(res.text_, allowed);
    if (bad.length) found.push(`import ${kind}: ${bad.join(', ')}`);
  }
  console.log(`# ${pages} pages checked`);
  assert.deepEqual(found, [], 'Latin words in the Chinese interface');
});

test('the English interface: no Chinese words in page titles and headings other than data', async () => {
  const { c } = await admin();
  const page = await c.get('/');
  const toEn = await c.get('/lang?to=en&next=/admin/');
  assert.equal(toEn.status, 303);
  const names = new Set(sql('SELECT name FROM org_unit UNION SELECT name FROM base_kind UNION SELECT name FROM app_user UNION SELECT label FROM base_field UNION SELECT name FROM form').split('\n')
    .sort((x, y) => y.length - x.length));
  const gets = routes('cgi-bin/admin/admin.c').filter((r) => r.method === 'GET');
  const found = [];
  for (const r of gets) {
    for (const url of urls(r)) {
      const res = await c.get(url);
      if (!isPage(res) || res.status >= 300) continue;
      const heads = [...res.text_.matchAll(/<(title|h1|h2|th)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2].replace(/<[^>]+>/g, ' '));
      for (const h of heads) {
        let rest = h;
        for (const n of names) if (n && rest.includes(n)) rest = rest.split(n).join(' ');
        if (/[\u4e00-\u9fff]/.test(rest)) found.push(`${url}: ${h.trim()}`);
      }
    }
  }
  await c.get('/lang?to=zh_CN&next=/');
  assert.ok(page.status === 200);
  assert.deepEqual(found, [], 'Chinese words in the English interface\'s titles');
});
