import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A product process run as a child, the way its package's `start` script runs it (`tsx src/…`):
 * node with tsx's loader, directly, so that a signal sent to the child reaches the process itself
 * (the tsx command would put a second process in between).
 */
export interface ProductProcess {
  name: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when its output matches `pattern`; rejects if it exits first or after `ms`. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<void>;
  /** Its exit code (null when killed by a signal), once it has exited. */
  exited: Promise<number | null>;
}

export type ProductEnv = Record<string, string>;

function start(name: string, pkg: 'api' | 'worker', entry: string, env: ProductEnv): ProductProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: path.join(root, pkg),
    // Only what the product needs, so nothing of the test runner's environment leaks in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const take = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const w of waiters) w();
  });
  return {
    name,
    child,
    output: () => text,
    exited,
    waitForOutput(pattern, ms = 90_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${name}: no output matching ${pattern} within ${ms} ms; it wrote:\n${text.slice(-3000)}`));
        }, ms);
        const check = () => {
          if (pattern.test(text)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (hasExited) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`${name} exited before writing ${pattern}:\n${text.slice(-3000)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** The API process (`pnpm --filter @qihub/api start`). */
export const startApiProcess = (name: string, env: ProductEnv) => start(name, 'api', 'src/server.ts', env);

/** The worker process (`pnpm --filter @qihub/worker start`). */
export const startWorkerProcess = (name: string, env: ProductEnv) => start(name, 'worker', 'src/main.ts', env);

/** Stops a process with SIGKILL if it is still running, and waits for it to go. */
export async function killProcess(p: ProductProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

/** Sets the test clock of every process started with QIHUB_TEST_CLOCK_FILE=file (replaced whole). */
export function setProcessClock(file: string, at: string | Date): void {
  const iso = typeof at === 'string' ? new Date(at).toISOString() : at.toISOString();
  writeFileSync(`${file}.next`, `${iso}\n`);
  renameSync(`${file}.next`, file);
}

/** Polls `url` until it answers 200, or throws after `ms`. */
export async function waitUntilReady(url: string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} was not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
