import { beforeAll, describe, expect, it } from 'vitest';
import { runWaitlistSweep } from '@qihub/api/modules/bookings/waitlist';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { atTime, orgOf, rentableInstruments, setUnitCount, USERS } from '../factories/index.ts';

/**
 * What a reschedule carries over. A committed booking (confirmed or awaiting approval) that is
 * moved keeps the cancellation terms it was booked under — the fee and cut-off of its policy
 * snapshot — and the earlier start decides: cancelling free ends at the cut-off before the earlier
 * of the old and new starts. And every tie to an order, a series or a waitlist offer moves with it.
 *
 * Thursday 2026-11-26 10:00 in Shanghai; the demo lab opens Mon–Fri 08:30–17:30 (00:30–09:30 UTC).
 * The instrument's policy: lead time 60 min, cut-off 48 h, fee 50 %, no approval.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let labId: string;
let instrumentId: string;
let sme: string;
let sme2: string;
let lab: string;
let smeUser: string;

interface View {
  id: string;
  status: string;
  start: string;
  holdExpiresAt: string | null;
  price: { amount: number };
  cancellationFee: { amount: number } | null;
  cancellationTerms: { freeUntil: string; feeBasisPoints: number; cutoffMinutes: number };
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  const [first, second] = (await rentableInstruments(t.db, labId, { orderBy: 'name_zh' })) as [string, string];
  instrumentId = first;
  await setUnitCount(t.db, first, 1);
  await setUnitCount(t.db, second, 1);
  await t.db.pool.query(
    `INSERT INTO booking_policies (instrument_id, lead_minutes, cancellation_cutoff_minutes, cancellation_fee_bp,
       requires_approval)
     VALUES ($1, 60, 2880, 5000, false)`,
    [instrumentId],
  );
  // The strikes these tests count must not block the SME from booking on.
  await t.db.pool.query(
    `INSERT INTO lab_booking_settings (lab_id, violation_threshold) VALUES ($1, 100)
     ON CONFLICT (lab_id) DO UPDATE SET violation_threshold = 100`,
    [labId],
  );
  [sme, sme2, lab] = await Promise.all([login(t.app, USERS.sme), login(t.app, USERS.sme2), login(t.app, USERS.lab)]);
  smeUser = (await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.sme])).rows[0]!.id;
});

async function hold(token: string, start: string, end: string, instrument = instrumentId): Promise<View> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(token),
    payload: { instrumentId: instrument, start, end, mode: 'self' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<View>();
}

async function act(token: string, id: string, verb: string): Promise<View> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/bookings/${id}/${verb}`, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<View>();
}

/** A booking held and confirmed by the SME. */
async function confirmed(start: string, end: string): Promise<View> {
  const b = await hold(sme, start, end);
  const c = await act(sme, b.id, 'confirm');
  expect(c.status).toBe('confirmed');
  return c;
}

async function reschedule(token: string, id: string, start: string, end: string): Promise<View> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${id}/reschedule`,
    headers: bearer(token),
    payload: { start, end },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ booking: View }>().booking;
}

async function strikes(bookingId: string) {
  const { rows } = await t.db.pool.query<{ kind: string }>(
    'SELECT kind FROM booking_violations WHERE booking_id = $1 AND user_id = $2',
    [bookingId, smeUser],
  );
  return rows.map((r) => r.kind);
}

/** Runs `fn` with the clock at `iso`, then puts it back. */
const at = <T>(iso: string, fn: () => Promise<T>) => atTime(clock, iso, fn);

const half = (b: View) => Math.round(b.price.amount / 2);

describe('a rescheduled booking keeps the cancellation terms of the booking it replaces', () => {
  it('moving a booking inside its cut-off ten days out does not dodge the fee: cancelling costs what cancelling directly costs', async () => {
    // Tomorrow 10:00: already inside the 48 h cut-off.
    const direct = await confirmed('2026-11-27T05:00:00Z', '2026-11-27T06:00:00Z');
    const original = await confirmed('2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z');
    const moved = await reschedule(sme, original.id, '2026-12-07T02:00:00Z', '2026-12-07T03:00:00Z');
    expect(moved.status).toBe('confirmed');
    // Free cancellation ended 48 h before the earlier start, and the customer can see it.
    expect(moved.cancellationTerms).toEqual({
      freeUntil: '2026-11-25T02:00:00.000Z',
      feeBasisPoints: 5000,
      cutoffMinutes: 2880,
    });

    const cancelledDirect = await act(sme, direct.id, 'cancel');
    const cancelledMoved = await act(sme, moved.id, 'cancel');
    expect(cancelledDirect.cancellationFee!.amount).toBe(half(direct));
    expect(cancelledMoved.cancellationFee!.amount).toBe(half(moved));
    expect(cancelledMoved.cancellationFee!.amount).toBeGreaterThan(0);
    expect(await strikes(direct.id)).toEqual(['late_cancellation']);
    expect(await strikes(moved.id)).toEqual(['late_cancellation']);
  });

  it("before the original's cut-off the moved booking cancels free; after it, the fee and a strike on the snapshotted terms", async () => {
    // Tuesday 1 December: the cut-offs are Sunday 29 November 02:00 and 04:00.
    const first = await confirmed('2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z');
    const second = await confirmed('2026-12-01T04:00:00Z', '2026-12-01T05:00:00Z');
    // The lab raises its fee to 100 % afterwards: the bookings keep the 50 % they were made under.
    await t.db.pool.query('UPDATE booking_policies SET cancellation_fee_bp = 10000 WHERE instrument_id = $1', [
      instrumentId,
    ]);
    try {
      const movedFirst = await reschedule(sme, first.id, '2026-12-08T02:00:00Z', '2026-12-08T03:00:00Z');
      const movedSecond = await reschedule(sme, second.id, '2026-12-08T04:00:00Z', '2026-12-08T05:00:00Z');
      expect(movedSecond.cancellationTerms).toEqual({
        freeUntil: '2026-11-29T04:00:00.000Z',
        feeBasisPoints: 5000,
        cutoffMinutes: 2880,
      });
      // A booking made directly for the later week, under the new terms, for comparison.
      const direct = await confirmed('2026-12-08T06:00:00Z', '2026-12-08T07:00:00Z');
      expect(direct.cancellationTerms).toEqual({
        freeUntil: '2026-12-06T06:00:00.000Z',
        feeBasisPoints: 10000,
        cutoffMinutes: 2880,
      });

      // Before the original cut-off: free, no strike.
      const early = await act(sme, movedFirst.id, 'cancel');
      expect(early.cancellationFee!.amount).toBe(0);
      expect(await strikes(movedFirst.id)).toEqual([]);

      // Monday 30 November: past the originals' cut-off, days before the new start's own.
      await at('2026-11-30T02:00:00Z', async () => {
        const late = await act(sme, movedSecond.id, 'cancel');
        expect(late.cancellationFee!.amount).toBe(half(movedSecond));
        expect(late.cancellationFee!.amount).toBeGreaterThan(0);
        expect(await strikes(movedSecond.id)).toEqual(['late_cancellation']);
        // The direct booking for the same week is still inside its free period.
        expect((await act(sme, direct.id, 'cancel')).cancellationFee!.amount).toBe(0);
        expect(await strikes(direct.id)).toEqual([]);
      });
    } finally {
      await t.db.pool.query('UPDATE booking_policies SET cancellation_fee_bp = 5000 WHERE instrument_id = $1', [
        instrumentId,
      ]);
    }
  });

  it('moving to an earlier start: the earlier start decides, and a second move never pushes the deadline back', async () => {
    const original = await confirmed('2026-12-10T02:00:00Z', '2026-12-10T03:00:00Z');
    const earlier = await reschedule(sme, original.id, '2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z');
    expect(earlier.cancellationTerms.freeUntil).toBe('2026-11-30T02:00:00.000Z');
    const later = await reschedule(sme, earlier.id, '2026-12-11T02:00:00Z', '2026-12-11T03:00:00Z');
    expect(later.cancellationTerms.freeUntil).toBe('2026-11-30T02:00:00.000Z');
    await at('2026-12-01T02:00:00Z', async () => {
      expect((await act(sme, later.id, 'cancel')).cancellationFee!.amount).toBe(half(later));
    });
  });

  it('a hold moved before it was confirmed is no commitment yet: once confirmed it has its own terms', async () => {
    const held = await hold(sme, '2026-11-27T06:00:00Z', '2026-11-27T07:00:00Z');
    const moved = await reschedule(sme, held.id, '2026-12-09T02:00:00Z', '2026-12-09T03:00:00Z');
    expect(moved.status).toBe('held');
    const c = await act(sme, moved.id, 'confirm');
    expect(c.cancellationTerms.freeUntil).toBe('2026-12-07T02:00:00.000Z');
    expect((await act(sme, moved.id, 'cancel')).cancellationFee!.amount).toBe(0);
    expect(await strikes(moved.id)).toEqual([]);
  });

  it('moving a hold does not restart its hold time', async () => {
    const held = await hold(sme, '2026-12-14T02:00:00Z', '2026-12-14T03:00:00Z');
    clock.advance(10 * 60_000);
    try {
      const moved = await reschedule(sme, held.id, '2026-12-14T04:00:00Z', '2026-12-14T05:00:00Z');
      expect(moved.holdExpiresAt).toBe(held.holdExpiresAt);
    } finally {
      clock.advance(-10 * 60_000);
    }
  });
});

describe('a reschedule keeps every tie of the booking', () => {
  it('an order booking moved stays with its order: cancelling the order cancels the moved booking and frees the time', async () => {
    const chamber = (await rentableInstruments(t.db, labId, { orderBy: 'name_zh' }))[1]!;
    const { rows: orders } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM orders WHERE lab_id = $1 AND status IN ('samples_received', 'in_progress') LIMIT 1`,
      [labId],
    );
    const orderId = orders[0]!.id;
    const scheduled = await t.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/schedule`,
      headers: bearer(lab),
      payload: { instrumentId: chamber, start: '2026-12-01T01:00:00Z', end: '2026-12-01T03:00:00Z' },
    });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    const booked = scheduled.json<{ bookings: { id: string }[] }>().bookings[0]!;

    const moved = await reschedule(lab, booked.id, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z');
    // The lab does not approve its own order work, after a move either.
    expect(moved.status).toBe('confirmed');
    const { rows } = await t.db.pool.query<{ order_id: string | null }>('SELECT order_id FROM bookings WHERE id = $1', [
      moved.id,
    ]);
    expect(rows[0]!.order_id).toBe(orderId);
    const detail = await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(lab) });
    expect(detail.json<{ bookings: { id: string; status: string }[] }>().bookings).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: moved.id, status: 'confirmed' })]),
    );

    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/cancel`,
      headers: bearer(lab),
      payload: { reason: '客户撤回委托' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: `/v1/bookings/${moved.id}`, headers: bearer(lab) });
    expect(after.json<View>().status).toBe('cancelled');
    // The chamber is free again for anyone.
    await hold(sme2, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z', chamber);
  });

  it('a waitlist offer moved stays the offer: confirming the moved booking accepts the entry', async () => {
    const taken = await hold(sme, '2026-12-03T02:00:00Z', '2026-12-03T03:00:00Z');
    const joined = await t.app.inject({
      method: 'POST',
      url: '/v1/waitlist',
      headers: bearer(sme2),
      payload: { instrumentId, start: '2026-12-03T02:00:00Z', end: '2026-12-03T03:00:00Z', mode: 'self' },
    });
    expect(joined.statusCode, joined.body).toBe(201);
    const entryId = joined.json<{ id: string }>().id;
    await act(sme, taken.id, 'cancel');
    expect((await runWaitlistSweep(t.db.db, clock.now)).offered).toEqual([entryId]);
    const { rows } = await t.db.pool.query<{ offered_booking_id: string }>(
      'SELECT offered_booking_id FROM waitlist_entries WHERE id = $1',
      [entryId],
    );
    const offered = rows[0]!.offered_booking_id;

    const moved = await reschedule(sme2, offered, '2026-12-03T04:00:00Z', '2026-12-03T05:00:00Z');
    const entry = await t.db.pool.query<{ offered_booking_id: string; status: string }>(
      'SELECT offered_booking_id, status FROM waitlist_entries WHERE id = $1',
      [entryId],
    );
    expect(entry.rows[0]).toEqual({ offered_booking_id: moved.id, status: 'offered' });
    expect((await act(sme2, moved.id, 'confirm')).status).toBe('confirmed');
    expect((await runWaitlistSweep(t.db.db, clock.now)).accepted).toEqual([entryId]);
  });

  it('the lab still cannot move a customer booking', async () => {
    const b = await confirmed('2026-12-04T02:00:00Z', '2026-12-04T03:00:00Z');
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/v1/bookings/${b.id}/reschedule`,
        headers: bearer(lab),
        payload: { start: '2026-12-04T04:00:00Z', end: '2026-12-04T05:00:00Z' },
      }),
      403,
      'forbidden',
    );
  });
});
