import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@qihub/db';
import { JOB_NAMES, SWEEPS, type JobName } from './contracts.ts';
import type { JobHandler } from './registry.ts';

/**
 * The in-process runner (no REDIS_URL) on a clock the test controls: every job is a stub that
 * counts its runs, how many copies of it run at once, and takes as long as the test says.
 */
const runs = new Map<string, number>();
const active = new Map<string, number>();
const mostAtOnce = new Map<string, number>();
const takesMs = new Map<string, number>();

vi.mock('./handlers.ts', () => ({
  createJobHandlers: (): JobHandler[] =>
    JOB_NAMES.map((name) => ({
      name,
      handle: async () => {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        active.set(name, (active.get(name) ?? 0) + 1);
        mostAtOnce.set(name, Math.max(mostAtOnce.get(name) ?? 0, active.get(name)!));
        try {
          const ms = takesMs.get(name) ?? 0;
          if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
        } finally {
          active.set(name, active.get(name)! - 1);
        }
      },
    })),
}));

const { startInlineRunner } = await import('./inline.ts');

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const noDb = {} as Db;
const everyMs = (name: JobName) => SWEEPS.find((s) => s.name === name)!.everyMs;

/** Stops the runner, letting the fake clock run out the runs in hand. */
async function stop(runner: { stop(): Promise<void> }) {
  const stopped = runner.stop();
  await vi.runAllTimersAsync();
  await stopped;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-26T02:00:00Z') });
  for (const m of [runs, active, mostAtOnce, takesMs]) m.clear();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the in-process job runner', () => {
  it('runs each sweep on its own schedule: the hourly one once an hour, the 15-second one four times a minute', async () => {
    expect(everyMs('calibration.recall-reminders')).toBe(HOUR);
    expect(everyMs('bookings.expire-holds')).toBe(15 * SECOND);
    const runner = startInlineRunner(noDb);
    try {
      await vi.advanceTimersByTimeAsync(10 * SECOND);
      // Once at start, like a BullMQ job scheduler's first run; not once a second.
      expect(runs.get('calibration.recall-reminders')).toBe(1);
      expect(runs.get('bookings.expire-holds')).toBe(1);

      await vi.advanceTimersByTimeAsync(HOUR - 10 * SECOND - 1);
      expect(runs.get('calibration.recall-reminders')).toBe(1);
      expect(runs.get('bookings.expire-holds')).toBe(HOUR / (15 * SECOND));
      expect(runs.get('orders.due-alerts')).toBe(HOUR / (5 * MINUTE));

      await vi.advanceTimersByTimeAsync(2 * HOUR + 1);
      expect(runs.get('calibration.recall-reminders')).toBe(4);
      expect(runs.get('bookings.expire-holds')).toBe((3 * HOUR) / (15 * SECOND) + 1);
      // The outbox relay keeps its one-second beat.
      expect(runs.get('outbox.relay')).toBeGreaterThanOrEqual(3 * 3600);
      expect(runs.get('outbox.relay')).toBeLessThanOrEqual(3 * 3600 + 1);
    } finally {
      await stop(runner);
    }
  });

  it('never starts a sweep again while its previous run is still going, and holds no other sweep back', async () => {
    // The 15-second hold sweep takes 40 s each time.
    takesMs.set('bookings.expire-holds', 40 * SECOND);
    const runner = startInlineRunner(noDb);
    try {
      await vi.advanceTimersByTimeAsync(10 * MINUTE - 1);
      expect(mostAtOnce.get('bookings.expire-holds')).toBe(1);
      // Back to back at best (600 s / 40 s), with no queue of missed runs piling up behind it.
      const slow = runs.get('bookings.expire-holds')!;
      expect(slow).toBeGreaterThanOrEqual(14);
      expect(slow).toBeLessThanOrEqual(15);
      // The others kept their own beat meanwhile.
      expect(runs.get('bookings.waitlist-sweep')).toBe((10 * MINUTE) / (15 * SECOND));
      expect(runs.get('outbox.relay')).toBeGreaterThanOrEqual(599);
      for (const name of JOB_NAMES) expect(mostAtOnce.get(name) ?? 0).toBeLessThanOrEqual(1);

      // Stopping waits for the run in hand and starts nothing after it.
      const stopped = runner.stop();
      await vi.advanceTimersByTimeAsync(40 * SECOND);
      await stopped;
      const after = new Map(runs);
      await vi.advanceTimersByTimeAsync(HOUR);
      expect(runs).toEqual(after);
    } finally {
      await stop(runner);
    }
  });

  it('tick() runs every sweep and then the relay once, waiting for a run of the same sweep in hand', async () => {
    takesMs.set('orders.due-alerts', 5 * SECOND);
    const runner = startInlineRunner(noDb);
    try {
      await vi.advanceTimersByTimeAsync(1 * SECOND);
      expect(active.get('orders.due-alerts')).toBe(1);
      const before = runs.get('orders.due-alerts')!;
      const tick = runner.tick();
      await vi.advanceTimersByTimeAsync(12 * SECOND);
      await tick;
      expect(runs.get('orders.due-alerts')).toBe(before + 1);
      expect(mostAtOnce.get('orders.due-alerts')).toBe(1);
    } finally {
      await stop(runner);
    }
  });
});
