// The staff admin pages: an admin opens a tenant and sees its quota use and
// SLA, makes an API token (its secret shown once) and finds that in the
// audit trail; an analyst is not offered the audit trail and is refused it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DESKTOP, logIn, PHONE, screenshot, world } from './harness.mjs';

const w = world();


const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin opens a tenant and sees its quota use (${label})`, async () => {
    const page = await w.chrome.page(viewport);
    await logIn(page, w.vigil, 'admin');
    await page.goto(w.vigil.url + '/tenants');
    await page.getByRole('link', { name: 'Shenzhen Harbour Logistics' }).click();
    await page.waitForURL(/\/tenants\/\d+$/);
    const quota = page.locator('[data-quota="duty.watch"]');
    await quota.waitFor();
    assert.match(await quota.innerText(), /安全值守/);
    assert.match(await quota.innerText(), /配额 48 小时/);
    await page.getByText('月度 SLA').waitFor();
    const csv = page.getByRole('link', { name: 'CSV' });
    assert.match(await csv.getAttribute('href'), /\/sla\?month=\d{4}-\d{2}&format=csv$/);
    await page.getByRole('button', { name: '编辑' }).waitFor();
    assert.ok((await overflow(page)) <= 0, 'no horizontal overflow');
    await screenshot(page, `admin-tenant-${label}`);
    assert.deepEqual(page.problems, []);
  });
}

test('an admin makes an API token, sees its secret once, and finds it in the audit trail', async () => {
  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'admin');
  await page.goto(w.vigil.url + '/tokens');
  await page.getByRole('button', { name: '新建令牌' }).click();
  const name = `e2e-${Date.now()}`;
  await page.locator('#nt-name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: '创建' }).click();
  const secret = page.getByRole('textbox', { name: '新令牌' });
  await secret.waitFor();
  assert.match(await secret.inputValue(), /^vgt_/);
  await page.getByRole('button', { name: '我已复制' }).click();
  await page.getByRole('cell', { name }).waitFor();

  await page.goto(w.vigil.url + '/audit?action=token.create');
  await page.locator('.audit-table').getByText('token.create').first().waitFor();
  assert.deepEqual(page.problems, []);
});

test('an analyst is not offered the audit trail and is refused it', async () => {
  const page = await w.chrome.page(DESKTOP);
  await logIn(page, w.vigil, 'liu.analyst');
  await page.getByRole('menuitem', { name: '租户' }).waitFor();
  assert.equal(await page.getByRole('menuitem', { name: '审计日志' }).count(), 0);
  await page.goto(w.vigil.url + '/audit');
  await page.getByRole('alert').getByText('没有权限').waitFor();
  assert.deepEqual(page.problems, []);
});
