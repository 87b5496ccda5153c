import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from '../support/app.ts';
import { useCardWorld } from '../support/stripe-world.ts';
import type { Decline } from '../support/stripe-fake-cards.ts';
import {
  api,
  atTime,
  bookingDesk,
  ok,
  orgOf,
  rentableInstruments,
  setBookingPolicy,
  setUnitCount,
  signIn,
  USERS,
} from '../factories/index.ts';

/**
 * A card on file (issue 11): a customer saves a card with a lab once (Checkout in setup mode on the
 * lab's connected account, stored only from the verified webhook and a re-read), and the lab's
 * booking charges — actual use at check-out, a late-cancellation fee — are made off-session by a job
 * after commit, exactly once per invoice, booked by the webhook like every card payment; a decline
 * leaves the invoice open and tells the customer. Against the local Stripe fake.
 */
const w = await useCardWorld();
const { fake, clock, t, q, deliver, processEvents } = w;
let tk: typeof w.tk;
let labId: string;
let call: typeof w.call;
let smeOrg: string;
let sme2Org: string;
let pool: string[];

interface Booking {
  id: string;
  status: string;
  billed: { amount: number } | null;
  cancellationFee: { amount: number } | null;
}
interface Card {
  id: string;
  labId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}
const desk = bookingDesk<Booking>(t, () => tk.lab);

beforeAll(async () => {
  ({ tk, labId, call } = w);
  [smeOrg, sme2Org] = await Promise.all([orgOf(t.db, USERS.sme), orgOf(t.db, USERS.sme2)]);
  pool = await rentableInstruments(t.db, labId);
  for (const id of pool) {
    await setUnitCount(t.db, id, 1);
    await setBookingPolicy(t.db, id, { requires_approval: false, lead_minutes: 0 });
  }
});

const counts = async () =>
  (
    await q<{ customers: number; cards: number; charges: number; attempts: number }>(
      `SELECT (SELECT count(*)::int FROM processor_customers) customers,
              (SELECT count(*)::int FROM saved_cards) cards,
              (SELECT count(*)::int FROM off_session_charges) charges,
              (SELECT count(*)::int FROM processor_attempts) attempts`,
    )
  )[0]!;

async function deliverAll(events: Record<string, unknown>[]) {
  for (const e of events) expect((await deliver(e)).statusCode).toBe(200);
  await processEvents();
}

/** The SME saves a card with the lab on the hosted setup page; the webhook stores it. */
async function saveCard(card: { last4?: string; decline?: Decline } = {}) {
  const started = ok<{ url: string; sessionId: string }>(
    await call(tk.sme, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg, returnTo: '/invoices' }),
  );
  await deliverAll(fake.completeSetup(started.sessionId, card));
  return started;
}

const cardsOf = async (who = tk.sme, org = smeOrg) =>
  ok<{ items: Card[]; nextCursor: null }>(await call(who, 'GET', `/v1/orgs/${org}/cards`)).items;

async function confirmed(start: string, end: string, at: string, instrument = pool[0]!) {
  return atTime(clock, at, async () => {
    const b = await desk.booked(tk.sme, instrument, start, end);
    return desk.acted(tk.sme, b.id, 'confirm');
  });
}

async function invoiceOfBooking(bookingId: string, charge: string) {
  const [row] = await q<{ invoice_id: string }>(
    `SELECT invoice_id FROM invoice_lines WHERE source_id = $1 AND charge = $2`,
    [bookingId, charge],
  );
  return row!.invoice_id;
}

/** Runs the off-session charge job as the relay would (payload and job id from the outbox row). */
async function runChargeJob(invoiceId: string) {
  const [row] = await q<{ dedupe_key: string }>(
    `SELECT dedupe_key FROM outbox WHERE topic = 'payments.charge-saved-card' AND payload->>'invoiceId' = $1`,
    [invoiceId],
  );
  expect(row, 'the check-out queued the charge').toBeDefined();
  return w.jobs.run('payments.charge-saved-card', { invoiceId }, { jobId: row!.dedupe_key.replace(/:/g, '_') });
}

const intentsFor = (invoiceId: string) =>
  [...fake.paymentIntents.values()].filter((pi) => (pi.metadata as { invoiceId?: string }).invoiceId === invoiceId);
const status = async (invoiceId: string) => (await w.invoice(invoiceId)).status;
const offSession = async (invoiceId: string) =>
  (
    await q<{ status: string; failure_code: string | null; payment_intent_id: string | null }>(
      `SELECT status, failure_code, payment_intent_id FROM off_session_charges WHERE invoice_id = $1`,
      [invoiceId],
    )
  )[0];

describe('without STRIPE_SECRET_KEY (the embedded default)', () => {
  it('no card can be saved: the endpoints say so clearly and nothing changes', async () => {
    const plain = await buildTestApp(t.db, { clock });
    try {
      const before = await counts();
      const [sme] = Object.values(await signIn(plain, ['sme']));
      const p = api(plain);
      expectProblem(await p(sme!, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg }), 422, 'card_not_offered');
      expect(ok(await p(sme!, 'GET', `/v1/labs/${labId}/card-on-file?orgId=${smeOrg}`))).toEqual({
        available: false,
        reason: 'card_not_offered',
        card: null,
      });
      expect(ok(await p(sme!, 'GET', `/v1/orgs/${smeOrg}/cards`))).toEqual({ items: [], nextCursor: null });
      expect(await counts()).toEqual(before);
      expect(fake.requests).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe('saving a card with a lab', () => {
  it('is refused while the lab cannot take cards, then stored from the webhook only', async () => {
    expectProblem(
      await call(tk.sme, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg }),
      422,
      'lab_cannot_take_cards',
    );
    const accountId = await w.connectLab();
    expect(
      ok<{ available: boolean }>(await call(tk.sme, 'GET', `/v1/labs/${labId}/card-on-file?orgId=${smeOrg}`)),
    ).toMatchObject({ available: true, reason: null, card: null });

    const started = ok<{ url: string; sessionId: string }>(
      await call(tk.sme, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg, returnTo: '/invoices' }),
    );
    const session = fake.sessions.get(started.sessionId)!;
    expect(session).toMatchObject({ account: accountId, mode: 'setup' });
    expect(session.success_url).toMatch(/\/invoices\?card=saved$/);
    const customer = fake.customers.get(String(session.customer))!;
    expect(customer).toMatchObject({ account: accountId, metadata: { orgId: smeOrg, labId } });
    // The Customer was created under a key persisted first.
    const customerCall = fake.requests.find((r) => r.path === '/v1/customers')!;
    expect(customerCall.idempotencyKey).toBe(`customer:${accountId}:${smeOrg}`);
    expect(
      await q(`SELECT 1 FROM processor_attempts WHERE idempotency_key = $1`, [customerCall.idempotencyKey]),
    ).toHaveLength(1);

    // The browser coming back stores nothing; the verified webhook plus a re-read does.
    const events = fake.completeSetup(started.sessionId, {
      brand: 'unionpay',
      last4: '6222',
      expMonth: 8,
      expYear: 2031,
    });
    expect(await cardsOf()).toEqual([]);
    await deliverAll(events);
    const [card, ...more] = await cardsOf();
    expect(more).toEqual([]);
    expect(card).toMatchObject({ labId, brand: 'unionpay', last4: '6222', expMonth: 8, expYear: 2031 });
    const stored = await q(`SELECT * FROM saved_cards WHERE id = $1`, [card!.id]);
    expect(JSON.stringify(stored)).not.toMatch(/"card"|cvc|number/);

    // Events again (late, twice): nothing more.
    await deliverAll(events.map((e) => ({ ...e, id: `${String(e.id)}_again` })));
    expect(await cardsOf()).toHaveLength(1);

    // A second setup uses the same Customer; the new card replaces the old one.
    await saveCard({ last4: '4444' });
    expect(fake.customers.size).toBe(1);
    const now = await cardsOf();
    expect(now.map((c) => c.last4)).toEqual(['4444']);
    expect(
      ok<{ card: Card }>(await call(tk.sme, 'GET', `/v1/labs/${labId}/card-on-file?orgId=${smeOrg}`)).card.last4,
    ).toBe('4444');
  });

  it('another organisation neither sees nor removes it (404), a stranger is 401, and bad values change nothing', async () => {
    const [card] = await cardsOf();
    const before = await counts();
    expectProblem(await call(tk.sme2, 'GET', `/v1/orgs/${smeOrg}/cards`), 404, 'not_found');
    expectProblem(await call(tk.lab, 'GET', `/v1/orgs/${smeOrg}/cards`), 404, 'not_found');
    expectProblem(await call(tk.sme2, 'DELETE', `/v1/orgs/${smeOrg}/cards/${card!.id}`), 404, 'not_found');
    expectProblem(await call(tk.sme2, 'DELETE', `/v1/orgs/${sme2Org}/cards/${card!.id}`), 404, 'not_found');
    expectProblem(await call(tk.sme2, 'GET', `/v1/labs/${labId}/card-on-file?orgId=${smeOrg}`), 404, 'not_found');
    expectProblem(await call(tk.sme2, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg }), 404, 'not_found');
    expect(await cardsOf(tk.sme2, sme2Org)).toEqual([]);
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/orgs/${smeOrg}/cards` }), 401, 'unauthenticated');
    expectProblem(
      await call(tk.sme, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg, returnTo: '//evil.example/x' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await call(tk.sme, 'POST', `/v1/labs/${labId}/card-setup`, { orgId: smeOrg, cvc: '123' }),
      400,
      'validation_failed',
    );
    expect(await counts()).toEqual(before);
    expect(await cardsOf()).toHaveLength(1);
  });
});

describe('off-session charges', () => {
  it('a check-out is charged to the card once — a job run twice and a 500 after the charge change nothing', async () => {
    const b = await confirmed('2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z', '2026-11-26T02:00:00Z');
    await atTime(clock, '2026-11-27T02:00:00Z', () => desk.acted(tk.sme, b.id, 'check-in'));
    const done = await atTime(clock, '2026-11-27T03:00:00Z', () => desk.acted(tk.sme, b.id, 'check-out'));
    const inv = await invoiceOfBooking(b.id, 'use');
    // The check-out itself asked the processor nothing: the charge is a job after commit.
    expect(intentsFor(inv)).toEqual([]);
    expect(await status(inv)).toBe('open');

    fake.inject({ kind: '500-after', method: 'POST', path: /^\/v1\/payment_intents$/ });
    await expect(runChargeJob(inv)).rejects.toThrow();
    expect(intentsFor(inv)).toHaveLength(1); // charged, but the answer was lost
    expect((await offSession(inv))!.status).toBe('pending');
    await runChargeJob(inv); // the retry sends the same key and gets the same answer
    await runChargeJob(inv); // and a third run asks nothing
    const asked = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents');
    expect(asked.map((r) => r.idempotencyKey)).toEqual([`off-session:${inv}`, `off-session:${inv}`]);
    expect(asked.map((r) => r.replayed)).toEqual([false, true]);
    const [pi, ...others] = intentsFor(inv);
    expect(others).toEqual([]);
    expect(pi).toMatchObject({ status: 'succeeded', amount: done.billed!.amount, customer: expect.any(String) });
    expect(await offSession(inv)).toMatchObject({ status: 'succeeded', payment_intent_id: pi!.id });

    // Booked only by the webhook (re-read); a repeat books nothing more.
    expect(await status(inv)).toBe('open');
    const events = fake.events.filter((e) => (e.data as { object: { id?: string } }).object.id === pi!.id);
    await deliverAll(events);
    await deliverAll(events.map((e) => ({ ...e, id: `${e.id}_again` })));
    expect(await status(inv)).toBe('paid');
    expect(await q(`SELECT external_id FROM card_payments WHERE invoice_id = $1`, [inv])).toEqual([
      { external_id: pi!.id },
    ]);
    await w.trialBalanced();
  });

  it('a declined card leaves the invoice open, records why, and tells the customer to pay another way', async () => {
    await saveCard({ last4: '0002', decline: 'card_declined' });
    const b = await confirmed('2026-11-27T05:00:00Z', '2026-11-27T06:00:00Z', '2026-11-26T02:00:00Z');
    await atTime(clock, '2026-11-27T05:00:00Z', () => desk.acted(tk.sme, b.id, 'check-in'));
    await atTime(clock, '2026-11-27T06:00:00Z', () => desk.acted(tk.sme, b.id, 'check-out'));
    const inv = await invoiceOfBooking(b.id, 'use');
    await runChargeJob(inv);
    await runChargeJob(inv);
    expect(intentsFor(inv)).toHaveLength(1);
    expect(await offSession(inv)).toMatchObject({ status: 'failed', failure_code: 'card_declined' });
    await deliverAll(fake.events.filter((e) => e.type.startsWith('payment_intent.')));
    expect(await status(inv)).toBe('open');
    const notes = await q<{ title_zh: string; link: string }>(
      `SELECT n.title_zh, n.link FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.kind = 'card_charge_failed' AND u.email = $1`,
      [USERS.sme],
    );
    expect(notes).toEqual([{ title_zh: expect.stringContaining('自动扣款未成功'), link: `/invoices/${inv}` }]);
    // The customer can still pay another way: the invoice offers card checkout and bank transfer.
    expect(ok<{ methods: string[] }>(await call(tk.sme, 'GET', `/v1/invoices/${inv}/payment-methods`)).methods).toEqual(
      ['bank_transfer', 'voucher', 'card'],
    );
  });

  it('a late-cancellation fee is charged the same way; a removed card is never charged', async () => {
    await saveCard({ last4: '1881' });
    const b = await confirmed('2026-11-27T06:00:00Z', '2026-11-27T07:00:00Z', '2026-11-26T02:00:00Z', pool[1]);
    const cancelled = await atTime(clock, '2026-11-26T14:00:00Z', () => desk.acted(tk.sme, b.id, 'cancel'));
    expect(cancelled.cancellationFee!.amount).toBeGreaterThan(0);
    const inv = await invoiceOfBooking(b.id, 'late_cancellation');
    await runChargeJob(inv);
    const [pi] = intentsFor(inv);
    expect(pi).toMatchObject({ status: 'succeeded', amount: cancelled.cancellationFee!.amount });
    await deliverAll(fake.events.filter((e) => (e.data as { object: { id?: string } }).object.id === pi!.id));
    expect(await status(inv)).toBe('paid');

    // Removed: detached at the processor, gone from the list; the next check-out is not charged.
    const [card] = await cardsOf();
    const res = await call(tk.sme, 'DELETE', `/v1/orgs/${smeOrg}/cards/${card!.id}`);
    expect(res.statusCode).toBe(204);
    const pm = [...fake.paymentMethods.values()].find((m) => (m.card as { last4: string }).last4 === '1881')!;
    expect(pm.customer).toBeNull();
    expect(await cardsOf()).toEqual([]);
    expectProblem(await call(tk.sme, 'DELETE', `/v1/orgs/${smeOrg}/cards/${card!.id}`), 404, 'not_found');
    const later = await confirmed('2026-11-27T07:30:00Z', '2026-11-27T08:30:00Z', '2026-11-26T02:00:00Z', pool[1]);
    await atTime(clock, '2026-11-27T07:30:00Z', () => desk.acted(tk.sme, later.id, 'check-in'));
    await atTime(clock, '2026-11-27T08:30:00Z', () => desk.acted(tk.sme, later.id, 'check-out'));
    const unpaid = await invoiceOfBooking(later.id, 'use');
    await runChargeJob(unpaid);
    expect(intentsFor(unpaid)).toEqual([]);
    expect(await offSession(unpaid)).toBeUndefined();
    expect(await status(unpaid)).toBe('open');
  });
});
