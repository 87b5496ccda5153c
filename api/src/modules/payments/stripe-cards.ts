import Stripe from 'stripe';
import { ProcessorUnavailable, type CardDetails, type CardSetupState, type PaymentProvider } from './port.ts';

type CardMethods = Pick<
  PaymentProvider,
  'createCustomer' | 'createCardSetup' | 'retrieveCardSetup' | 'chargeSavedCard' | 'detachCard'
>;

/**
 * The card-on-file part of the Stripe adapter: Customers, Checkout in setup mode and off-session
 * PaymentIntents, all ON the lab's connected account (direct charges, as every card payment here).
 */
export function stripeCardMethods(stripe: Stripe, call: <T>(fn: () => Promise<T>) => Promise<T>): CardMethods {
  const card = async (acct: string, pm: string | Stripe.PaymentMethod | null): Promise<CardDetails | null> => {
    if (!pm) return null;
    const method = typeof pm === 'string' ? await stripe.paymentMethods.retrieve(pm, {}, { stripeAccount: acct }) : pm;
    if (!method.card) return null;
    return {
      paymentMethodId: method.id,
      brand: method.card.brand,
      last4: method.card.last4,
      expMonth: method.card.exp_month,
      expYear: method.card.exp_year,
    };
  };
  const setupState = async (
    acct: string,
    si: Stripe.SetupIntent,
    meta: Stripe.Metadata | null,
  ): Promise<CardSetupState> => ({
    status: si.status === 'succeeded' ? 'succeeded' : si.status === 'canceled' ? 'failed' : 'pending',
    customerId: typeof si.customer === 'string' ? si.customer : (si.customer?.id ?? null),
    orgId: si.metadata?.orgId ?? meta?.orgId ?? null,
    labId: si.metadata?.labId ?? meta?.labId ?? null,
    card: si.status === 'succeeded' ? await card(acct, si.payment_method) : null,
  });

  return {
    createCustomer: (acct, input, idempotencyKey) =>
      call(async () => {
        const c = await stripe.customers.create(
          { name: input.name, metadata: { orgId: input.orgId, labId: input.labId } },
          { stripeAccount: acct, idempotencyKey },
        );
        return { id: c.id };
      }),
    createCardSetup: (acct, input, idempotencyKey) =>
      call(async () => {
        const metadata = { orgId: input.orgId, labId: input.labId, purpose: 'card_on_file' };
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'setup',
            customer: input.customerId,
            allowed_payment_method_types: ['card'],
            // Saved for charges made later without the customer present (check-out, late fees).
            setup_intent_data: { metadata },
            metadata,
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
          },
          { stripeAccount: acct, idempotencyKey },
        );
        return { id: session.id, url: session.url ?? '', expiresAt: session.expires_at };
      }),
    retrieveCardSetup: (acct, objectType, id) =>
      call(async () => {
        if (objectType === 'setup_intent') {
          const si = await stripe.setupIntents.retrieve(id, {}, { stripeAccount: acct });
          return si.metadata?.purpose === 'card_on_file' ? setupState(acct, si, null) : null;
        }
        const s = await stripe.checkout.sessions.retrieve(id, {}, { stripeAccount: acct });
        if (s.mode !== 'setup') return null;
        const siId = typeof s.setup_intent === 'string' ? s.setup_intent : (s.setup_intent?.id ?? null);
        if (!siId) {
          return {
            status: s.status === 'expired' ? 'failed' : 'pending',
            customerId: typeof s.customer === 'string' ? s.customer : (s.customer?.id ?? null),
            orgId: s.metadata?.orgId ?? null,
            labId: s.metadata?.labId ?? null,
            card: null,
          } satisfies CardSetupState;
        }
        return setupState(acct, await stripe.setupIntents.retrieve(siId, {}, { stripeAccount: acct }), s.metadata);
      }),
    chargeSavedCard: async (acct, input, idempotencyKey) => {
      try {
        const pi = await stripe.paymentIntents.create(
          {
            amount: input.amount,
            currency: input.currency.toLowerCase(),
            customer: input.customerId,
            payment_method: input.paymentMethodId,
            allowed_payment_method_types: ['card'],
            off_session: true,
            confirm: true,
            ...(input.fee > 0 ? { application_fee_amount: input.fee } : {}),
            description: input.description,
            metadata: { invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber, purpose: 'off_session' },
          },
          { stripeAccount: acct, idempotencyKey },
        );
        return {
          paymentId: pi.id,
          status: pi.status === 'succeeded' ? 'succeeded' : pi.status === 'processing' ? 'pending' : 'declined',
          declineCode: pi.status === 'requires_action' ? 'authentication_required' : null,
          message: null,
        };
      } catch (error) {
        // A decline is the bank's answer, stored under the key like a success: a retry gets it again.
        if (error instanceof Stripe.errors.StripeCardError) {
          const pi = (error.raw as { payment_intent?: { id?: string } } | undefined)?.payment_intent;
          return {
            paymentId: pi?.id ?? null,
            status: 'declined',
            declineCode: error.code ?? 'card_declined',
            message: error.message,
          };
        }
        // The same key still in flight elsewhere (a second worker): not a refusal — retry later.
        if (error instanceof Stripe.errors.StripeError && error.statusCode === 409) {
          throw new ProcessorUnavailable(error.message);
        }
        return call(() => Promise.reject(error));
      }
    },
    detachCard: (acct, paymentMethodId, idempotencyKey) =>
      call(async () => {
        const pm = await stripe.paymentMethods.detach(paymentMethodId, {}, { stripeAccount: acct, idempotencyKey });
        return { id: pm.id };
      }),
  };
}
