import { beforeAll, describe, expect, it } from 'vitest';
import { releaseNoShows } from '@qihub/api/modules/bookings/no-shows';
import { expectMoneyConsistent } from '../support/money-invariants.ts';
import { testClock, useSeededApp } from '../support/app.ts';
import {
  aLab,
  acceptQuote,
  aNoSampleService,
  anOrder,
  api,
  atTime,
  bookingDesk,
  ok,
  orgOf,
  rentableInstruments,
  serviceId,
  setBookingPolicy,
  setUnitCount,
  signIn,
  USERS,
} from '../factories/index.ts';

/**
 * Every chargeable event becomes its invoice line at the moment it is due, billed to the right
 * organisation by the right issuer, exactly once; what is taken back is a credit note against the
 * original invoice, never an edit of it (issue 11, slice 1). Thursday 2026-11-26 10:00 in Shanghai.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });
const call = () => api(t.app);

interface InvoiceView {
  id: string;
  number: string;
  kind: string;
  status: string;
  creditsInvoiceId: string | null;
  labId: string;
  customerOrgId: string;
  total: { amount: number };
  amountDue: { amount: number };
  amountCredited: { amount: number };
  amountPaid: { amount: number };
  lines: { amount: { amount: number }; source: { kind: string; id: string; charge: string } }[];
}
interface Line {
  id: string;
  lab_id: string;
  customer_org_id: string;
  invoice_id: string | null;
  charge: string;
  amount_fen: number;
}
interface Booking {
  id: string;
  status: string;
  price: { amount: number };
  billed: { amount: number } | null;
  billableMinutes: number | null;
  cancellationFee: { amount: number } | null;
}

let tk: Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'admin', string>;
let labId: string;
let smeOrg: string;
let sme2Org: string;
let platformId: string;
let pool: string[];
const desk = bookingDesk<Booking>(t, () => tk.lab);

beforeAll(async () => {
  labId = (await aLab(t).allowingManyHolds().withDefaultOrderTerms().create()).id;
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin']);
  [smeOrg, sme2Org, platformId] = await Promise.all([
    orgOf(t.db, USERS.sme),
    orgOf(t.db, USERS.sme2),
    orgOf(t.db, USERS.admin),
  ]);
  pool = await rentableInstruments(t.db, labId);
  for (const id of pool) {
    await setUnitCount(t.db, id, 1);
    await setBookingPolicy(t.db, id, { requires_approval: false, lead_minutes: 0 });
  }
});

async function linesOf(sourceId: string): Promise<Line[]> {
  const { rows } = await t.db.pool.query<Line>(
    `SELECT id, lab_id, customer_org_id, invoice_id, charge, amount_fen::int AS amount_fen
       FROM invoice_lines WHERE source_id = $1 ORDER BY occurred_at, created_at`,
    [sourceId],
  );
  return rows;
}

const invoice = async (id: string, who = tk.lab) => ok<InvoiceView>(await call()(who, 'GET', `/v1/invoices/${id}`));

/** Books [start, end) as `who` with the clock at `at`, and confirms it. */
async function confirmed(who: string, instrument: string, start: string, end: string, at: string) {
  return atTime(clock, at, async () => {
    const b = await desk.booked(who, instrument, start, end);
    return desk.acted(who, b.id, 'confirm');
  });
}

describe('bookings', () => {
  it('a check-out bills max(booked, actual) to the customer organisation, once', async () => {
    const b = await confirmed(tk.sme, pool[0]!, '2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z', '2026-11-26T02:00:00Z');
    await atTime(clock, '2026-11-27T02:00:00Z', () => desk.acted(tk.sme, b.id, 'check-in'));
    const done = await atTime(clock, '2026-11-27T03:40:00Z', async () => {
      const [x, y] = await Promise.all([desk.act(tk.sme, b.id, 'check-out'), desk.act(tk.lab, b.id, 'check-out')]);
      expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
      return desk.view(b.id);
    });
    expect(done.billableMinutes).toBe(120);
    const [line, ...more] = await linesOf(b.id);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      lab_id: labId,
      customer_org_id: smeOrg,
      charge: 'use',
      amount_fen: done.billed!.amount,
    });
    const inv = await invoice(line!.invoice_id!, tk.sme);
    expect(inv).toMatchObject({ kind: 'invoice', status: 'open', customerOrgId: smeOrg, labId });
    expect(inv.total.amount).toBe(done.billed!.amount);

    // Used less than booked: the booked time is billed.
    const short = await confirmed(
      tk.sme,
      pool[0]!,
      '2026-11-27T05:00:00Z',
      '2026-11-27T07:00:00Z',
      '2026-11-26T02:00:00Z',
    );
    await atTime(clock, '2026-11-27T05:00:00Z', () => desk.acted(tk.sme, short.id, 'check-in'));
    const s = await atTime(clock, '2026-11-27T05:30:00Z', () => desk.acted(tk.sme, short.id, 'check-out'));
    expect(s.billableMinutes).toBe(120);
    expect((await linesOf(short.id))[0]!.amount_fen).toBe(s.billed!.amount);
    expect(s.billed!.amount).toBe(short.price.amount);
    await expectMoneyConsistent(t.db);
  });

  it('the lab’s own booking of its instrument is internal use: not billed', async () => {
    const b = await confirmed(tk.lab, pool[1]!, '2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z', '2026-11-26T02:00:00Z');
    await atTime(clock, '2026-11-27T02:00:00Z', () => desk.acted(tk.lab, b.id, 'check-in'));
    await atTime(clock, '2026-11-27T03:00:00Z', () => desk.acted(tk.lab, b.id, 'check-out'));
    expect(await linesOf(b.id)).toEqual([]);
  });

  it('instrument time booked for an order’s work is not billed as a booking: the order is', async () => {
    const service = await aNoSampleService(t.db, labId);
    const q = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(service).requested();
    const a = await acceptQuote(t, tk.sme, q);
    const scheduled = ok<{ bookings: { id: string }[] }>(
      await call()(tk.lab, 'POST', `/v1/orders/${a.order.id}/schedule`, {
        instrumentId: pool[4]!,
        start: '2026-11-27T05:00:00Z',
        end: '2026-11-27T06:00:00Z',
      }),
    );
    const booking = scheduled.bookings[0]!.id;
    await atTime(clock, '2026-11-27T05:00:00Z', () => desk.acted(tk.lab, booking, 'check-in'));
    const done = await atTime(clock, '2026-11-27T06:30:00Z', () => desk.acted(tk.lab, booking, 'check-out'));
    expect(done.status).toBe('completed');
    expect(await linesOf(booking)).toEqual([]);
    expect((await linesOf(a.order.id)).map((l) => l.charge)).toEqual(['order']);
  });

  it('a late cancellation bills its fee; someone else booking the freed time credits it back', async () => {
    const b = await confirmed(tk.sme, pool[2]!, '2026-11-27T02:00:00Z', '2026-11-27T04:00:00Z', '2026-11-26T02:00:00Z');
    const cancelled = await atTime(clock, '2026-11-26T14:00:00Z', () => desk.acted(tk.sme, b.id, 'cancel'));
    const fee = cancelled.cancellationFee!.amount;
    expect(fee).toBeGreaterThan(0);
    const [feeLine] = await linesOf(b.id);
    expect(feeLine).toMatchObject({ charge: 'late_cancellation', amount_fen: fee, customer_org_id: smeOrg });
    const original = await invoice(feeLine!.invoice_id!);

    // sme2 books the whole freed time: the fee is waived in full, as a credit note against the original.
    await confirmed(tk.sme2, pool[2]!, '2026-11-27T02:00:00Z', '2026-11-27T04:00:00Z', '2026-11-26T15:00:00Z');
    const [, waiver, ...more] = await linesOf(b.id);
    expect(more).toEqual([]);
    expect(waiver!.charge).toMatch(/^fee_waiver:/);
    expect(waiver!.amount_fen).toBe(-fee);
    const note = await invoice(waiver!.invoice_id!, tk.sme);
    expect(note).toMatchObject({ kind: 'credit_note', creditsInvoiceId: original.id, customerOrgId: smeOrg });
    expect(note.total.amount).toBe(-fee);
    const after = await invoice(original.id);
    expect(after).toMatchObject({ number: original.number, status: 'void' });
    expect(after.total.amount).toBe(fee);
    expect(after.amountCredited.amount).toBe(fee);
    expect(after.amountDue.amount).toBe(0);
    await expectMoneyConsistent(t.db);
  });

  it('the no-show sweep bills the no-show fee, once however often it runs', async () => {
    const b = await confirmed(tk.sme, pool[3]!, '2026-11-27T02:00:00Z', '2026-11-27T04:00:00Z', '2026-11-26T02:00:00Z');
    const at = new Date('2026-11-27T03:01:00Z');
    await Promise.all([releaseNoShows(t.db.db, at), releaseNoShows(t.db.db, at)]);
    await releaseNoShows(t.db.db, at);
    expect((await desk.view(b.id)).status).toBe('no_show');
    const lines = await linesOf(b.id);
    expect(lines.map((l) => l.charge)).toEqual(['no_show']);
    expect(lines[0]!.amount_fen).toBe(Math.round(b.price.amount / 2));
    expect((await invoice(lines[0]!.invoice_id!, tk.sme)).customerOrgId).toBe(smeOrg);
    await expectMoneyConsistent(t.db);
  });
});

describe('orders', () => {
  it('a late report waives the expedite surcharge as a credit note; the invoice itself is untouched', async () => {
    const service = await aNoSampleService(t.db, labId);
    const q = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(service).requested();
    const a = await acceptQuote(t, tk.sme, q, { expedite: 'h8' });
    const surcharge = a.order.surcharge.amount;
    expect(surcharge).toBeGreaterThan(0);
    const [line] = await linesOf(a.order.id);
    const original = await invoice(line!.invoice_id!);
    expect(original.total.amount).toBe(a.order.total.amount);

    const del = await atTime(clock, '2026-11-26T11:00:00Z', async () =>
      ok(await call()(tk.lab, 'POST', `/v1/orders/${a.order.id}/deliver`)),
    );
    expect(del.order.surchargeWaived).toBe(true);
    const lines = await linesOf(a.order.id);
    expect(lines.map((l) => [l.charge, l.amount_fen])).toEqual([
      ['order', a.order.total.amount],
      ['surcharge_waiver', -surcharge],
    ]);
    const note = await invoice(lines[1]!.invoice_id!, tk.sme);
    expect(note).toMatchObject({ kind: 'credit_note', creditsInvoiceId: original.id, status: 'paid' });
    expect(note.total.amount).toBe(-surcharge);
    const after = await invoice(original.id);
    expect(after).toMatchObject({ number: original.number, status: 'open', kind: 'invoice' });
    expect(after.total.amount).toBe(original.total.amount);
    expect(after.lines).toEqual(original.lines);
    expect(after.amountCredited.amount).toBe(surcharge);
    expect(after.amountDue.amount).toBe(a.order.subtotal.amount);
    await expectMoneyConsistent(t.db);
  });

  it('a monthly-account customer gets the line on account, no invoice; a cancellation nets it off', async () => {
    const { rows: before } = await t.db.pool.query(
      `SELECT terms, due_days FROM customer_billing_terms WHERE org_id = $1 AND customer_org_id = $2`,
      [labId, sme2Org],
    );
    const setTerms = (terms: string, dueDays: number | null) =>
      t.db.pool.query(
        `INSERT INTO customer_billing_terms (org_id, customer_org_id, terms, due_days) VALUES ($1, $2, $3, $4)
           ON CONFLICT (org_id, customer_org_id) DO UPDATE SET terms = $3, due_days = $4`,
        [labId, sme2Org, terms, dueDays],
      );
    await setTerms('monthly', null);
    try {
      const count = `SELECT count(*)::int AS n FROM invoices WHERE lab_id = $1 AND customer_org_id = $2`;
      const invoicesBefore = (await t.db.pool.query(count, [labId, sme2Org])).rows[0].n;
      const service = await serviceId(t.db, labId, '中性盐雾试验');
      const q = await anOrder(t, { customer: tk.sme2, lab: tk.lab, labId }).ofService(service, 24).requested();
      const a = await acceptQuote(t, tk.sme2, q);
      expect(a.order.status).toBe('awaiting_samples');
      const [line, ...more] = await linesOf(a.order.id);
      expect(more).toEqual([]);
      expect(line).toMatchObject({ charge: 'order', invoice_id: null, customer_org_id: sme2Org });
      expect((await t.db.pool.query(count, [labId, sme2Org])).rows[0].n).toBe(invoicesBefore);
      ok(await call()(tk.sme2, 'POST', `/v1/orders/${a.order.id}/cancel`, { reason: '项目取消' }));
      const lines = await linesOf(a.order.id);
      expect(lines.map((l) => [l.charge, l.amount_fen, l.invoice_id])).toEqual([
        ['order', a.order.total.amount, null],
        ['cancellation', -a.order.total.amount, null],
      ]);
      await expectMoneyConsistent(t.db);
    } finally {
      if (before[0]) await setTerms(before[0].terms, before[0].due_days);
      else await t.db.pool.query(`DELETE FROM customer_billing_terms WHERE customer_org_id = $1`, [sme2Org]);
    }
  });
});

describe('paid events', () => {
  const course = (organiserOrgId: string, feeFen: number, seats = 1) => ({
    organiserOrgId,
    kind: 'course',
    titleZh: '盐雾试验方法培训（收费）',
    titleEn: 'Salt-spray testing (paid)',
    regionCode: '320500',
    feeFen,
    sessions: [{ startsAt: '2026-12-03T01:00:00Z', endsAt: '2026-12-03T05:00:00Z', seats }],
  });

  async function published(who: string, body: object) {
    const e = ok<{ id: string; sessions: { id: string }[] }>(await call()(who, 'POST', '/v1/events', body), 201);
    ok(await call()(who, 'POST', `/v1/events/${e.id}/publish`));
    return { id: e.id, session: e.sessions[0]!.id };
  }
  const register = async (who: string, session: string) =>
    ok<{ id: string; status: string }>(await call()(who, 'POST', `/v1/event-sessions/${session}/registrations`), 201);
  const leave = async (who: string, session: string) =>
    ok(await call()(who, 'DELETE', `/v1/event-sessions/${session}/registrations/me`));

  it('bills the organiser’s fee to the registrant’s organisation; cancelling credits it; the promoted one is billed', async () => {
    const e = await published(tk.lab, course(labId, 50_000));
    const first = await register(tk.sme, e.session);
    const second = await register(tk.sme2, e.session);
    expect([first.status, second.status]).toEqual(['registered', 'waitlisted']);
    const [seat] = await linesOf(first.id);
    expect(seat).toMatchObject({ lab_id: labId, customer_org_id: smeOrg, charge: 'registration', amount_fen: 50_000 });
    expect(await linesOf(second.id)).toEqual([]);

    await leave(tk.sme, e.session);
    const [, back] = await linesOf(first.id);
    expect(back).toMatchObject({ charge: 'registration_cancelled', amount_fen: -50_000 });
    const note = await invoice(back!.invoice_id!, tk.sme);
    expect(note).toMatchObject({ kind: 'credit_note', creditsInvoiceId: seat!.invoice_id });
    expect(await linesOf(second.id)).toMatchObject([
      { lab_id: labId, customer_org_id: sme2Org, charge: 'registration', amount_fen: 50_000 },
    ]);
    await expectMoneyConsistent(t.db);
  });

  it('a platform’s own event is the platform’s revenue, in its own book', async () => {
    const e = await published(tk.admin, course(platformId, 20_000, 10));
    const r = await register(tk.sme, e.session);
    const [line] = await linesOf(r.id);
    expect(line).toMatchObject({ lab_id: platformId, customer_org_id: smeOrg, amount_fen: 20_000 });
    const inv = await invoice(line!.invoice_id!, tk.sme);
    expect(inv.labId).toBe(platformId);
    const { rows } = await t.db.pool.query(
      `SELECT DISTINCT book_org_id FROM ledger_transactions WHERE source_id IN ($1, $2)`,
      [r.id, inv.id],
    );
    expect(rows).toEqual([{ book_org_id: platformId }]);
    await expectMoneyConsistent(t.db);
  });

  it('cancelling credits what was billed, even when the organiser changed the fee since', async () => {
    const e = await published(tk.lab, course(labId, 30_000, 5));
    const r = await register(tk.sme, e.session);
    ok(await call()(tk.lab, 'PATCH', `/v1/events/${e.id}`, { feeFen: 0 }));
    await leave(tk.sme, e.session);
    expect((await linesOf(r.id)).map((l) => [l.charge, l.amount_fen])).toEqual([
      ['registration', 30_000],
      ['registration_cancelled', -30_000],
    ]);
    await expectMoneyConsistent(t.db);
  });

  it('the organiser cancelling while seats change hands: every seat billed for it is credited, no deadlock', async () => {
    for (let round = 0; round < 4; round++) {
      const e = await published(tk.lab, course(labId, 10_000 + round, 1));
      const url = `/v1/event-sessions/${e.session}/registrations`;
      await register(tk.sme, e.session);
      await register(tk.sme2, e.session); // waitlisted: promoted when sme leaves
      const cancel = () => call()(tk.lab, 'POST', `/v1/events/${e.id}/cancel`);
      const leaving = () => call()(tk.sme, 'DELETE', `${url}/me`);
      const joining = () => call()(tk.lab2, 'POST', url);
      const [x, y, z] =
        round % 2 === 0
          ? await Promise.all([cancel(), leaving(), joining()])
          : await Promise.all([joining(), leaving(), cancel()]);
      const [cancelled, left, joined] = round % 2 === 0 ? [x, y, z] : [z, y, x];
      expect([cancelled.statusCode, left.statusCode], cancelled.body + left.body).toEqual([200, 200]);
      expect([201, 409], joined.body).toContain(joined.statusCode);
      const { rows } = await t.db.pool.query<{ source_id: string; net: number }>(
        `SELECT l.source_id, SUM(l.amount_fen)::int AS net FROM invoice_lines l
           JOIN event_registrations r ON r.id = l.source_id JOIN event_sessions s ON s.id = r.session_id
          WHERE s.event_id = $1 GROUP BY l.source_id HAVING SUM(l.amount_fen) <> 0`,
        [e.id],
      );
      expect(rows, `round ${round}`).toEqual([]);
    }
    await expectMoneyConsistent(t.db);
  });

  it('the organiser cancelling a paid event credits every seat it billed', async () => {
    const e = await published(tk.lab, course(labId, 40_000, 5));
    const r = await register(tk.sme, e.session);
    ok(await call()(tk.lab, 'POST', `/v1/events/${e.id}/cancel`));
    expect((await linesOf(r.id)).map((l) => [l.charge, l.amount_fen])).toEqual([
      ['registration', 40_000],
      ['registration_cancelled', -40_000],
    ]);
    await expectMoneyConsistent(t.db);
  });
});
