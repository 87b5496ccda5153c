// `pnpm bench:web`: Lighthouse (mobile profile, simulated throttling) on the built web, in Debian's
// Chromium, on the pages people open most — home, search, an instrument page and 我的订单 — beside a
// bare static page served by a plain Node server in the same run, so a loaded machine shows in both.
//
// It starts the real product on a scratch database seeded with the demo data: the API (`api/src/server.ts`)
// and the built SvelteKit server (`web/start.js`, built first unless --no-build), on free ports.
//   pnpm bench:web [--runs 3] [--no-build] [--save DIR]   (--save keeps each report's JSON, to see why)
// Prints each page's median performance and accessibility scores, LCP and TBT, the ratio of its
// performance score to the bare page's, and what it ships: its scripts (decompressed) and its HTML as
// sent. A loaded machine moves the scores and times; it does not move the bytes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import pg from 'pg';
import { freePort } from '../support/servers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 3) || 3;
const build = !args.includes('--no-build');
const saveDir = args.includes('--save') ? path.resolve(args[args.indexOf('--save') + 1] ?? 'lighthouse') : null;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = 'qihub_bench_web';

const children: ChildProcess[] = [];
function stopAll(): void {
  for (const c of children) c.kill('SIGTERM');
}
process.on('exit', stopAll);

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function waitFor(url: string, what: string, ms = 180_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${what} did not start at ${url}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function start(cmd: string, argv: string[], env: NodeJS.ProcessEnv, quiet = false): ChildProcess {
  const child = spawn(cmd, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', quiet ? 'ignore' : 'inherit'],
  });
  children.push(child);
  return child;
}

/** The bare page: a static HTML document of about the home page's text, from node:http. */
function bareServer(port: number): Promise<http.Server> {
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>QIHub</title>
<meta name="description" content="质量基础设施一站式服务"></head>
<body><main><h1>质量基础设施一站式服务</h1>${'<p>检验检测、计量、标准、认证认可与知识产权服务，共享仪器设备。</p>'.repeat(20)}</main></body></html>`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

interface Score {
  performance: number;
  accessibility: number;
  lcpMs: number;
  tbtMs: number;
  /** Scripts as the browser runs them (decompressed), and the page's own HTML as sent (compressed). */
  jsKb: number;
  htmlKb: number;
}

interface NetworkRequest {
  url: string;
  resourceType?: string;
  resourceSize?: number;
  transferSize?: number;
}

/** One audit; a busy machine sometimes makes Chromium miss the DevTools deadline, so it tries three times. */
async function audit(name: string, url: string, port: number, cookie?: string): Promise<Score> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await auditOnce(name, url, port, cookie);
    } catch (err) {
      if (attempt >= 3) throw err;
      console.warn(`[bench:web] ${name}: ${(err as Error).message}; trying again`);
    }
  }
}

async function auditOnce(name: string, url: string, port: number, cookie?: string): Promise<Score> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
  });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const { categories, audits } = result.lhr;
  if (result.lhr.runtimeError) throw new Error(`${url}: ${result.lhr.runtimeError.message}`);
  if (saveDir) {
    mkdirSync(saveDir, { recursive: true });
    writeFileSync(
      path.join(saveDir, `${name.replace(/[^A-Za-z0-9]+/g, '-')}-${Date.now()}.json`),
      result.report as string,
    );
  }
  const requests = ((audits['network-requests']?.details as { items?: NetworkRequest[] } | undefined)?.items ??
    []) as NetworkRequest[];
  const kb = (bytes: number) => Math.round(bytes / 1024);
  return {
    performance: Math.round((categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((categories.accessibility?.score ?? 0) * 100),
    lcpMs: Math.round(audits['largest-contentful-paint']?.numericValue ?? 0),
    tbtMs: Math.round(audits['total-blocking-time']?.numericValue ?? 0),
    jsKb: kb(requests.filter((r) => r.resourceType === 'Script').reduce((sum, r) => sum + (r.resourceSize ?? 0), 0)),
    htmlKb: kb(requests.find((r) => r.resourceType === 'Document')?.transferSize ?? 0),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main(): Promise<void> {
  if (build) {
    console.log('[bench:web] building the web');
    const b = spawnSync('pnpm', ['--filter', '@qihub/web', 'run', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('the web build failed');
  }
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;

  const [apiPort, webPort, barePort, chromePort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const noEnvFile = path.join(os.tmpdir(), 'qihub-bench-web-no-env');
  console.log('[bench:web] starting the API (migrating and seeding the demo data) and the web server');
  start('pnpm', ['--filter', '@qihub/api', 'exec', 'tsx', 'src/server.ts'], {
    QIHUB_ENV_FILE: noEnvFile,
    LOG_LEVEL: 'warn',
    DATABASE_URL: dbUrl.toString(),
    SEED_DEMO: 'true',
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    WEB_PORT: String(webPort),
  });
  await waitFor(`http://127.0.0.1:${apiPort}/readyz`, 'the API');
  start(process.execPath, ['web/start.js'], {
    QIHUB_ENV_FILE: noEnvFile,
    WEB_HOST: '127.0.0.1',
    WEB_PORT: String(webPort),
    API_PORT: String(apiPort),
    ORIGIN: `http://127.0.0.1:${webPort}`,
  });
  const web = `http://127.0.0.1:${webPort}`;
  await waitFor(web, 'the web server');
  const bare = await bareServer(barePort);

  const instruments = (await (await fetch(`http://127.0.0.1:${apiPort}/v1/instruments?limit=1`)).json()) as {
    items: { id: string }[];
  };
  const instrumentId = instruments.items[0]?.id;
  if (!instrumentId) throw new Error('the demo seed has no instrument');
  const login = await fetch(`http://127.0.0.1:${apiPort}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'sme@demo.qihub.test', password: 'qihub-demo' }),
  });
  const { token } = (await login.json()) as { token: string };
  const cookie = `qihub_session=${token}`;

  const profile = mkdtempSync(path.join(os.tmpdir(), 'qihub-lh-'));
  start(
    chromiumPath,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      `--remote-debugging-port=${chromePort}`,
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    {},
    true, // Chromium's complaints about D-Bus on a server
  );
  await waitFor(`http://127.0.0.1:${chromePort}/json/version`, 'Chromium', 30_000);

  const pages: { name: string; url: string; cookie?: string }[] = [
    { name: 'bare static page', url: `http://127.0.0.1:${barePort}/` },
    { name: 'home /', url: `${web}/` },
    { name: 'search /instruments?q=扫描电镜', url: `${web}/instruments?q=${encodeURIComponent('扫描电镜')}` },
    { name: 'instrument page', url: `${web}/instruments/${instrumentId}` },
    { name: '我的订单 /orders', url: `${web}/orders`, cookie },
  ];
  const scores = new Map<string, Score[]>(pages.map((p) => [p.name, []]));
  // Interleaved: every round audits every page once, so a busier minute weighs on all of them.
  for (let round = 1; round <= runs; round++) {
    console.log(`[bench:web] round ${round}/${runs}`);
    for (const p of pages) scores.get(p.name)!.push(await audit(p.name, p.url, chromePort, p.cookie));
  }
  bare.close();
  rmSync(profile, { recursive: true, force: true });

  const baseline = median(scores.get(pages[0]!.name)!.map((s) => s.performance));
  console.log(`\nLighthouse, mobile profile, median of ${runs} (load average ${os.loadavg()[0]!.toFixed(1)})`);
  console.log('| page | performance | vs bare page | accessibility | LCP ms | TBT ms | JS kB | HTML kB sent |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const p of pages) {
    const s = scores.get(p.name)!;
    const perf = median(s.map((x) => x.performance));
    console.log(
      `| ${p.name} | ${perf} | ${(perf / baseline).toFixed(2)} | ${median(s.map((x) => x.accessibility))} | ${median(
        s.map((x) => x.lcpMs),
      )} | ${median(s.map((x) => x.tbtMs))} | ${median(s.map((x) => x.jsKb))} | ${median(s.map((x) => x.htmlKb))} |`,
    );
  }
  stopAll();
  await new Promise((r) => setTimeout(r, 1000));
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    stopAll();
    process.exit(1);
  },
);
