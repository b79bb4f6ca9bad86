// Logging in to the console: an analyst with two-factor on gives the code
// at the second step and lands on the overview; the console speaks Chinese
// first and switches to English on request, and remembers it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiClient, DESKTOP, screenshot, totpCode, world } from './harness.mjs';

const w = world();

test('an analyst with TOTP logs in at the second step', async () => {
  const { password } = w.vigil.logins['liu.analyst'];
  const api = await apiClient(w.vigil.url, 'liu.analyst', password);
  const enrolled = await api.post('/api/v1/me/totp');
  assert.equal(enrolled.status, 200);
  const secret = enrolled.json.secret;
  // The code of the step before: the login's own step stays unused.
  const confirmed = await api.post('/api/v1/me/totp/confirm', { code: totpCode(secret, Date.now() / 1000 - 30) });
  assert.equal(confirmed.status, 204);

  const page = await w.chrome.page(DESKTOP);
  await page.goto(w.vigil.url + '/');
  await page.waitForURL(/\/login/);
  await page.locator('#login-username').fill('liu.analyst');
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#login-totp').waitFor();
  await page.locator('#login-totp').fill('000000');
  await page.getByRole('button', { name: '验证并登录' }).click();
  await page.getByRole('alert').filter({ hasText: 'invalid totp code' }).waitFor();
  await page.locator('#login-totp').fill(totpCode(secret));
  await page.getByRole('button', { name: '验证并登录' }).click();
  await page.waitForURL(w.vigil.url + '/');
  await page.getByRole('menuitem', { name: '告警队列' }).waitFor();
  await screenshot(page, 'login-totp-overview');
  assert.deepEqual(page.problems, []);
});

test('the console speaks Chinese first and English on request', async () => {
  const page = await w.chrome.page(DESKTOP);
  await page.goto(w.vigil.url + '/login');
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.getByRole('button', { name: 'Change language' }).or(page.getByRole('button', { name: '切换语言' })).click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  assert.equal(await page.locator('.login__sub').innerText(), 'Security operations platform');
  await page.reload();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await screenshot(page, 'login-english');
  assert.deepEqual(page.problems, []);
});
