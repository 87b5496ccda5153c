import type { Db } from '@qihub/db';
import { localDate } from '../../lib/time.ts';
import { recordPayment } from '../invoices/index.ts';
import { post } from '../ledger/index.ts';
import { saveCardFromSetup } from './card-on-file.ts';
import { syncChargeRefunds } from './charge-refunds.ts';
import { bookFeeIncome } from './platform-fee.ts';
import { syncPayout } from './payouts.ts';
import type { PaymentProvider, PaymentState } from './port.ts';
import * as repo from './repository.ts';

export interface SettleDeps {
  db: Db;
  clock: () => Date;
  provider: PaymentProvider;
}

/**
 * Processes one stored event: the event only says "look again" — what counts is the object as the
 * processor shows it now (on the lab's connected account). So events that arrive late, twice or out
 * of order all converge: the first that finds the payment succeeded records it, the rest find it
 * recorded. Marks the event processed with what it found.
 */
export async function processEvent(deps: SettleDeps, eventId: string): Promise<string> {
  const ev = await repo.findEvent(deps.db, eventId);
  if (!ev) return 'unknown_event';
  if (ev.processedAt) return ev.outcome ?? 'processed';
  const outcome =
    (await cardSetupOutcome(deps, ev)) ?? (await reconcile(deps, ev.account, ev.objectType, ev.objectId, ev.type));
  await repo.markEventProcessed(deps.db, eventId, outcome, deps.clock());
  return outcome;
}

/**
 * A card saved on file (a setup-mode Checkout, or its SetupIntent): re-read and stored. The event's
 * own `mode` only routes it (a session's mode never changes); what is stored is what the re-read says.
 * Undefined for anything else.
 */
async function cardSetupOutcome(
  deps: SettleDeps,
  ev: { account: string | null; objectType: string | null; objectId: string | null; payload: Record<string, unknown> },
): Promise<string | undefined> {
  const { account, objectType, objectId } = ev;
  if (!account || !objectId) return undefined;
  const object = (ev.payload.data as { object?: { mode?: unknown } } | undefined)?.object;
  const setup = objectType === 'setup_intent' || (objectType === 'checkout.session' && object?.mode === 'setup');
  if (!setup) return undefined;
  const state = await deps.provider.retrieveCardSetup(
    account,
    objectType as 'setup_intent' | 'checkout.session',
    objectId,
  );
  return state ? saveCardFromSetup(deps, account, state) : 'ignored';
}

async function reconcile(
  deps: SettleDeps,
  account: string | null,
  objectType: string | null,
  objectId: string | null,
  type: string,
): Promise<string> {
  if (!account || !objectId) return 'ignored';
  // Money that moves after the payment: refunds (ours or made in Stripe's dashboard) and payouts.
  if (objectType === 'charge' && type.startsWith('charge.refund')) {
    return syncChargeRefunds(deps, account, { chargeId: objectId });
  }
  if (objectType === 'refund') return syncChargeRefunds(deps, account, { refundId: objectId });
  if (objectType === 'payout') return syncPayout(deps, account, objectId);
  if (objectType === 'account') {
    const s = await deps.provider.retrieveAccount(objectId);
    await repo.updateAccountStatus(deps.db, objectId, { ...s, at: deps.clock() });
    return 'account_updated';
  }
  let state: PaymentState;
  if (objectType === 'checkout.session') state = await deps.provider.retrieveCheckout(account, objectId);
  else if (objectType === 'payment_intent') state = await deps.provider.retrievePayment(account, objectId);
  else return 'ignored';
  if (state.status !== 'succeeded') return state.status;
  const outcome = await settleCardPayment(deps, account, state);
  // Refunds made in the dashboard before the payment was recorded found nothing to refund then (their
  // events were processed as unrelated): the charge is read again now, so they are booked after all.
  if (outcome === 'recorded' && state.chargeId) await syncChargeRefunds(deps, account, { chargeId: state.chargeId });
  return outcome;
}

/**
 * Records a succeeded card payment on its invoice exactly once (the processor's payment id is the
 * key of `card_payments`, checked under the invoice's row lock), with the fee the processor took at
 * source for the platform: the lab's processor clearing gets the amount less the fee.
 */
export async function settleCardPayment(deps: Omit<SettleDeps, 'provider'>, account: string, s: PaymentState) {
  if (!s.externalId || !s.invoiceId || s.amount <= 0) return 'unrelated';
  const { externalId, invoiceId } = s;
  return deps.db.transaction(async (tx) => {
    const acct = await repo.accountByExternalId(tx, account);
    if (!acct) return 'unknown_account';
    if (!/^[0-9a-f-]{36}$/i.test(invoiceId)) return 'unknown_invoice';
    const inv = await repo.findInvoice(tx, invoiceId, true);
    // A payment on one lab's account never pays another lab's invoice.
    if (!inv || inv.labId !== acct.labId || inv.kind !== 'invoice') return 'unknown_invoice';
    if (await repo.findCardPayment(tx, externalId)) return 'duplicate';
    if (s.currency !== inv.currency) return 'currency_mismatch';
    const at = deps.clock();
    await recordPayment(tx, inv, {
      amount: s.amount,
      channel: 'card',
      receivedOn: localDate(at),
      at,
      externalId,
      note: `Stripe ${externalId}`,
    });
    const paymentId = (await repo.paymentIdFor(tx, inv.id, externalId))!;
    if (s.fee > 0) {
      // Direct charge: Stripe keeps the platform's application fee out of the lab's payment, so the
      // lab's debt for it is settled at source.
      await post(tx, {
        book: inv.labId,
        kind: 'platform_fee',
        source: { kind: 'payment', id: paymentId },
        memo: `${inv.number} 平台服务费 platform fee`,
        at,
        entries: [
          { code: 'platform_fee_expense', amount: s.fee },
          { code: 'processor_clearing', amount: -s.fee },
        ],
      });
      await bookFeeIncome(tx, { labId: inv.labId, paymentId, invoiceNumber: inv.number, amount: s.fee, at });
    }
    await repo.insertCardPayment(tx, {
      externalId,
      invoiceId: inv.id,
      labId: inv.labId,
      account,
      paymentId,
      amountFen: s.amount,
      feeFen: s.fee,
      currency: s.currency,
      createdAt: at,
    });
    return 'recorded';
  });
}
