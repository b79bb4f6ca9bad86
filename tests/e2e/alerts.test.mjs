// Working an alert in the queue: an analyst opens it from the queue,
// acknowledges it and closes it with a disposition; the store says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DESKTOP, logIn, screenshot, world } from './harness.mjs';

const w = world();

test('an analyst triages an alert to closed', async () => {
  const api = await w.vigil.api('liu.analyst');
  const open = (await api.get('/api/v1/alerts?status=open')).json.items;
  assert.ok(open.length > 0, 'the demo data has open alerts');
  const alert = open[0];

  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'liu.analyst');
  await page.goto(w.vigil.url + '/alerts');
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
