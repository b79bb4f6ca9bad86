// The browser tests' world: a real `vigil serve` on a fresh data directory
// with the demo data (`vigil demo`), and Debian's Chromium, headless, driven
// by playwright-core. VIGIL_BIN names the binary (make check sets it); the
// console it serves is the build's web/dist.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ADMIN_PASSWORD = 'admin-password-for-e2e';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

// The environment without VIGIL_* variables: vigil refuses unknown ones.
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return { ...env, ...extra };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, proc, log) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`vigil exited at start:\n${readFileSync(log, 'utf8')}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vigil did not answer /healthz:\n${readFileSync(log, 'utf8')}`);
}

// Starts a server with demo data; answers {url, logins: {username: {role,
// password}}, api(username) -> logged-in API client, stop()}.
export async function startVigil() {
  const bin = process.env.VIGIL_BIN;
  if (!bin) throw new Error('set VIGIL_BIN to the vigil binary (make check does)');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const data = join(dir, 'vigil');
  execFileSync(bin, ['init', '--data', data], { env: cleanEnv({ VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD }) });
  const logins = { admin: { role: 'admin', password: ADMIN_PASSWORD } };
  for (const line of execFileSync(bin, ['demo', '--data', data], { env: cleanEnv() }).toString().split('\n')) {
    const [username, role, password] = line.trim().split(/\s+/);
    if (username && password && username !== 'username') logins[username] = { role, password };
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = join(dir, 'server.log');
  const out = openSync(log, 'w');
  const proc = spawn(bin, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`],
    { env: cleanEnv(), stdio: ['ignore', out, out] });
  await waitForHealth(url, proc, log);
  return {
    url,
    logins,
    log: () => readFileSync(log, 'utf8'),
    api: (username) => apiClient(url, username, logins[username].password),
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A JSON client logged in as username (for setting things up and checking
// what the browser did).
export async function apiClient(url, username, password, totp) {
  let cookie = '';
  let csrf = '';
  async function request(method, path, body) {
    const headers = { cookie };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const r = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers };
  }
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(totp ? { username, password, totp } : { username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  cookie = (r.headers.get('set-cookie') || '').split(';')[0];
  csrf = (await r.json()).csrf_token;
  return {
    get: (path) => request('GET', path),
    post: (path, body = {}) => request('POST', path, body),
    patch: (path, body) => request('PATCH', path, body),
  };
}

// RFC 6238 code of a base32 secret at time t (seconds).
export function totpCode(secret, t = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// Headless Chromium with a page of viewport size; every script error and
// console error (a CSP refusal among them) is kept in page.problems, for a
// test to assert there are none. The browser's own line for an answer of
// 4xx is not one: refusals are what some tests are about.
export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  return {
    browser,
    async page(viewport = DESKTOP, locale = 'zh-CN') {
      const context = await browser.newContext({ viewport, locale });
      const page = await context.newPage();
      page.problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
          page.problems.push(m.text());
      });
      page.on('pageerror', (e) => page.problems.push(String(e)));
      return page;
    },
    close: () => browser.close(),
  };
}

// Saves what the page shows under tests/e2e/screenshots/NAME.png, for review.
export async function screenshot(page, name) {
  const dir = join(here, 'screenshots');
  mkdirSync(dir, { recursive: true });
  // A drawer or dialog still sliding in would be caught half-way.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

// A test file's server and browser: started before its first test and
// stopped after its last (node:test hooks); w.vigil and w.chrome are set
// once the first test runs.
export function world() {
  const w = { vigil: null, chrome: null };
  before(async () => {
    w.vigil = await startVigil();
    w.chrome = await openBrowser();
  });
  after(async () => {
    await w.chrome?.close();
    await w.vigil?.stop();
  });
  return w;
}

// Logs username in through the login page and waits until it has left it.
export async function logIn(page, vigil, username) {
  await page.goto(vigil.url + '/login');
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(vigil.logins[username].password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// Fails when the page is wider than its window.
export async function assertNoOverflow(page) {
  const { sw, w } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(sw <= w, `the page is ${sw} px wide in a ${w} px window`);
}
