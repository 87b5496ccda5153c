import type { Db } from '@qihub/db';
import { toQueueJobId } from './contracts.ts';
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
  options: { intervalMs?: number; log?: (err: unknown) => void } = {},
): InlineRunner {
  const registry: JobRegistry = createRegistry(
    createJobHandlers({
      db,
      dispatch: (topic, payload, jobId) => registry.run(topic, payload, { jobId: toQueueJobId(jobId) }),
    }),
  );
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  // The same periodic work the worker schedules on BullMQ: the outbox relay and the sweeps.
  const tick = async () => {
    await registry.run('outbox.relay', {}, { jobId: `relay-${Date.now()}` });
    await registry.run('bookings.expire-holds', {}, { jobId: `expire-holds-${Date.now()}` });
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
