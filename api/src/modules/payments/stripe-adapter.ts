import Stripe from 'stripe';
import type { StripeSettings } from '../../config.ts';
import {
  InvalidSignature,
  ProcessorRefused,
  ProcessorUnavailable,
  type AccountStatus,
  type ChargeState,
  type PaymentProvider,
  type PaymentState,
  type PayoutState,
  type ProviderEvent,
} from './port.ts';
import { localDate } from '../../lib/time.ts';
import { stripeCardMethods } from './stripe-cards.ts';

/**
 * The card adapter: Stripe Connect direct charges. Every payment is created ON the lab's connected
 * account (the `Stripe-Account` header), so the charge, the money and the card data are the lab's
 * and Stripe's; the platform's fee is the `application_fee_amount`, taken at source.
 */
export function stripeProvider(settings: StripeSettings): PaymentProvider {
  const stripe = new Stripe(settings.secretKey, {
    // Retries are ours (with the persisted idempotency key), not the SDK's hidden ones.
    maxNetworkRetries: 0,
    telemetry: false,
    timeout: 20_000,
    ...(settings.api ?? {}),
  });

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw translate(error);
    }
  };

  const account = (a: Stripe.Account): AccountStatus => ({
    accountId: a.id,
    chargesEnabled: a.charges_enabled === true,
    detailsSubmitted: a.details_submitted === true,
    payoutsEnabled: a.payouts_enabled === true,
    requirementsDue: a.requirements?.currently_due ?? [],
  });

  const paymentState = (pi: Stripe.PaymentIntent, invoiceId: string | null): PaymentState => ({
    externalId: pi.id,
    invoiceId: pi.metadata?.invoiceId ?? invoiceId,
    status: pi.status === 'succeeded' ? 'succeeded' : pi.status === 'canceled' ? 'failed' : 'pending',
    amount: pi.status === 'succeeded' ? pi.amount_received : pi.amount,
    currency: pi.currency.toUpperCase(),
    fee: pi.application_fee_amount ?? 0,
    chargeId: typeof pi.latest_charge === 'string' ? pi.latest_charge : (pi.latest_charge?.id ?? null),
  });

  const retrievePayment = (acct: string, id: string) =>
    call(async () => paymentState(await stripe.paymentIntents.retrieve(id, {}, { stripeAccount: acct }), null));

  return {
    processor: 'stripe',
    channel: 'card',
    createAccount: (input, idempotencyKey) =>
      call(async () =>
        account(
          await stripe.accounts.create(
            {
              type: 'express',
              business_profile: { name: input.name },
              metadata: { labId: input.labId },
              capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
            },
            { idempotencyKey },
          ),
        ),
      ),
    retrieveAccount: (id) => call(async () => account(await stripe.accounts.retrieve(id))),
    onboardingLink: (accountId, urls, idempotencyKey) =>
      call(async () => {
        const link = await stripe.accountLinks.create(
          { account: accountId, type: 'account_onboarding', return_url: urls.returnUrl, refresh_url: urls.refreshUrl },
          { idempotencyKey },
        );
        return { url: link.url, expiresAt: link.expires_at };
      }),
    createCheckout: (acct, input, idempotencyKey) =>
      call(async () => {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency.toLowerCase(),
                  unit_amount: input.amount,
                  product_data: { name: input.description },
                },
              },
            ],
            payment_intent_data: {
              ...(input.fee > 0 ? { application_fee_amount: input.fee } : {}),
              metadata: { invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber },
            },
            client_reference_id: input.invoiceId,
            metadata: { invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber },
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
          },
          { stripeAccount: acct, idempotencyKey },
        );
        return { id: session.id, url: session.url ?? '', expiresAt: session.expires_at };
      }),
    retrieveCheckout: (acct, id) =>
      call(async () => {
        const s = await stripe.checkout.sessions.retrieve(id, {}, { stripeAccount: acct });
        const invoiceId = s.metadata?.invoiceId ?? s.client_reference_id ?? null;
        const pi = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
        if (s.payment_status === 'paid' && pi) {
          // The session says paid: the PaymentIntent is what was charged, with its fee.
          const state = paymentState(await stripe.paymentIntents.retrieve(pi, {}, { stripeAccount: acct }), invoiceId);
          return state;
        }
        return {
          externalId: pi,
          invoiceId,
          status: s.status === 'expired' ? 'failed' : 'pending',
          amount: s.amount_total ?? 0,
          currency: (s.currency ?? '').toUpperCase(),
          fee: 0,
        } satisfies PaymentState;
      }),
    retrievePayment,
    refund: (acct, input, idempotencyKey) =>
      call(async () => {
        const r = await stripe.refunds.create(
          { payment_intent: input.paymentId, amount: input.amount, metadata: { refundId: input.refundId } },
          { stripeAccount: acct, idempotencyKey },
        );
        return { id: r.id, status: r.status ?? 'pending' };
      }),
    retrieveCharge: (acct, ref) =>
      call(async () => {
        const chargeId =
          'chargeId' in ref
            ? ref.chargeId
            : idOf((await stripe.refunds.retrieve(ref.refundId, {}, { stripeAccount: acct })).charge);
        if (!chargeId)
          throw new ProcessorRefused(`refund ${'refundId' in ref ? ref.refundId : ''} has no charge`, undefined);
        const ch = await stripe.charges.retrieve(chargeId, { expand: ['refunds'] }, { stripeAccount: acct });
        const feeId = idOf(ch.application_fee);
        // The application fee lives on the platform's own account (no Stripe-Account header).
        const fee = feeId ? await stripe.applicationFees.retrieve(feeId) : null;
        return {
          id: ch.id,
          paymentId: idOf(ch.payment_intent),
          amount: ch.amount,
          currency: ch.currency.toUpperCase(),
          refunds: (ch.refunds?.data ?? []).map((r) => ({
            id: r.id,
            amount: r.amount,
            status:
              r.status === 'succeeded'
                ? 'succeeded'
                : r.status === 'pending' || r.status === 'requires_action'
                  ? 'pending'
                  : 'failed',
            refundId: r.metadata?.refundId ?? null,
          })),
          applicationFee: fee ? { id: fee.id, amount: fee.amount, refunded: fee.amount_refunded } : null,
        } satisfies ChargeState;
      }),
    retrievePayout: (acct, id) =>
      call(async () => {
        const p = await stripe.payouts.retrieve(id, {}, { stripeAccount: acct });
        return {
          id: p.id,
          amount: p.amount,
          currency: p.currency.toUpperCase(),
          status: p.status as PayoutState['status'],
          arrivalDate: p.arrival_date ? localDate(new Date(p.arrival_date * 1000)) : null,
        } satisfies PayoutState;
      }),
    listEvents: (acct, since) =>
      call(async () => {
        const out: ProviderEvent[] = [];
        const params = { created: { gte: Math.floor(since.getTime() / 1000) }, limit: 100 };
        for await (const e of stripe.events.list(params, { stripeAccount: acct })) {
          out.push(toEvent(e, acct));
          if (out.length >= 10_000) break;
        }
        return out.sort((a, b) => a.created.getTime() - b.created.getTime());
      }),
    verifyWebhook(raw, signature) {
      if (!signature) throw new InvalidSignature('missing Stripe-Signature');
      try {
        return toEvent(stripe.webhooks.constructEvent(raw, signature, settings.webhookSecret), null);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new InvalidSignature(error.message);
        throw new InvalidSignature('unreadable event');
      }
    },
    ...stripeCardMethods(stripe, call),
  };
}

/** An expandable Stripe field's id, whether it came as an id or as the object. */
function idOf(v: string | { id: string } | null | undefined): string | null {
  return typeof v === 'string' ? v : (v?.id ?? null);
}

function toEvent(e: Stripe.Event, account: string | null): ProviderEvent {
  const obj = (e.data?.object ?? {}) as { id?: string; object?: string };
  return {
    id: e.id,
    type: e.type,
    account: e.account ?? account,
    created: new Date(e.created * 1000),
    objectId: typeof obj.id === 'string' ? obj.id : null,
    objectType: typeof obj.object === 'string' ? obj.object : null,
    payload: e as unknown as Record<string, unknown>,
  };
}

/** Connection failures and 5xx are "unknown outcome, retry with the same key"; 4xx are refusals. */
function translate(error: unknown): Error {
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode ?? 0;
    if (
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      status >= 500 ||
      status === 0 ||
      status === 429
    ) {
      return new ProcessorUnavailable(error.message);
    }
    return new ProcessorRefused(error.message, error.code);
  }
  return error instanceof Error ? error : new Error(String(error));
}
