// `pnpm start`: builds the web, then runs the API, the web server and the worker, and stops all of
// them when it is stopped (SIGTERM, or Ctrl-C's SIGINT, or SIGHUP when its terminal closes).
//
// Not `pnpm --parallel … run start`: pnpm runs each package's script in a shell of its own process
// group, and on a signal the shells die at once while what they started runs on, reparented to init
// (a CI run left the web server holding port 3000). Here each package runs in a process group of its
// own, the stop signal goes to that whole group (the tsx launcher and its script alike, and what the
// script started, such as the API's embedded PostgreSQL), and this command waits until every group is
// empty before it exits: whoever waits for `pnpm start` to end knows that everything has stopped.
// What has not stopped after a grace period is killed.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Enough for the API's and the worker's own shutdown (15 s at most) and the web's idle connections. */
export const DEFAULT_GRACE_MS = 25_000;
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * @typedef {{ name: string, cwd: string, command: string, env?: NodeJS.ProcessEnv }} Command
 * @typedef {{ graceMs?: number, log?: (line: string) => void }} SuperviseOptions
 */

/** A package's script as pnpm would run it: its bin folders first on the PATH. */
export function packageCommand(name, dir, script, root = ROOT) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const command = pkg.scripts?.[script];
  if (!command) throw new Error(`${dir}/package.json has no "${script}" script`);
  const bins = [path.join(dir, 'node_modules', '.bin'), path.join(root, 'node_modules', '.bin')];
  return {
    name,
    cwd: dir,
    command,
    env: { PATH: [...bins, process.env.PATH ?? ''].join(path.delimiter) },
  };
}

/** A simple command replaces its shell (`exec`), so the group's first process is the program itself. */
function shellArgs(command) {
  return ['-c', /[;&|<>()`$\n]/.test(command) ? command : `exec ${command}`];
}

/**
 * Whether a process that has not ended is left in the group. A zombie (ended, not yet reaped, e.g.
 * under an init that is slow to reap orphans) does not count; that takes /proc (Linux), elsewhere
 * any member counts.
 */
export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  return pids.some((pid) => {
    try {
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
    } catch {
      return false; // gone meanwhile
    }
  });
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is empty already
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function groupsGone(pgids, deadline) {
  for (;;) {
    const left = pgids.filter(groupAlive);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await sleep(100);
  }
}

/**
 * Runs the commands side by side, each in a process group of its own, until this process is told
 * to stop (SIGTERM, SIGINT, SIGHUP), one of them fails (ends other than with exit code 0), or, with
 * `untilAllExit`, all have ended. A command ending with 0 is otherwise left be (the worker without
 * Redis has nothing to do). To stop: SIGTERM to every group, a wait until all are empty, and SIGKILL
 * for what is left after `graceMs`. Resolves once every group is empty, with the exit code for this
 * process (0 after a clean stop, 1 when something failed or had to be killed) and why it stopped
 * (the signal's name, `failed` or `done`). The signal handlers are removed again by then.
 *
 * @param {Command[]} commands
 * @param {SuperviseOptions & { untilAllExit?: boolean }} options
 * @returns {Promise<{ code: number, reason: string }>}
 */
export function superviseAll(commands, options = {}) {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const log = options.log ?? ((line) => console.log(line));
  return new Promise((resolve) => {
    /** @type {{ name: string, pgid: number, done: boolean, exited: Promise<void> }[]} */
    const running = [];
    let stopping = false;
    let failed = false;

    const stop = async (reason) => {
      if (stopping) return;
      stopping = true;
      const live = running.filter((r) => groupAlive(r.pgid));
      if (live.length > 0) log(`[start] ${reason}: stopping ${live.map((r) => r.name).join(', ')}`);
      for (const r of live) signalGroup(r.pgid, 'SIGTERM');
      const left = await groupsGone(
        running.map((r) => r.pgid),
        Date.now() + graceMs,
      );
      if (left.length > 0) {
        failed = true;
        const names = running.filter((r) => left.includes(r.pgid)).map((r) => r.name);
        log(`[start] still running after ${graceMs} ms, killed: ${names.join(', ')}`);
        for (const pgid of left) signalGroup(pgid, 'SIGKILL');
        await groupsGone(left, Date.now() + 5000);
      }
      await Promise.all(running.map((r) => r.exited));
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      resolve({ code: failed ? 1 : 0, reason });
    };
    const onSignal = (signal) => void stop(signal);
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

    for (const c of commands) {
      const child = spawn('sh', shellArgs(c.command), {
        cwd: c.cwd,
        env: { ...process.env, ...c.env },
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      let exit = () => {};
      const entry = { name: c.name, pgid: child.pid ?? 0, done: false, exited: new Promise((r) => (exit = r)) };
      if (child.pid) running.push(entry);
      child.once('error', (error) => {
        entry.done = true;
        exit();
        failed = true;
        log(`[start] ${c.name} could not start: ${error.message}`);
        void stop('failed');
      });
      child.once('exit', (code, signal) => {
        entry.done = true;
        exit();
        if (stopping) return;
        if (code !== 0) {
          failed = true;
          log(`[start] ${c.name} ended (${signal ?? `exit code ${code}`})`);
          void stop('failed');
        } else if (options.untilAllExit && running.every((r) => r.done)) {
          void stop('done');
        }
      });
    }
    if (running.length === 0) {
      failed = true;
      void stop('failed');
    }
  });
}

async function main() {
  const dir = (name) => path.join(ROOT, name);
  const build = await superviseAll([packageCommand('web build', dir('web'), 'build')], { untilAllExit: true });
  if (build.reason !== 'done' || build.code !== 0) process.exit(build.code);
  const { code } = await superviseAll([
    packageCommand('api', dir('api'), 'start'),
    packageCommand('web', dir('web'), 'start'),
    packageCommand('worker', dir('worker'), 'start'),
  ]);
  process.exit(code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
