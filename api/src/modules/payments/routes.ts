import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import { paymentMethods, startCheckout } from './checkout.ts';
import type { PaymentDeps } from './deps.ts';
import { setFeeRate } from './fees.ts';
import { accountStatus, startOnboarding } from './onboarding.ts';
import { refundInvoice } from './refunds.ts';
import { cardOnFileRoutes } from './routes-cards.ts';
import {
  CheckoutOut,
  FeeRateIn,
  FeeRateOut,
  LabIdParams,
  OnboardingOut,
  PaymentMethodsOut,
  ProcessorAccountOut,
  RefundIn,
  RefundOut,
  RegionParams,
  WebhookAck,
} from './schema.ts';
import { stripeProvider } from './stripe-adapter.ts';
import { receiveWebhook } from './webhooks.ts';

/** Card payments (Stripe Connect direct charges on the lab's account), offered only with STRIPE_SECRET_KEY. */
export const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const provider = app.ctx.config.stripe ? stripeProvider(app.ctx.config.stripe) : null;
  const deps = (): PaymentDeps => ({
    db: app.ctx.db,
    clock: app.ctx.clock,
    provider,
    webUrl: app.ctx.config.publicWebUrl,
  });

  app.get(
    '/v1/invoices/:id/payment-methods',
    documented(
      ['money'],
      { params: IdParams, answer: PaymentMethodsOut, problems: [400, 401, 404] },
      'How this invoice can be paid now: bank transfer and vouchers, and card when offered and the lab takes cards',
    ),
    async (request) => paymentMethods(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/invoices/:id/checkout',
    documented(
      ['money'],
      { params: IdParams, answer: CheckoutOut, problems: [400, 401, 403, 404, 409, 422, 502] },
      'Starts a card payment of the amount due (customer members): a hosted Checkout page on the lab’s own merchant account. The invoice turns paid only when the processor confirms it (webhook), never from the browser’s return',
    ),
    async (request) => startCheckout(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/invoices/:id/refunds',
    documented(
      ['money'],
      { params: IdParams, body: RefundIn, answer: RefundOut, problems: [400, 401, 403, 404, 409, 422, 502] },
      'Refunds (part of) a card payment of the invoice through the processor (the issuing lab’s managers); a retry never refunds twice',
    ),
    async (request) => refundInvoice(deps(), request.actor, request.params.id, { amount: request.body.amount.amount }),
  );

  app.get(
    '/v1/labs/:labId/stripe',
    documented(
      ['money'],
      { params: LabIdParams, answer: ProcessorAccountOut, problems: [400, 401, 403, 404] },
      'Whether cards are offered and the lab’s Stripe account status (managers and staff)',
    ),
    async (request) => accountStatus(deps(), request.actor, request.params.labId),
  );

  app.post(
    '/v1/labs/:labId/stripe/onboarding',
    documented(
      ['money'],
      { params: LabIdParams, answer: OnboardingOut, problems: [400, 401, 403, 404, 422, 502] },
      'Creates the lab’s Stripe connected account (once) and answers an onboarding link (lab managers)',
    ),
    async (request) => startOnboarding(deps(), request.actor, request.params.labId),
  );

  app.put(
    '/v1/admin/fee-rates/:regionCode',
    documented(
      ['money'],
      { params: RegionParams, body: FeeRateIn, answer: FeeRateOut, problems: [400, 401, 403, 404] },
      'Sets the platform’s service fee for labs in a region (basis points, default 0), taken at source on card payments',
    ),
    async (request) => setFeeRate(deps(), request.actor, request.params.regionCode, request.body.rateBp),
  );

  await app.register(cardOnFileRoutes(deps));

  // The signature is over the exact bytes Stripe sent: this route alone reads its body raw.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(
      '/v1/webhooks/stripe',
      {
        ...documented(
          ['money'],
          { answer: WebhookAck, problems: [400, 404] },
          'Stripe webhook (signed, raw JSON body): stored by event id and processed by a job that re-reads the object',
        ),
        config: { rawBody: true },
      },
      async (request) => {
        const signature = request.headers['stripe-signature'];
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return receiveWebhook(deps(), raw, typeof signature === 'string' ? signature : undefined);
      },
    );
  });
};
