import type { Invoice } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { amountDue, canSeeInvoice } from '../invoices/index.ts';
import { requestHash, withAttempt } from './attempts.ts';
import type { PaymentDeps } from './deps.ts';
import { cardNotOffered, refreshed } from './onboarding.ts';
import type { CheckoutSession } from './port.ts';
import * as repo from './repository.ts';

/** Reuse a session while it has at least this long to live; older ones get a new session. */
const REUSE_MARGIN_MS = 60 * 60_000;

/** Only the customer's members pay; issuers see the invoice (403), anyone else does not (404). */
async function payableInvoice(deps: PaymentDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const inv = await repo.findInvoice(deps.db, id);
  if (!inv || !canSeeInvoice(a, inv)) throw notFound('invoice');
  if (!a.memberships.some((m) => m.orgId === inv.customerOrgId)) {
    throw forbidden('Only the customer’s members pay its invoices.');
  }
  return inv;
}

const payable = (inv: Invoice) =>
  inv.kind === 'invoice' && (inv.status === 'open' || inv.status === 'partially_paid') && amountDue(inv) > 0;

/** The platform's fee on a payment: the rate of the lab's region (default 0), rounded down. */
export async function platformFee(deps: Pick<PaymentDeps, 'db'>, labId: string, amount: number) {
  const lab = await repo.labFacts(deps.db, labId);
  const bp = lab ? await repo.feeRateBp(deps.db, lab.regionCode) : 0;
  return Math.floor((amount * bp) / 10_000);
}

/** `GET /v1/invoices/{id}/payment-methods`: what the customer can pay this invoice with now. */
export async function paymentMethods(deps: PaymentDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const inv = await repo.findInvoice(deps.db, id);
  if (!inv || !canSeeInvoice(a, inv)) throw notFound('invoice');
  const methods: ('bank_transfer' | 'voucher' | 'card')[] = [];
  if (payable(inv)) {
    methods.push('bank_transfer', 'voucher');
    const acct = deps.provider ? await repo.findAccount(deps.db, inv.labId) : undefined;
    if (acct?.chargesEnabled) methods.push('card');
  }
  return { invoiceId: inv.id, methods };
}

/**
 * `POST /v1/invoices/{id}/checkout`: a Checkout Session for the amount due, created ON the lab's
 * connected account (a direct charge; the platform's fee is taken at source). The invoice is NOT
 * paid by this, nor by the browser coming back: only by a verified webhook and a re-read (settle.ts).
 * A repeat for the same invoice and amount answers the same session while it is still valid.
 */
export async function startCheckout(deps: PaymentDeps, actor: Actor | null, id: string) {
  const provider = deps.provider;
  const inv = await payableInvoice(deps, actor, id);
  if (!provider) throw cardNotOffered();
  if (!payable(inv)) throw conflict('invoice_not_open', 'This invoice has nothing left to pay.');
  // Not able to charge when last seen: ask the processor (onboarding may have finished since).
  const acct = await refreshed(deps, provider, inv.labId);
  if (!acct?.chargesEnabled) {
    throw new AppError(
      422,
      'lab_cannot_take_cards',
      '该机构尚未开通银行卡收款，请使用对公转账。 This lab does not take cards yet: pay by bank transfer.',
    );
  }
  const due = amountDue(inv);
  const fee = await platformFee(deps, inv.labId, due);
  const web = deps.webUrl.replace(/\/+$/, '');
  const params = {
    invoiceId: inv.id,
    invoiceNumber: inv.number,
    amount: due,
    currency: inv.currency,
    fee,
    description: `账单 Invoice ${inv.number}`,
    successUrl: `${web}/invoices/${inv.id}?paid=1`,
    cancelUrl: `${web}/invoices/${inv.id}`,
  };
  const prefix = `checkout:${inv.id}:${due}:`;
  const { latest, count } = await repo.latestAttempt(deps.db, prefix);
  let key = `${prefix}${count + 1}`;
  if (latest && latest.requestHash === requestHash(params)) {
    const session = latest.response as CheckoutSession | null;
    const fresh = session && session.expiresAt * 1000 - deps.clock().getTime() > REUSE_MARGIN_MS;
    // An attempt with no answer (a crash, a dropped response) is retried under its own key.
    if (!session || fresh) key = latest.idempotencyKey;
  }
  const session = await withAttempt<CheckoutSession>(
    deps.db,
    deps.clock,
    { key, operation: 'checkout.create', account: acct.accountId, params },
    (k) => provider.createCheckout(acct.accountId, params, k),
  );
  return { url: session.url, sessionId: session.id, expiresAt: new Date(session.expiresAt * 1000).toISOString() };
}
