// implib.mjs -- helpers of the import tests that read the dry run's page as
// a person would: the counts, the error table, the column table with what
// each column became, the role words, the records that will change, and the
// mapping form posted back.  Used by import-map.test.mjs, import-rules.test.mjs.
import assert from 'node:assert/strict';
import { login, csrfOf, sql, BASE } from './lib.mjs';

export const unesc = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const text = (html) => unesc(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();

// everything an import could touch: a refused file leaves all of it alone
export const fingerprint = () => sql(`SELECT (SELECT COUNT(*) FROM org_unit), (SELECT COALESCE(SUM(version),0) FROM org_unit),
  (SELECT COUNT(*) FROM app_user), (SELECT COALESCE(SUM(version),0) FROM app_user), (SELECT COUNT(*) FROM user_role),
  (SELECT COUNT(*) FROM pending_grant), (SELECT COUNT(*) FROM base_item), (SELECT COUNT(*) FROM base_field),
  (SELECT COUNT(*) FROM code_map), (SELECT COUNT(*) FROM activation_sheet), (SELECT COUNT(*) FROM import_batch),
  (SELECT COUNT(*) FROM audit_log WHERE action LIKE 'import.%' AND action <> 'import.mapping')`);

export async function adminClient(mkuser, name, password, opts = {}) {
  const id = mkuser(name, password, { name: opts.name || '上线管理员', unit: opts.unit || '100090', roles: opts.roles || [['admin', 'all']] });
  const c = await login(name, password);
  c.id = id;
  assert.equal(c.last.status, 303, 'the admin logs in');
  c.csrf = csrfOf((await c.get('/admin/import')).text_);
  c.send = (url, fields) => c.post(url, { csrf: c.csrf, ...fields });
  return c;
}

export function multipart(fields, file) {
  const b = '----DiaoduGoLive' + Math.random().toString(16).slice(2);
  const parts = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type || 'text/csv'}\r\n\r\n`),
    file.data, Buffer.from('\r\n'), Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

// the dry run's page, read
export function page(res) {
  const h = res.text_;
  const m = /数据行 <b>(\d+)<\/b> · 新增 <b>(\d+)<\/b> · 更新 <b>(\d+)<\/b> · 无变化 <b>(\d+)<\/b> · 错误 <b>(\d+)<\/b> · 有错误的行 <b>(\d+)<\/b>/.exec(h);
  res.summary = m ? { rows: +m[1], new: +m[2], updated: +m[3], same: +m[4], errors: +m[5], errorRows: +m[6] } : null;
  res.batch = (/name="batch" value="(\d+)"/.exec(h) || [])[1];
  res.upload = (/name="upload" value="(\d+)"/.exec(h) || [])[1];
  const t = /<table class="grid errors">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(h);
  res.errors = t ? [...t[1].matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((x) => ({ row: +x[1], column: x[2], value: unesc(x[3]), msg: unesc(x[4]) })) : [];
  const w = /<table class="grid warnings"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(h);
  res.warnings = w ? [...w[1].matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((x) => ({ row: +x[1], column: x[2], value: unesc(x[3]), msg: unesc(x[4]) })) : [];
  // every column of the file: letter, title, what it became, the selected choice
  const ct = /<table class="grid cols" id="cols">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(h);
  res.cols = ct ? ct[1].split('<tr class="st-').slice(1).map((row) => {
    const tds = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => x[1]);
    const sel = /<select name="m(\d+)"[\s\S]*?<\/select>/.exec(row);
    const chosen = sel ? (/<option value="([^"]*)" selected>/.exec(sel[0]) || [])[1] : undefined;
    return { state: row.slice(0, row.indexOf('"')), letter: text(tds[0]), header: text(tds[1]), sample: text(tds[2]),
      shown: text(tds[3]), col: sel ? +sel[1] : -1, chosen };
  }) : [];
  const wt = /<table class="grid words" id="words">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(h);
  res.words = wt ? wt[1].split('<tr>').slice(1).map((row) => {
    const tds = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((x) => x[1]);
    const idx = (/name="w(\d+)"/.exec(row) || [])[1];
    const chosen = (/<option value="([^"]*)" selected>/.exec(row) || [])[1];
    return { word: text(tds[0]), rows: parseInt(text(tds[1]), 10), index: idx, chosen };
  }) : [];
  // the records that will change: row, new/updated, "name key", "label：value" pieces
  const pt = /<table class="grid tree preview" id="preview">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(h);
  res.preview = pt ? pt[1].split('<tr class="pv-').slice(1).map((row) => {
    const tds = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => x[1]);
    const depth = +((/class="d(\d+)"/.exec(row) || [])[1] || 0);
    return { status: row.slice(0, 3), row: +text(tds[0]), record: text(tds[2]), depth,
      changes: [...tds[3].matchAll(/<span class="chg">([\s\S]*?)<\/span>/g)].map((x) => text(x[1])) };
  }) : [];
  res.fileMsg = unesc((/<p class="msg msg-error" role="alert">([^<]*)<\/p>/.exec(h) || [])[1] || '');
  res.adopt = [...h.matchAll(/<div class="msg msg-warn" id="adopt">([\s\S]*?)<\/div>/g)].map((x) => text(x[1]))[0] || '';
  res.pending = [...h.matchAll(/<div class="msg msg-warn" id="pending">([\s\S]*?)<\/div>/g)].map((x) => text(x[1]))[0] || '';
  return res;
}

export async function check(c, kind, data, name = 'file.csv', type = 'text/csv') {
  const { body, type: ct } = multipart({ csrf: c.csrf, kind }, { name, data: Buffer.isBuffer(data) ? data : Buffer.from(data), type });
  return page(await c.post('/admin/import/check', body, { raw: true, headers: { 'content-type': ct } }));
}

// the mapping form: {column index: choice}, {word: role}; unspecified columns
// keep what the page selected
export async function map(c, res, columns = {}, words = {}) {
  assert.ok(res.upload, 'the page offers the mapping form');
  const fields = { csrf: c.csrf, upload: res.upload };
  for (const col of res.cols) if (col.col >= 0) fields[`m${col.col}`] = columns[col.col] ?? columns[col.header] ?? col.chosen ?? '';
  res.words.forEach((w) => {
    fields[`wv${w.index}`] = w.word;
    fields[`w${w.index}`] = words[w.word] ?? w.chosen ?? '';
  });
  return page(await c.post('/admin/import/map', fields));
}

export const apply = async (c, batch) => page(await c.post('/admin/import/apply', { csrf: c.csrf, batch }));

export async function download(c, url) {
  const res = await fetch(BASE + url, { headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

export function hasError(res, e) {
  return res.errors.some((r) => r.row === e.row && (e.column === undefined || r.column === e.column)
    && (e.value === undefined || r.value === e.value) && e.msg.test(r.msg));
}
