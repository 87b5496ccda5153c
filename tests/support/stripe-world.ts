import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '@qihub/api';
import { createJobHandlers, createRegistry, type JobRegistry } from '@qihub/api/jobs';
import { charge } from '@qihub/api/modules/invoices/index';
import { api, ok, orgOf, signIn, USERS, aLab } from '../factories/index.ts';
import { testClock, useSeededApp } from './app.ts';
import { startStripeFake, type StripeFake } from './stripe-fake.ts';

export interface InvoiceView {
  id: string;
  status: string;
  total: { amount: number };
  amountDue: { amount: number };
}

/**
 * A seeded app pointed at a fresh Stripe fake, with the payment jobs, and helpers that read like
 * the card flow: invoices charged as the hooks do, checkout, signed deliveries, the processing job.
 * Call at the top of a test file (it starts the fake with top-level await).
 */
export async function useCardWorld() {
  const clock = testClock(new Date('2026-11-26T02:00:00Z'));
  // The fake stamps its objects and events on the same test clock as the API, never the real one.
  const fake: StripeFake = await startStripeFake({ now: () => clock.now });
  const t = useSeededApp({ clock, env: fake.env });
  afterAll(() => fake.close());
  async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await t.db.pool.query(sql, params)).rows as T[];
  }
  const w: {
    tk: { sme: string; sme2: string; lab: string; lab2: string; admin: string };
    labId: string;
    smeOrg: string;
    call: ReturnType<typeof api>;
    jobs: JobRegistry;
  } = {
    tk: {} as { sme: string; sme2: string; lab: string; lab2: string; admin: string },
    labId: '',
    smeOrg: '',
    call: undefined as unknown as ReturnType<typeof api>,
    jobs: undefined as unknown as JobRegistry,
  };
  const settings = loadConfig({ NODE_ENV: 'test', ...fake.env }).stripe!;
  const helpers = {
    fake,
    clock,
    t,
    settings,
    get tk() {
      return w.tk;
    },
    get labId() {
      return w.labId;
    },
    get call() {
      return w.call;
    },
    get jobs() {
      return w.jobs;
    },
    q,
    /** Fresh open invoices of these amounts (fen) from the lab to the SME, charged as the hooks do. */
    invoices: (amounts: number[]): Promise<string[]> =>
      t.db.db.transaction(async (tx) => {
        const ids: string[] = [];
        for (const amount of amounts) {
          const res = await charge(tx, {
            labId: w.labId,
            customerOrgId: w.smeOrg,
            source: { kind: 'booking', id: randomUUID() },
            charge: 'use',
            descriptionZh: '测试用机时',
            descriptionEn: 'Test instrument time',
            amount,
            at: clock.now,
          });
          if (!res?.invoice) throw new Error('no invoice (monthly terms?)');
          ids.push(res.invoice.id);
        }
        return ids;
      }),
    anInvoice: async (amount: number): Promise<string> => (await helpers.invoices([amount]))[0]!,
    invoice: async (id: string, who = w.tk.sme) => ok<InvoiceView>(await w.call(who, 'GET', `/v1/invoices/${id}`)),
    deliver(event: Record<string, unknown>, secret?: string) {
      const { payload, header } = fake.sign(event, secret);
      return t.app.inject({
        method: 'POST',
        url: '/v1/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        payload,
      });
    },
    /** Runs the processing job of every stored event not yet processed (what the relay would queue). */
    async processEvents(concurrency = 1) {
      const pending = await q<{ id: string }>(
        `SELECT id FROM processor_events WHERE processed_at IS NULL ORDER BY random()`,
      );
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < pending.length) {
            const { id } = pending[next++]!;
            await w.jobs.run('payments.process-event', { eventId: id }, { jobId: `payments.process-event_${id}` });
          }
        }),
      );
      return pending.length;
    },
    checkout: async (invoiceId: string) =>
      ok<{ url: string; sessionId: string }>(await w.call(w.tk.sme, 'POST', `/v1/invoices/${invoiceId}/checkout`)),
    /** The lab connects its Stripe account and finishes onboarding; answers the account id. */
    async connectLab() {
      const { accountId } = ok<{ accountId: string }>(
        await w.call(w.tk.lab, 'POST', `/v1/labs/${w.labId}/stripe/onboarding`),
      );
      fake.enableAccount(accountId);
      return accountId;
    },
    async trialBalanced() {
      const tb = ok<{ totals: { debit: { amount: number }; credit: { amount: number } } }>(
        await w.call(w.tk.lab, 'GET', `/v1/labs/${w.labId}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
      );
      expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
      return tb;
    },
  };
  beforeAll(async () => {
    w.call = api(t.app);
    w.labId = (await aLab(t).withDefaultOrderTerms().create()).id;
    w.smeOrg = await orgOf(t.db, USERS.sme);
    w.tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin']);
    w.jobs = createRegistry(
      createJobHandlers({ db: t.db.db, dispatch: async () => undefined, clock: () => clock.now, stripe: settings }),
    );
  });
  return helpers;
}
