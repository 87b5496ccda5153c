import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@qihub/api';
import { buildTestApp, expectProblem } from '../support/app.ts';
import { useCardWorld } from '../support/stripe-world.ts';
import { anOrder, api, ok, serviceId, signIn } from '../factories/index.ts';

/**
 * Card payments through Stripe Connect direct charges (issue 11), against a local stateful fake of
 * the Stripe API: the invoice turns paid only from a verified webhook plus a re-read of the object
 * on the lab's connected account; events late, twice and out of order converge; a lost answer is
 * retried with the persisted idempotency key and never charges or refunds twice.
 */
const w = await useCardWorld();
const { fake, clock, t, q, anInvoice, invoice, deliver, processEvents, checkout, trialBalanced } = w;
let tk: typeof w.tk;
let labId: string;
let accountId: string;
let call: typeof w.call;
let jobs: typeof w.jobs;
beforeAll(() => {
  ({ tk, labId, call, jobs } = w);
});

interface InvoiceView {
  id: string;
  status: string;
  amountDue: { amount: number };
}

describe('without STRIPE_SECRET_KEY (the embedded default)', () => {
  it('offers bank transfer and vouchers only; card endpoints say so and the webhook does not exist', async () => {
    const plain = await buildTestApp(t.db, { clock });
    try {
      const id = await anInvoice(12_000);
      const [sme] = Object.values(await signIn(plain, ['sme']));
      const [lab] = Object.values(await signIn(plain, ['lab']));
      const p = api(plain);
      expect(ok<{ methods: string[] }>(await p(sme!, 'GET', `/v1/invoices/${id}/payment-methods`)).methods).toEqual([
        'bank_transfer',
        'voucher',
      ]);
      expectProblem(await p(sme!, 'POST', `/v1/invoices/${id}/checkout`), 422, 'card_not_offered');
      expectProblem(await p(lab!, 'POST', `/v1/labs/${labId}/stripe/onboarding`), 422, 'card_not_offered');
      expect(ok<{ offered: boolean }>(await p(lab!, 'GET', `/v1/labs/${labId}/stripe`)).offered).toBe(false);
      const { payload, header } = fake.sign({ id: 'evt_x', object: 'event', type: 'ping', data: { object: {} } });
      const res = await plain.inject({
        method: 'POST',
        url: '/v1/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        payload,
      });
      expectProblem(res, 404, 'not_found');
    } finally {
      await plain.close();
    }
  });
});

describe('Connect onboarding', () => {
  it('creates the lab’s connected account once and answers a link; only its managers may', async () => {
    const first = ok<{ accountId: string; url: string; chargesEnabled: boolean }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/stripe/onboarding`),
    );
    const again = ok<{ accountId: string; url: string }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/stripe/onboarding`),
    );
    expect(again.accountId).toBe(first.accountId);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/connect\/onboarding\//);
    expect(first.chargesEnabled).toBe(false);
    expect(fake.accounts.size).toBe(1);
    accountId = first.accountId;
    expectProblem(await call(tk.lab2, 'POST', `/v1/labs/${labId}/stripe/onboarding`), 404, 'not_found');
    expectProblem(await call(tk.sme, 'POST', `/v1/labs/${labId}/stripe/onboarding`), 404, 'not_found');
    expectProblem(await call(tk.sme, 'GET', `/v1/labs/${labId}/stripe`), 404, 'not_found');

    // Not able to charge yet: no card offered, checkout refused.
    const id = await anInvoice(5_000);
    expect(
      ok<{ methods: string[] }>(await call(tk.sme, 'GET', `/v1/invoices/${id}/payment-methods`)).methods,
    ).not.toContain('card');
    expectProblem(await call(tk.sme, 'POST', `/v1/invoices/${id}/checkout`), 422, 'lab_cannot_take_cards');

    // The status page reads payouts and what is still due from the processor; the fee is the region's.
    const before = ok<{ account: { payoutsEnabled: boolean; requirementsDue: string[] } }>(
      await call(tk.lab, 'GET', `/v1/labs/${labId}/stripe`),
    );
    expect(before.account.payoutsEnabled).toBe(false);
    expect(before.account.requirementsDue).toContain('external_account');
    // The onboarding page comes back to 财务 → 银行卡 (return) or asks for a new link there (refresh).
    // (The fake's onboarding page: leaving it goes to return_url; the used link then goes to refresh_url.)
    const left = await fetch(first.url, {
      method: 'POST',
      body: new URLSearchParams({ action: 'later' }),
      redirect: 'manual',
    });
    expect(left.status).toBe(303);
    expect(left.headers.get('location')).toMatch(new RegExp(`/console/finance/card\\?lab=${labId}&return=1$`));
    const reused = await fetch(first.url, { redirect: 'manual' });
    expect(reused.headers.get('location')).toMatch(new RegExp(`/console/finance/card\\?lab=${labId}&refresh=1$`));

    fake.enableAccount(accountId);
    const status = ok<{ offered: boolean; account: { id: string; chargesEnabled: boolean } }>(
      await call(tk.lab, 'GET', `/v1/labs/${labId}/stripe`),
    );
    expect(status).toEqual({
      offered: true,
      feeRateBp: 0,
      account: {
        id: accountId,
        chargesEnabled: true,
        detailsSubmitted: true,
        payoutsEnabled: true,
        requirementsDue: [],
      },
    });
    // The processor not answering: the stored status, and payouts and requirements unknown.
    fake.inject({ kind: '500-after', method: 'GET', path: /^\/v1\/accounts\//, times: 1 });
    const offline = ok<{ account: Record<string, unknown> }>(await call(tk.lab, 'GET', `/v1/labs/${labId}/stripe`));
    expect(offline.account).toEqual({
      id: accountId,
      chargesEnabled: true,
      detailsSubmitted: true,
      payoutsEnabled: null,
      requirementsDue: null,
    });
    expect(
      ok<{ methods: string[] }>(await call(tk.sme, 'GET', `/v1/invoices/${id}/payment-methods`)).methods,
    ).toContain('card');
  });
});

describe('checkout end to end', () => {
  it('a direct charge on the lab’s account for the amount due; paid only after the verified webhook and the job', async () => {
    const saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
    await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).accepted();
    const list = ok<{ items: (InvoiceView & { lines: { source: { kind: string } }[] })[] }>(
      await call(tk.sme, 'GET', `/v1/invoices?limit=5&status=open`),
    );
    const inv = list.items.find((i) => i.lines.some((l) => l.source.kind === 'order'))!;
    expect(inv).toBeDefined();

    const started = await checkout(inv.id);
    const session = fake.sessions.get(started.sessionId)!;
    expect(session.account).toBe(accountId);
    expect(session.amount_total).toBe(inv.amountDue.amount);
    expect(session.metadata).toMatchObject({ invoiceId: inv.id });
    expect(session.success_url).toMatch(new RegExp(`/invoices/${inv.id}\\?paid=1$`));
    expect(started.url).toBe(session.url);
    // Asking again for the same amount answers the same session: one payment page, not two.
    expect((await checkout(inv.id)).sessionId).toBe(started.sessionId);
    // Others: another enterprise does not see it; the issuing lab does not pay it.
    expectProblem(await call(tk.sme2, 'POST', `/v1/invoices/${inv.id}/checkout`), 404, 'not_found');
    expectProblem(await call(tk.lab, 'POST', `/v1/invoices/${inv.id}/checkout`), 403, 'forbidden');
    expectProblem(await call(tk.sme2, 'GET', `/v1/invoices/${inv.id}/payment-methods`), 404, 'not_found');

    // The customer pays on the hosted page and comes back to success_url: nothing changes.
    const events = fake.completeSession(started.sessionId);
    expect((await invoice(inv.id)).status).toBe('open');

    // The webhook is stored and acknowledged at once; the job does the rest.
    for (const e of events) expect(ok<{ received: boolean }>(await deliver(e)).received).toBe(true);
    expect((await invoice(inv.id)).status).toBe('open');
    const queued = await q(`SELECT 1 FROM outbox WHERE topic = 'payments.process-event'`);
    expect(queued.length).toBeGreaterThanOrEqual(events.length);
    await processEvents();
    const paid = await invoice(inv.id);
    expect(paid.status).toBe('paid');
    expect(paid.amountDue.amount).toBe(0);
    const payments = await q<{ channel: string; amount_fen: string; external_id: string }>(
      `SELECT channel, amount_fen, external_id FROM payments WHERE invoice_id = $1`,
      [inv.id],
    );
    expect(payments).toEqual([
      { channel: 'card', amount_fen: String(inv.amountDue.amount), external_id: session.payment_intent },
    ]);
    // Paid: nothing more to start.
    expectProblem(await call(tk.sme, 'POST', `/v1/invoices/${inv.id}/checkout`), 409, 'invoice_not_open');
    await trialBalanced();
  });

  it('a correctly signed event that the processor does not bear out pays nothing (the re-read decides)', async () => {
    const id = await anInvoice(8_800);
    const { sessionId } = await checkout(id);
    const forged = {
      id: `evt_forged_${randomUUID()}`,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(clock.now.getTime() / 1000),
      account: accountId,
      data: {
        object: { id: sessionId, object: 'checkout.session', payment_status: 'paid', metadata: { invoiceId: id } },
      },
    };
    ok(await deliver(forged));
    await processEvents();
    expect((await invoice(id)).status).toBe('open');
    const [ev] = await q<{ outcome: string }>(`SELECT outcome FROM processor_events WHERE id = $1`, [forged.id]);
    expect(ev!.outcome).toBe('pending');
  });
});

describe('webhook signature', () => {
  it('a wrong secret, a tampered body or no signature → 400, nothing stored or queued', async () => {
    const id = await anInvoice(3_300);
    const { sessionId } = await checkout(id);
    const [event] = fake.completeSession(sessionId);
    const before = await q(`SELECT (SELECT count(*) FROM processor_events) e, (SELECT count(*) FROM outbox) o`);
    expectProblem(await deliver(event!, 'whsec_not_the_secret'), 400, 'webhook_signature_invalid');
    const { payload, header } = fake.sign(event!);
    const tampered = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload: payload.replace('"livemode":false', '"livemode":true'),
    });
    expectProblem(tampered, 400, 'webhook_signature_invalid');
    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectProblem(unsigned, 400, 'webhook_signature_invalid');
    expect(await q(`SELECT (SELECT count(*) FROM processor_events) e, (SELECT count(*) FROM outbox) o`)).toEqual(
      before,
    );
    // The session was paid though: the daily sweep finds the events that never arrived.
    await jobs.run('payments.events-sweep', {}, { jobId: 'sweep-1' });
    await processEvents();
    expect((await invoice(id)).status).toBe('paid');
    const via = await q<{ via: string }>(
      `SELECT DISTINCT via FROM processor_events WHERE account = $1 AND object_id = $2`,
      [accountId, sessionId],
    );
    expect(via).toEqual([{ via: 'sweep' }]);
  });
});

describe('faults at the processor never charge or refund twice', () => {
  it('a dropped answer to the session create: 502, and the retry (same persisted key) gets the same session', async () => {
    const id = await anInvoice(4_400);
    // The SDK itself retries a closed connection once (with the same key): drop both.
    fake.inject({ kind: 'drop', method: 'POST', path: /^\/v1\/checkout\/sessions$/, times: 2 });
    expectProblem(await call(tk.sme, 'POST', `/v1/invoices/${id}/checkout`), 502, 'processor_unavailable');
    const made = [...fake.sessions.values()].filter((s) => (s.metadata as { invoiceId?: string }).invoiceId === id);
    expect(made).toHaveLength(1);
    fake.inject({ kind: 'slow', method: 'POST', path: /^\/v1\/checkout\/sessions$/, delayMs: 300 });
    const retried = await checkout(id);
    expect(retried.sessionId).toBe(made[0]!.id);
    const sent = fake.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.account === accountId).slice(-3);
    expect(new Set(sent.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(sent.map((r) => r.replayed)).toEqual([false, true, true]);
  });

  it('a 500 after the refund was made: the retry replays it; one refund at Stripe, one reversal in the books', async () => {
    const id = await anInvoice(10_000);
    const { sessionId } = await checkout(id);
    for (const e of fake.completeSession(sessionId)) ok(await deliver(e));
    await processEvents();
    expect((await invoice(id)).status).toBe('paid');

    expectProblem(
      await call(tk.sme, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 100, currency: 'CNY' } }),
      403,
      'forbidden',
    );
    expectProblem(
      await call(tk.lab2, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 100, currency: 'CNY' } }),
      404,
      'not_found',
    );
    expectProblem(
      await call(tk.lab, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 10_001, currency: 'CNY' } }),
      422,
      'refund_exceeds_paid',
    );

    fake.inject({ kind: '500-after', method: 'POST', path: /^\/v1\/refunds$/ });
    const body = { amount: { amount: 2_500, currency: 'CNY' } };
    expectProblem(await call(tk.lab, 'POST', `/v1/invoices/${id}/refunds`, body), 502, 'processor_unavailable');
    const pi = fake.sessions.get(sessionId)!.payment_intent;
    const atStripe = () => [...fake.refunds.values()].filter((r) => r.payment_intent === pi);
    expect(atStripe()).toHaveLength(1);
    // Another amount while one is in doubt is refused; the same amount retries it.
    expectProblem(
      await call(tk.lab, 'POST', `/v1/invoices/${id}/refunds`, { amount: { amount: 999, currency: 'CNY' } }),
      409,
      'refund_pending',
    );
    const done = ok<{ status: string; externalId: string }>(
      await call(tk.lab, 'POST', `/v1/invoices/${id}/refunds`, body),
    );
    expect(done.status).toBe('succeeded');
    expect(atStripe()).toHaveLength(1);
    expect(done.externalId).toBe(atStripe()[0]!.id);
    // The money went back: the invoice is owed again for that part, once.
    const after = await invoice(id);
    expect(after.status).toBe('partially_paid');
    expect(after.amountDue.amount).toBe(2_500);
    const reversals = await q(
      `SELECT 1 FROM ledger_transactions WHERE kind = 'refund' AND source_kind = 'card_refund'
      AND source_id IN (SELECT id FROM card_refunds WHERE invoice_id = $1)`,
      [id],
    );
    expect(reversals).toHaveLength(1);
    await trialBalanced();
  });
});

describe('a refund whose answer was lost', () => {
  it('is completed by the daily sweep with its own key: one refund at Stripe, one reversal', async () => {
    const id = await anInvoice(6_000);
    const { sessionId } = await checkout(id);
    for (const e of fake.completeSession(sessionId)) ok(await deliver(e));
    await processEvents();
    fake.inject({ kind: 'drop', method: 'POST', path: /^\/v1\/refunds$/, times: 2 });
    const body = { amount: { amount: 6_000, currency: 'CNY' } };
    expectProblem(await call(tk.lab, 'POST', `/v1/invoices/${id}/refunds`, body), 502, 'processor_unavailable');
    const pi = fake.sessions.get(sessionId)!.payment_intent;
    const atStripe = () => [...fake.refunds.values()].filter((r) => r.payment_intent === pi);
    expect(atStripe()).toHaveLength(1);
    // Nobody retries; ten minutes later the sweep does.
    clock.advance(11 * 60_000);
    await jobs.run('payments.events-sweep', {}, { jobId: 'sweep-refunds' });
    expect(atStripe()).toHaveLength(1);
    const [r] = await q<{ status: string; external_id: string }>(
      `SELECT status, external_id FROM card_refunds WHERE invoice_id = $1`,
      [id],
    );
    expect(r).toEqual({ status: 'succeeded', external_id: atStripe()[0]!.id });
    expect((await invoice(id)).status).toBe('open');
    await trialBalanced();
  });
});

describe('configuration', () => {
  it('splits STRIPE_API_BASE into host, port and protocol and wants the webhook secret with the key', () => {
    expect(loadConfig({ NODE_ENV: 'test', ...fake.env }).stripe!.api).toEqual({
      host: '127.0.0.1',
      port: Number(new URL(fake.url).port),
      protocol: 'http',
    });
    expect(
      loadConfig({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_abcdef' }).stripe!
        .api,
    ).toBeNull();
    expect(() => loadConfig({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(loadConfig({ NODE_ENV: 'test' }).stripe).toBeUndefined();
  });
});

describe('the platform fee', () => {
  it('is the region’s rate, taken at source as the application fee and booked as the lab’s fee expense', async () => {
    const [lab] = await q<{ region_code: string }>(`SELECT region_code FROM organisations WHERE id = $1`, [labId]);
    const region = lab!.region_code;
    expectProblem(await call(tk.lab, 'PUT', `/v1/admin/fee-rates/${region}`, { rateBp: 100 }), 403, 'forbidden');
    ok(await call(tk.admin, 'PUT', `/v1/admin/fee-rates/${region}`, { rateBp: 100 }));
    try {
      const id = await anInvoice(20_000);
      const { sessionId } = await checkout(id);
      expect(
        (fake.sessions.get(sessionId)!.payment_intent_data as { application_fee_amount?: string })
          .application_fee_amount,
      ).toBe('200');
      for (const e of fake.completeSession(sessionId)) ok(await deliver(e));
      await processEvents();
      expect((await invoice(id)).status).toBe('paid');
      const [fee] = await q<{ fee_fen: string }>(`SELECT fee_fen FROM card_payments WHERE invoice_id = $1`, [id]);
      expect(fee!.fee_fen).toBe('200');
      await trialBalanced();
    } finally {
      ok(await call(tk.admin, 'PUT', `/v1/admin/fee-rates/${region}`, { rateBp: 0 }));
    }
  });
});
