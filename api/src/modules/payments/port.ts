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
  /** The charge the payment made, when there is one (its refunds are read from it). */
  chargeId?: string | null;
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

/** A charge as the processor shows it now, with its refunds and the platform's application fee. */
export interface ChargeState {
  id: string;
  /** The PaymentIntent it belongs to: the key of our card payment. */
  paymentId: string | null;
  amount: number;
  currency: string;
  refunds: {
    id: string;
    amount: number;
    status: 'succeeded' | 'pending' | 'failed';
    /** Our card_refunds id when the refund was made through QIHub (its metadata), else null. */
    refundId: string | null;
  }[];
  /** Stripe's application fee on the charge (kept on the platform's account), with what was given back. */
  applicationFee: { id: string; amount: number; refunded: number } | null;
}

/** A payout from a connected account to the lab's bank account, as the processor shows it now. */
export interface PayoutState {
  id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';
  /** Local date (YYYY-MM-DD) the bank is expected to have it. */
  arrivalDate: string | null;
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
  /** A charge (or the charge of a refund) on a merchant account, with its refunds and application fee. */
  retrieveCharge(account: string, ref: { chargeId: string } | { refundId: string }): Promise<ChargeState>;
  retrievePayout(account: string, payoutId: string): Promise<PayoutState>;
  /** Events on a merchant account created at or after `since`, oldest first (the daily sweep). */
  listEvents(account: string, since: Date): Promise<ProviderEvent[]>;
  /** Verifies a webhook's signature on its raw body; throws `InvalidSignature` otherwise. */
  verifyWebhook(raw: Buffer, signature: string | undefined): ProviderEvent;

  // Cards on file (card-on-file.ts, off-session.ts) ------------------------------------------
  /** The customer organisation as a Customer on the lab's account. */
  createCustomer(
    account: string,
    input: { orgId: string; labId: string; name: string },
    idempotencyKey: string,
  ): Promise<{ id: string }>;
  /** A hosted page (Checkout in setup mode) where the customer saves a card; nothing is charged. */
  createCardSetup(account: string, input: CardSetupInput, idempotencyKey: string): Promise<CheckoutSession>;
  /** A setup as the processor shows it now; null when the object is not a card setup (a payment Checkout). */
  retrieveCardSetup(
    account: string,
    objectType: 'checkout.session' | 'setup_intent',
    id: string,
  ): Promise<CardSetupState | null>;
  /** Charges a saved card with the customer absent (merchant-initiated); a decline is an answer, not an error. */
  chargeSavedCard(account: string, input: OffSessionInput, idempotencyKey: string): Promise<OffSessionResult>;
  /** Detaches a saved card from its customer so it can never be charged again. */
  detachCard(account: string, paymentMethodId: string, idempotencyKey: string): Promise<{ id: string }>;
}

export interface CardSetupInput {
  customerId: string;
  orgId: string;
  labId: string;
  successUrl: string;
  cancelUrl: string;
}

export interface CardDetails {
  paymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface CardSetupState {
  status: 'succeeded' | 'pending' | 'failed';
  customerId: string | null;
  /** From the metadata we set when the setup was started. */
  orgId: string | null;
  labId: string | null;
  card: CardDetails | null;
}

export interface OffSessionInput {
  invoiceId: string;
  invoiceNumber: string;
  amount: number;
  currency: string;
  fee: number;
  customerId: string;
  paymentMethodId: string;
  description: string;
}

export interface OffSessionResult {
  /** The PaymentIntent (also on a decline, when the processor made one). */
  paymentId: string | null;
  status: 'succeeded' | 'pending' | 'declined';
  /** e.g. `card_declined`, `authentication_required` (the bank wants the customer present). */
  declineCode: string | null;
  message: string | null;
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
