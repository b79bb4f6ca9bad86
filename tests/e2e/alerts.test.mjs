// Working an alert in the queue: an analyst opens it from the queue,
// acknowledges it and closes it with a disposition; the store says so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DESKTOP, openBrowser, screenshot, startVigil } from './harness.mjs';

let vigil;
let chrome;

before(async () => {
  vigil = await startVigil();
  chrome = await openBrowser();
});

after(async () => {
  await chrome?.close();
  await vigil?.stop();
});

test('an analyst triages an alert to closed', async () => {
  const api = await vigil.api('liu.analyst');
  const open = (await api.get('/api/v1/alerts?status=open')).json.items;
  assert.ok(open.length > 0, 'the demo data has open alerts');
  const alert = open[0];

  const page = await chrome.page(DESKTOP);
  await page.goto(vigil.url + '/login');
  await page.locator('#login-username').fill('liu.analyst');
  await page.locator('#login-password').fill(vigil.logins['liu.analyst'].password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(vigil.url + '/');
  await page.goto(vigil.url + '/alerts');
  await page.getByRole('button', { name: alert.rule.title }).first().click();
  const detail = page.getByRole('dialog').filter({ hasText: alert.rule.title }).first();
  await detail.getByRole('button', { name: '确认', exact: true }).click();
  await detail.getByText('已确认').first().waitFor();
  await detail.getByRole('button', { name: '关闭', exact: true }).click();
  const dialog = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: '确定' }) });
  await dialog.getByText('误报').click();
  await dialog.getByRole('button', { name: '确定' }).click();
  await detail.getByText('已关闭').first().waitFor();
  await dialog.waitFor({ state: 'hidden' });
  await screenshot(page, 'alert-closed');

  const after = (await api.get(`/api/v1/alerts/${alert.id}`)).json;
  assert.equal(after.status, 'closed');
  assert.equal(after.disposition, 'false_positive');
  assert.deepEqual(after.activity.map((a) => a.action).slice(-2), ['acknowledge', 'close']);
  assert.deepEqual(page.problems, []);
});
