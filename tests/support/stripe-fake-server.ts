/**
 * `pnpm stripe:fake`: the tests' Stripe fake (stripe-fake.ts) as a long-running local server, so the
 * product can be run with card payments and no Stripe account. It listens on a fixed port
 * (STRIPE_FAKE_PORT, default 12111), signs with a fixed webhook secret, delivers the events of its
 * Checkout and onboarding pages to the API's webhook endpoint, and holds a connected account for the
 * demo Suzhou institute (lab@) that is already onboarded: the lab connects it once in
 * 财务 → 银行卡 and can take cards at once. Everything is in memory: restarting it forgets sessions
 * and accounts (connect again). Nothing here ever talks to Stripe.
 */
import { DEMO_LAB_ID } from '@qihub/db/seed';
import { startStripeFake } from './stripe-fake.ts';

const port = Number(process.env.STRIPE_FAKE_PORT ?? 12111);
const apiUrl = (process.env.PUBLIC_API_URL ?? `http://localhost:${process.env.API_PORT ?? 3001}`).replace(/\/+$/, '');
const webhookUrl = `${apiUrl}/v1/webhooks/stripe`;
const demoAccount = 'acct_qihubdemo_sqi';

const fake = await startStripeFake({
  port,
  webhookSecret: 'whsec_qihub_local_fake_only',
  webhookUrl,
  demoAccounts: [{ id: demoAccount, labId: DEMO_LAB_ID, name: 'Suzhou Provincial Institute of Quality Inspection' }],
});

const env = { ...fake.env, STRIPE_CHECKOUT_ORIGIN: fake.url };
console.log(`Stripe fake on ${fake.url}; webhooks go to ${webhookUrl} (signed).
Demo connected account ${demoAccount} (onboarded) for the demo lab ${DEMO_LAB_ID}.

Start the product with these set (API, worker and web), e.g. in .env:

${Object.entries(env)
  .map(([k, v]) => `${k}=${v}`)
  .join('\n')}

Then: lab@demo.qihub.test → 实验室控制台 → 财务 → 银行卡 → 连接商户账户; sme@demo.qihub.test pays an
open invoice (我的账单) by card on the fake's page. Ctrl-C stops the fake.`);

const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
