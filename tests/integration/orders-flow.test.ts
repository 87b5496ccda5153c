import { beforeAll, describe, expect, it } from 'vitest';
import { closeObjectionWindows, expireQuotes, sendDueAlerts } from '@qihub/api/modules/orders/jobs';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import {
  acceptQuote,
  aLab,
  aNoSampleService,
  COMMISSION,
  orgOf,
  anOrder,
  api,
  ok,
  receiveSamples,
  sendAcceptance,
  rentableInstruments,
  serviceId,
  signIn,
  useDefaultBookingPolicies,
  USERS,
  type Detail,
} from '../factories/index.ts';

/**
 * The order flow against time and shared capacity: due dates in working days across the National
 * Day week, due reminders and overdue alerts, quote expiry and objection-window close by the sweeps
 * with a fake clock, the expedite surcharge waived when late, and order work scheduled onto an
 * instrument competing with a rental customer for the same slot.
 */
const clock = testClock(new Date('2026-09-29T02:00:00Z'));
const t = useSeededApp({ clock });

let tk: { sme: string; sme2: string; lab: string };
let labId: string;
let saltSpray: string;
let call: ReturnType<typeof api>;

async function setNow(iso: string) {
  clock.now = new Date(iso);
  tk = await signIn(t.app, ['sme', 'sme2', 'lab']);
}

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  await setNow('2026-09-29T02:00:00Z');
});

const order = () => anOrder(t, { customer: tk.sme, lab: tk.lab, labId });
const saltSprayOrder = (hours = 24) => order().ofService(saltSpray, hours).requested();
const noSampleOrder = async () =>
  order()
    .ofService(await aNoSampleService(t.db, labId))
    .requested();

async function toSamplesReceived(d: Detail, terms: Record<string, unknown> = { deadlineTierDays: 5 }): Promise<Detail> {
  return receiveSamples(t, tk.lab, await acceptQuote(t, tk.sme, d, terms), { quantity: 3 });
}

async function notes(orderId: string, kind: string): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key LIKE $1`,
    [`order:${orderId}:${kind}:%`],
  );
  return rows[0]!.n;
}

describe('turnaround in working days', () => {
  it('counts 5 working days across the National Day week and the make-up Saturday; reminds and alerts once', async () => {
    const d = await saltSprayOrder();
    await setNow('2026-09-30T07:00:00Z'); // Wednesday 15:00 in Shanghai
    const r = await toSamplesReceived(d, { deadlineTierDays: 5 });
    // 8 Oct (Thu), 9 (Fri), 10 (make-up Sat), 12 (Mon), 13 (Tue) → end of 13 October in Shanghai.
    expect(r.order.dueAt).toBe('2026-10-13T15:59:59.999Z');
    ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/start`));

    // Make-up Saturday 10 October: the working day before the due day is Monday 12th — not yet.
    await sendDueAlerts(t.db.db, new Date('2026-10-10T03:00:00Z'));
    expect(await notes(d.order.id, 'order_due_soon')).toBe(0);
    // Monday 12 October 00:30 in Shanghai: reminded once, however often the sweep runs.
    const monday = new Date('2026-10-11T16:30:00Z');
    await Promise.all([sendDueAlerts(t.db.db, monday), sendDueAlerts(t.db.db, monday)]);
    await sendDueAlerts(t.db.db, new Date('2026-10-12T05:00:00Z'));
    const reminded = await notes(d.order.id, 'order_due_soon');
    expect(reminded).toBeGreaterThan(0);
    const { rows: labStaff } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM memberships WHERE org_id = $1 AND role IN ('manager', 'staff')`,
      [labId],
    );
    expect(reminded).toBe(labStaff[0]!.n);
    expect(await notes(d.order.id, 'order_overdue')).toBe(0);
    // Past the due time with no report: one overdue alert.
    const late = new Date('2026-10-13T16:30:00Z');
    await Promise.all([sendDueAlerts(t.db.db, late), sendDueAlerts(t.db.db, late)]);
    expect(await notes(d.order.id, 'order_overdue')).toBe(labStaff[0]!.n);
    const { rows } = await t.db.pool.query(`SELECT due_reminder_at, overdue_alert_at FROM orders WHERE id = $1`, [
      d.order.id,
    ]);
    expect(rows[0].due_reminder_at).not.toBeNull();
    expect(rows[0].overdue_alert_at).not.toBeNull();
  });
});

describe('quote expiry', () => {
  it('expires a quote after its validity date (China date), once, and the customer is told', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await saltSprayOrder();
    expect(d.order.quoteValidUntil).toBe('2026-12-26');
    const stale = await saltSprayOrder();

    await expireQuotes(t.db.db, new Date('2026-12-26T15:00:00Z')); // 26 Dec 23:00 in Shanghai: still valid
    expect(ok(await call(tk.sme, 'GET', `/v1/orders/${stale.order.id}`)).order.status).toBe('quoted');
    // Past the date but not yet swept: accepting is refused as expired.
    await setNow('2026-12-26T16:30:00Z'); // 27 Dec 00:30 in Shanghai
    expectProblem(await sendAcceptance(t, tk.sme, stale, { deadlineTierDays: 15 }), 409, 'quote_expired');
    const [a, b] = await Promise.all([expireQuotes(t.db.db, clock.now), expireQuotes(t.db.db, clock.now)]);
    expect(a! + b!).toBeGreaterThanOrEqual(2);
    expect(await expireQuotes(t.db.db, clock.now)).toBe(0);
    const e = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(e.order.status).toBe('expired');
    expect(e.timeline.filter((x) => x.toStatus === 'expired')).toHaveLength(1);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM memberships WHERE org_id = $1`,
      [await orgOf(t.db, USERS.sme)],
    );
    expect(await notes(d.order.id, 'order_quote_expired')).toBe(rows[0]!.n);
    expectProblem(await sendAcceptance(t, tk.sme, d, { deadlineTierDays: 15 }), 409, 'illegal_transition');
  });
});

describe('delivery, waiver and the objection window', () => {
  it('waives the expedite surcharge when delivered late', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await noSampleOrder();
    const a = await acceptQuote(t, tk.sme, d, { expedite: 'h8' });
    expect(a.order.surcharge.amount).toBe(Math.round((a.order.subtotal.amount * 150) / 100));
    expect(a.order.dueAt).toBe(new Date(clock.now.getTime() + 8 * 3_600_000).toISOString());
    await setNow('2026-11-26T11:00:00Z');
    const del = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    expect(del.order.onTime).toBe(false);
    expect(del.order.surchargeWaived).toBe(true);
    expect(del.order.total.amount).toBe(del.order.subtotal.amount);
  });

  it('closes when the window passes with no open objection; an open objection keeps it open', async () => {
    await setNow('2026-11-27T02:00:00Z');
    const quiet = await noSampleOrder();
    const disputed = await noSampleOrder();
    for (const d of [quiet, disputed]) {
      await acceptQuote(t, tk.sme, d, { deadlineTierDays: 30 });
      ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    }
    ok(await call(tk.sme, 'POST', `/v1/orders/${disputed.order.id}/objections`, { reason: '交付内容不完整' }), 201);
    await closeObjectionWindows(t.db.db, new Date('2026-12-11T01:00:00Z')); // 14 days on
    expect(ok(await call(tk.sme, 'GET', `/v1/orders/${quiet.order.id}`)).order.status).toBe('report_issued');
    const later = new Date('2026-12-13T01:00:00Z');
    await Promise.all([closeObjectionWindows(t.db.db, later), closeObjectionWindows(t.db.db, later)]);
    const q = ok(await call(tk.sme, 'GET', `/v1/orders/${quiet.order.id}`));
    expect(q.order.status).toBe('closed');
    expect(q.timeline.filter((x) => x.toStatus === 'closed')).toHaveLength(1);
    expect(ok(await call(tk.sme, 'GET', `/v1/orders/${disputed.order.id}`)).order.status).toBe('report_issued');
  });
});

describe('scheduling onto the lab instruments', () => {
  it('books the instrument through the booking engine: the lab and rental customers share the slots', async () => {
    await setNow('2026-11-26T02:00:00Z');
    // A single-unit instrument of the lab, rented by the hour to both tiers.
    const [instrumentId] = (await rentableInstruments(t.db, labId, { orderBy: 'name_zh' })) as [string];
    await t.db.pool.query('UPDATE instruments SET unit_count = 1 WHERE id = $1', [instrumentId]);
    await t.db.pool.query(
      `UPDATE instrument_units SET active = position = (SELECT min(position) FROM instrument_units WHERE instrument_id = $1)
       WHERE instrument_id = $1`,
      [instrumentId],
    );
    await useDefaultBookingPolicies(t.db, [instrumentId]);

    const d = await saltSprayOrder();
    const r = await toSamplesReceived(d);
    const slot = { instrumentId, start: '2026-11-30T01:00:00Z', end: '2026-11-30T03:00:00Z' };
    const s = ok(await call(tk.lab, 'POST', `/v1/orders/${r.order.id}/schedule`, slot));
    expect(s.bookings).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    const { rows: b } = await t.db.pool.query(
      `SELECT customer_org_id, rate_tier, order_id, status FROM bookings WHERE id = $1`,
      [s.bookings[0]!.id],
    );
    expect(b[0]).toMatchObject({
      customer_org_id: labId,
      rate_tier: 'internal',
      order_id: r.order.id,
      status: 'confirmed',
    });
    expect(s.timeline.map((x) => x.action)).toContain('order.scheduled');

    // A rental customer asking for the same time is refused exactly like any taken slot.
    expectProblem(await call(tk.sme2, 'POST', '/v1/bookings', { ...slot, mode: 'self' }), 409, 'slot_unavailable');
    // And the lab cannot schedule over a rental customer's booking.
    const rental = { instrumentId, start: '2026-11-30T05:00:00Z', end: '2026-11-30T07:00:00Z' };
    ok(await call(tk.sme2, 'POST', '/v1/bookings', { ...rental, mode: 'self' }), 201);
    expectProblem(await call(tk.lab, 'POST', `/v1/orders/${r.order.id}/schedule`, rental), 409, 'slot_unavailable');
    // Another lab's instrument is not found; an order not yet received cannot be scheduled.
    const { rows: foreign } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM instruments WHERE lab_id = $1 LIMIT 1`,
      [await orgOf(t.db, USERS.lab2)],
    );
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${r.order.id}/schedule`, { ...slot, instrumentId: foreign[0]!.id }),
      404,
      'not_found',
    );
    const early = await saltSprayOrder();
    expectProblem(await call(tk.lab, 'POST', `/v1/orders/${early.order.id}/schedule`, slot), 409, 'illegal_transition');

    // Cancelling the order releases its instrument time.
    const c = ok(await call(tk.lab, 'POST', `/v1/orders/${r.order.id}/cancel`, { reason: '客户要求改期' }));
    expect(c.bookings[0]!.status).toBe('cancelled');
    ok(await call(tk.sme2, 'POST', '/v1/bookings', { ...slot, mode: 'self' }), 201);
  });
});

describe('races', () => {
  it('two receipts at once move the order once; two acceptances at once: one wins, one is refused', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await saltSprayOrder();
    const body = {
      quotedAt: d.order.quotedAt,
      commission: COMMISSION,
      deadlineTierDays: 15,
      samples: [
        { nameZh: '甲', quantity: 1 },
        { nameZh: '乙', quantity: 1 },
      ],
    };
    const [a, b] = await Promise.all([
      call(tk.sme, 'POST', `/v1/orders/${d.order.id}/accept`, body),
      call(tk.sme, 'POST', `/v1/orders/${d.order.id}/accept`, body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const accepted = (a.statusCode === 200 ? a : b).json<Detail>();
    expect(accepted.samples).toHaveLength(2);
    const receipts = await Promise.all(
      accepted.samples.map((s) =>
        call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${s.id}/receive`, {
          conditionOnArrival: '完好',
          quantity: 1,
        }),
      ),
    );
    expect(receipts.map((r) => r.statusCode)).toEqual([200, 200]);
    const after = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(after.order.status).toBe('samples_received');
    expect(after.timeline.filter((e) => e.toStatus === 'samples_received')).toHaveLength(1);
    expect(after.timeline.filter((e) => e.toStatus === 'accepted')).toHaveLength(1);
  });
});

describe('redelivery after an upheld objection', () => {
  it('keeps the first delivery on time: the expedite surcharge is not waived by a late redelivery', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await noSampleOrder();
    const a = await acceptQuote(t, tk.sme, d, { expedite: 'h8' });
    expect(a.order.surcharge.amount).toBeGreaterThan(0);
    const total = a.order.total.amount;
    const first = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    expect(first.order.onTime).toBe(true);
    const o = ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '结论有误' }), 201);
    ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/objections/${o.objections[0]!.id}/resolve`, {
        outcome: 'upheld',
        resolution: '重新评审',
      }),
    );
    await setNow('2026-11-27T02:00:00Z'); // a day later: well past the 8 h due time
    const again = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    expect(again.order.status).toBe('report_issued');
    expect(again.order.onTime).toBe(true);
    expect(again.order.surchargeWaived).toBe(false);
    expect(again.order.total.amount).toBe(total);
    expect(again.order.objectionUntil).toBe(new Date(clock.now.getTime() + 15 * 86_400_000).toISOString());
    const { rows } = await t.db.pool.query<{ report_issued_at: Date }>(
      'SELECT report_issued_at FROM orders WHERE id = $1',
      [d.order.id],
    );
    expect(rows[0]!.report_issued_at.toISOString()).toBe('2026-11-26T02:00:00.000Z');
  });
});
