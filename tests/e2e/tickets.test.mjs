// Tickets across the portal and the staff console: a customer on a phone
// opens one and an analyst finds it in the queue; a customer who types
// another tenant's ticket into the address bar is shown nothing of it.
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
}

test('a customer opens a ticket on a phone and an analyst sees it', async () => {
  const title = `VPN 无法连接 ${Date.now()}`;
  const phone = await chrome.page(PHONE);
  await logIn(phone, 'lantern.user');
  await phone.waitForURL(/\/portal/);
  await phone.goto(vigil.url + '/portal/tickets/new');
  await phone.getByLabel('标题').fill(title);
  await phone.getByLabel('详细描述').fill('从今天早上开始，所有人都连不上 VPN。');
  await phone.getByRole('button', { name: '提交' }).click();
  await phone.waitForURL(/\/portal\/tickets\/\d+$/);
  await phone.getByText(title).first().waitFor();
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px phone`);
  await screenshot(phone, 'portal-ticket-created-phone');
  assert.deepEqual(phone.problems, []);

  const desk = await chrome.page(DESKTOP);
  await logIn(desk, 'liu.analyst');
  await desk.waitForURL(vigil.url + '/');
  await desk.goto(vigil.url + '/tickets');
  await desk.getByText(title).first().waitFor();
  await screenshot(desk, 'tickets-analyst-sees-it');
  assert.deepEqual(desk.problems, []);
});

test("a customer cannot open another tenant's ticket by its address", async () => {
  const harbour = await vigil.api('harbour.user');
  const theirs = await harbour.post('/api/v1/tickets', { type: 'request', title: 'harbour secret plans' });
  assert.equal(theirs.status, 201);
  const page = await chrome.page(PHONE);
  await logIn(page, 'lantern.user');
  await page.waitForURL(/\/portal/);
  await page.goto(`${vigil.url}/portal/tickets/${theirs.json.id}`);
  await page.getByText('no such ticket').first().waitFor();
  assert.equal(await page.getByText('harbour secret plans').count(), 0);
  // The staff address of it shows nothing either.
  await page.goto(`${vigil.url}/tickets/${theirs.json.id}`);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByText('harbour secret plans').count(), 0);
  await screenshot(page, 'portal-foreign-ticket');
});
