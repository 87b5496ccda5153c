/**
 * The Stripe fake's money after a payment (a separate block of `stripe-fake.ts` so that other
 * slices of the fake merge cleanly): charges re-read with their refunds, refunds made "in the
 * dashboard" (not through QIHub's API), the platform's application fees and their refunds, and
 * payouts to the lab's bank — each helper emits the events Stripe would.
 */

type Obj = Record<string, unknown>;
type Owned = Obj & { account: string };
type Result = { status: number; body: Obj };

export interface AfterPaymentContext {
  now: () => number;
  id: (prefix: string) => string;
  emit: (type: string, account: string, object: Obj) => Obj;
  fail: (status: number, type: string, message: string, code?: string) => Result;
  missing: (what: string, which: string) => Result;
  strip: <T extends Obj>(o: T) => Omit<T, 'account'>;
  accounts: Map<string, Obj>;
  paymentIntents: Map<string, Owned>;
  charges: Map<string, Owned>;
  refunds: Map<string, Owned>;
}

export interface AfterPaymentHelpers {
  applicationFees: Map<string, Owned>;
  payouts: Map<string, Owned>;
  /**
   * A refund made by the lab in Stripe's dashboard (none of QIHub's metadata): the whole amount
   * left unless given; with `refundApplicationFee` the platform's fee goes back in proportion.
   * `pending` leaves it pending (only `refund.created` is emitted); settle it with `settleRefund`.
   */
  refundInDashboard(
    paymentIntentId: string,
    options?: { amount?: number; refundApplicationFee?: boolean; pending?: boolean },
  ): { refund: Obj; events: Obj[] };
  /** A pending refund succeeds: `refund.updated` and `charge.refunded`. */
  settleRefund(refundId: string): Obj[];
  /** A payout of the connected account's balance to its bank: `payout.created` then `payout.paid`. */
  payout(accountId: string, amount: number): { payout: Obj; events: Obj[] };
  /** The bank returned a paid payout (or it failed before arriving): `payout.failed`. */
  failPayout(payoutId: string): Obj[];
}

export function afterPaymentApi(ctx: AfterPaymentContext) {
  const { now, id, emit, strip } = ctx;
  const applicationFees = new Map<string, Owned>();
  const payouts = new Map<string, Owned>();

  /** The charge's application fee (on the platform's account), made when first needed. */
  const feeOf = (charge: Owned): Owned | null => {
    if (typeof charge.application_fee === 'string') return applicationFees.get(charge.application_fee) ?? null;
    const pi = ctx.paymentIntents.get(String(charge.payment_intent));
    const amount = Number(pi?.application_fee_amount ?? 0);
    if (!(amount > 0)) return null;
    const fee: Owned = {
      id: id('fee'),
      object: 'application_fee',
      account: charge.account,
      amount,
      amount_refunded: 0,
      refunded: false,
      charge: charge.id,
      currency: charge.currency,
      created: charge.created,
    };
    applicationFees.set(String(fee.id), fee);
    charge.application_fee = fee.id;
    return fee;
  };

  const chargeView = (charge: Owned) => {
    feeOf(charge);
    const list = [...ctx.refunds.values()]
      .filter((r) => r.charge === charge.id)
      .sort((a, b) => Number(b.created) - Number(a.created))
      .map(strip);
    return {
      ...strip(charge),
      application_fee_amount:
        Number(ctx.paymentIntents.get(String(charge.payment_intent))?.application_fee_amount ?? 0) || null,
      refunds: { object: 'list', data: list, has_more: false, url: `/v1/charges/${String(charge.id)}/refunds` },
    };
  };

  /** A refund succeeded: the charge counts it, and says so. */
  const refunded = (refund: Owned) => {
    const charge = ctx.charges.get(String(refund.charge))!;
    charge.amount_refunded = Number(charge.amount_refunded) + Number(refund.amount);
    charge.refunded = charge.amount_refunded === charge.amount;
    return emit('charge.refunded', refund.account, chargeView(charge));
  };

  function route(method: string, path: string, account: string | null): Result | null {
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = path.match(/^\/v1\/charges\/(\w+)$/))) {
      const c = ctx.charges.get(m[1]!);
      return c && c.account === account ? { status: 200, body: chargeView(c) } : ctx.missing('charge', m[1]!);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/refunds\/(\w+)$/))) {
      const r = ctx.refunds.get(m[1]!);
      return r && r.account === account ? { status: 200, body: strip(r) } : ctx.missing('refund', m[1]!);
    }
    // Application fees are the platform's own objects: read without a Stripe-Account header.
    if (method === 'GET' && (m = path.match(/^\/v1\/application_fees\/(\w+)$/))) {
      const f = applicationFees.get(m[1]!);
      return f && account === null
        ? { status: 200, body: { ...strip(f), account: f.account } }
        : ctx.missing('application_fee', m[1]!);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/payouts\/(\w+)$/))) {
      const p = payouts.get(m[1]!);
      return p && p.account === account ? { status: 200, body: strip(p) } : ctx.missing('payout', m[1]!);
    }
    return null;
  }

  const helpers: AfterPaymentHelpers = {
    applicationFees,
    payouts,
    refundInDashboard(paymentIntentId, options = {}) {
      const pi = ctx.paymentIntents.get(paymentIntentId);
      if (!pi) throw new Error(`no payment intent ${paymentIntentId}`);
      const charge = ctx.charges.get(String(pi.latest_charge))!;
      const taken = [...ctx.refunds.values()]
        .filter((r) => r.charge === charge.id && r.status !== 'failed')
        .reduce((sum, r) => sum + Number(r.amount), 0);
      const left = Number(charge.amount) - taken;
      const amount = options.amount ?? left;
      if (!(amount > 0) || amount > left) throw new Error(`refund ${amount} exceeds the ${left} left`);
      const refund: Owned = {
        id: id('re'),
        object: 'refund',
        account: pi.account,
        amount,
        currency: pi.currency,
        payment_intent: pi.id,
        charge: charge.id,
        status: options.pending ? 'pending' : 'succeeded',
        metadata: {},
        created: now(),
      };
      ctx.refunds.set(String(refund.id), refund);
      const fee = feeOf(charge);
      if (options.refundApplicationFee && fee) {
        const back = Math.min(
          Number(fee.amount) - Number(fee.amount_refunded),
          Math.round((Number(fee.amount) * amount) / Number(charge.amount)),
        );
        fee.amount_refunded = Number(fee.amount_refunded) + back;
        fee.refunded = fee.amount_refunded === fee.amount;
      }
      const events = [emit('refund.created', pi.account, strip(refund))];
      if (!options.pending) events.push(refunded(refund));
      return { refund: strip(refund), events };
    },
    settleRefund(refundId) {
      const refund = ctx.refunds.get(refundId);
      if (!refund || refund.status !== 'pending') throw new Error(`no pending refund ${refundId}`);
      refund.status = 'succeeded';
      return [emit('refund.updated', refund.account, strip(refund)), refunded(refund)];
    },
    payout(accountId, amount) {
      if (!ctx.accounts.has(accountId)) throw new Error(`no account ${accountId}`);
      const payout: Owned = {
        id: id('po'),
        object: 'payout',
        account: accountId,
        amount,
        currency: 'cny',
        status: 'in_transit',
        // The next day, Asia/Shanghai midnight as Stripe stamps it.
        arrival_date: now() + 24 * 3600,
        created: now(),
      };
      payouts.set(String(payout.id), payout);
      const created = emit('payout.created', accountId, strip(payout));
      payout.status = 'paid';
      return { payout: strip(payout), events: [created, emit('payout.paid', accountId, strip(payout))] };
    },
    failPayout(payoutId) {
      const payout = payouts.get(payoutId);
      if (!payout) throw new Error(`no payout ${payoutId}`);
      payout.status = 'failed';
      payout.failure_code = 'account_closed';
      return [emit('payout.failed', payout.account, strip(payout))];
    },
  };
  return { route, helpers };
}
