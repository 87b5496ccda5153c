import { beforeAll, describe, expect, it } from 'vitest';
import { recomputeDiscrepancies } from '@qihub/api/modules/reconciliation/index';
import { expectProblem } from '../support/app.ts';
import { expectMoneyConsistent } from '../support/money-invariants.ts';
import { useCardWorld } from '../support/stripe-world.ts';
import { ok } from '../factories/index.ts';

/**
 * Card money after the payment, on Stripe's side (issue 11): refunds made in Stripe's dashboard,
 * the application fee given back, payouts to the lab's bank, the platform's own fee income, and
 * the reconciliation's Stripe detectors. Every event only says "look again": delivered three times,
 * late, or before the API's own answer, each refund, fee refund and payout is booked exactly once.
 */
const w = await useCardWorld();
const { fake, clock, t, q, anInvoice, invoice, deliver, processEvents, checkout, trialBalanced } = w;
let accountId: string;
let region: string;
const RATE_BP = 300;

beforeAll(async () => {
  accountId = await w.connectLab();
  const [lab] = await q<{ region_code: string }>(`SELECT region_code FROM organisations WHERE id = $1`, [w.labId]);
  region = lab!.region_code;
  // A 3 % service fee: Stripe takes it at source as the application fee.
  ok(await w.call(w.tk.admin, 'PUT', `/v1/admin/fee-rates/${region}`, { rateBp: RATE_BP }));
});

/** Delivers each event `times` times (signed, as Stripe would), then runs the processing jobs. */
async function deliverAll(events: Record<string, unknown>[], times = 1) {
  for (let i = 0; i < times; i++) for (const e of events) expect((await deliver(e)).statusCode).toBe(200);
  await processEvents();
}

/** An invoice of `amount` fen paid by card (webhooks processed); answers it with its PaymentIntent. */
async function paidByCard(amount: number) {
  const id = await anInvoice(amount);
  const { sessionId } = await checkout(id);
  await deliverAll(fake.completeSession(sessionId));
  expect((await invoice(id)).status).toBe('paid');
  return { id, pi: String(fake.sessions.get(sessionId)!.payment_intent) };
}

async function journals(where: string, params: unknown[]) {
  return q<{ kind: string; book: string; code: string; amount: string }>(
    `SELECT t.kind, t.book_org_id AS book, a.code, e.amount_fen AS amount
       FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
       JOIN ledger_accounts a ON a.id = e.account_id
      WHERE ${where} ORDER BY t.created_at, t.kind, a.code`,
    params,
  );
}

const refundRows = (invoiceId: string) =>
  q<{ status: string; amount_fen: string; external_id: string | null; requested_by: string | null }>(
    `SELECT status, amount_fen, external_id, requested_by FROM card_refunds WHERE invoice_id = $1 ORDER BY created_at`,
    [invoiceId],
  );

const refundJournals = async (invoiceId: string) =>
  (
    await q(
      `SELECT 1 FROM ledger_transactions WHERE kind = 'refund' AND source_kind = 'card_refund'
        AND source_id IN (SELECT id FROM card_refunds WHERE invoice_id = $1)`,
      [invoiceId],
    )
  ).length;

describe('the platform’s fee income', () => {
  it('is booked in the book of the platform covering the lab, as the lab books its expense', async () => {
    const { id } = await paidByCard(20_000);
    const [pay] = await q<{ payment_id: string; fee_fen: string }>(
      `SELECT payment_id, fee_fen FROM card_payments WHERE invoice_id = $1`,
      [id],
    );
    expect(pay!.fee_fen).toBe('600');
    const rows = await journals(`t.source_kind = 'payment' AND t.source_id = $1 AND t.kind <> 'payment'`, [
      pay!.payment_id,
    ]);
    const income = rows.filter((r) => r.kind === 'fee_income');
    expect(income.map((r) => [r.code, r.amount])).toEqual([
      ['fee_revenue', '-600'],
      ['processor_clearing', '600'],
    ]);
    expect(rows.filter((r) => r.kind === 'platform_fee').map((r) => [r.book, r.code, r.amount])).toEqual([
      [w.labId, 'platform_fee_expense', '600'],
      [w.labId, 'processor_clearing', '-600'],
    ]);
    // The platform's book is the most specific active platform whose region covers the lab's.
    const [book] = await q<{ kind: string; region_code: string }>(
      `SELECT kind, region_code FROM organisations WHERE id = $1`,
      [income[0]!.book],
    );
    expect(book!.kind).toBe('platform');
    const prefix = (code: string) =>
      code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
    const platforms = await q<{ region_code: string }>(
      `SELECT region_code FROM organisations WHERE kind = 'platform' AND status = 'active'`,
    );
    const covering = platforms
      .map((p) => prefix(p.region_code))
      .filter((p) => region.startsWith(p))
      .sort((a, b) => b.length - a.length);
    expect(prefix(book!.region_code)).toBe(covering[0]);
    await expectMoneyConsistent(t.db);
  });
});

describe('a refund made in Stripe’s dashboard', () => {
  it('is re-read from Stripe and booked once, however often its events arrive; the fee given back reverses both books', async () => {
    const { id, pi } = await paidByCard(10_000);
    const { refund, events } = fake.refundInDashboard(pi, { amount: 4_000, refundApplicationFee: true });
    expect(events.map((e) => e.type)).toEqual(['refund.created', 'charge.refunded']);
    // Three deliveries of each, newest first: one refund row, one reversal.
    await deliverAll([...events].reverse(), 3);
    const inv = await invoice(id);
    expect(inv.status).toBe('partially_paid');
    expect(inv.amountDue.amount).toBe(4_000);
    expect(await refundRows(id)).toEqual([
      { status: 'succeeded', amount_fen: '4000', external_id: refund.id, requested_by: null },
    ]);
    expect(await refundJournals(id)).toBe(1);
    // 3 % of 10,000 is 300; 4,000 of it refunded gives 120 of the fee back.
    const [cp] = await q<{ refunded_fen: string; fee_refunded_fen: string; payment_id: string }>(
      `SELECT refunded_fen, fee_refunded_fen, payment_id FROM card_payments WHERE external_id = $1`,
      [pi],
    );
    expect(cp).toMatchObject({ refunded_fen: '4000', fee_refunded_fen: '120' });
    const back = await journals(`t.kind IN ('platform_fee_refund', 'fee_income_refund') AND t.source_id = $1`, [
      cp!.payment_id,
    ]);
    expect(back.map((r) => [r.kind, r.book === w.labId ? 'lab' : 'platform', r.code, r.amount])).toEqual([
      ['fee_income_refund', 'platform', 'fee_revenue', '120'],
      ['fee_income_refund', 'platform', 'processor_clearing', '-120'],
      ['platform_fee_refund', 'lab', 'platform_fee_expense', '-120'],
      ['platform_fee_refund', 'lab', 'processor_clearing', '120'],
    ]);
    const outcomes = await q<{ outcome: string }>(
      `SELECT DISTINCT outcome FROM processor_events
        WHERE object_id IN ($1, $2) AND type IN ('refund.created', 'charge.refunded') ORDER BY outcome`,
      [refund.id, fake.paymentIntents.get(pi)!.latest_charge],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['refund_known', 'refund_recorded']);

    // The rest, without the fee: refunded in full, the invoice open for all of it again.
    await deliverAll(fake.refundInDashboard(pi).events, 3);
    expect((await invoice(id)).amountDue.amount).toBe(10_000);
    expect((await invoice(id)).status).toBe('open');
    expect(await refundJournals(id)).toBe(2);
    // Nothing left to refund through QIHub either.
    expectProblem(
      await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 1, currency: 'CNY' } }),
      422,
      'refund_exceeds_paid',
    );
    await trialBalanced();
    await expectMoneyConsistent(t.db);
  });

  it('a pending refund is booked only when it succeeds, whichever of its events comes first', async () => {
    const { id, pi } = await paidByCard(5_000);
    const { refund, events } = fake.refundInDashboard(pi, { amount: 1_500, pending: true });
    await deliverAll(events);
    expect(await refundRows(id)).toEqual([]);
    expect((await invoice(id)).status).toBe('paid');
    const later = fake.settleRefund(String(refund.id));
    expect(later.map((e) => e.type)).toEqual(['refund.updated', 'charge.refunded']);
    await deliverAll([...later.reverse(), ...events], 2);
    expect(await refundRows(id)).toHaveLength(1);
    expect(await refundJournals(id)).toBe(1);
    expect((await invoice(id)).amountDue.amount).toBe(1_500);
    await expectMoneyConsistent(t.db);
  });
});

describe('a refund made through QIHub, and its events', () => {
  it('its events after the API answered find it booked: nothing more', async () => {
    const { id } = await paidByCard(7_000);
    const before = fake.events.length;
    ok(await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 2_000, currency: 'CNY' } }));
    const events = fake.events.slice(before);
    expect(events.map((e) => e.type)).toEqual(['refund.created', 'charge.refunded']);
    await deliverAll(events, 3);
    expect(await refundRows(id)).toHaveLength(1);
    expect(await refundJournals(id)).toBe(1);
    expect((await invoice(id)).amountDue.amount).toBe(2_000);
    await expectMoneyConsistent(t.db);
  });

  it('its events before the API’s answer (lost) complete the same refund; the retry books nothing more', async () => {
    const { id } = await paidByCard(9_000);
    const before = fake.events.length;
    fake.inject({ kind: '500-after', method: 'POST', path: /^\/v1\/refunds$/ });
    const body = { amount: { amount: 3_000, currency: 'CNY' } };
    expectProblem(await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, body), 502, 'processor_unavailable');
    const [pending] = await refundRows(id);
    expect(pending).toMatchObject({ status: 'pending', external_id: null });
    // Stripe made it and says so; the webhook is processed before anyone retries.
    const events = fake.events.slice(before);
    await deliverAll(events, 3);
    const [done] = await refundRows(id);
    expect(done).toMatchObject({ status: 'succeeded', amount_fen: '3000' });
    expect(done!.requested_by).not.toBeNull();
    expect(await refundJournals(id)).toBe(1);
    // The manager never saw it succeed: the retry replays Stripe's answer and finds it completed
    // (no second refund at Stripe, no second reversal).
    const retried = ok<{ status: string; externalId: string }>(
      await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, body),
    );
    expect(retried).toMatchObject({ status: 'succeeded', externalId: done!.external_id });
    expect(
      [...fake.refunds.values()].filter(
        (r) => r.payment_intent === fake.refunds.get(done!.external_id!)!.payment_intent,
      ),
    ).toHaveLength(1);
    // Answered now: a new request is a new refund.
    ok(await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 100, currency: 'CNY' } }));
    expect(await refundRows(id)).toHaveLength(2);
    await deliverAll(fake.events.slice(-2));
    await deliverAll(events);
    expect(await refundRows(id)).toHaveLength(2);
    expect(await refundJournals(id)).toBe(2);
    expect((await invoice(id)).amountDue.amount).toBe(3_100);
    await trialBalanced();
    await expectMoneyConsistent(t.db);
  });
});

describe('a refund through QIHub beyond what Stripe has left', () => {
  it('after a dashboard refund not yet booked: refused (422), marked failed, and the next refund is not blocked', async () => {
    const { id, pi } = await paidByCard(6_000);
    const { events } = fake.refundInDashboard(pi, { amount: 5_000 });
    const body = { amount: { amount: 2_000, currency: 'CNY' } };
    expectProblem(await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, body), 422, 'processor_refused');
    expect(await refundRows(id)).toMatchObject([{ status: 'failed', external_id: null }]);
    expect(await refundJournals(id)).toBe(0);
    await deliverAll(events);
    ok(await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 1_000, currency: 'CNY' } }));
    expect((await invoice(id)).status).toBe('open');
    expect(await refundJournals(id)).toBe(2);
    await expectMoneyConsistent(t.db);
  });
});

describe('payouts to the lab’s bank', () => {
  const payoutJournals = (externalId: string) =>
    journals(`t.source_kind = 'payout' AND t.source_id = (SELECT id FROM payouts WHERE external_id = $1)`, [
      externalId,
    ]);

  it('paid: Dr bank, Cr processor clearing once; failed afterwards: reversed once', async () => {
    const { payout, events } = fake.payout(accountId, 12_345);
    await deliverAll(events, 3);
    const [row] = await q<{ status: string; amount_fen: string; lab_id: string; arrival_date: string | null }>(
      `SELECT status, amount_fen, lab_id, arrival_date::text FROM payouts WHERE external_id = $1`,
      [payout.id],
    );
    expect(row).toMatchObject({ status: 'paid', amount_fen: '12345', lab_id: w.labId });
    expect(row!.arrival_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await payoutJournals(String(payout.id))).map((r) => [r.kind, r.book, r.code, r.amount])).toEqual([
      ['payout', w.labId, 'bank', '12345'],
      ['payout', w.labId, 'processor_clearing', '-12345'],
    ]);
    const failed = fake.failPayout(String(payout.id));
    // The bank returned it; the old payout.paid arrives again after the failure.
    await deliverAll([...failed, ...events], 3);
    const after = await payoutJournals(String(payout.id));
    expect(after.map((r) => [r.kind, r.code, r.amount])).toEqual([
      ['payout', 'bank', '12345'],
      ['payout', 'processor_clearing', '-12345'],
      ['payout_reversal', 'bank', '-12345'],
      ['payout_reversal', 'processor_clearing', '12345'],
    ]);
    await trialBalanced();
    await expectMoneyConsistent(t.db);
  });

  it('failed before its paid event was processed: never booked, whatever the order', async () => {
    const { payout, events } = fake.payout(accountId, 5_000);
    const failed = fake.failPayout(String(payout.id));
    await deliverAll([...failed, ...events.reverse()], 3);
    const [row] = await q<{ status: string; booked_at: Date | null }>(
      `SELECT status, booked_at FROM payouts WHERE external_id = $1`,
      [payout.id],
    );
    expect(row).toEqual({ status: 'failed', booked_at: null });
    expect(await payoutJournals(String(payout.id))).toEqual([]);
    await expectMoneyConsistent(t.db);
  });
});

describe('reconciliation: money at Stripe with no ledger entry', () => {
  const stripeKinds = ['stripe_payment_unrecorded', 'stripe_refund_unrecorded', 'stripe_payout_unbooked'];
  const current = async () =>
    q<{ kind: string; lab_id: string; subject_kind: string }>(
      `SELECT kind, lab_id, subject_kind FROM reconciliation_discrepancies
        WHERE kind = ANY($1) AND cleared_at IS NULL ORDER BY kind`,
      [stripeKinds],
    );
  const recompute = () => recomputeDiscrepancies({ db: t.db.db, clock: () => clock.now });

  it('a payment, a refund and a payout whose events were stored but not booked for hours; cleared once booked', async () => {
    await processEvents();
    // A paid session, a dashboard refund of an earlier payment and a payout: events stored, jobs not run.
    const { pi } = await paidByCard(3_000);
    const id = await anInvoice(4_000);
    const { sessionId } = await checkout(id);
    const stuck = [
      ...fake.completeSession(sessionId),
      ...fake.refundInDashboard(pi, { amount: 1_000 }).events,
      ...fake.payout(accountId, 2_000).events,
    ];
    for (const e of stuck) ok(await deliver(e));
    await recompute();
    expect(await current()).toEqual([]);

    clock.advance(7 * 3_600_000);
    await recompute();
    expect(await current()).toEqual([
      { kind: 'stripe_payment_unrecorded', lab_id: w.labId, subject_kind: 'stripe_payment' },
      { kind: 'stripe_payout_unbooked', lab_id: w.labId, subject_kind: 'payout' },
      { kind: 'stripe_refund_unrecorded', lab_id: w.labId, subject_kind: 'stripe_refund' },
    ]);
    // Running again changes nothing.
    expect(await recompute()).toMatchObject({ inserted: 0 });

    await processEvents();
    await recompute();
    expect(await current()).toEqual([]);
    const cleared = await q(
      `SELECT 1 FROM reconciliation_discrepancies WHERE kind = ANY($1) AND cleared_at IS NOT NULL`,
      [stripeKinds],
    );
    expect(cleared).toHaveLength(3);
  });

  it('a stored payout paid in a currency the books are not kept in stays a discrepancy', async () => {
    const { payout, events } = fake.payout(accountId, 800);
    fake.payouts.get(String(payout.id))!.currency = 'usd';
    await deliverAll(events);
    const [row] = await q<{ status: string; booked_at: Date | null }>(
      `SELECT status, booked_at FROM payouts WHERE external_id = $1`,
      [payout.id],
    );
    expect(row).toEqual({ status: 'paid', booked_at: null });
    await recompute();
    expect((await current()).map((d) => d.kind)).toEqual(['stripe_payout_unbooked']);
  });

  it('a succeeded payment that pays no invoice of the lab is reported; one the processor says failed is not', async () => {
    await processEvents();
    clock.advance(60_000);
    const id = await anInvoice(2_500);
    const { sessionId } = await checkout(id);
    const events = fake.completeSession(sessionId);
    // Another lab's invoice id in the metadata: the payment is the lab's money but on no invoice of its.
    const pi = fake.paymentIntents.get(String(fake.sessions.get(sessionId)!.payment_intent))!;
    pi.metadata = { invoiceId: '00000000-0000-4000-8000-000000000000' };
    fake.sessions.get(sessionId)!.metadata = { invoiceId: '00000000-0000-4000-8000-000000000000' };
    await deliverAll(events);
    expect((await invoice(id)).status).toBe('open');
    // A signed event the processor does not bear out (the session is unpaid when re-read).
    const unpaid = await anInvoice(2_600);
    const { sessionId: open } = await checkout(unpaid);
    const forged = {
      id: `evt_forged_${open}`,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(clock.now.getTime() / 1000),
      account: accountId,
      data: {
        object: { id: open, object: 'checkout.session', payment_intent: 'pi_never_paid', payment_status: 'paid' },
      },
    };
    await deliverAll([forged]);
    clock.advance(7 * 3_600_000);
    await recompute();
    const found = await q<{ subject_id: string }>(
      `SELECT subject_id FROM reconciliation_discrepancies WHERE kind = 'stripe_payment_unrecorded' AND cleared_at IS NULL`,
    );
    expect(found).toHaveLength(1);
    const [expected] = await q<{ id: string }>(`SELECT md5($1 || ':' || $2)::uuid::text AS id`, [accountId, pi.id]);
    expect(found[0]!.subject_id).toBe(expected!.id);
  });
});
