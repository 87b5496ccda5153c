import type { Db } from '@qihub/db';
import type { Mailer } from '../lib/mailer.ts';
import { SWEEPS, toQueueJobId, type JobName } from './contracts.ts';
import { createJobHandlers } from './handlers.ts';
import type { Metrics } from '../lib/metrics.ts';
import { createRegistry, withMetrics, type JobRegistry } from './registry.ts';

export interface InlineRunner {
  registry: JobRegistry;
  /** One pass of every sweep, then the outbox relay; each waits for a run of itself in hand. */
  tick(): Promise<number>;
  /** Stops scheduling and waits for the runs in hand. */
  stop(): Promise<void>;
}

/** How often the in-process outbox relay runs, as the worker's relay scheduler does. */
const RELAY_EVERY_MS = 1000;

/**
 * Without Redis (the zero-setup demo), the processors run inside the API process: the same
 * handlers and the same outbox relay, with "dispatch" calling the registry instead of BullMQ.
 *
 * Each sweep keeps its own schedule (SWEEPS), as a BullMQ job scheduler would: it runs at start,
 * then every `everyMs`; the relay runs every second. A run of a job never overlaps another run of
 * the same job: a run that outlasts its interval is followed by the next one as soon as it ends,
 * and the runs it missed are dropped, not queued up (sweeps catch up on their own: each one finds
 * everything that is due). One job's slow run holds no other job back.
 */
export function startInlineRunner(
  db: Db,
  options: {
    /**
     * For tests that drive the runner with `tick()`: every job runs every `intervalMs` instead of
     * on its own schedule, the first time after one interval (not at start).
     */
    intervalMs?: number;
    log?: (err: unknown) => void;
    clock?: () => Date;
    mailer?: Mailer | null;
    webUrl?: string;
    filesDir?: string;
    /** The API's metrics: jobs run in its process are counted there. */
    metrics?: Metrics;
  } = {},
): InlineRunner {
  const registry: JobRegistry = withMetrics(
    createRegistry(
      createJobHandlers({
        db,
        dispatch: (topic, payload, jobId) => registry.run(topic, payload, { jobId: toQueueJobId(jobId) }),
        clock: options.clock,
        mailer: options.mailer,
        webUrl: options.webUrl,
        filesDir: options.filesDir,
      }),
    ),
    options.metrics,
  );
  const schedules: { name: JobName; everyMs: number }[] = [
    ...SWEEPS.map((s) => ({ name: s.name, everyMs: s.everyMs })),
    { name: 'outbox.relay', everyMs: RELAY_EVERY_MS },
  ];
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  /** Each job's run in hand (resolved when none), so that a job never runs twice at once. */
  const inHand = new Map<JobName, Promise<void>>();

  /** Runs `name` once, after its run in hand if there is one; rejects with the run's failure. */
  const runOnce = (name: JobName): Promise<void> => {
    const previous = inHand.get(name) ?? Promise.resolve();
    const run = previous.then(() => registry.run(name, {}, { jobId: `${name}-${Date.now()}` }));
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    inHand.set(name, settled);
    // The map keeps only the newest run; forget it once it is done, so nothing piles up.
    void settled.then(() => {
      if (inHand.get(name) === settled) inHand.delete(name);
    });
    return run;
  };

  const at = (delayMs: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timer.unref?.();
    timers.add(timer);
  };

  /** One job's own loop: run, then wait for its next due time (never less than 0), and so on. */
  const loop = (name: JobName, everyMs: number, firstDelayMs: number) => {
    let due = Date.now() + firstDelayMs;
    const go = () => {
      if (stopped) return;
      void runOnce(name)
        .catch((err: unknown) => options.log?.(err))
        .finally(() => {
          if (stopped) return;
          // Next due time: one interval after this one was due, or right away if this run outlasted
          // it (the runs it missed are dropped, not queued up).
          const now = Date.now();
          due = Math.max(due + everyMs, now);
          at(due - now, go);
        });
    };
    at(firstDelayMs, go);
  };

  for (const s of schedules) {
    const everyMs = options.intervalMs ?? s.everyMs;
    loop(s.name, everyMs, options.intervalMs ?? 0);
  }

  // One pass for tests and tools: the sweeps, then the outbox relay (so what a sweep queued, such
  // as an email, goes out in the same pass). One failing sweep does not hold back the others; the
  // pass reports the first failure after all ran.
  const tick = async () => {
    const failures: unknown[] = [];
    for (const name of [...SWEEPS.map((s) => s.name), 'outbox.relay' as const]) {
      await runOnce(name).catch((err: unknown) => failures.push(err));
    }
    if (failures.length > 0) throw failures[0];
    return 0;
  };

  return {
    registry,
    tick,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...inHand.values()]);
    },
  };
}
