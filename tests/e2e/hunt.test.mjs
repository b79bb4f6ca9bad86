// Hunting and incidents: an analyst hunts the demo's SSH password failures
// in the event archive and sees them (a bad query's error shown by the
// editor), then works an incident escalated from an alert through its
// phases to closed; the store says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoOverflow, DESKTOP, logIn, PHONE, screenshot, world } from './harness.mjs';

const w = world();



for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an analyst hunts the demo's SSH failures (${name})`, async () => {
    const api = await w.vigil.api('liu.analyst');
    const tenant = (await api.get('/api/v1/tenants')).json.items[0];
    const page = await w.chrome.page(viewport);
    await logIn(page, w.vigil, 'liu.analyst');
    await page.goto(`${w.vigil.url}/events?tenant=${tenant.id}`);
    await page.locator('#h-query').fill('selection:\n  app: sshd\n  outcome: [failure\ncondition: selection');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.locator('.hunt__qerror').waitFor();
    assert.match(await page.locator('.hunt__qerror').innerText(), /YAML/);

    await page.locator('#h-query').fill('selection:\n  app: sshd\n  outcome: failure\ncondition: selection');
    await page.locator('#h-query').press('Control+Enter');
    await page.locator('.hunt__qerror').waitFor({ state: 'detached' });
    const firstRow = page.locator('.hunt__table .el-table__row').first();
    await firstRow.getByText('Failed password for root').waitFor();
    assert.ok((await page.locator('.hunt__table .el-table__row').count()) >= 10, 'the demo has a dozen refused passwords');
    await page.locator('.hunt__table .el-table__expand-icon').first().click();
    await page.locator('.hunt__json pre').first().getByText('"source_ip": "203.0.113.45"').waitFor();
    assert.match(page.url(), /q=selection/);
    await assertNoOverflow(page);
    await screenshot(page, `hunt-ssh-${name}`);
    assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
  });
}

test('an analyst works an incident from detection to closed', async () => {
  const api = await w.vigil.api('liu.analyst');
  const alert = (await api.get('/api/v1/alerts?status=open')).json.items[0];
  assert.ok(alert, 'the demo has open alerts');
  const created = await api.post('/api/v1/security-incidents', { title: 'SSH guessing on web-01', category: 'brute_force', alert_ids: [alert.id] });
  assert.equal(created.status, 201);
  const id = created.json.id;

  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'liu.analyst');
  await page.goto(w.vigil.url + '/incidents');
  await page.getByRole('link', { name: 'SSH guessing on web-01' }).click();
  await page.waitForURL(`${w.vigil.url}/incidents/${id}`);
  await page.getByRole('link', { name: `#${alert.id} ${alert.rule.title}` }).waitFor();

  await page.getByRole('button', { name: '推进阶段' }).click();
  await page.locator('#inc-phase-note').fill('blocked 203.0.113.45 at the edge');
  await page.getByRole('button', { name: '推进', exact: true }).click();
  await page.getByText('blocked 203.0.113.45 at the edge').waitFor();
  await page.getByRole('button', { name: '推进阶段' }).click();
  await page.locator('.el-dialog .el-select').first().click();
  await page.getByRole('option', { name: '恢复' }).click();
  await page.locator('#inc-phase-note').fill('root password rotated');
  await page.getByRole('button', { name: '推进', exact: true }).click();
  await page.getByText('root password rotated').waitFor();
  await page.getByRole('button', { name: '关闭', exact: true }).click();
  await page.locator('#inc-summary').fill('guessing stopped, no login succeeded');
  await page.getByRole('button', { name: '关闭事件' }).click();
  await page.locator('.incident-head .el-tag', { hasText: '已关闭' }).waitFor();
  await screenshot(page, 'incident-closed');

  const after = (await api.get(`/api/v1/security-incidents/${id}`)).json;
  assert.equal(after.status, 'closed');
  assert.equal(after.phase, 'recovery');
  assert.deepEqual(after.activity.map((a) => a.action), ['open', 'phase', 'phase', 'close']);
  assert.deepEqual(page.problems, []);
});
