import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInlineRunner } from '@qihub/api/jobs';
import { startWorker } from '@qihub/worker';
import { login, testClock, useSeededApp } from '../support/app.ts';
import { aSingleUnitInstrument, bookTo, statusOf } from '../support/booking-jobs.ts';
import { REDIS_URL } from '../support/env.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * Booking reminders (24 h and 1 h before the start) and the no-show release, run by the same
 * handlers in-process and on BullMQ, with a fake clock handed to the sweeps.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';
const HOUR = 3_600_000;

let tokens: { customer: string; lab: string };
let labId: string;

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
});

/** Moves the fake clock and signs in again (sessions expire on the same clock). */
async function setNow(iso: string) {
  clock.now = new Date(iso);
  tokens = { customer: await login(t.app, USERS.sme), lab: await login(t.app, USERS.lab) };
}

interface NoteRow {
  kind: string;
  dedupe_key: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  link: string;
  email: string;
}

async function notesAbout(bookingId: string): Promise<NoteRow[]> {
  const { rows } = await t.db.pool.query<NoteRow>(
    `SELECT n.kind, n.dedupe_key, n.title_zh, n.title_en, n.body_zh, n.body_en, n.link, u.email
     FROM notifications n JOIN users u ON u.id = n.user_id
     WHERE n.dedupe_key LIKE 'booking:' || $1 || ':%' ORDER BY n.created_at, n.kind`,
    [bookingId],
  );
  return rows;
}
const kindsOf = async (id: string) => (await notesAbout(id)).map((n) => n.kind);

async function checkIn(id: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${id}/check-in`,
    headers: { authorization: `Bearer ${tokens.lab}` },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** One pass of every sweep in-process, at the fake clock's "now"; a fresh runner each time. */
async function sweep() {
  const runner = startInlineRunner(t.db.db, { intervalMs: 3_600_000, clock: () => clock.now });
  try {
    await runner.tick();
  } finally {
    await runner.stop();
  }
}

describe('reminders', () => {
  it('sends the 24 h and the 1 h reminder once each, only while the booking is confirmed', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const sem = await aSingleUnitInstrument(t.db, labId, 0);
    const made = clock.now;
    // Monday 30 November, 10:00–11:00, 12:00–13:00, 14:00–15:00 and 15:00–16:00 in Shanghai.
    const kept = await bookTo(t, tokens, sem.id, '2026-11-30T02:00:00Z', '2026-11-30T03:00:00Z', 'confirmed', made);
    const dropped = await bookTo(t, tokens, sem.id, '2026-11-30T04:00:00Z', '2026-11-30T05:00:00Z', 'confirmed', made);
    const cancelled = await bookTo(
      t,
      tokens,
      sem.id,
      '2026-11-30T06:00:00Z',
      '2026-11-30T07:00:00Z',
      'cancelled',
      made,
    );
    const pending = await bookTo(
      t,
      tokens,
      sem.id,
      '2026-11-30T07:00:00Z',
      '2026-11-30T08:00:00Z',
      'pending_approval',
      made,
    );

    await sweep();
    expect(await kindsOf(kept)).toEqual([]); // four days ahead: nothing yet

    clock.now = new Date('2026-11-29T01:30:00Z'); // 24 h 30 min before the first
    await sweep();
    expect(await kindsOf(kept)).toEqual([]);

    clock.now = new Date('2026-11-29T07:30:00Z'); // 18 h 30 min before the first, 23 h 30 min before the last
    await sweep();
    await sweep();
    expect(await kindsOf(kept)).toEqual(['booking_reminder_24h']);
    expect(await kindsOf(dropped)).toEqual(['booking_reminder_24h']);
    expect(await kindsOf(cancelled)).toEqual([]);
    expect(await kindsOf(pending)).toEqual([]);

    const [note] = await notesAbout(kept);
    expect(note).toMatchObject({
      email: USERS.sme,
      dedupe_key: `booking:${kept}:reminder-24h`,
      link: `/bookings/${kept}`,
    });
    // The lab's wall clock, with the instrument's Chinese name and the site's address.
    expect(note!.title_zh).toContain(sem.nameZh);
    expect(note!.title_zh).toContain('2026-11-30 10:00 (UTC+8)');
    expect(note!.body_zh).toContain(sem.addressZh);
    expect(note!.title_en).toContain('2026-11-30 10:00 (UTC+8)');
    const { rows } = await t.db.pool.query<{ reminded_24h_at: Date; reminded_1h_at: Date | null }>(
      'SELECT reminded_24h_at, reminded_1h_at FROM bookings WHERE id = $1',
      [kept],
    );
    expect(rows[0]).toEqual({ reminded_24h_at: clock.now, reminded_1h_at: null });

    // The customer cancels after the 24 h reminder: no 1 h reminder for it.
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${dropped}/cancel`,
      headers: { authorization: `Bearer ${tokens.customer}` },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);

    clock.now = new Date('2026-11-30T01:05:00Z'); // 55 minutes before
    await sweep();
    await sweep();
    expect(await kindsOf(kept)).toEqual(['booking_reminder_24h', 'booking_reminder_1h']);
    expect(await kindsOf(dropped)).toEqual(['booking_reminder_24h']);
    expect(await kindsOf(cancelled)).toEqual([]);
    expect(await kindsOf(pending)).toEqual([]);
    const oneHour = (await notesAbout(kept))[1]!;
    expect(oneHour.title_zh).toContain('即将开始');
    expect(oneHour.title_en).toContain('Starting soon');

    // Checked in at the start (so no no-show counts against the customer in later tests).
    clock.now = new Date('2026-11-30T02:00:00Z');
    await checkIn(kept);
    await sweep();
    expect(await kindsOf(kept)).toEqual(['booking_reminder_24h', 'booking_reminder_1h']);
  });

  it('a booking made 3 h before its start gets only the 1 h reminder, not a stale 24 h one', async () => {
    await setNow('2026-12-01T01:00:00Z'); // Tuesday 09:00 in Shanghai
    const quick = await aSingleUnitInstrument(t.db, labId, 1, { leadMinutes: 60, requiresApproval: false });
    const id = await bookTo(
      t,
      tokens,
      quick.id,
      '2026-12-01T04:00:00Z',
      '2026-12-01T05:00:00Z',
      'confirmed',
      clock.now,
    );
    await sweep();
    expect(await kindsOf(id)).toEqual([]);
    clock.advance(2 * HOUR + 5 * 60_000); // 55 minutes before
    await sweep();
    expect(await kindsOf(id)).toEqual(['booking_reminder_1h']);
    clock.advance(HOUR);
    await checkIn(id);
  });
});

describe('no-show release', () => {
  it('voids a confirmed booking nobody checked in to by start + late-void time, frees the slot, records a violation once', async () => {
    await setNow('2026-12-02T01:00:00Z'); // Wednesday 09:00 in Shanghai
    const quick = await aSingleUnitInstrument(t.db, labId, 1, { leadMinutes: 60, requiresApproval: false });
    // 10:00–14:00 local; the default late-void time is 60 minutes.
    const id = await bookTo(
      t,
      tokens,
      quick.id,
      '2026-12-02T02:00:00Z',
      '2026-12-02T06:00:00Z',
      'confirmed',
      clock.now,
    );
    const other = await login(t.app, USERS.sme2);
    const later = { instrumentId: quick.id, start: '2026-12-02T04:00:00Z', end: '2026-12-02T05:00:00Z', mode: 'self' };
    const bookLater = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/bookings',
        headers: { authorization: `Bearer ${other}` },
        payload: later,
      });

    clock.now = new Date('2026-12-02T02:59:00Z'); // 59 minutes late: not yet void
    await sweep();
    expect(await statusOf(t.db, id)).toBe('confirmed');
    expect((await bookLater()).statusCode).toBe(409);

    clock.now = new Date('2026-12-02T03:00:00Z');
    await sweep();
    await sweep();
    expect(await statusOf(t.db, id)).toBe('no_show');
    const { rows: violations } = await t.db.pool.query<{ kind: string; lab_id: string; email: string }>(
      `SELECT v.kind, v.lab_id, u.email FROM booking_violations v JOIN users u ON u.id = v.user_id WHERE v.booking_id = $1`,
      [id],
    );
    expect(violations).toEqual([{ kind: 'no_show', lab_id: labId, email: USERS.sme }]);
    expect(await kindsOf(id)).toEqual(['booking_no_show']);
    const { rows: audit } = await t.db.pool.query<{ actor_kind: string }>(
      "SELECT actor_kind FROM audit_log WHERE entity_id = $1 AND action = 'booking.no_show'",
      [id],
    );
    expect(audit).toEqual([{ actor_kind: 'system' }]);

    // The released time can be booked by someone else.
    const retake = await bookLater();
    expect(retake.statusCode, retake.body).toBe(201);
  });

  it('leaves a checked-in booking alone', async () => {
    await setNow('2026-12-03T01:00:00Z'); // Thursday 09:00 in Shanghai
    const quick = await aSingleUnitInstrument(t.db, labId, 1, { leadMinutes: 60, requiresApproval: false });
    const id = await bookTo(
      t,
      tokens,
      quick.id,
      '2026-12-03T02:00:00Z',
      '2026-12-03T04:00:00Z',
      'confirmed',
      clock.now,
    );
    clock.now = new Date('2026-12-03T02:20:00Z');
    await checkIn(id);
    clock.now = new Date('2026-12-03T03:30:00Z');
    await sweep();
    expect(await statusOf(t.db, id)).toBe('in_use');
    expect(await kindsOf(id)).not.toContain('booking_no_show');
  });
});

describe.skipIf(noRedis)('reminders on BullMQ and Redis', () => {
  let redis: Redis;
  const prefix = `qihub_test_${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  /** Starts a worker whose sweeps run every 100 ms; resolves once it has completed `runs` reminder sweeps. */
  async function workerRunningSweeps(runs: number) {
    const worker = await startWorker({
      db: t.db.db,
      connection: redis,
      prefix,
      sweepEveryMs: 100,
      relayEveryMs: 100,
      clock: () => clock.now,
    });
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      const timer = setTimeout(() => reject(new Error('the reminder sweep did not run')), 20_000);
      worker.worker.on('completed', (job) => {
        if (job.name === 'bookings.send-reminders' && ++seen >= runs) {
          clearTimeout(timer);
          resolve();
        }
      });
      worker.worker.on('failed', (job, err) => {
        if (job?.name === 'bookings.send-reminders') reject(err);
      });
    });
    return worker;
  }

  it('sends a reminder once, even after the worker restarts and the sweep runs again', async () => {
    await setNow('2026-12-03T01:00:00Z'); // Thursday 09:00 in Shanghai
    const sem = await aSingleUnitInstrument(t.db, labId, 0);
    const id = await bookTo(t, tokens, sem.id, '2026-12-07T03:00:00Z', '2026-12-07T04:00:00Z', 'confirmed', clock.now);

    clock.now = new Date('2026-12-06T04:00:00Z'); // 23 hours before
    const first = await workerRunningSweeps(2);
    await first.close();
    expect(await kindsOf(id)).toEqual(['booking_reminder_24h']);

    // A new worker, the same Redis queue and database: the sweep runs again and finds nothing due.
    const second = await workerRunningSweeps(3);
    await second.close();
    expect(await kindsOf(id)).toEqual(['booking_reminder_24h']);
  });
});
