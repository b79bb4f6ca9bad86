// The staff admin pages: an admin opens a tenant and sees its quota use and
// SLA, makes an API token (its secret shown once) and finds that in the
// audit trail; an analyst is not offered the audit trail and is refused it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DESKTOP, openBrowser, PHONE, screenshot, startVigil } from './harness.mjs';

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

async function logIn(page, username) {
  await page.goto(vigil.url + '/login');
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(vigil.logins[username].password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin opens a tenant and sees its quota use (${label})`, async () => {
    const page = await chrome.page(viewport);
    await logIn(page, 'admin');
    await page.goto(vigil.url + '/tenants');
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
  const page = await chrome.page(DESKTOP);
  await logIn(page, 'admin');
  await page.goto(vigil.url + '/tokens');
  await page.getByRole('button', { name: '新建令牌' }).click();
  const name = `e2e-${Date.now()}`;
  await page.locator('#nt-name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: '创建' }).click();
  const secret = page.getByRole('textbox', { name: '新令牌' });
  await secret.waitFor();
  assert.match(await secret.inputValue(), /^vgt_/);
  await page.getByRole('button', { name: '我已复制' }).click();
  await page.getByRole('cell', { name }).waitFor();

  await page.goto(vigil.url + '/audit?action=token.create');
  await page.locator('.audit-table').getByText('token.create').first().waitFor();
  assert.deepEqual(page.problems, []);
});

test('an analyst is not offered the audit trail and is refused it', async () => {
  const page = await chrome.page(DESKTOP);
  await logIn(page, 'liu.analyst');
  await page.getByRole('menuitem', { name: '租户' }).waitFor();
  assert.equal(await page.getByRole('menuitem', { name: '审计日志' }).count(), 0);
  await page.goto(vigil.url + '/audit');
  await page.getByRole('alert').getByText('没有权限').waitFor();
  assert.deepEqual(page.problems, []);
});
