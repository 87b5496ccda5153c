import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `pnpm start` (scripts/start.js) runs the API, the web server and the worker; stopping it must stop
 * all of them and what they started (the API's embedded PostgreSQL), however it is stopped: SIGTERM
 * or SIGINT to its whole process group (a terminal's Ctrl-C, a test's or a service manager's kill) or
 * to it alone. `pnpm --parallel` could not: its package shells died at once and left the web server
 * running, reparented to init. Here the supervisor runs stand-ins (no ports, no database): programs
 * that start a helper of their own (as the API starts PostgreSQL) and take a moment to stop, one run
 * through a shell that stays (a script with `&&`), one that ignores SIGTERM, one that fails.
 */
const START = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/start.js')).href;

let dir: string;

// A stand-in: records its pid, and, as told by its mode, starts a helper, stops slowly, never stops,
// ends at once or fails. `<name>.clean` says it ran its stop to the end.
const STAND_IN = `
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
const [mode, name, dir] = process.argv.slice(2);
const mark = (what) => writeFileSync(\`\${dir}/\${what}\`, String(process.pid));
if (mode === 'helper') {
  // Like PostgreSQL: stops by itself on the group's SIGTERM, and takes longer than its parent.
  process.on('SIGTERM', () => setTimeout(() => { mark(\`\${name}.clean\`); process.exit(0); }, 800));
  mark(\`\${name}.pid\`);
  setInterval(() => {}, 1000);
} else if (mode === 'done') {
  mark(\`\${name}.pid\`);
  process.exit(0);
} else if (mode === 'fail') {
  // Fails once the others are up (the API's helper too).
  mark(\`\${name}.pid\`);
  setInterval(() => existsSync(\`\${dir}/api-helper.pid\`) && process.exit(3), 100);
} else {
  if (mode === 'stubborn') process.on('SIGTERM', () => mark(\`\${name}.ignored\`));
  else {
    const helper = spawn(process.execPath, [process.argv[1], 'helper', \`\${name}-helper\`, dir], { stdio: 'inherit' });
    // Like the API: its own stop is quick, and its helper is told by the group's signal.
    process.on('SIGTERM', () => setTimeout(() => { mark(\`\${name}.clean\`); process.exit(0); }, 100));
    helper.unref();
  }
  mark(\`\${name}.pid\`);
  setInterval(() => {}, 1000);
}
`;

// The supervisor as scripts/start.js's main runs it, over the stand-ins given as JSON.
const DRIVER = `
import { superviseAll } from ${JSON.stringify(START)};
import { readFileSync } from 'node:fs';
const [commands, graceMs] = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { code, reason } = await superviseAll(commands, { graceMs });
console.log('supervisor stopped: ' + reason);
process.exit(code);
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-start-'));
  writeFileSync(path.join(dir, 'stand-in.mjs'), STAND_IN);
  writeFileSync(path.join(dir, 'driver.mjs'), DRIVER);
});
const runs: Run[] = [];
afterAll(() => {
  // A failed test may have left stand-ins running: none outlives this file.
  for (const run of runs) {
    for (const file of readdirSync(run.folder).filter((f) => f.endsWith('.pid'))) {
      const pid = Number(readFileSync(path.join(run.folder, file), 'utf8'));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    try {
      if (run.driver.pid) process.kill(-run.driver.pid, 'SIGKILL');
    } catch {
      // ended, as it should have
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  driver: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  folder: string;
}

const ROOT_START: string = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8'),
).scripts.start;

function supervise(
  name: string,
  standIns: { name: string; mode: string; shell?: boolean }[],
  options: { graceMs?: number; via?: 'node' | 'pnpm' } = {},
): Run {
  const folder = path.join(dir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder); // the stand-ins' records
  const commands = standIns.map((s) => ({
    name: s.name,
    cwd: dir,
    command: `${s.shell ? 'true && ' : ''}node stand-in.mjs ${s.mode} ${s.name} ${folder}`,
  }));
  const plan = path.join(folder, 'plan.json');
  writeFileSync(plan, JSON.stringify([commands, options.graceMs ?? 10_000]));
  let program = process.execPath;
  let args = [path.join(dir, 'driver.mjs'), plan];
  if (options.via === 'pnpm') {
    // The root package's own start script, run by pnpm, with the driver for scripts/start.js.
    expect(ROOT_START).toContain('node scripts/start.js');
    const script = ROOT_START.replace('node scripts/start.js', `node ${args.join(' ')}`);
    writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({ name: 'start-test', scripts: { start: script } }),
    );
    program = 'pnpm';
    args = ['run', 'start'];
  }
  // In a process group of its own, as a command run from a terminal or by a test is.
  const driver = spawn(program, args, { cwd: folder, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  driver.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  driver.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => driver.once('exit', (code) => resolve(code)));
  const run = { driver, output: () => output, exited, folder };
  runs.push(run);
  return run;
}

const pidOf = (run: Run, what: string) => Number(readFileSync(path.join(run.folder, `${what}.pid`), 'utf8'));
const recorded = (run: Run, what: string) => existsSync(path.join(run.folder, what));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An ended process that its parent has not reaped yet is not running.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return true;
  }
}

async function until(what: string, check: () => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const up = (run: Run, names: string[]) =>
  until(`${names.join(', ')} up`, () => names.every((n) => recorded(run, `${n}.pid`)));

describe('the start command’s supervisor', () => {
  for (const [how, signal] of [
    ['its process group', 'SIGTERM'],
    ['its process group', 'SIGINT'],
    ['it alone', 'SIGTERM'],
    ['it alone', 'SIGINT'],
    // `pnpm start` passes a signal on to its script's process only: the script must be that process.
    ['pnpm alone (running the root start script)', 'SIGTERM'],
  ] as const) {
    it(`stops everything it started, and their helpers, cleanly, on ${signal} to ${how}`, async () => {
      const via = how.startsWith('pnpm') ? 'pnpm' : 'node';
      const run = supervise(
        `${via}-${how.startsWith('its') ? 'group' : 'alone'}-${signal}`,
        [
          { name: 'api', mode: 'slow' },
          { name: 'web', mode: 'slow', shell: true },
          { name: 'worker', mode: 'done' },
        ],
        { via },
      );
      const everyone = ['api', 'api-helper', 'web', 'web-helper', 'worker'];
      await up(run, everyone);
      // The worker ending with 0 (nothing to do) stops nothing.
      await new Promise((r) => setTimeout(r, 300));
      expect(alive(pidOf(run, 'api'))).toBe(true);
      expect(alive(pidOf(run, 'web-helper'))).toBe(true);

      process.kill(how.startsWith('its') ? -run.driver.pid! : run.driver.pid!, signal);
      const code = await run.exited;
      // It has ended only once all had: nothing is left, and each ran its own stop to the end
      // (the helpers after their parents had gone).
      const left = everyone.filter((n) => alive(pidOf(run, n)));
      expect(left, run.output()).toEqual([]);
      for (const n of ['api', 'api-helper', 'web', 'web-helper']) expect(recorded(run, `${n}.clean`), n).toBe(true);
      expect(code, run.output()).toBe(0);
      expect(run.output()).toContain(`supervisor stopped: ${signal}`);
    });
  }

  it('kills what does not stop in the grace period, and ends with exit code 1', async () => {
    const run = supervise(
      'stubborn',
      [
        { name: 'api', mode: 'slow' },
        { name: 'web', mode: 'stubborn' },
      ],
      { graceMs: 1500 },
    );
    await up(run, ['api', 'api-helper', 'web']);
    process.kill(-run.driver.pid!, 'SIGTERM');
    expect(await run.exited, run.output()).toBe(1);
    expect(recorded(run, 'web.ignored')).toBe(true);
    expect(['api', 'api-helper', 'web'].filter((n) => alive(pidOf(run, n)))).toEqual([]);
    expect(recorded(run, 'api.clean')).toBe(true);
    expect(run.output()).toContain('killed: web');
  });

  it('stops the others when one fails, and ends with exit code 1', async () => {
    const run = supervise('failing', [
      { name: 'api', mode: 'slow' },
      { name: 'web', mode: 'fail' },
    ]);
    expect(await run.exited, run.output()).toBe(1);
    expect(['api', 'api-helper', 'web'].filter((n) => alive(pidOf(run, n)))).toEqual([]);
    expect(recorded(run, 'api.clean')).toBe(true);
    expect(run.output()).toContain('web ended (exit code 3)');
    expect(run.output()).toContain('supervisor stopped: failed');
  });
});
