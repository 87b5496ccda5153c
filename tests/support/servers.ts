import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from './app.ts';
import type { TestDatabase } from './db.ts';
import { journeyClock, type JourneyClock } from './journey-clock.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningStack {
  /** The clock the API, the web server and (through browserJourney) the pages all run on. */
  clock: JourneyClock;
  api: FastifyInstance;
  apiUrl: string;
  webUrl: string;
  web: ChildProcess;
  close(): Promise<void>;
}

export interface StackOptions {
  /** More of the API's environment (e.g. the Stripe fake's `env`). */
  apiEnv?: Record<string, string>;
  /** More of the web server's environment (e.g. STRIPE_CHECKOUT_ORIGIN). */
  webEnv?: Record<string, string>;
}

/**
 * The API (in this process, over real HTTP) and the built SvelteKit server (a child process), both on
 * the journey clock. The API knows the web's address (PUBLIC_WEB_URL), for the links it hands out
 * (a card payment's return page, an onboarding link's way back).
 */
export async function startStack(
  db: TestDatabase,
  clock: JourneyClock = journeyClock(),
  options: StackOptions = {},
): Promise<RunningStack> {
  const port = await freePort();
  let apiPort = await freePort();
  while (apiPort === port) apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  // The web server starts while the API is built: it calls the API only when a page is asked for.
  const web = spawn(process.execPath, [path.join(root, 'web/build/index.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      API_URL: apiUrl,
      ORIGIN: `http://127.0.0.1:${port}`,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(root, 'tests/support/shifted-clock.mjs')).href}`,
      QIHUB_TEST_CLOCK_OFFSET_MS: String(clock.offsetMs),
      ...options.webEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let api: FastifyInstance;
  try {
    api = await buildTestApp(db, {
      clock,
      env: {
        // Chromium expires cookies on the real clock: a session must outlive the gap between the two.
        SESSION_TTL_MINUTES: String(10 * 365 * 24 * 60),
        PUBLIC_WEB_URL: `http://127.0.0.1:${port}`,
        ...options.apiEnv,
      },
    });
    await api.listen({ host: '127.0.0.1', port: apiPort });
  } catch (error) {
    web.kill('SIGTERM');
    throw error;
  }
  const webUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(webUrl);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('web server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    clock,
    api,
    apiUrl,
    webUrl,
    web,
    async close() {
      web.kill('SIGTERM');
      await api.close();
    },
  };
}
