import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { hostedPages, type WebhookDelivery } from './stripe-fake-pages.ts';

/**
 * A small, stateful stand-in for the parts of the Stripe API that QIHub calls (STACK.md "Stripe
 * offline"): Connect accounts and account links, Checkout Sessions, PaymentIntents, refunds and
 * events — Stripe-shaped JSON over node:http, so the official SDK is pointed at it with
 * `host`/`port`/`protocol` (STRIPE_API_BASE) and talks to it as it would to Stripe.
 *
 * Like Stripe it honours `Idempotency-Key` (per account): the same key with the same parameters
 * answers what it answered the first time (`Idempotent-Replayed: true`) and does nothing again; the
 * same key with other parameters is a 400 `idempotency_error`. Faults can be injected: a 500 after
 * the work was done (the result is kept under the key, as if a proxy lost the answer), a dropped
 * response (the socket is destroyed after the work), and a slow answer.
 */

type Obj = Record<string, unknown>;

export type Fault =
  | { kind: '500-after'; method?: string; path: RegExp; times?: number }
  | { kind: 'drop'; method?: string; path: RegExp; times?: number }
  | { kind: 'slow'; method?: string; path: RegExp; times?: number; delayMs: number };

export interface FakeRequest {
  method: string;
  path: string;
  account: string | null;
  idempotencyKey: string | null;
  replayed: boolean;
  status: number;
}

export interface StripeFake {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** The API's environment for this fake. */
  env: Record<string, string>;
  accounts: Map<string, Obj>;
  sessions: Map<string, Obj & { account: string }>;
  paymentIntents: Map<string, Obj & { account: string }>;
  refunds: Map<string, Obj & { account: string }>;
  /** Every event emitted, oldest first. */
  events: (Obj & { id: string; type: string; account: string; created: number })[];
  requests: FakeRequest[];
  /** Lets an account take charges (the end of onboarding); emits `account.updated`. */
  enableAccount(accountId: string): Obj;
  /** The customer paid on the hosted page: session paid, PaymentIntent and charge made, events emitted. */
  completeSession(sessionId: string): Obj[];
  /** A signed webhook delivery of one event: the body and its `Stripe-Signature` header. */
  sign(event: Obj, secret?: string): { payload: string; header: string };
  inject(fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;

  // --- The pages a browser opens (stripe-fake-pages.ts) and the webhook delivery that follows them.
  /** Where events from the hosted pages are POSTed, signed with `webhookSecret` (null: kept, not sent). */
  deliverWebhooksTo(url: string | null): void;
  /** Keeps the next deliveries back (a late webhook) until `releaseWebhooks`. */
  holdWebhooks(): void;
  /** Sends what was held, in order; answers how many. */
  releaseWebhooks(): Promise<number>;
  /** Every delivery made, with the endpoint's answer. */
  deliveries: WebhookDelivery[];
}

export interface StripeFakeOptions {
  now?: () => Date;
  /** A fixed port (`pnpm stripe:fake`); default: any free one. */
  port?: number;
  /** A fixed signing secret (`pnpm stripe:fake`, so the printed env stays the same); default: random. */
  webhookSecret?: string;
  /** The platform's webhook endpoint, e.g. http://127.0.0.1:4000/v1/webhooks/stripe. */
  webhookUrl?: string;
  /**
   * Connected accounts that exist already, onboarded: the lab with this id that connects is handed
   * this account instead of a new one (the demo lab of `pnpm stripe:fake`).
   */
  demoAccounts?: { id: string; labId: string; name: string }[];
}

/** What a new connected account still has to provide before it can take charges. */
const ONBOARDING_REQUIREMENTS = [
  'business_profile.url',
  'external_account',
  'representative.id_number',
  'tos_acceptance.date',
];

const API_VERSION = '2026-10-28.endive';

/** Stripe's form encoding (`a[b][0][c]=1`) back into nested objects; all-numeric keys become arrays. */
export function parseForm(body: string): Obj {
  const root: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node: Obj = root;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else node = (node[p] ??= {}) as Obj;
    });
  }
  const arrays = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Obj;
    const keys = Object.keys(o);
    const mapped = Object.fromEntries(keys.map((k) => [k, arrays(o[k])]));
    return keys.length > 0 && keys.every((k) => /^\d+$/.test(k))
      ? keys.sort((a, b) => Number(a) - Number(b)).map((k) => mapped[k])
      : mapped;
  };
  return arrays(root) as Obj;
}

export async function startStripeFake(options: StripeFakeOptions = {}): Promise<StripeFake> {
  const now = () => Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;
  const secretKey = 'sk_test_qihubfake';
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const accounts = new Map<string, Obj>();
  const sessions = new Map<string, Obj & { account: string }>();
  const paymentIntents = new Map<string, Obj & { account: string }>();
  const charges = new Map<string, Obj & { account: string }>();
  const refunds = new Map<string, Obj & { account: string }>();
  const events: StripeFake['events'] = [];
  const requests: FakeRequest[] = [];
  const idempotent = new Map<string, { hash: string; status: number; body: Obj }>();
  let faults: (Fault & { left: number })[] = [];
  let base = '';
  for (const d of options.demoAccounts ?? []) {
    accounts.set(d.id, {
      id: d.id,
      object: 'account',
      type: 'express',
      charges_enabled: true,
      details_submitted: true,
      payouts_enabled: true,
      requirements: { currently_due: [], past_due: [], disabled_reason: null },
      business_profile: { name: d.name },
      metadata: { labId: d.labId },
      created: now(),
    });
  }

  const emit = (type: string, account: string, object: Obj) => {
    const ev = {
      id: id('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      account,
    };
    events.push(ev);
    return ev;
  };

  const fail = (status: number, type: string, message: string, code?: string) => ({
    status,
    body: { error: { type, message, ...(code ? { code } : {}) } } as Obj,
  });
  const missing = (what: string, which: string) =>
    fail(404, 'invalid_request_error', `No such ${what}: '${which}'`, 'resource_missing');
  const strip = <T extends Obj>(o: T) => {
    const { account: _account, ...rest } = o;
    return rest;
  };

  function route(method: string, path: string, query: URLSearchParams, params: Obj, account: string | null) {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/accounts') {
      const demo = hosted.demoAccountFor(params);
      if (demo) return { status: 200, body: demo };
      const acct = {
        id: id('acct'),
        object: 'account',
        type: params.type ?? 'express',
        charges_enabled: false,
        details_submitted: false,
        payouts_enabled: false,
        requirements: {
          currently_due: [...ONBOARDING_REQUIREMENTS],
          past_due: [],
          disabled_reason: 'requirements.past_due',
        },
        business_profile: params.business_profile ?? {},
        metadata: params.metadata ?? {},
        created: now(),
      };
      accounts.set(acct.id, acct);
      return { status: 200, body: acct };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/accounts\/([\w]+)$/))) {
      const acct = accounts.get(m[1]!);
      return acct ? { status: 200, body: acct } : missing('account', m[1]!);
    }
    if (method === 'POST' && path === '/v1/account_links') {
      const acct = accounts.get(String(params.account));
      if (!acct) return missing('account', String(params.account));
      const link = `${acct.id}/${randomBytes(6).toString('hex')}`;
      hosted.links.set(link, {
        returnUrl: String(params.return_url ?? ''),
        refreshUrl: String(params.refresh_url ?? ''),
      });
      return {
        status: 200,
        body: {
          object: 'account_link',
          created: now(),
          expires_at: now() + 300,
          url: `${base}/connect/onboarding/${link}`,
        },
      };
    }
    // Everything below acts on a connected account (direct charges).
    const acct = account ? accounts.get(account) : undefined;
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (!acct) return fail(400, 'invalid_request_error', 'Checkout needs a connected account (Stripe-Account).');
      if (!acct.charges_enabled) {
        return fail(400, 'invalid_request_error', 'This account cannot currently make live charges.');
      }
      const items = (params.line_items ?? []) as { quantity?: string; price_data?: Obj }[];
      const amount = items.reduce((s, li) => s + Number(li.price_data?.unit_amount ?? 0) * Number(li.quantity ?? 1), 0);
      const sid = id('cs');
      const session = {
        id: sid,
        object: 'checkout.session',
        account: account!,
        mode: params.mode ?? 'payment',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: amount,
        currency: String(items[0]?.price_data?.currency ?? 'cny'),
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        payment_intent: null as string | null,
        payment_intent_data: params.payment_intent_data ?? {},
        success_url: params.success_url,
        cancel_url: params.cancel_url,
        created: now(),
        expires_at: now() + 24 * 3600,
        url: `${base}/checkout/pay/${sid}`,
      };
      sessions.set(sid, session);
      return { status: 200, body: strip(session) };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/checkout\/sessions\/(\w+)$/))) {
      const s = sessions.get(m[1]!);
      return s && s.account === account ? { status: 200, body: strip(s) } : missing('checkout.session', m[1]!);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/payment_intents\/(\w+)$/))) {
      const pi = paymentIntents.get(m[1]!);
      return pi && pi.account === account ? { status: 200, body: strip(pi) } : missing('payment_intent', m[1]!);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = paymentIntents.get(String(params.payment_intent));
      if (!pi || pi.account !== account) return missing('payment_intent', String(params.payment_intent));
      const charge = charges.get(String(pi.latest_charge))!;
      const left = Number(charge.amount) - Number(charge.amount_refunded);
      const amount = params.amount === undefined ? left : Number(params.amount);
      if (!(amount > 0) || amount > left) {
        return fail(400, 'invalid_request_error', `Refund amount exceeds the ${left} left.`, 'amount_too_large');
      }
      charge.amount_refunded = Number(charge.amount_refunded) + amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      const refund = {
        id: id('re'),
        object: 'refund',
        account: account!,
        amount,
        currency: pi.currency,
        payment_intent: pi.id,
        charge: charge.id,
        status: 'succeeded',
        metadata: params.metadata ?? {},
        created: now(),
      };
      refunds.set(refund.id, refund);
      emit('charge.refunded', account!, strip(charge));
      return { status: 200, body: strip(refund) };
    }
    if (method === 'GET' && path === '/v1/events') {
      const gte = Number(query.get('created[gte]') ?? 0);
      const limit = Math.min(100, Number(query.get('limit') ?? 10));
      const after = query.get('starting_after');
      let list = events.filter((e) => e.account === account && e.created >= gte).reverse();
      if (after) list = list.slice(list.findIndex((e) => e.id === after) + 1);
      return {
        status: 200,
        body: { object: 'list', url: '/v1/events', has_more: list.length > limit, data: list.slice(0, limit) },
      };
    }
    return fail(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }

  const hosted = hostedPages({
    accounts,
    sessions,
    completeSession: (sid) => fake.completeSession(sid),
    enableAccount: (acct) => fake.enableAccount(acct),
    sign: (event, secret) => fake.sign(event, secret),
    webhookUrl: options.webhookUrl ?? null,
    demoAccounts: [...accounts.values()],
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        const method = req.method ?? 'GET';
        const account = (req.headers['stripe-account'] as string | undefined) ?? null;
        const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
        const log: FakeRequest = {
          method,
          path: url.pathname,
          account,
          idempotencyKey: key,
          replayed: false,
          status: 0,
        };
        requests.push(log);
        const send = (status: number, body: Obj, extra: Record<string, string> = {}) => {
          log.status = status;
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...extra });
          res.end(JSON.stringify(body));
        };
        // The pages a person's browser opens (Checkout, onboarding) carry no API key.
        if (await hosted.serve(method, url, raw, res)) return;
        if (req.headers.authorization !== `Bearer ${secretKey}`) {
          return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
        }
        const fault = faults.find((f) => f.left > 0 && f.path.test(url.pathname) && (!f.method || f.method === method));
        if (fault) fault.left--;
        if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));

        let result: { status: number; body: Obj };
        const scope = `${account ?? ''}|${key}`;
        const hash = createHash('sha256').update(`${method} ${url.pathname} ${raw}`).digest('hex');
        const seen = key && method === 'POST' ? idempotent.get(scope) : undefined;
        if (seen) {
          if (seen.hash !== hash) {
            return send(400, {
              error: {
                type: 'idempotency_error',
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
              },
            });
          }
          log.replayed = true;
          result = { status: seen.status, body: seen.body };
        } else {
          result = route(method, url.pathname, url.searchParams, method === 'POST' ? parseForm(raw) : {}, account);
          if (key && method === 'POST' && result.status < 500) idempotent.set(scope, { hash, ...result });
        }
        if (fault?.kind === '500-after') {
          return send(500, { error: { type: 'api_error', message: 'An unknown error occurred (injected).' } });
        }
        if (fault?.kind === 'drop') {
          log.status = -1;
          req.socket.destroy();
          return;
        }
        send(result.status, result.body, log.replayed ? { 'idempotent-replayed': 'true' } : {});
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  const fake: StripeFake = {
    url: base,
    secretKey,
    webhookSecret,
    env: { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: base },
    accounts,
    sessions,
    paymentIntents,
    refunds,
    events,
    requests,
    enableAccount(accountId) {
      const acct = accounts.get(accountId);
      if (!acct) throw new Error(`no account ${accountId}`);
      Object.assign(acct, {
        charges_enabled: true,
        details_submitted: true,
        payouts_enabled: true,
        requirements: { currently_due: [], past_due: [], disabled_reason: null },
      });
      return emit('account.updated', accountId, acct);
    },
    completeSession(sessionId) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      if (s.payment_status === 'paid') throw new Error(`session ${sessionId} is already paid`);
      const pid = (s.payment_intent_data ?? {}) as Obj;
      const pi = {
        id: id('pi'),
        object: 'payment_intent',
        account: s.account,
        amount: s.amount_total,
        amount_received: s.amount_total,
        currency: s.currency,
        status: 'succeeded',
        application_fee_amount: pid.application_fee_amount === undefined ? null : Number(pid.application_fee_amount),
        metadata: pid.metadata ?? {},
        latest_charge: id('ch'),
        created: now(),
      };
      const charge = {
        id: pi.latest_charge,
        object: 'charge',
        account: s.account,
        amount: s.amount_total,
        amount_refunded: 0,
        refunded: false,
        currency: s.currency,
        paid: true,
        status: 'succeeded',
        payment_intent: pi.id,
        created: now(),
      };
      paymentIntents.set(pi.id, pi);
      charges.set(charge.id, charge);
      Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: pi.id });
      return [
        emit('payment_intent.created', s.account, {
          ...strip(pi),
          status: 'requires_payment_method',
          amount_received: 0,
        }),
        emit('charge.succeeded', s.account, strip(charge)),
        emit('payment_intent.succeeded', s.account, strip(pi)),
        emit('checkout.session.completed', s.account, strip(s)),
      ];
    },
    sign(event, secret = webhookSecret) {
      const payload = JSON.stringify(event);
      return { payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
    },
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    deliverWebhooksTo: (url) => hosted.setWebhookUrl(url),
    holdWebhooks: () => hosted.hold(),
    releaseWebhooks: () => hosted.release(),
    deliveries: hosted.deliveries,
  };
  return fake;
}
