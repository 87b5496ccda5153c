// The one test command (README, CI): unit tests of each package, integration tests against real
// PostgreSQL and Redis, and the browser journey in Chromium. Prints "N passed, N failed" last.
// Usage: pnpm test [api|web|integration|e2e ...]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedServer } from '@qihub/db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', NODE_ENV: 'test' };
const only = process.argv.slice(2);

function bin(pkg: string, name: string): string {
  const local = path.join(root, pkg, 'node_modules', '.bin', name);
  return existsSync(local) ? local : path.join(root, 'node_modules', '.bin', name);
}

function reachable(url: string, defaultPort: number, ms = 1000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function run(cmd: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: path.join(root, cwd), env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Like `run`, but keeps what the command writes, to be printed later in one piece. */
function runQuietly(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: path.join(root, cwd), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

let embedded: EmbeddedServer | null = null;
let databaseUrl = env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
if (!(await reachable(databaseUrl, 5432))) {
  // No PostgreSQL server here: run against the embedded one (a real PostgreSQL from npm).
  console.log('[test] no PostgreSQL server found; starting the embedded PostgreSQL for this run');
  embedded = await startEmbeddedPostgres({
    dataDir: path.join(env.QIHUB_DATA_DIR ?? path.join(root, '.data'), 'postgres-test'),
    port: Number(env.EMBEDDED_PG_TEST_PORT ?? 5434),
  });
  databaseUrl = embedded.url;
}
const redisUrl = env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
if (!(await reachable(redisUrl, 6379))) {
  console.log('[test] no Redis server found: the queue tests are skipped (CI starts Redis)');
  env.QIHUB_TEST_NO_REDIS = '1';
}
env.TEST_DATABASE_URL = databaseUrl;
env.TEST_REDIS_URL = redisUrl;

const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromium);
if (!haveChromium) {
  console.log(`[test] no Chromium at ${chromium} (apt-get install chromium): the browser journey is skipped`);
  env.QIHUB_TEST_NO_BROWSER = '1';
} else if (spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).stdout?.trim() === '') {
  // fontconfig answers and knows no Chinese font: Chromium draws boxes of a made-up width.
  console.log(
    '[test] no CJK font (apt-get install fonts-noto-cjk): Chinese renders as boxes and the phone layout checks measure wrong widths',
  );
}

// The browser journey runs the built web app. The build starts as soon as the web unit tests are
// done (both write web/.svelte-kit) and runs beside the integration tests, which wait on PostgreSQL
// much of the time; its output is printed in one piece when the journey's turn comes.
let building: Promise<{ code: number; output: string }> | null = null;
function startWebBuild(): void {
  if (!haveChromium || building || !suites.some((s) => s.name === 'e2e')) return;
  building = runQuietly(bin('web', 'vite'), ['build', '--logLevel', 'warn'], 'web');
}

interface Suite {
  name: string;
  cwd: string;
  args: string[];
  before?: () => Promise<number>;
  after?: () => void;
}
const suites: Suite[] = [
  { name: 'api', cwd: 'api', args: ['run'] },
  { name: 'web', cwd: 'web', args: ['run'], after: startWebBuild },
  { name: 'integration', cwd: 'tests', args: ['run'] },
  {
    name: 'e2e',
    cwd: 'tests',
    args: ['run', '--config', 'vitest.e2e.config.ts'],
    before: async () => {
      if (!haveChromium) return 0;
      console.log('[test] building the web app for the browser journey');
      startWebBuild();
      const { code, output } = await building!;
      if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      return code;
    },
  },
].filter((s) => only.length === 0 || only.includes(s.name));
// Without the web unit tests in this run, the build starts at once (beside whatever runs first).
if (!suites.some((s) => s.name === 'web')) startWebBuild();

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'qihub-test-'));
let passed = 0;
let failed = 0;
let skipped = 0;
const broken: string[] = [];
try {
  for (const suite of suites) {
    console.log(`\n[test] ── ${suite.name} ──`);
    if (suite.before && (await suite.before()) !== 0) {
      broken.push(`${suite.name} (build)`);
      failed += 1;
      continue;
    }
    const report = path.join(tmp, `${suite.name}.json`);
    const code = await run(
      bin(suite.cwd, 'vitest'),
      [...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      suite.cwd,
    );
    if (existsSync(report)) {
      const r = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
      passed += r.numPassedTests;
      failed += r.numFailedTests;
      skipped += r.numPendingTests + (r.numTodoTests ?? 0);
      // A suite can fail without a failed test (a crash in setup): count it.
      if (code !== 0 && r.numFailedTests === 0) {
        broken.push(suite.name);
        failed += 1;
      }
    } else if (code !== 0) {
      broken.push(suite.name);
      failed += 1;
    }
    suite.after?.();
  }
} finally {
  // A build started for a journey that did not run (the run stopped early) is waited for, not left behind.
  await building;
  rmSync(tmp, { recursive: true, force: true });
  await embedded?.stop();
}
if (broken.length) console.log(`[test] suites that failed outside a test: ${broken.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
