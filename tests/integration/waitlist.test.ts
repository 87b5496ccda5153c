import { beforeAll, describe, expect, it } from 'vitest';
import { startInlineRunner } from '@qihub/api/jobs';
import { runWaitlistSweep, WAITLIST_OFFER_MINUTES } from '@qihub/api/modules/bookings/waitlist';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, rentableInstruments, setUnitCount, USERS } from '../factories/index.ts';

/** Waitlist hand-over: a freed time is offered as a held booking to the first in line, then the next. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let instrumentId: string;
let labUser: string; // A: books internally
let sme: string; // B
let sme2: string; // C

interface Booking {
  id: string;
  status: string;
  start: string;
  holdExpiresAt: string | null;
}
interface Entry {
  id: string;
  status: string;
  offeredBookingId: string | null;
  offerExpiresAt: string | null;
}

beforeAll(async () => {
  const labId = await orgOf(t.db, USERS.lab);
  instrumentId = (await rentableInstruments(t.db, labId, { orderBy: 'name_zh' }))[0]!;
  await setUnitCount(t.db, instrumentId, 1);
  [labUser, sme, sme2] = await Promise.all([
    login(t.app, USERS.lab),
    login(t.app, USERS.sme),
    login(t.app, USERS.sme2),
  ]);
});

async function hold(token: string, start: string, end: string): Promise<Booking> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(token),
    payload: { instrumentId, start, end, mode: 'self' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Booking>();
}

const wait = (token: string, start: string, end: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/waitlist',
    headers: bearer(token),
    payload: { instrumentId, start, end, mode: 'self' },
  });

async function entry(token: string, id: string): Promise<Entry> {
  const res = await t.app.inject({ method: 'GET', url: '/v1/waitlist', headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  const found = res.json<{ items: Entry[] }>().items.find((e) => e.id === id);
  expect(found).toBeDefined();
  return found!;
}

const sweep = () => runWaitlistSweep(t.db.db, clock.now);

describe('waitlist', () => {
  it('joining: only for a taken time (409 slot_available otherwise), once, with the booking rules', async () => {
    expectProblem(await wait(sme, '2026-12-07T02:00:00Z', '2026-12-07T04:00:00Z'), 409, 'slot_available');
    const taken = await hold(labUser, '2026-12-07T02:00:00Z', '2026-12-07T04:00:00Z');
    // Confirmed, so the time stays taken when the clock moves past the hold in later tests (a
    // lapsed hold takes no time).
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${taken.id}/confirm`,
      headers: bearer(labUser),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const res = await wait(sme, '2026-12-07T02:00:00Z', '2026-12-07T04:00:00Z');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Entry>()).toMatchObject({ status: 'waiting', offeredBookingId: null });
    expectProblem(await wait(sme, '2026-12-07T02:00:00Z', '2026-12-07T04:00:00Z'), 409, 'already_waiting');
    expectProblem(await wait(sme, '2026-12-07T02:10:00Z', '2026-12-07T04:10:00Z'), 422, 'grid');
    // Partly overlapping a taken time is also "taken".
    expect((await wait(sme2, '2026-12-07T03:00:00Z', '2026-12-07T05:00:00Z')).statusCode).toBe(201);
    // Leaving it.
    const id = res.json<Entry>().id;
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/waitlist/${id}/cancel`, headers: bearer(sme2) }),
      404,
      'not_found',
    );
    const left = await t.app.inject({ method: 'POST', url: `/v1/waitlist/${id}/cancel`, headers: bearer(sme) });
    expect(left.json<Entry>().status).toBe('cancelled');
  });

  it('A cancels → B is offered a held booking; B lets it lapse → C gets it; C confirms → accepted', async () => {
    const a = await hold(labUser, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
    const b = await wait(sme, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
    expect(b.statusCode, b.body).toBe(201);
    clock.advance(60_000); // C joins after B
    const c = await wait(sme2, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
    expect(c.statusCode, c.body).toBe(201);
    const [bId, cId] = [b.json<Entry>().id, c.json<Entry>().id];

    // Nothing to hand over while A holds the time.
    expect((await sweep()).offered).toEqual([]);
    expect(
      (await t.app.inject({ method: 'POST', url: `/v1/bookings/${a.id}/cancel`, headers: bearer(labUser) })).statusCode,
    ).toBe(200);

    expect((await sweep()).offered).toEqual([bId]);
    const offeredB = await entry(sme, bId);
    expect(offeredB.status).toBe('offered');
    expect(new Date(offeredB.offerExpiresAt!).getTime()).toBe(clock.now.getTime() + WAITLIST_OFFER_MINUTES * 60_000);
    const bookingB = await t.app.inject({
      method: 'GET',
      url: `/v1/bookings/${offeredB.offeredBookingId}`,
      headers: bearer(sme),
    });
    expect(bookingB.json<Booking>()).toMatchObject({
      status: 'held',
      start: '2026-11-30T02:00:00.000Z',
      holdExpiresAt: offeredB.offerExpiresAt,
    });
    // B is told, once, in both languages.
    const inbox = await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: bearer(sme) });
    const offers = inbox.json<{ items: { kind: string }[] }>().items.filter((n) => n.kind === 'waitlist_offer');
    expect(offers).toHaveLength(1);
    const { rows: notes } = await t.db.pool.query<{ title_zh: string; title_en: string }>(
      `SELECT n.title_zh, n.title_en FROM notifications n JOIN users u ON u.id = n.user_id
       WHERE u.email = $1 AND n.kind = 'waitlist_offer'`,
      [USERS.sme],
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title_zh).toMatch(/候补/);
    expect(notes[0]!.title_en).toMatch(/waiting/);
    // A second sweep changes nothing; C still waits.
    expect(await sweep()).toEqual({ offered: [], accepted: [], expired: [] });
    expect((await entry(sme2, cId)).status).toBe('waiting');

    // B lets the offer lapse: the hold expires and C is offered the time.
    clock.advance((WAITLIST_OFFER_MINUTES + 1) * 60_000);
    const next = await sweep();
    expect(next.expired).toEqual([bId]);
    expect(next.offered).toEqual([cId]);
    expect((await entry(sme, bId)).status).toBe('expired');
    const { rows } = await t.db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [
      offeredB.offeredBookingId,
    ]);
    expect(rows[0]!.status).toBe('expired');

    const offeredC = await entry(sme2, cId);
    expect(offeredC.status).toBe('offered');
    const confirm = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${offeredC.offeredBookingId}/confirm`,
      headers: bearer(sme2),
    });
    expect(confirm.json<Booking>().status).toBe('pending_approval');
    expect((await sweep()).accepted).toEqual([cId]);
    expect((await entry(sme2, cId)).status).toBe('accepted');
  });

  it('two sweeps racing make exactly one offer', async () => {
    const a = await hold(labUser, '2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z');
    expect((await wait(sme, '2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z')).statusCode).toBe(201);
    expect((await wait(sme2, '2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z')).statusCode).toBe(201);
    await t.app.inject({ method: 'POST', url: `/v1/bookings/${a.id}/cancel`, headers: bearer(labUser) });

    const results = await Promise.all([sweep(), sweep(), sweep()]);
    expect(results.flatMap((r) => r.offered)).toHaveLength(1);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1 AND status = 'held'
         AND starts_at = '2026-12-01T02:00:00Z'`,
      [instrumentId],
    );
    expect(rows[0]!.n).toBe(1);
    const offered = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM waitlist_entries WHERE instrument_id = $1 AND status = 'offered'
         AND starts_at = '2026-12-01T02:00:00Z'`,
      [instrumentId],
    );
    expect(offered.rows[0]!.n).toBe(1);
  });

  it("the job runner's tick runs the waitlist sweep with the injected clock", async () => {
    const a = await hold(labUser, '2026-12-04T02:00:00Z', '2026-12-04T04:00:00Z');
    const b = (await wait(sme, '2026-12-04T02:00:00Z', '2026-12-04T04:00:00Z')).json<Entry>();
    await t.app.inject({ method: 'POST', url: `/v1/bookings/${a.id}/cancel`, headers: bearer(labUser) });
    const runner = startInlineRunner(t.db.db, { intervalMs: 3_600_000, clock: () => clock.now });
    try {
      await runner.tick();
    } finally {
      await runner.stop();
    }
    const offered = await entry(sme, b.id);
    expect(offered.status).toBe('offered');
    expect(new Date(offered.offerExpiresAt!).getTime()).toBe(clock.now.getTime() + WAITLIST_OFFER_MINUTES * 60_000);
  });

  it('declining an offer by leaving the waitlist releases the hold; waiting past the start expires', async () => {
    const a = await hold(labUser, '2026-12-02T02:00:00Z', '2026-12-02T04:00:00Z');
    const b = (await wait(sme, '2026-12-02T02:00:00Z', '2026-12-02T04:00:00Z')).json<Entry>();
    await t.app.inject({ method: 'POST', url: `/v1/bookings/${a.id}/cancel`, headers: bearer(labUser) });
    expect((await sweep()).offered).toContain(b.id);
    const offered = await entry(sme, b.id);
    const left = await t.app.inject({ method: 'POST', url: `/v1/waitlist/${b.id}/cancel`, headers: bearer(sme) });
    expect(left.json<Entry>().status).toBe('cancelled');
    const { rows } = await t.db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [
      offered.offeredBookingId,
    ]);
    expect(rows[0]!.status).toBe('cancelled');

    // A waiting entry whose time has begun is expired by the sweep.
    await hold(labUser, '2026-12-03T02:00:00Z', '2026-12-03T04:00:00Z');
    const late = (await wait(sme2, '2026-12-03T02:00:00Z', '2026-12-03T04:00:00Z')).json<Entry>();
    const saved = clock.now;
    clock.now = new Date('2026-12-03T02:30:00Z');
    try {
      expect((await sweep()).expired).toContain(late.id);
      // (read from the database: the session would have lapsed a week later)
      const { rows: after } = await t.db.pool.query<{ status: string }>(
        'SELECT status FROM waitlist_entries WHERE id = $1',
        [late.id],
      );
      expect(after[0]!.status).toBe('expired');
    } finally {
      clock.now = saved;
    }
  });
});
