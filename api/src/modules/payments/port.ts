/**
 * The payment port (ARCHITECTURE decision 10): one adapter per processor that moves money from the
 * customer straight to the lab's own merchant account. Stripe Connect (direct charges on the lab's
 * connected account) is the first; an Alipay or WeChat Pay service-provider adapter (split payments
 * at source) implements the same interface. Bank transfer and vouchers need no processor and are
 * not adapters: they are matched from statements and claims.
 *
 * Every call that creates something takes an idempotency key that the caller has persisted first
 * (attempts.ts), so a retry after a lost answer never creates it twice.
 */

/** What a processor says about one payment (re-read from the processor, never taken from a browser). */
export interface PaymentState {
  /** The processor's payment id (a Stripe PaymentIntent): the payment's identity in our books. */
  externalId: string | null;
  /** From the metadata we set when the payment was started. */
  invoiceId: string | null;
  status: 'succeeded' | 'pending' | 'failed';
  /** Minor units (fen for CNY). */
  amount: number;
  currency: string;
  /** The platform's fee taken at source (Stripe's application fee). */
  fee: number;
}

/** A processor's notification, verified, in the port's terms. */
export interface ProviderEvent {
  id: string;
  type: string;
  /** The merchant (connected) account it happened on; null for the platform's own account. */
  account: string | null;
  created: Date;
  objectId: string | null;
  /** e.g. "checkout.session", "payment_intent", "account", "charge". */
  objectType: string | null;
  payload: Record<string, unknown>;
}

export interface AccountStatus {
  accountId: string;
  chargesEnabled: boolean;
  detailsSubmitted: boolean;
  /** Whether the processor pays the balance out to the lab's bank account. */
  payoutsEnabled: boolean;
  /** What the processor still needs from the lab (Stripe's `requirements.currently_due`). */
  requirementsDue: string[];
}

export interface CheckoutInput {
  invoiceId: string;
  invoiceNumber: string;
  amount: number;
  currency: string;
  /** The platform's fee, taken at source from the lab's payment. */
  fee: number;
  description: string;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutSession {
  id: string;
  url: string;
  /** Unix seconds. */
  expiresAt: number;
}

export interface PaymentProvider {
  readonly processor: 'stripe';
  readonly channel: 'card';
  createAccount(input: { labId: string; name: string }, idempotencyKey: string): Promise<AccountStatus>;
  retrieveAccount(accountId: string): Promise<AccountStatus>;
  onboardingLink(
    accountId: string,
    urls: { returnUrl: string; refreshUrl: string },
    idempotencyKey: string,
  ): Promise<{ url: string; expiresAt: number }>;
  createCheckout(account: string, input: CheckoutInput, idempotencyKey: string): Promise<CheckoutSession>;
  retrieveCheckout(account: string, sessionId: string): Promise<PaymentState>;
  retrievePayment(account: string, paymentId: string): Promise<PaymentState>;
  refund(
    account: string,
    input: { paymentId: string; amount: number; refundId: string },
    idempotencyKey: string,
  ): Promise<{ id: string; status: string }>;
  /** Events on a merchant account created at or after `since`, oldest first (the daily sweep). */
  listEvents(account: string, since: Date): Promise<ProviderEvent[]>;
  /** Verifies a webhook's signature on its raw body; throws `InvalidSignature` otherwise. */
  verifyWebhook(raw: Buffer, signature: string | undefined): ProviderEvent;
}

export class InvalidSignature extends Error {}

/** The processor could not be reached or failed; nothing is known to have happened. Retry with the same key. */
export class ProcessorUnavailable extends Error {}

/** The processor refused the request (bad parameters, account not able to charge …). */
export class ProcessorRefused extends Error {
  constructor(
    message: string,
    readonly processorCode: string | undefined,
  ) {
    super(message);
  }
}
