/**
 * The card-on-file part of the Stripe fake (stripe-fake.ts), kept apart from the rest: Customers,
 * Checkout Sessions in setup mode, SetupIntents, PaymentMethods (retrieve, detach) and PaymentIntents
 * created with `confirm` + `off_session` on a saved card. Idempotency-Key and faults are handled by
 * the fake's server around `route`, as for every other call. A card saved with a `decline` flag is
 * refused when charged, as a bank would (`card_declined`, or `authentication_required` when the bank
 * wants the cardholder present).
 */

type Obj = Record<string, unknown>;
type Scoped = Obj & { account: string };
type Result = { status: number; body: Obj };

export type Decline = 'card_declined' | 'authentication_required';

export interface CardOnFileFake {
  customers: Map<string, Scoped>;
  setupIntents: Map<string, Scoped>;
  paymentMethods: Map<string, Scoped & { decline?: Decline }>;
  /**
   * The customer saved a card on the hosted setup page: a PaymentMethod attached to the session's
   * Customer, a succeeded SetupIntent; emits `setup_intent.succeeded` and `checkout.session.completed`.
   */
  completeSetup(
    sessionId: string,
    card?: { brand?: string; last4?: string; expMonth?: number; expYear?: number; decline?: Decline },
  ): Obj[];
}

export interface CardFakeContext {
  id(prefix: string): string;
  now(): number;
  base(): string;
  emit(type: string, account: string, object: Obj): Obj;
  fail(status: number, type: string, message: string, code?: string): Result;
  missing(what: string, which: string): Result;
  accounts: Map<string, Obj>;
  sessions: Map<string, Scoped>;
  paymentIntents: Map<string, Scoped>;
  charges: Map<string, Scoped>;
}

const strip = <T extends Obj>(o: T) => {
  const { account: _account, decline: _decline, ...rest } = o;
  return rest;
};

export function cardOnFileFake(ctx: CardFakeContext) {
  const customers = new Map<string, Scoped>();
  const setupIntents = new Map<string, Scoped>();
  const paymentMethods = new Map<string, Scoped & { decline?: Decline }>();
  const { id, now, emit, fail, missing } = ctx;

  /** Answers a card-on-file call, or null for calls that are not (the fake's own routes take them). */
  function route(method: string, path: string, params: Obj, account: string | null): Result | null {
    let m: RegExpMatchArray | null;
    const acct = account ? ctx.accounts.get(account) : undefined;
    if (method === 'POST' && path === '/v1/customers') {
      if (!acct) return fail(400, 'invalid_request_error', 'Customers here live on a connected account.');
      const c = {
        id: id('cus'),
        object: 'customer',
        account: account!,
        name: params.name ?? null,
        metadata: params.metadata ?? {},
        created: now(),
      };
      customers.set(c.id, c);
      return { status: 200, body: strip(c) };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/customers\/(\w+)$/))) {
      const c = customers.get(m[1]!);
      return c && c.account === account ? { status: 200, body: strip(c) } : missing('customer', m[1]!);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions' && params.mode === 'setup') {
      if (!acct) return fail(400, 'invalid_request_error', 'Checkout needs a connected account (Stripe-Account).');
      if (!acct.charges_enabled) {
        return fail(400, 'invalid_request_error', 'This account cannot currently make live charges.');
      }
      const customer = customers.get(String(params.customer));
      if (!customer || customer.account !== account) return missing('customer', String(params.customer));
      const sid = id('cs');
      const session = {
        id: sid,
        object: 'checkout.session',
        account: account!,
        mode: 'setup',
        status: 'open',
        payment_status: 'no_payment_required',
        amount_total: null,
        currency: null,
        customer: customer.id,
        client_reference_id: null,
        metadata: params.metadata ?? {},
        setup_intent: null as string | null,
        setup_intent_data: params.setup_intent_data ?? {},
        payment_intent: null,
        success_url: params.success_url,
        cancel_url: params.cancel_url,
        created: now(),
        expires_at: now() + 24 * 3600,
        url: `${ctx.base()}/checkout/setup/${sid}`,
      };
      ctx.sessions.set(sid, session);
      return { status: 200, body: strip(session) };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/setup_intents\/(\w+)$/))) {
      const si = setupIntents.get(m[1]!);
      return si && si.account === account ? { status: 200, body: strip(si) } : missing('setup_intent', m[1]!);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/payment_methods\/(\w+)$/))) {
      const pm = paymentMethods.get(m[1]!);
      return pm && pm.account === account ? { status: 200, body: strip(pm) } : missing('payment_method', m[1]!);
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/payment_methods\/(\w+)\/detach$/))) {
      const pm = paymentMethods.get(m[1]!);
      if (!pm || pm.account !== account) return missing('payment_method', m[1]!);
      if (!pm.customer) {
        return fail(400, 'invalid_request_error', 'The payment method is not attached to a customer.');
      }
      pm.customer = null;
      emit('payment_method.detached', account!, strip(pm));
      return { status: 200, body: strip(pm) };
    }
    if (method === 'POST' && path === '/v1/payment_intents') return createPaymentIntent(params, account);
    return null;
  }

  function createPaymentIntent(params: Obj, account: string | null): Result {
    if (!account || !ctx.accounts.get(account)?.charges_enabled) {
      return fail(400, 'invalid_request_error', 'This account cannot currently make live charges.');
    }
    if (params.confirm !== 'true' || params.off_session !== 'true') {
      return fail(400, 'invalid_request_error', 'The fake only makes confirmed off-session PaymentIntents.');
    }
    const pm = paymentMethods.get(String(params.payment_method));
    if (!pm || pm.account !== account) return missing('payment_method', String(params.payment_method));
    if (pm.customer !== params.customer) {
      return fail(400, 'invalid_request_error', 'The payment method does not belong to this customer.');
    }
    const amount = Number(params.amount);
    if (!(amount > 0)) return fail(400, 'invalid_request_error', 'Invalid amount.', 'amount_too_small');
    const pi = {
      id: id('pi'),
      object: 'payment_intent',
      account,
      amount,
      amount_received: 0,
      currency: String(params.currency),
      customer: pm.customer,
      payment_method: pm.id,
      status: 'requires_payment_method',
      application_fee_amount:
        params.application_fee_amount === undefined ? null : Number(params.application_fee_amount),
      description: params.description ?? null,
      metadata: params.metadata ?? {},
      latest_charge: null as string | null,
      last_payment_error: null as Obj | null,
      created: now(),
    };
    ctx.paymentIntents.set(pi.id, pi);
    emit('payment_intent.created', account, strip(pi));
    if (pm.decline) {
      const error = {
        type: 'card_error',
        code: pm.decline,
        ...(pm.decline === 'card_declined' ? { decline_code: 'generic_decline' } : {}),
        message:
          pm.decline === 'card_declined'
            ? 'Your card was declined.'
            : 'This payment requires the cardholder to authenticate (off-session).',
        payment_method: strip(pm),
      };
      pi.last_payment_error = error;
      emit('payment_intent.payment_failed', account, strip(pi));
      return { status: 402, body: { error: { ...error, payment_intent: strip(pi) } } };
    }
    const charge = {
      id: id('ch'),
      object: 'charge',
      account,
      amount,
      amount_refunded: 0,
      refunded: false,
      currency: pi.currency,
      paid: true,
      status: 'succeeded',
      payment_intent: pi.id,
      created: now(),
    };
    ctx.charges.set(charge.id, charge);
    Object.assign(pi, { status: 'succeeded', amount_received: amount, latest_charge: charge.id });
    emit('charge.succeeded', account, strip(charge));
    emit('payment_intent.succeeded', account, strip(pi));
    return { status: 200, body: strip(pi) };
  }

  const api: CardOnFileFake = {
    customers,
    setupIntents,
    paymentMethods,
    completeSetup(sessionId, card = {}) {
      const s = ctx.sessions.get(sessionId);
      if (!s || s.mode !== 'setup') throw new Error(`no setup session ${sessionId}`);
      if (s.status === 'complete') throw new Error(`session ${sessionId} is already complete`);
      const pm = {
        id: id('pm'),
        object: 'payment_method',
        account: s.account,
        type: 'card',
        customer: s.customer as string,
        card: {
          brand: card.brand ?? 'visa',
          last4: card.last4 ?? '4242',
          exp_month: card.expMonth ?? 12,
          exp_year: card.expYear ?? 2030,
          funding: 'credit',
        },
        created: now(),
        ...(card.decline ? { decline: card.decline } : {}),
      };
      paymentMethods.set(pm.id, pm);
      const si = {
        id: id('seti'),
        object: 'setup_intent',
        account: s.account,
        status: 'succeeded',
        usage: 'off_session',
        customer: s.customer,
        payment_method: pm.id,
        metadata: ((s.setup_intent_data ?? {}) as Obj).metadata ?? {},
        created: now(),
      };
      setupIntents.set(si.id, si);
      Object.assign(s, { status: 'complete', setup_intent: si.id });
      return [
        emit('payment_method.attached', s.account, strip(pm)),
        emit('setup_intent.succeeded', s.account, strip(si)),
        emit('checkout.session.completed', s.account, strip(s)),
      ];
    },
  };
  return { route, api };
}
