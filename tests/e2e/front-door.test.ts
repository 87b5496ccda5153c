// The README's first command, run the way a newcomer runs it: a copy of this working tree (what a
// clean clone would hold), `npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 start` with no extra
// environment, then a sign-in through the login form on http://localhost:3000 and on
// http://127.0.0.1:3000. A form posted from another origin is still refused, and a message with a
// 1 MiB attachment goes through the web (its body limit follows the API's upload limit). Stopped
// (SIGTERM to its process group, as a terminal's Ctrl-C or a service manager does), the start command
// stops everything it started, the embedded PostgreSQL cleanly, before it ends.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/app.ts';
import { launchChromium, NO_BROWSER, shot } from '../support/browser.ts';
import { USERS } from '../support/scenario.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const README_START = 'npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 start';
const PORTS = { web: 3000, api: 3001, postgres: 5433 };

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** What a clean clone of this working tree holds: tracked and new files, nothing ignored. */
function copyWorkingTree(): string {
  // os.tmpdir() is traversable by the `postgres` user that the embedded server runs as under root.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-front-door-'));
  chmodSync(dir, 0o755); // mkdtemp makes it private, and a clone's folder is not
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    try {
      cpSync(path.join(root, file), path.join(dir, file), { recursive: false });
    } catch {
      // a tracked file deleted in the working tree is not in a clean clone either
    }
  }
  return dir;
}

/**
 * Kills what is still running from `dir` (a process's working folder; the embedded PostgreSQL's is
 * its data folder under `dir`) and returns their pids: a safety net after the start command has
 * been stopped, which should leave nothing. pnpm's own `--parallel` once did: its package shells died
 * on the signal and the web server (reparented to init) held port 3000 after this test had finished.
 * Linux only (/proc); elsewhere nothing is swept.
 */
function killLeftovers(dir: string): number[] {
  const killed: number[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return killed;
  }
  for (const pid of pids) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) {
        process.kill(Number(pid), 'SIGKILL');
        killed.push(Number(pid));
      }
    } catch {
      // gone already, or not ours to read
    }
  }
  return killed;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the start command as a terminal's Ctrl-C or a service manager would (the signal to its
 * process group) and waits for the group to end (the start command ends once all it started has).
 * Then kills whatever is left, and tells what that was.
 */
async function stopProduct(signal: NodeJS.Signals): Promise<{ inTime: boolean; leftovers: number[] }> {
  if (!product?.pid) return { inTime: true, leftovers: [] };
  const pgid = product.pid;
  product = null;
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
  // The API and the worker take at most 15 s to stop; the web server closes idle connections at once.
  const deadline = Date.now() + 40_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const inTime = !groupAlive(pgid);
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // stopped by itself
  }
  return { inTime, leftovers: dir ? killLeftovers(dir) : [] };
}

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (product?.exitCode !== null)
      throw new Error(`the start command exited (${product?.exitCode}) before ${what} came up`);
    if (Date.now() > deadline) throw new Error(`the product did not come up in time: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let dir: string;
let product: ChildProcess | null = null;
let output = '';
let browser: Browser;

describe.skipIf(NO_BROWSER)("the README's start command, with no settings", () => {
  beforeAll(async () => {
    for (const [name, port] of Object.entries(PORTS)) {
      if (await portInUse(port))
        throw new Error(`port ${port} (${name}) is taken: stop what runs there to run this test`);
    }
    dir = copyWorkingTree();
    // Nothing but what a newcomer's shell has: no NODE_ENV, no DATABASE_URL, no ORIGIN.
    product = spawn('sh', ['-c', README_START], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    product.stdout!.on('data', keep);
    product.stderr!.on('data', keep);
    try {
      // A web build and a first embedded PostgreSQL with its seed: minutes on a loaded 2-core machine.
      await until('the API', 540_000, async () => (await fetch(`http://127.0.0.1:${PORTS.api}/readyz`)).ok);
      await until('the web', 120_000, async () => (await fetch(`http://127.0.0.1:${PORTS.web}/login`)).ok);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output ---\n${output}`);
    }
    browser = await launchChromium();
  }, 700_000);

  afterAll(async () => {
    await browser?.close();
    // When the last test did not stop it (a failure before it), stop it here.
    const { leftovers } = await stopProduct('SIGTERM');
    if (leftovers.length > 0)
      console.warn(`front door: killed processes the start command left: ${leftovers.join(', ')}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  for (const host of ['localhost', '127.0.0.1']) {
    it(`signs in through the login form on http://${host}:3000`, async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      const base = `http://${host}:${PORTS.web}`;
      await page.goto(`${base}/login?redirect=%2Fbookings`);
      await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
      await page.getByTestId('login-email').fill(USERS.sme);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
        page.getByTestId('login-submit').click(),
      ]);
      expect(answer.status(), await answer.text().catch(() => '')).not.toBe(403);
      await page.waitForURL(`${base}/bookings`, { timeout: 60_000 });
      await expect.poll(() => page.getByTestId('user-menu').count()).toBe(1);
      await shot(page, `front-door-${host}`);
      await context.close();
    });
  }

  it('still refuses a form posted from another origin, and signs no one in', async () => {
    const res = await fetch(`http://127.0.0.1:${PORTS.web}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: USERS.sme, password: DEMO_PASSWORD }).toString(),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('takes a 1 MiB attachment on an order message through the web, as the API would', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const base = `http://localhost:${PORTS.web}`;
    await page.goto(`${base}/login?redirect=%2Forders`);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
    await page.getByTestId('login-email').fill(USERS.sme);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL(`${base}/orders`, { timeout: 60_000 }),
      page.getByTestId('login-submit').click(),
    ]);
    const orders = await page
      .locator('a[href^="/orders/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute('href') ?? '').filter((h) => /^\/orders\/[0-9a-f-]{36}$/.test(h)),
      );
    expect(orders.length).toBeGreaterThan(0);
    let sent = false;
    for (const href of orders) {
      await page.goto(`${base}${href}`);
      if ((await page.getByTestId('message-file').count()) === 0) continue;
      const pdf = Buffer.alloc(1024 * 1024, 0x20);
      pdf.write('%PDF-1.4\n', 0);
      const file = path.join(dir, 'spec-sheet.pdf');
      writeFileSync(file, pdf);
      await page.getByTestId('message-body').fill('样品规格书（1 MiB）');
      await page.getByTestId('message-file').setInputFiles(file);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('message')),
        page.getByTestId('message-submit').click(),
      ]);
      expect(answer.status()).not.toBe(413);
      await page.waitForURL(/flash=messageSent/, { timeout: 60_000 });
      sent = true;
      break;
    }
    expect(sent, 'an order of the demo SME takes messages').toBe(true);
    await context.close();
  });
  // Last: it stops the product.
  it('stops everything it started when stopped, the embedded PostgreSQL cleanly, and only then ends', async () => {
    await browser.close();
    const { inTime, leftovers } = await stopProduct('SIGTERM');
    expect(inTime, `the start command had not ended 40 s after SIGTERM\n--- output ---\n${output}`).toBe(true);
    expect(leftovers, `left running after the start command ended\n--- output ---\n${output}`).toEqual([]);
    for (const [name, port] of Object.entries(PORTS)) expect(await portInUse(port), `${name} port ${port}`).toBe(false);
    // PostgreSQL removes its pid file when it shuts down (not when it is killed).
    expect(existsSync(path.join(dir, '.data', 'postgres', 'postmaster.pid')), 'postmaster.pid left behind').toBe(false);
    expect(existsSync(path.join(dir, '.data', 'postgres', 'PG_VERSION')), 'the embedded cluster was here').toBe(true);
  }, 60_000);
});
