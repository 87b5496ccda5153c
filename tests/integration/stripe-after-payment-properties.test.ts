import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { moneyViolations } from '../support/money-invariants.ts';
import { useCardWorld } from '../support/stripe-world.ts';
import { ok } from '../factories/index.ts';

/**
 * A property of card money after the payment (issue 11): any mix of refunds through QIHub (some
 * with their answer lost), refunds in Stripe's dashboard (with or without the application fee),
 * payouts paid and failed — with their events delivered late, repeatedly and shuffled, processed
 * in between — ends with the books exactly as Stripe shows the money: each refund and payout booked
 * once, the invoice owed again for what was refunded, the fee given back reversed once, every
 * money promise holding and the lab's trial balance even.
 */
const w = await useCardWorld();
const { fake, q, anInvoice, invoice, deliver, processEvents, checkout, t } = w;
let accountId: string;

beforeAll(async () => {
  accountId = await w.connectLab();
  const [lab] = await q<{ region_code: string }>(`SELECT region_code FROM organisations WHERE id = $1`, [w.labId]);
  ok(await w.call(w.tk.admin, 'PUT', `/v1/admin/fee-rates/${lab!.region_code}`, { rateBp: 250 }));
});

type Op =
  | { t: 'api'; share: number; lost: boolean }
  | { t: 'dashboard'; share: number; fee: boolean; pending: boolean }
  | { t: 'settle' }
  | { t: 'payout'; amount: number }
  | { t: 'failPayout' }
  | { t: 'deliver'; pick: number; times: number; seed: number };

const share = fc.integer({ min: 1, max: 100 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('api' as const), share, lost: fc.boolean() }),
  fc.record({ t: fc.constant('dashboard' as const), share, fee: fc.boolean(), pending: fc.boolean() }),
  fc.record({ t: fc.constant('settle' as const) }),
  fc.record({ t: fc.constant('payout' as const), amount: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ t: fc.constant('failPayout' as const) }),
  fc.record({
    t: fc.constant('deliver' as const),
    pick: fc.integer({ min: 0, max: 100 }),
    times: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  }),
);

function shuffle<T>(xs: T[], seed: number): T[] {
  const a = [...xs];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('any mix of refunds and payouts, events late, repeated and shuffled', () => {
  it('books exactly what Stripe shows, once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 80_000 }),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        async (amount, ops) => {
          const id = await anInvoice(amount);
          const { sessionId } = await checkout(id);
          let pending = fake.completeSession(sessionId);
          const pi = String(fake.sessions.get(sessionId)!.payment_intent);
          const charge = () => fake.paymentIntents.get(pi)!.latest_charge as string;
          const refundsAtStripe = () => [...fake.refunds.values()].filter((r) => r.payment_intent === pi);
          const left = () =>
            amount - refundsAtStripe().reduce((s, r) => s + (r.status === 'failed' ? 0 : Number(r.amount)), 0);
          const payoutIds: string[] = [];
          const take = (before: number) => {
            pending = [...pending, ...fake.events.slice(before)];
          };
          for (const o of ops) {
            const before = fake.events.length;
            if (o.t === 'api' || o.t === 'dashboard') {
              const n = Math.max(1, Math.floor((left() * o.share) / 100));
              if (left() <= 0) continue;
              if (o.t === 'dashboard') {
                fake.refundInDashboard(pi, { amount: n, refundApplicationFee: o.fee, pending: o.pending });
              } else {
                // Refunds through QIHub need the payment recorded first.
                const recorded = await q(`SELECT 1 FROM card_payments WHERE external_id = $1`, [pi]);
                if (recorded.length === 0) continue;
                if (o.lost) fake.inject({ kind: '500-after', method: 'POST', path: /^\/v1\/refunds$/ });
                const res = await w.call(w.tk.lab, 'POST', `/v1/invoices/${id}/refunds`, {
                  amount: { amount: n, currency: 'CNY' },
                });
                fake.clearFaults();
                // Refused while another is in doubt, or beyond what QIHub has booked as paid: fine.
                expect([200, 409, 422, 502]).toContain(res.statusCode);
              }
            } else if (o.t === 'settle') {
              const p = refundsAtStripe().find((r) => r.status === 'pending');
              if (p) fake.settleRefund(String(p.id));
            } else if (o.t === 'payout') {
              payoutIds.push(String(fake.payout(accountId, o.amount).payout.id));
            } else if (o.t === 'failPayout') {
              const last = payoutIds.at(-1);
              if (last && fake.payouts.get(last)!.status === 'paid') fake.failPayout(last);
            } else {
              const now = shuffle(pending, o.seed).slice(0, Math.ceil((pending.length * o.pick) / 100));
              for (let i = 0; i < o.times; i++) for (const e of now) expect((await deliver(e)).statusCode).toBe(200);
              await processEvents(2);
            }
            take(before);
          }
          // Finally every event arrives (again), in some order.
          for (const e of shuffle(pending, amount)) expect((await deliver(e)).statusCode).toBe(200);
          await processEvents(2);

          const succeeded = refundsAtStripe().filter((r) => r.status === 'succeeded');
          const refunded = succeeded.reduce((s, r) => s + Number(r.amount), 0);
          const inv = await invoice(id);
          expect(inv.amountDue.amount).toBe(refunded);
          const rows = await q<{ external_id: string; status: string }>(
            `SELECT external_id, status FROM card_refunds WHERE invoice_id = $1 AND status = 'succeeded'`,
            [id],
          );
          expect(rows.map((r) => r.external_id).sort()).toEqual(succeeded.map((r) => String(r.id)).sort());
          const [cp] = await q<{ refunded_fen: string; fee_refunded_fen: string }>(
            `SELECT refunded_fen, fee_refunded_fen FROM card_payments WHERE external_id = $1`,
            [pi],
          );
          expect(Number(cp!.refunded_fen)).toBe(refunded);
          const fee = [...fake.applicationFees.values()].find((f) => f.charge === charge());
          expect(Number(cp!.fee_refunded_fen)).toBe(Number(fee?.amount_refunded ?? 0));
          for (const p of payoutIds) {
            const [row] = await q<{ status: string; booked: boolean; reversed: boolean }>(
              `SELECT status, booked_at IS NOT NULL AS booked, reversed_at IS NOT NULL AS reversed
                 FROM payouts WHERE external_id = $1`,
              [p],
            );
            expect(row!.status).toBe(fake.payouts.get(p)!.status);
            // Booked and still standing only if paid; a failed one is either never booked or reversed.
            expect(row!.booked && !row!.reversed).toBe(row!.status === 'paid');
          }
          expect(await moneyViolations(t.db)).toEqual([]);
          await w.trialBalanced();
        },
      ),
      { numRuns: Number(process.env.MONEY_PROPERTY_RUNS ?? 8), endOnFailure: true },
    );
  }, 900_000);
});
