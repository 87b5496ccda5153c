import type http from 'node:http';

/**
 * The Stripe fake's pages that a person's browser opens (stripe-fake.ts), kept apart from the API
 * routes: the hosted Checkout page (`session.url`) and the Connect onboarding page (an account link's
 * `url`), plus the signed webhook delivery that follows what happens on them, as Stripe would send
 * it to the platform's endpoint. Pay completes the session (PaymentIntent succeeded with the
 * application fee) and delivers `payment_intent.succeeded` and `checkout.session.completed` before
 * sending the browser to `success_url`; Cancel only sends it to `cancel_url`.
 */

type Obj = Record<string, unknown>;

export interface WebhookDelivery {
  eventId: string;
  type: string;
  /** The endpoint's HTTP status; 0 when it could not be reached. */
  status: number;
}

export interface HostedPagesContext {
  accounts: Map<string, Obj>;
  sessions: Map<string, Obj & { account: string }>;
  completeSession(sessionId: string): Obj[];
  enableAccount(accountId: string): Obj;
  sign(event: Obj, secret?: string): { payload: string; header: string };
  webhookUrl: string | null;
  demoAccounts: Obj[];
}

export interface HostedPages {
  /** Account links handed out: where the onboarding page sends the browser back. */
  links: Map<string, { returnUrl: string; refreshUrl: string; used?: boolean }>;
  /** The pre-onboarded account a demo lab adopts when it connects (`pnpm stripe:fake`). */
  demoAccountFor(params: Obj): Obj | undefined;
  /** Answers a browser page; false when the request is an API call. */
  serve(method: string, url: URL, raw: string, res: http.ServerResponse): Promise<boolean>;
  deliveries: WebhookDelivery[];
  setWebhookUrl(url: string | null): void;
  hold(): void;
  release(): Promise<number>;
}

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}
main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 2px 8px #0001}
.test{background:#fff3cd;color:#6b4e00;font-size:.8rem;padding:.25rem .5rem;border-radius:4px;display:inline-block}
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem}
label{display:block;font-size:.85rem;margin:.75rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #ccd;border-radius:4px;font-size:1rem}
.row{display:flex;gap:.5rem}
button{width:100%;padding:.7rem;margin-top:1rem;border:0;border-radius:4px;font-size:1rem;cursor:pointer}
.pay{background:#635bff;color:#fff}.cancel{background:#eef;color:#1a1f36}
ul{padding-left:1.2rem}
</style></head><body><main>${body}</main></body></html>`;

export function hostedPages(ctx: HostedPagesContext): HostedPages {
  const links: HostedPages['links'] = new Map();
  const deliveries: WebhookDelivery[] = [];
  let webhookUrl = ctx.webhookUrl;
  let held = false;
  const waiting: Obj[] = [];

  async function deliver(events: Obj[]) {
    if (held) {
      waiting.push(...events);
      return;
    }
    if (!webhookUrl) return;
    for (const event of events) {
      const { payload, header } = ctx.sign(event);
      let status = 0;
      try {
        const res = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          body: payload,
        });
        status = res.status;
      } catch {
        // Unreachable: Stripe would retry for days; the platform's daily sweep lists the events anyway.
      }
      deliveries.push({ eventId: String(event.id), type: String(event.type), status });
    }
  }

  const html = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  const redirect = (res: http.ServerResponse, to: string) => {
    res.writeHead(303, { location: to, 'cache-control': 'no-store' });
    res.end();
  };

  function checkoutPage(s: Obj & { account: string }) {
    const acct = ctx.accounts.get(s.account) ?? {};
    const merchant = ((acct.business_profile ?? {}) as Obj).name ?? s.account;
    const meta = (s.metadata ?? {}) as Obj;
    const amount = `${String(s.currency).toUpperCase() === 'CNY' ? '¥' : `${String(s.currency).toUpperCase()} `}${(
      Number(s.amount_total) / 100
    ).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    if (s.status !== 'open') {
      return page(
        'Checkout',
        `<p class="test">测试模式 Test mode</p><h1>已完成 Completed</h1>
<p data-testid="fake-checkout-done">此付款已完成。 This payment is complete.</p>
<p><a href="${escape(s.success_url)}">返回 Back</a></p>`,
      );
    }
    return page(
      `支付 Pay ${merchant}`,
      `<p class="test">测试模式 Test mode · Stripe Checkout (fake)</p>
<p data-testid="fake-checkout-merchant">${escape(merchant)}</p>
<p class="amount" data-testid="fake-checkout-amount">${escape(amount)}</p>
<p>${escape(meta.invoiceNumber ? `账单 Invoice ${String(meta.invoiceNumber)}` : '')}</p>
<form method="post">
<label for="email">邮箱 Email</label><input id="email" name="email" type="email" value="pay@example.test">
<label for="card">卡号 Card number</label><input id="card" name="card" inputmode="numeric" value="4242 4242 4242 4242">
<div class="row"><div><label for="exp">有效期 Expiry</label><input id="exp" name="exp" value="12 / 34"></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" value="123"></div></div>
<button class="pay" name="action" value="pay" data-testid="fake-checkout-pay">支付 Pay ${escape(amount)}</button>
<button class="cancel" name="action" value="cancel" data-testid="fake-checkout-cancel">取消 Cancel</button>
</form>`,
    );
  }

  function onboardingPage(acct: Obj) {
    const due = (((acct.requirements ?? {}) as Obj).currently_due ?? []) as string[];
    const name = ((acct.business_profile ?? {}) as Obj).name ?? acct.id;
    return page(
      'Stripe Express',
      `<p class="test">测试模式 Test mode · Stripe Connect onboarding (fake)</p>
<h1 data-testid="fake-onboarding-account">${escape(name)}</h1>
<p>${escape(acct.id)}</p>
${due.length ? `<p>待补充 Still due:</p><ul>${due.map((d) => `<li>${escape(d)}</li>`).join('')}</ul>` : '<p>资料齐全 Nothing due.</p>'}
<form method="post">
<button class="pay" name="action" value="submit" data-testid="fake-onboarding-submit">提交资料 Submit details</button>
<button class="cancel" name="action" value="later" data-testid="fake-onboarding-later">稍后 Later</button>
</form>`,
    );
  }

  return {
    links,
    deliveries,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    hold() {
      held = true;
    },
    async release() {
      held = false;
      const events = waiting.splice(0);
      await deliver(events);
      return events.length;
    },
    demoAccountFor(params) {
      const labId = ((params.metadata ?? {}) as Obj).labId;
      return ctx.demoAccounts.find((a) => ((a.metadata ?? {}) as Obj).labId === labId && labId !== undefined);
    },
    async serve(method, url, raw, res) {
      let m: RegExpMatchArray | null;
      if ((m = url.pathname.match(/^\/checkout\/pay\/(\w+)$/))) {
        const s = ctx.sessions.get(m[1]!);
        if (!s) {
          html(res, 404, page('Checkout', '<h1>404</h1><p>没有这个付款页。 No such checkout session.</p>'));
          return true;
        }
        if (method === 'GET') {
          html(res, 200, checkoutPage(s));
          return true;
        }
        const action = new URLSearchParams(raw).get('action');
        const back = (u: unknown) => String(u).replace('{CHECKOUT_SESSION_ID}', String(s.id));
        if (action === 'cancel' || s.status !== 'open') {
          redirect(res, back(action === 'cancel' ? s.cancel_url : s.success_url));
          return true;
        }
        const events = ctx.completeSession(String(s.id));
        await deliver(events);
        redirect(res, back(s.success_url));
        return true;
      }
      if ((m = url.pathname.match(/^\/connect\/onboarding\/(\w+)\/(\w+)$/))) {
        const key = `${m[1]}/${m[2]}`;
        const link = links.get(key);
        const acct = ctx.accounts.get(m[1]!);
        if (!link || !acct) {
          html(res, 404, page('Stripe Express', '<h1>404</h1><p>链接无效。 No such account link.</p>'));
          return true;
        }
        // An account link is single use: opened again, it sends the browser to refresh_url.
        if (method === 'GET') {
          if (link.used) redirect(res, link.refreshUrl);
          else html(res, 200, onboardingPage(acct));
          return true;
        }
        link.used = true;
        if (new URLSearchParams(raw).get('action') === 'submit') await deliver([ctx.enableAccount(m[1]!)]);
        redirect(res, link.returnUrl);
        return true;
      }
      return false;
    },
  };
}
