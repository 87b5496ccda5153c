import type { JobPayload } from '../../jobs/contracts.ts';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { loadConfig, type StripeSettings } from '../../config.ts';
import type { PaymentProvider } from './port.ts';
import * as repo from './repository.ts';
import { retryPendingRefunds } from './refunds.ts';
import { chargeInvoiceOffSession, retryPendingOffSession } from './off-session.ts';
import { processEvent } from './settle.ts';
import { stripeProvider } from './stripe-adapter.ts';
import { storeEvent } from './webhooks.ts';

/** How far back the daily sweep lists events (Stripe keeps them 30 days). */
const SWEEP_LOOKBACK_MS = 3 * 24 * 3_600_000;

/** The processor for jobs: from the deps when given, else from the same environment the API reads. */
function settingsOf(deps: JobDeps): StripeSettings | null {
  if (deps.stripe !== undefined) return deps.stripe;
  try {
    return loadConfig().stripe ?? null;
  } catch {
    return null;
  }
}

/** Card payments: each stored webhook event is processed by a job; a daily sweep catches lost ones. */
export function paymentJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  let provider: PaymentProvider | null | undefined;
  const providerOf = () => {
    if (provider === undefined) {
      const settings = settingsOf(deps);
      provider = settings ? stripeProvider(settings) : null;
    }
    return provider;
  };
  return [
    {
      name: 'payments.process-event',
      // Idempotent: an event already processed is left alone, and a payment already recorded is not
      // recorded again (card_payments is keyed by the processor's payment id).
      handle: async (payload) => {
        const p = providerOf();
        if (!p) return;
        const { eventId } = payload as JobPayload<'payments.process-event'>;
        await processEvent({ db: deps.db, clock, provider: p }, eventId);
      },
    },
    {
      name: 'payments.charge-saved-card',
      // Idempotent: one off_session_charges row per invoice and one persisted idempotency key
      // (`off-session:<invoiceId>`), so a second run, a retry after a 500 or a second worker asks
      // the processor at most once; a processor that cannot be reached throws (BullMQ retries).
      handle: async (payload) => {
        const p = providerOf();
        if (!p) return;
        const { invoiceId } = payload as JobPayload<'payments.charge-saved-card'>;
        await chargeInvoiceOffSession({ db: deps.db, clock, provider: p }, invoiceId);
      },
    },
    {
      name: 'payments.events-sweep',
      // Lists the last days' events of every connected account and stores any the webhook never
      // delivered; storing queues their processing like a delivery would. Also retries refunds whose
      // answer was lost (with their persisted key, so nothing is refunded twice).
      handle: async () => {
        const p = providerOf();
        if (!p) return;
        await retryPendingRefunds({ db: deps.db, clock, provider: p });
        await retryPendingOffSession({ db: deps.db, clock, provider: p });
        const since = new Date(clock().getTime() - SWEEP_LOOKBACK_MS);
        for (const acct of await repo.allAccounts(deps.db)) {
          for (const e of await p.listEvents(acct.accountId, since)) {
            await storeEvent({ db: deps.db, clock }, e, 'sweep');
          }
        }
      },
    },
  ];
}
