// Reports: an analyst generates a tenant's monthly report in the dialog,
// sees it ready in the list and downloads a PDF (a report the server cannot
// make shows the problem's detail in the dialog); an incident's page makes
// its analysis report; a customer on a phone sees only their tenant's
// reports in the portal, with nothing to generate; an admin sets the
// tenant's report logo on its page, sees it, removes it, and marks another
// tenant's contact as receiving the monthly report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';

import { assertNoOverflow, DESKTOP, logIn, PHONE, screenshot, world } from './harness.mjs';

const w = world();

const LANTERN = 'Hangzhou Lantern Retail';
const HARBOUR = 'Shenzhen Harbour Logistics';

// Last month as YYYY-MM, as the dialog's default (the browser runs on this machine's clock).
function lastMonth() {
  const d = new Date();
  const m = new Date(d.getFullYear(), d.getMonth() - 1, 1);
  return `${m.getFullYear()}-${String(m.getMonth() + 1).padStart(2, '0')}`;
}

// A valid RGB PNG of width x height, all one colour.
function png(width, height, [r, g, b] = [200, 30, 40]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function tenantId(api, name) {
  const t = (await api.get('/api/v1/tenants?limit=200')).json.items.find((x) => x.name === name);
  assert.ok(t, `the demo has tenant ${name}`);
  return t.id;
}

// Clicks what starts a download and answers the downloaded file's bytes and suggested name.
async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await dl.path();
  return { bytes: readFileSync(path), name: dl.suggestedFilename() };
}

test('an analyst generates a monthly report in the dialog and downloads the PDF', async () => {
  const api = await w.vigil.api('liu.analyst');
  const lantern = await tenantId(api, LANTERN);
  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'liu.analyst');
  await page.getByRole('menuitem', { name: '报告' }).click();
  await page.waitForURL(`${w.vigil.url}/reports`);
  await page.getByRole('heading', { name: '报告' }).waitFor();

  await page.getByRole('button', { name: '生成报告' }).click();
  const dialog = page.getByRole('dialog', { name: '生成报告' });
  await dialog.waitFor();
  assert.equal(await dialog.locator('#rg-month').inputValue(), lastMonth());
  await dialog.locator('.el-select').first().click();
  await page.getByRole('option', { name: LANTERN }).click();
  await dialog.getByRole('button', { name: '生成', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 60000 });

  // The store has it, ready, as asked.
  // (The monthly schedule may have made its own: scheduled, not ours.)
  const manual = async () => (await api.get(`/api/v1/reports?tenant=${lantern}&limit=200`)).json.items.filter((x) => !x.scheduled);
  const made = await manual();
  assert.equal(made.length, 1);
  const r = made[0];
  assert.equal(r.kind, 'monthly');
  assert.equal(r.period, lastMonth());
  assert.equal(r.format, 'pdf');
  assert.equal(r.language, 'zh-CN');
  assert.equal(r.state, 'ready');
  assert.equal(r.scheduled, false);
  assert.equal(r.created_by, 'liu.analyst');

  const row = page.locator('.reports-table .el-table__row', { hasText: `#${r.id}` });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${LANTERN}[\\s\\S]*月度报告[\\s\\S]*${lastMonth()}[\\s\\S]*PDF[\\s\\S]*中文[\\s\\S]*就绪[\\s\\S]*手动`));
  await page.locator('.reports-fresh').getByText(`报告已生成：${r.filename}`).waitFor();
  const file = await download(page, () => row.getByRole('link', { name: `下载 ${r.filename}` }).click());
  assert.equal(file.bytes.subarray(0, 4).toString('latin1'), '%PDF');
  assert.equal(file.name, r.filename);
  assert.equal(file.bytes.length, r.size);

  // Its drawer: the file's details and its mailings (as many as the store has).
  await row.getByRole('button', { name: `#${r.id}` }).click();
  const drawer = page.getByRole('dialog', { name: `报告 #${r.id}` });
  await drawer.getByRole('heading', { name: '邮件发送' }).waitFor();
  await drawer.getByText(r.sha256).waitFor();
  const full = (await api.get(`/api/v1/reports/${r.id}`)).json;
  if (full.mailings.length === 0) await drawer.getByText('此报告没有邮件发送记录').waitFor();
  else assert.equal(await drawer.locator('.report-mailings .el-table__row').count(), full.mailings.length);
  await screenshot(page, 'reports-generated-desktop');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });

  // A report the server cannot make: the problem's detail, in the dialog.
  const refused = await api.post('/api/v1/reports', { kind: 'incident', incident_id: 999999, format: 'pdf', language: 'zh-CN' });
  assert.equal(refused.status, 404);
  await page.getByRole('button', { name: '生成报告' }).click();
  await dialog.waitFor();
  await dialog.getByText('事件分析报告').click();
  await dialog.locator('#rg-incident').fill('999999');
  await page.getByRole('option', { name: '999999', exact: true }).click();
  await dialog.getByRole('button', { name: '生成', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await alert.getByText('未找到').waitFor();
  await alert.getByText(refused.json.detail, { exact: true }).waitFor();
  assert.equal((await manual()).length, 1);
  assert.deepEqual(page.problems, []);
});

test("an incident's page makes its analysis report and downloads it", async () => {
  const api = await w.vigil.api('liu.analyst');
  const alert = (await api.get('/api/v1/alerts?status=open')).json.items[0];
  assert.ok(alert, 'the demo has open alerts');
  const created = await api.post('/api/v1/security-incidents', { title: 'Report me: SSH guessing', category: 'brute_force', alert_ids: [alert.id] });
  assert.equal(created.status, 201);
  const id = created.json.id;

  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'liu.analyst');
  await page.goto(`${w.vigil.url}/incidents/${id}`);
  await page.getByRole('heading', { name: 'Report me: SSH guessing' }).waitFor();
  const file = await download(page, () => page.getByRole('button', { name: '事件分析报告' }).click());
  assert.equal(file.bytes.subarray(0, 4).toString('latin1'), '%PDF');

  const mine = (await api.get(`/api/v1/reports?tenant=${created.json.tenant_id}&limit=200`)).json.items.filter((r) => r.kind === 'incident');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].incident_id, id);
  assert.equal(mine[0].period, `SEC-${id}`);
  assert.equal(mine[0].format, 'pdf');
  assert.equal(mine[0].language, 'zh-CN');
  assert.equal(file.name, mine[0].filename);
  await page.getByRole('link', { name: mine[0].filename }).waitFor();
  await screenshot(page, 'incident-report');
  assert.deepEqual(page.problems, []);
});

test("a customer on a phone sees only their tenant's reports and cannot generate one", async () => {
  const admin = await w.vigil.api('admin');
  const lantern = await tenantId(admin, LANTERN);
  const harbour = await tenantId(admin, HARBOUR);
  const theirs = await admin.post('/api/v1/reports', { kind: 'monthly', tenant_id: harbour, month: lastMonth(), format: 'pdf', language: 'zh-CN' });
  assert.equal(theirs.status, 201);
  const ours = await admin.post('/api/v1/reports', { kind: 'monthly', tenant_id: lantern, month: lastMonth(), format: 'html', language: 'en' });
  assert.equal(ours.status, 201);

  // What the API lets the customer see: their tenant's, and nothing to generate.
  const user = await w.vigil.api('lantern.user');
  const seen = (await user.get('/api/v1/reports?limit=200')).json.items;
  assert.ok(seen.length >= 1);
  assert.ok(seen.every((r) => r.tenant_id === lantern));
  assert.equal((await user.get(`/api/v1/reports/${theirs.json.id}`)).status, 404);
  // A customer refused is told 404 (src/http/dispatch.c), like for another tenant's object.
  assert.equal((await user.post('/api/v1/reports', { kind: 'monthly', tenant_id: lantern, month: lastMonth() })).status, 404);
  const ready = seen.filter((r) => r.state === 'ready');

  const page = await w.chrome.page(PHONE);
  await logIn(page, w.vigil, 'lantern.user');
  await page.waitForURL(/\/portal/);
  await page.getByRole('link', { name: '报告', exact: true }).click();
  await page.waitForURL(`${w.vigil.url}/portal/reports`);
  await page.locator(`[data-report="${ours.json.id}"]`).waitFor();
  assert.equal(await page.locator('.portal-report').count(), ready.length);
  assert.deepEqual(
    (await page.locator('.portal-report').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-report'))))).sort((a, b) => a - b),
    ready.map((r) => r.id).sort((a, b) => a - b),
  );
  assert.equal(await page.locator(`[data-report="${theirs.json.id}"]`).count(), 0);
  assert.equal(await page.getByRole('button', { name: '生成报告' }).count(), 0);
  assert.equal(await page.getByText('生成报告').count(), 0);
  const card = page.locator(`[data-report="${ours.json.id}"]`);
  assert.match(await card.innerText(), new RegExp(`月度报告 · ${lastMonth()}[\\s\\S]*HTML[\\s\\S]*English`));
  const file = await download(page, () => card.getByRole('link', { name: '下载' }).click());
  assert.equal(file.name, ours.json.filename);
  assert.equal(file.bytes.length, ours.json.size);
  await assertNoOverflow(page);
  await screenshot(page, 'portal-reports-phone');

  // The staff page is not theirs: back to the portal.
  await page.goto(`${w.vigil.url}/reports`);
  await page.waitForURL(`${w.vigil.url}/portal`);
  assert.deepEqual(page.problems, []);
});

test("an admin sets a tenant's report logo, sees it, removes it, and marks a report contact", async () => {
  const admin = await w.vigil.api('admin');
  const lantern = await tenantId(admin, LANTERN);
  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'admin');
  await page.goto(`${w.vigil.url}/tenants/${lantern}`);
  await page.getByRole('heading', { name: '报告徽标' }).waitFor();
  const box = page.locator('[data-logo]');
  await box.getByText('未设置徽标').waitFor();

  await box.locator('input[type=file]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(24, 12) });
  const img = box.getByRole('img', { name: `${LANTERN} 的报告徽标` });
  await img.waitFor();
  assert.deepEqual(await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [24, 12]);
  assert.equal(await box.getByText('未设置徽标').count(), 0);
  await box.getByRole('button', { name: '更换' }).waitFor();
  await screenshot(page, 'tenant-logo');

  // Not a PNG: the server's refusal, as written.
  await box.locator('input[type=file]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
  await box.getByRole('alert').getByText('logo: not a PNG image').waitFor();
  assert.deepEqual(await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [24, 12]);

  await box.getByRole('button', { name: '移除' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '移除' }).click();
  await box.getByText('未设置徽标').waitFor();
  assert.equal(await page.evaluate(async (u) => (await fetch(u)).status, `/api/v1/tenants/${lantern}/logo`), 404);

  // The contacts editor: "receives reports", sent as the contact's "reports". The
  // demo's Harbour has its CISO receiving them and its on-call contact not.
  const harbour = await tenantId(admin, HARBOUR);
  const before = (await admin.get(`/api/v1/tenants/${harbour}`)).json.contacts;
  assert.deepEqual(before.map((c) => [c.name, !!c.reports]), [['Li Wei', true], ['Zhao Min', false]]);
  await page.goto(`${w.vigil.url}/tenants/${harbour}`);
  await page.getByRole('heading', { name: HARBOUR }).waitFor();
  assert.equal(await page.locator('.el-table__row', { hasText: 'Zhao Min' }).getByText('✓').count(), 0);
  await page.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('dialog', { name: '编辑租户' });
  const boxes = edit.getByRole('checkbox', { name: '接收报告' });
  assert.equal(await boxes.count(), 2);
  assert.equal(await boxes.nth(0).isChecked(), true);
  assert.equal(await boxes.nth(1).isChecked(), false);
  await edit.locator('.admin-contact').nth(1).getByText('接收报告').click();
  assert.equal(await boxes.nth(1).isChecked(), true);
  await edit.getByRole('button', { name: '保存' }).click();
  await edit.waitFor({ state: 'hidden' });
  const after = (await admin.get(`/api/v1/tenants/${harbour}`)).json.contacts;
  assert.deepEqual(after.map((c) => [c.name, c.reports]), [['Li Wei', true], ['Zhao Min', true]]);
  await page.locator('.el-table__row', { hasText: 'Zhao Min' }).getByText('✓').waitFor();
  assert.deepEqual(page.problems.filter((p) => !/status of 404/.test(p)), []);
});
