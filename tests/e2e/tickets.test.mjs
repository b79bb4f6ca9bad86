// Tickets across the portal and the staff console: a customer on a phone
// opens one and an analyst finds it in the queue; a customer who types
// another tenant's ticket into the address bar is shown nothing of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DESKTOP, logIn, PHONE, screenshot, world } from './harness.mjs';

const w = world();


test('a customer opens a ticket on a phone and an analyst sees it', async () => {
  const title = `VPN 无法连接 ${Date.now()}`;
  const phone = await w.chrome.page(PHONE);
  await logIn(phone, w.vigil, 'lantern.user');
  await phone.waitForURL(/\/portal/);
  await phone.goto(w.vigil.url + '/portal/tickets/new');
  await phone.getByLabel('标题').fill(title);
  await phone.getByLabel('详细描述').fill('从今天早上开始，所有人都连不上 VPN。');
  await phone.getByRole('button', { name: '提交' }).click();
  await phone.waitForURL(/\/portal\/tickets\/\d+$/);
  await phone.getByText(title).first().waitFor();
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px phone`);
  await screenshot(phone, 'portal-ticket-created-phone');
  assert.deepEqual(phone.problems, []);

  const desk = await w.chrome.page(DESKTOP);
  await logIn(desk, w.vigil, 'liu.analyst');
  await desk.waitForURL(w.vigil.url + '/');
  await desk.goto(w.vigil.url + '/tickets');
  await desk.getByText(title).first().waitFor();
  await screenshot(desk, 'tickets-analyst-sees-it');
  assert.deepEqual(desk.problems, []);
});

test("a customer cannot open another tenant's ticket by its address", async () => {
  const harbour = await w.vigil.api('harbour.user');
  const theirs = await harbour.post('/api/v1/tickets', { type: 'request', title: 'harbour secret plans' });
  assert.equal(theirs.status, 201);
  const page = await w.chrome.page(PHONE);
  await logIn(page, w.vigil, 'lantern.user');
  await page.waitForURL(/\/portal/);
  await page.goto(`${w.vigil.url}/portal/tickets/${theirs.json.id}`);
  await page.getByText('no such ticket').first().waitFor();
  assert.equal(await page.getByText('harbour secret plans').count(), 0);
  // The staff address of it shows nothing either.
  await page.goto(`${w.vigil.url}/tickets/${theirs.json.id}`);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByText('harbour secret plans').count(), 0);
  await screenshot(page, 'portal-foreign-ticket');
});
