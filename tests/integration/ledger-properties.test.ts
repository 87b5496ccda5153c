import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoices, type Invoice } from '@qihub/db';
import { releaseNoShows } from '@qihub/api/modules/bookings/no-shows';
import { charge, credit, recordPayment } from '@qihub/api/modules/invoices/index';
import { testClock, useSeededApp } from '../support/app.ts';
import { moneyViolations } from '../support/money-invariants.ts';
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
  receiveSamples,
  rentableInstruments,
  sendAcceptance,
  serviceId,
  setBookingPolicy,
  setUnitCount,
  signIn,
  USERS,
} from '../factories/index.ts';

/**
 * Property tests of slice 1's money promises (issue 11): any sequence of money events — orders
 * accepted with or without expedite, late reports, cancellations with fees, bookings checked out,
 * cancelled late, not shown up for, their fees waived, paid event seats taken, given back and
 * cancelled by the organiser, payments short of, equal to and beyond what is due — keeps every
 * journal balanced, every invoice's receivable equal to what is left of it, every customer's
 * unbilled equal to its lines on no invoice, numbers gapless, and the trial balances even. Then
 * exactly-once under concurrency, retries and rollbacks.
 */
const BASE = '2026-11-26T02:00:00Z';
const clock = testClock(new Date(BASE));
const t = useSeededApp({ clock });
const call = () => api(t.app);

type Who = 'sme' | 'sme2';
let tk: Record<'sme' | 'sme2' | 'lab' | 'admin', string>;
let labId: string;
let platformId: string;
let pool: string[];
let saltSpray: string;
let noSample: string;
const desk = bookingDesk<{ id: string; status: string }>(t, () => tk.lab);

beforeAll(async () => {
  labId = (await aLab(t).allowingManyHolds().withDefaultOrderTerms().create()).id;
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'admin']);
  // The bookings run into January 2027: the sessions outlive the clock's jumps.
  await t.db.pool.query(`UPDATE sessions SET expires_at = '2030-01-01T00:00:00Z'`);
  platformId = await orgOf(t.db, USERS.admin);
  pool = await rentableInstruments(t.db, labId);
  for (const id of pool) {
    await setUnitCount(t.db, id, 1);
    await setBookingPolicy(t.db, id, { requires_approval: false, lead_minutes: 0 });
  }
  // Late cancellations and no-shows pile up violations: the blacklist has its own tests.
  await t.db.pool.query(`UPDATE lab_booking_settings SET violation_threshold = 100000 WHERE lab_id = $1`, [labId]);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  noSample = await aNoSampleService(t.db, labId);
});

/** Working days from Monday 30 November 2026 into January 2027 (past New Year: numbers restart). */
const DAYS = [
  ...['11-30', '12-01', '12-02', '12-03', '12-04', '12-07', '12-08', '12-09', '12-10', '12-11', '12-14', '12-15']
    .concat(['12-16', '12-17', '12-18', '12-21', '12-22', '12-23', '12-24', '12-25', '12-28', '12-29', '12-30'])
    .map((d) => `2026-${d}`),
  ...['01-04', '01-05', '01-06', '01-07', '01-08', '01-11', '01-12', '01-13', '01-14', '01-15'].map((d) => `2027-${d}`),
];
const HOURS = ['01', '03', '05', '07'];
let nextSlot = 0;
/** A two-hour slot of its own (09:00–17:00 in Shanghai), striding over both years, on rotating instruments. */
function slot() {
  const i = nextSlot++;
  const day = DAYS[(i * 5) % DAYS.length]!; // 5 and the 33 days share no factor: every day before any repeats
  const h = HOURS[Math.floor(i / DAYS.length) % HOURS.length]!;
  const start = new Date(`${day}T${h}:00:00Z`);
  return { instrument: pool[i % pool.length]!, start, end: new Date(start.getTime() + 2 * 3_600_000) };
}
const iso = (d: Date, plusMinutes = 0) => new Date(d.getTime() + plusMinutes * 60_000).toISOString();

type Command =
  | { t: 'order'; who: Who; expedite: boolean; paid: boolean; then: 'none' | 'late' | 'cancel' | 'cancelLate' }
  | {
      t: 'booking';
      who: Who;
      paid: boolean;
      outcome: 'checkout' | 'lateCancel' | 'freeCancel' | 'noShow' | 'waived';
      over: number;
    }
  | { t: 'terms'; monthly: boolean }
  | { t: 'event'; platform: boolean; fee: number; then: 'keep' | 'leave' | 'feeChanged' | 'cancelled' }
  | { t: 'pay'; pick: number; how: 'part' | 'exact' | 'over'; bank: boolean };

const who = fc.constantFrom<Who>('sme', 'sme2');
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    t: fc.constant('order' as const),
    who,
    expedite: fc.boolean(),
    paid: fc.boolean(),
    then: fc.constantFrom('none', 'late', 'cancel', 'cancelLate' as const),
  }),
  fc.record({
    t: fc.constant('booking' as const),
    who,
    paid: fc.boolean(),
    outcome: fc.constantFrom('checkout', 'lateCancel', 'freeCancel', 'noShow', 'waived' as const),
    over: fc.integer({ min: -60, max: 90 }),
  }),
  fc.record({
    t: fc.constant('event' as const),
    platform: fc.boolean(),
    fee: fc.integer({ min: 1, max: 200_000 }),
    then: fc.constantFrom('keep', 'leave', 'feeChanged', 'cancelled' as const),
  }),
  fc.record({ t: fc.constant('terms' as const), monthly: fc.boolean() }),
  fc.record({
    t: fc.constant('pay' as const),
    pick: fc.nat(),
    how: fc.constantFrom('part', 'exact', 'over' as const),
    bank: fc.boolean(),
  }),
);

async function runOrder(c: Extract<Command, { t: 'order' }>) {
  const parties = { customer: tk[c.who], lab: tk.lab, labId };
  const needsSamples = c.then === 'cancelLate' || c.then === 'cancel';
  const q = await anOrder(t, parties)
    .ofService(needsSamples ? saltSpray : noSample, needsSamples ? 24 : 1)
    .quoted();
  const a = await acceptQuote(t, tk[c.who], q, c.expedite ? { expedite: 'h8' } : { deadlineTierDays: 15 });
  if (c.paid) await payInFull(a.order.id);
  if (c.then === 'late') {
    await atTime(clock, iso(clock.now, (c.expedite ? 9 : 1) * 60), async () =>
      ok(await call()(tk.lab, 'POST', `/v1/orders/${a.order.id}/deliver`)),
    );
  } else if (c.then === 'cancel' || c.then === 'cancelLate') {
    if (c.then === 'cancelLate') await receiveSamples(t, tk.lab, a);
    ok(await call()(tk[c.who], 'POST', `/v1/orders/${a.order.id}/cancel`, { reason: '项目取消' }));
  }
}

async function runBooking(c: Extract<Command, { t: 'booking' }>) {
  const s = slot();
  const me = tk[c.who];
  const b = await desk.booked(me, s.instrument, s.start.toISOString(), s.end.toISOString());
  await desk.acted(me, b.id, 'confirm');
  switch (c.outcome) {
    case 'checkout':
      await atTime(clock, iso(s.start), () => desk.acted(me, b.id, 'check-in'));
      await atTime(clock, iso(s.end, c.over), () => desk.acted(me, b.id, 'check-out'));
      return;
    case 'freeCancel':
      await desk.acted(me, b.id, 'cancel');
      return;
    case 'lateCancel':
    case 'waived':
      await atTime(clock, iso(s.start, -120), () => desk.acted(me, b.id, 'cancel'));
      if (c.paid) await payInFull(b.id);
      if (c.outcome === 'waived') {
        const other = tk[c.who === 'sme' ? 'sme2' : 'sme'];
        const from = iso(s.start, c.over > 0 ? 60 : 0);
        await atTime(clock, iso(s.start, -90), async () => {
          const again = await desk.booked(other, s.instrument, from, s.end.toISOString());
          await desk.acted(other, again.id, 'confirm');
        });
      }
      return;
    case 'noShow':
      await releaseNoShows(t.db.db, new Date(s.start.getTime() + 61 * 60_000));
      expect((await desk.view(b.id)).status).toBe('no_show');
  }
}

let eventDay = 0;
async function runEvent(c: Extract<Command, { t: 'event' }>) {
  const organiser = c.platform ? tk.admin : tk.lab;
  const startsAt = new Date(Date.parse('2026-12-01T06:00:00Z') + 86_400_000 * (eventDay++ % 40));
  const body = {
    organiserOrgId: c.platform ? platformId : labId,
    kind: 'course',
    titleZh: '收费培训',
    regionCode: '320500',
    feeFen: c.fee,
    sessions: [{ startsAt: startsAt.toISOString(), endsAt: iso(startsAt, 120), seats: 1 }],
  };
  const e = ok<{ id: string; sessions: { id: string }[] }>(await call()(organiser, 'POST', '/v1/events', body), 201);
  ok(await call()(organiser, 'POST', `/v1/events/${e.id}/publish`));
  const url = `/v1/event-sessions/${e.sessions[0]!.id}/registrations`;
  ok(await call()(tk.sme, 'POST', url), 201);
  ok(await call()(tk.sme2, 'POST', url), 201); // waitlisted
  if (c.then === 'feeChanged') ok(await call()(organiser, 'PATCH', `/v1/events/${e.id}`, { feeFen: c.fee >> 1 }));
  if (c.then === 'leave' || c.then === 'feeChanged') ok(await call()(tk.sme, 'DELETE', `${url}/me`));
  if (c.then === 'cancelled') ok(await call()(organiser, 'POST', `/v1/events/${e.id}/cancel`));
}

/** Locks the invoice and records a payment of `amount` as the lab's bank reports it. */
function pay(invoiceId: string, amount: number, at = clock.now) {
  return t.db.db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
    return recordPayment(tx, inv!, { amount, channel: 'bank_transfer', receivedOn: iso(at).slice(0, 10), at });
  });
}

/** Pays what is due on every invoice of the source's lines (over-paying by a little, at random). */
async function payInFull(sourceId: string) {
  const { rows } = await t.db.pool.query<{ id: string; due: number }>(
    `SELECT i.id, (total_fen - amount_paid_fen - amount_credited_fen - voucher_share_fen)::int AS due
       FROM invoices i WHERE i.kind = 'invoice' AND i.status IN ('open', 'partially_paid')
        AND i.id IN (SELECT invoice_id FROM invoice_lines WHERE source_id = $1)`,
    [sourceId],
  );
  for (const r of rows) await pay(r.id, r.due + (r.due % 3 === 0 ? 100 : 0));
}

/** sme2 on a monthly account with the lab (月结), or back on the lab's default terms. */
async function runTerms(c: Extract<Command, { t: 'terms' }>) {
  const sme2Org = await orgOf(t.db, USERS.sme2);
  await t.db.pool.query(
    `INSERT INTO customer_billing_terms (org_id, customer_org_id, terms) VALUES ($1, $2, $3)
       ON CONFLICT (org_id, customer_org_id) DO UPDATE SET terms = $3`,
    [labId, sme2Org, c.monthly ? 'monthly' : 'on_delivery'],
  );
}

let statementLine = 0;
async function runPay(c: Extract<Command, { t: 'pay' }>) {
  const { rows } = await t.db.pool.query<{ id: string; due: number; ref: string; lab: string }>(
    `SELECT id, (total_fen - amount_paid_fen - amount_credited_fen - voucher_share_fen)::int AS due,
            payment_reference AS ref, lab_id AS lab FROM invoices
      WHERE kind = 'invoice' AND status IN ('open', 'partially_paid') ORDER BY issued_at, number`,
  );
  if (rows.length === 0) return;
  const target = rows[c.pick % rows.length]!;
  const amount = c.how === 'part' ? Math.max(1, target.due >> 1) : c.how === 'exact' ? target.due : target.due + 12_345;
  if (!c.bank || target.lab !== labId) return pay(target.id, amount);
  // The lab uploads its bank statement: the line's remark names the invoice's reference.
  const sn = `PX${String(++statementLine).padStart(6, '0')}`;
  const csv = `交易日期,交易流水号,对方户名,摘要,收入金额\r\n${iso(clock.now).slice(0, 10)},${sn},客户,货款 ${target.ref},${(amount / 100).toFixed(2)}\r\n`;
  const res = await call()(tk.lab, 'POST', `/v1/labs/${labId}/bank-statements`, csv, {
    'content-type': 'text/csv; charset=utf-8',
  });
  expect(ok<{ matched: number }>(res).matched).toBe(1);
}

async function run(c: Command) {
  if (c.t === 'order') return runOrder(c);
  if (c.t === 'booking') return runBooking(c);
  if (c.t === 'event') return runEvent(c);
  if (c.t === 'terms') return runTerms(c);
  return runPay(c);
}

/** Both trial balances even, and every account's debit − credit in them = the sum of its entries. */
async function expectTrialBalances() {
  type TB = {
    accounts: {
      book: { id: string };
      code: string;
      counterparty: { id: string } | null;
      debit: Money;
      credit: Money;
    }[];
    totals: { debit: Money; credit: Money };
  };
  type Money = { amount: number };
  const period = 'from=2026-01-01&to=2027-12-31';
  const region = ok<TB>(await call()(tk.admin, 'GET', `/v1/admin/ledger/trial-balance?${period}`));
  const own = ok<TB>(await call()(tk.lab, 'GET', `/v1/labs/${labId}/ledger/trial-balance?${period}`));
  const { rows } = await t.db.pool.query<{ book: string; code: string; cp: string | null; sum: string }>(
    `SELECT a.book_org_id AS book, a.code, a.counterparty_org_id AS cp, SUM(e.amount_fen) AS sum
       FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id GROUP BY 1, 2, 3`,
  );
  const balance = new Map(rows.map((r) => [`${r.book}|${r.code}|${r.cp ?? ''}`, Number(r.sum)]));
  for (const tb of [region, own]) {
    expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
    for (const a of tb.accounts) {
      const key = `${a.book.id}|${a.code}|${a.counterparty?.id ?? ''}`;
      expect(a.debit.amount - a.credit.amount, key).toBe(balance.get(key));
    }
  }
  expect(own.accounts.every((a) => a.book.id === labId)).toBe(true);
  if (own.accounts.length > 0) expect(region.accounts.some((a) => a.book.id === labId)).toBe(true);
}

describe('any sequence of money events', () => {
  it('keeps the books balanced, every invoice’s receivable exact and the numbers gapless', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 7 }), async (commands) => {
        for (const c of commands) await run(c);
        expect(await moneyViolations(t.db)).toEqual([]);
        await expectTrialBalances();
      }),
      { numRuns: Number(process.env.MONEY_PROPERTY_RUNS ?? 7), endOnFailure: true },
    );
    // Over all the runs, each kind of event happened at least once.
    const { rows } = await t.db.pool.query<{ charge: string }>(
      `SELECT DISTINCT regexp_replace(charge, ':.*', '') AS charge FROM invoice_lines`,
    );
    expect(rows.length).toBeGreaterThan(3);
  }, 900_000);
});

describe('exactly once', () => {
  const input = (sourceId: string, amount = 12_300) => ({
    labId,
    customerOrgId: platformId,
    source: { kind: 'booking' as const, id: sourceId },
    charge: 'proof',
    descriptionZh: '测试收费',
    descriptionEn: 'Test charge',
    amount,
    at: new Date(BASE),
  });
  const counts = async (sourceId: string) => {
    const { rows } = await t.db.pool.query<{ lines: number; invoices: number; journals: number }>(
      `SELECT (SELECT count(*)::int FROM invoice_lines WHERE source_id = $1) AS lines,
              (SELECT count(DISTINCT invoice_id)::int FROM invoice_lines WHERE source_id = $1 AND invoice_id IS NOT NULL) AS invoices,
              (SELECT count(*)::int FROM ledger_transactions WHERE source_id = $1 OR source_id IN
                 (SELECT invoice_id FROM invoice_lines WHERE source_id = $1)) AS journals`,
      [sourceId],
    );
    return rows[0]!;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('charging the same (source, charge) twice, in turn or in two concurrent transactions, bills once', async () => {
    const id = randomUUID();
    const results = await Promise.all(
      [0, 1].map(() =>
        t.db.db.transaction(async (tx) => {
          const r = await charge(tx, input(id));
          await pause(100); // both inside their transaction at once
          return r;
        }),
      ),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await t.db.db.transaction((tx) => charge(tx, input(id)))).toBeUndefined();
    expect(await counts(id)).toEqual({ lines: 1, invoices: 1, journals: 1 });

    // Crediting it twice at once: one credit note.
    const back = { ...input(id), charge: 'proof_back', original: 'proof', reason: '测试' };
    const notes = await Promise.all(
      [0, 1].map(() => t.db.db.transaction((tx) => credit(tx, { ...back, amount: 5_000 }))),
    );
    expect(notes.filter((n) => n?.creditNote)).toHaveLength(1);
    expect(await counts(id)).toEqual({ lines: 2, invoices: 2, journals: 2 });
    expect(await moneyViolations(t.db)).toEqual([]);
  });

  it('a rolled-back transaction leaves no line, no invoice, no journal and no gap in the numbers', async () => {
    const lastSeq = async () =>
      (
        await t.db.pool.query<{ last: number }>(`SELECT last FROM invoice_counters WHERE org_id = $1 AND year = 2026`, [
          labId,
        ])
      ).rows[0]!.last;
    const before = await lastSeq();
    const id = randomUUID();
    await expect(
      t.db.db.transaction(async (tx) => {
        expect((await charge(tx, input(id)))?.invoice).toBeTruthy();
        throw new Error('the step failed after charging');
      }),
    ).rejects.toThrow(/after charging/);
    expect(await counts(id)).toEqual({ lines: 0, invoices: 0, journals: 0 });
    expect(await lastSeq()).toBe(before);
    const again = await t.db.db.transaction((tx) => charge(tx, input(id)));
    expect(again!.invoice!.seq).toBe(before + 1);
    expect(await moneyViolations(t.db)).toEqual([]);
  });

  it('an order accepted twice at once is invoiced once', async () => {
    const q = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(noSample).quoted();
    const answers = await Promise.all([0, 1].map(() => sendAcceptance(t, tk.sme, q)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const { rows } = await t.db.pool.query(`SELECT invoice_id FROM invoice_lines WHERE source_id = $1`, [q.order.id]);
    expect(rows).toHaveLength(1);
    expect(await moneyViolations(t.db)).toEqual([]);
  });

  it('two payments of the whole amount at once: one pays it, the other becomes the customer’s credit', async () => {
    const id = randomUUID();
    const { invoice } = (await t.db.db.transaction((tx) => charge(tx, input(id, 9_900))))!;
    const after = await Promise.all([pay(invoice!.id, 9_900), pay(invoice!.id, 9_900)]);
    expect(after.map((i: Invoice) => i.status)).toEqual(['paid', 'paid']);
    const { rows } = await t.db.pool.query<{ sum: string }>(
      `SELECT SUM(e.amount_fen) AS sum FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
        WHERE a.book_org_id = $1 AND a.code = 'customer_credit' AND a.counterparty_org_id = $2`,
      [labId, platformId],
    );
    expect(Number(rows[0]!.sum)).toBe(-9_900);
    // The next invoice to that customer is paid from the credit at once.
    const next = (await t.db.db.transaction((tx) => charge(tx, input(randomUUID(), 4_000))))!;
    expect(next.invoice).toMatchObject({ status: 'paid', amountPaidFen: 4_000 });
    expect(await moneyViolations(t.db)).toEqual([]);
  });
  /**
   * Applying the customer's credit reads its balance; two invoices of one issuer are serialised by
   * the (issuer, year) counter row, but not across a year boundary: the credit must still be spent
   * once (an advisory lock per issuer and customer in invoices/billing.ts).
   */
  it('customer credit is spent once, even by invoices of two years issued at once', async () => {
    const customer = await orgOf(t.db, USERS.lab2);
    const { invoice } = (await t.db.db.transaction((tx) =>
      charge(tx, { ...input(randomUUID()), customerOrgId: customer }),
    ))!;
    await pay(invoice!.id, invoice!.totalFen + 5_000); // 5,000 of credit
    await Promise.all(
      ['2026-12-31T10:00:00Z', '2027-01-04T02:00:00Z'].map((at) =>
        t.db.db.transaction(async (tx) => {
          await charge(tx, { ...input(randomUUID(), 8_000), customerOrgId: customer, at: new Date(at) });
          await pause(200);
        }),
      ),
    );
    expect(await moneyViolations(t.db)).toEqual([]);
  });
});
