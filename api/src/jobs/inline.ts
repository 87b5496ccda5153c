import type { Db } from '@qihub/db';
import type { Mailer } from '../lib/mailer.ts';
import { SWEEPS, toQueueJobId } from './contracts.ts';
import { createJobHandlers } from './handlers.ts';
import { createRegistry, type JobRegistry } from './registry.ts';

export interface InlineRunner {
  registry: JobRegistry;
  /** One relay pass: outbox rows run straight through the same handlers. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Without Redis (the zero-setup demo), the processors run inside the API process: the same
 * handlers and the same outbox relay, with "dispatch" calling the registry instead of BullMQ.
 */
export function startInlineRunner(
  db: Db,
  options: {
    intervalMs?: number;
    log?: (err: unknown) => void;
    clock?: () => Date;
    mailer?: Mailer | null;
    webUrl?: string;
    filesDir?: string;
  } = {},
): InlineRunner {
  const registry: JobRegistry = createRegistry(
    createJobHandlers({
      db,
      dispatch: (topic, payload, jobId) => registry.run(topic, payload, { jobId: toQueueJobId(jobId) }),
      clock: options.clock,
      mailer: options.mailer,
      webUrl: options.webUrl,
      filesDir: options.filesDir,
    }),
  );
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  // The same periodic work the worker schedules on BullMQ: the sweeps, then the outbox relay (so
  // what a sweep queued, such as an email, goes out in the same tick).
  // One failing sweep does not hold back the others; the tick reports the first failure after all ran.
  const tick = async () => {
    const failures: unknown[] = [];
    for (const name of [...SWEEPS.map((s) => s.name), 'outbox.relay' as const]) {
      await registry.run(name, {}, { jobId: `${name}-${Date.now()}` }).catch((err: unknown) => failures.push(err));
    }
    if (failures.length > 0) throw failures[0];
    return 0;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(tick).catch((err: unknown) => options.log?.(err));
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    registry,
    tick: async () => {
      await tick();
      return 0;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
