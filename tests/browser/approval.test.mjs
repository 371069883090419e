// approval.test.mjs -- the browser test of 审批: Debian's chromium, driven by
// playwright-core.  A clerk fills and submits a sheet; the head finds it on
// the portal and in 待我审批 and returns it with a reason; the clerk sees the
// reason at the top, fixes the row and submits again; the head approves with
// a comment; the dispatch centre approves; the sheet is read-only; the clerk
// starts a correction, which opens revision 2 to edit, and the head sees
// what changed.  Then axe-core on every approval page.  Screenshots:
// tests/out/approval-*.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { BASE, ROOT, ctl, mkunit, mkuser, uniq, sql, q } from '../http/lib.mjs';

const OUT = path.join(ROOT, 'tests/out');
fs.mkdirSync(OUT, { recursive: true });
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'Liu-lan#2026x';
const U = uniq('W');
const FORM = 'w' + U.slice(1).toLowerCase();
const UP = U, UA = U + 'a', UX = U + 'x';
let clerk, head, disp;

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

before(() => {
  mkunit(UP, '车队（审批测试）');
  mkunit(UA, '客运班（审批测试）', UP);
  mkunit(UX, '调度中心（审批测试）');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diaodu-bflow-'));
  fs.writeFileSync(path.join(dir, `${FORM}.hdf`), `Code = ${FORM}
Name = 出车登记
Version = 1
Period = day
Units = ${UA}
Header {
  who {
    Type = text
    Label = 值班调度
    Required = 1
  }
}
Rows {
  Title = 出车记录
  MinRows = 1
  MaxRows = 10
  plate {
    Type = text
    Label = 车牌
    Required = 1
  }
  km {
    Type = decimal
    Label = 里程
    Precision = 8
    Scale = 1
    Unit = km
  }
}
Approval {
  Steps {
    head {
      Label = 车队审核
      Role = head
      Scope = up
    }
    centre {
      Label = 调度中心审核
      Role = dispatcher
      At = ${UX}
    }
  }
}
`);
  assert.match(ctl('forms', 'apply', dir), new RegExp(`applied ${FORM} version 1: new`));
  clerk = uniq('wcl');
  mkuser(clerk, PW, { name: '彭丽', unit: UA, roles: [['clerk', 'unit']] });
  head = uniq('whd');
  mkuser(head, PW, { name: '谭春梅', unit: UP, roles: [['head', 'subtree']] });
  disp = uniq('wdd');
  mkuser(disp, PW, { name: '尹敏', unit: UX, roles: [['dispatcher', 'all']] });
});

async function logIn(b, who, opts = {}) {
  const ctx = await b.newContext({ viewport: { width: 1200, height: 860 }, ...opts });
  const page = await ctx.newPage();
  await page.goto(BASE + '/login');
  await page.fill('#login', who);
  await page.fill('#password', PW);
  await page.click('button[type=submit]');
  await page.waitForURL(BASE + '/');
  return page;
}
const shot = (page, name) => page.screenshot({ path: path.join(OUT, `approval-${name}.png`), fullPage: true });
const idOf = (url) => Number(/id=(\d+)/.exec(url)[1]);

// the approver opens the sheet from the portal's count and 待我审批
async function openFromPortal(page, id, name) {
  await page.goto(BASE + '/');
  assert.match(await page.textContent('#waiting'), /有 \d+ 张报表等待您审批/);
  await page.click('#waiting a[href="/approval/"]');
  await page.waitForURL(/\/approval\/$/);
  assert.ok(await page.isVisible(`#e-${id}`), 'the sheet is in 待我审批');
  if (name) await shot(page, name);
  await page.click(`#e-${id} a[href="/approval/entry?id=${id}"]`);
  await page.waitForURL(new RegExp(`/approval/entry\\?id=${id}$`));
}

test('a clerk submits; the head returns it with a reason; fixed and resubmitted; two approvals; read-only; a correction is revision 2', async () => {
  const b = await browser();
  try {
    // the clerk fills today's sheet from the portal
    const c = await logIn(b, clerk);
    await c.click(`#today a[href*="form=${FORM}"]`);
    await c.waitForURL(/\/entry\/new\?/);
    await c.fill('#h-who', '王调度');
    await c.fill('#r0-plate', '京A12345');
    await c.fill('#r0-km', '53.2');
    await c.click('button[value=addrow]');
    await c.waitForSelector('#r1-plate');
    await c.fill('#r1-plate', '京A67890');
    await c.fill('#r1-km', '260');
    await c.click('#op-submit');
    await c.waitForURL(/\/entry\/view\?id=\d+&ok=submitted$/);
    const id = idOf(c.url());
    assert.match(await c.textContent('#status'), /已提交/);

    // the head: portal -> 待我审批 -> the sheet; returns it with a reason
    const h = await logIn(b, head);
    await openFromPortal(h, id, 'inbox');
    assert.match(await h.textContent('#step'), /第1\/2步 车队审核/);
    await shot(h, 'head-sheet');
    await h.click('#reject');                                   // no reason: refused, nothing changes
    await h.waitForSelector('.msg-error');
    assert.match(await h.textContent('.msg-error'), /请填写原因/);
    await h.fill('#note', '第2行里程与行车记录不符，请核对');
    await h.click('#reject');
    await h.waitForURL(/ok=reject$/);
    assert.match(await h.textContent('#status'), /已退回/);

    // the clerk sees it returned, with the reason on top, fixes and resubmits
    await c.goto(BASE + '/');
    assert.match(await c.textContent('#returned'), /您提交的报表有 1 张被退回待修改/);
    await c.click('#returned a[href="/approval/returned"]');
    await c.click(`#e-${id} a[href="/entry/edit?id=${id}"]`);
    await c.waitForURL(new RegExp(`/entry/edit\\?id=${id}$`));
    assert.match(await c.textContent('#returned-reason'), /已退回，退回原因：第2行里程与行车记录不符，请核对/);
    await shot(c, 'clerk-returned');
    assert.equal(await c.inputValue('#r1-km'), '260.0');
    await c.fill('#r1-km', '26.0');
    await c.click('#op-submit');
    await c.waitForURL(/ok=submitted$/);

    // the head approves with a comment; the dispatch centre approves
    await openFromPortal(h, id);
    await h.fill('#note', '已核对行车记录');
    await h.click('#approve');
    await h.waitForURL(/ok=approve$/);
    assert.match(await h.textContent('#step'), /第2\/2步 调度中心审核/);
    const d = await logIn(b, disp);
    await openFromPortal(d, id);
    await shot(d, 'centre-sheet');
    await d.click('#approve');
    await d.waitForURL(/ok=approve$/);
    assert.match(await d.textContent('#status'), /已通过/);
    const history = await d.textContent('#history');
    for (const what of ['提交', '退回填报人', '第2行里程与行车记录不符', '审批通过', '已核对行车记录', '谭春梅', '尹敏'])
      assert.ok(history.includes(what), `history: ${what}`);
    await shot(d, 'approved');

    // read-only for the clerk: no edit, the edit page sends back to the view
    await c.goto(BASE + `/entry/edit?id=${id}`);
    await c.waitForURL(new RegExp(`/entry/view\\?id=${id}`));
    assert.equal(await c.locator('a[href^="/entry/edit"]').count(), 0);
    // a correction: revision 2, copied, to edit and submit again
    await c.click('#flow-link');
    await c.waitForURL(new RegExp(`/approval/entry\\?id=${id}$`));
    await c.fill('#reason', '第1行车牌录错');
    await c.click('#do-correct');
    await c.waitForURL(/\/entry\/edit\?id=\d+/);
    const id2 = idOf(c.url());
    assert.notEqual(id2, id);
    assert.equal(await c.inputValue('#r0-plate'), '京A12345');
    await c.fill('#r0-plate', '京A12346');
    await shot(c, 'correction-draft');
    await c.click('#op-submit');
    await c.waitForURL(/ok=submitted$/);
    assert.equal(sql(`SELECT revision FROM entry WHERE id=${id2}`), '2');
    assert.equal(sql(`SELECT CONCAT(COALESCE(counted,0), COALESCE(cur,0)) FROM entry WHERE id=${id}`), '10');

    // the head sees revision 2 and what changed since revision 1
    await openFromPortal(h, id2);
    assert.match(await h.textContent('h1'), /第2版/);
    assert.match(await h.textContent('#diff-summary'), /修改的行 1 · 新增的行 0 · 删除的行 0/);
    assert.match(await h.innerHTML('#diff-rows'), /<del>京A12345<\/del> <ins>京A12346<\/ins>/);
    await shot(h, 'correction-diff');
    // revision 1 stays readable
    await h.click('#revisions a');
    await h.waitForURL(new RegExp(`/approval/entry\\?id=${id}$`));
    assert.match(await h.textContent('#superseded'), /已被更正的旧版本/);
  } finally {
    await b.close();
  }
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe-core: no serious or critical violation on the approval pages', async () => {
  const b = await browser();
  try {
    const found = [];
    const h = await logIn(b, head, { bypassCSP: true });   // axe is injected as a script
    const check = async (page, url) => {
      const res = await page.goto(BASE + url);
      assert.equal(res.status(), 200, url);
      for (const v of await axe(page)) found.push(`${url}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
    };
    const any = sql(`SELECT MAX(e.id) FROM entry e JOIN form f ON f.id=e.form_id WHERE f.code=${q(FORM)}`);
    for (const url of ['/', '/approval/', '/approval/returned', '/approval/cc', '/approval/standins', `/approval/entry?id=${any}`])
      await check(h, url);
    await h.goto(BASE + '/lang?to=en&next=/approval/');
    for (const url of ['/approval/', `/approval/entry?id=${any}`]) await check(h, url);
    assert.deepEqual(found, []);
  } finally {
    await b.close();
  }
});
