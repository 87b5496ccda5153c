import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { refuseStrangers } from '../../plugins/auth.ts';
import { documented } from '../../lib/route.ts';
import { IdParams, Page, problems } from '../../lib/schema.ts';
import { IdempotencyHeaders } from '../bookings/index.ts';
import {
  assertMayStorePhoto,
  PHOTO_CONTENT_TYPES,
  readSamplePhoto,
  receiveSample,
  rejectSample,
  storeSamplePhoto,
} from './samples.ts';
import {
  AcceptBody,
  ObjectionParams,
  OptionalReasonBody,
  OrderCreate,
  OrderDetailOut,
  OrderListQuery,
  OrderOut,
  OrderSampleParams,
  OrderSettingsBody,
  OrderSettingsOut,
  QuoteBody,
  ReasonBody,
  ReceiveBody,
  ResolveBody,
  ScheduleBody,
  ScopeMatchesOut,
} from './schema.ts';
import { acceptOrder, declineOrder } from './acceptance.ts';
import { orderScopeMatches } from './accreditation-scope-choice.ts';
import { cancelOrder } from './cancellation.ts';
import { closeOrder, raiseObjection, resolveObjection } from './objections.ts';
import { getOrder, listOrders } from './queries.ts';
import { quoteOrder } from './quote.ts';
import { createOrder } from './request.ts';
import { getOrderSettings, putOrderSettings } from './settings.ts';
import { deliverOrder, scheduleOrder, startOrder } from './work.ts';

/** Orders: request, quote, accept with the commission form, samples, scheduling, cancellation, objections. */
export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  const fileDeps = () => ({ ...deps(), filesDir: app.ctx.config.filesDir });

  // Every order route is for a signed-in caller: a stranger is refused here, before any body is read.
  app.addHook('onRequest', refuseStrangers);

  app.post(
    '/v1/orders',
    documented(
      ['orders'],
      {
        headers: IdempotencyHeaders,
        body: OrderCreate,
        answer: OrderDetailOut,
        status: 201,
        problems: [400, 401, 403, 404, 422],
      },
      'Request an order from a lab (enterprise members); fixed-price services are quoted at once when the lab allows it. Optional Idempotency-Key',
    ),
    async (request, reply) => {
      const result = await createOrder(deps(), request.actor, request.body, request.headers['idempotency-key']);
      return reply.code(201).header('idempotent-replayed', String(result.replayed)).send(result.body);
    },
  );

  app.get(
    '/v1/orders',
    documented(
      ['orders'],
      { querystring: OrderListQuery, answer: Page(OrderOut), problems: [400, 401] },
      "The caller's orders: as=customer (its enterprises'), lab (its labs'), officer (assigned enterprises')",
    ),
    async (request) => listOrders(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/orders/:id',
    documented(
      ['orders'],
      { params: IdParams, answer: OrderDetailOut, problems: [400, 401, 404] },
      'One order with lines, samples, timeline, scheduled bookings, reports and objections',
    ),
    async (request) => getOrder(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/orders/:id/scope-matches',
    documented(
      ['orders'],
      { params: IdParams, answer: ScopeMatchesOut, problems: [400, 401, 403, 404] },
      "The lab's valid CMA / CNAS scope items and, per line, the one chosen, the ones its wording matches and the closest (the lab's members)",
    ),
    async (request) => orderScopeMatches(deps(), request.actor, request.params.id),
  );

  const step = { 200: OrderDetailOut, ...problems(400, 401, 403, 404, 409, 422) };

  app.post(
    '/v1/orders/:id/quote',
    {
      schema: {
        tags: ['orders'],
        summary: 'Quote (or re-quote) the order: price each line, add or withdraw lines, set the validity (lab)',
        params: IdParams,
        body: QuoteBody,
        response: step,
      },
    },
    async (request) => quoteOrder(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/orders/:id/accept',
    {
      schema: {
        tags: ['orders'],
        summary: 'Accept the quote with the commission form (委托单) and a deadline or expedite tier (customer)',
        params: IdParams,
        body: AcceptBody,
        response: step,
      },
    },
    async (request) => acceptOrder(deps(), request.actor, request.params.id, request.body),
  );

  app.post(
    '/v1/orders/:id/decline',
    {
      schema: {
        tags: ['orders'],
        summary: 'Decline the quote; the order is cancelled without a fee (customer)',
        params: IdParams,
        body: Type.Optional(OptionalReasonBody),
        response: step,
      },
    },
    async (request) => declineOrder(deps(), request.actor, request.params.id, request.body?.reason),
  );

  app.post(
    '/v1/orders/:id/samples/:sampleId/receive',
    {
      schema: {
        tags: ['orders'],
        summary: 'Receive a sample: condition on arrival, quantity, storage (lab managers and staff)',
        params: OrderSampleParams,
        body: ReceiveBody,
        response: step,
      },
    },
    async (request) => receiveSample(deps(), request.actor, request.params.id, request.params.sampleId, request.body),
  );

  app.post(
    '/v1/orders/:id/samples/:sampleId/reject',
    {
      schema: {
        tags: ['orders'],
        summary: 'Reject a sample with a reason (lab managers and staff)',
        params: OrderSampleParams,
        body: ReasonBody,
        response: step,
      },
    },
    async (request) =>
      rejectSample(deps(), request.actor, request.params.id, request.params.sampleId, request.body.reason),
  );

  // Sample photos arrive as the raw image body (Content-Type image/jpeg, image/png or image/webp), on
  // this route alone: an image body anywhere else is 415 before it is read. The parser buffers up to
  // UPLOAD_MAX_BYTES, so who may upload is decided first, in preParsing.
  const photoRoutes: FastifyPluginAsyncTypebox = async (photos) => {
    photos.addContentTypeParser(
      PHOTO_CONTENT_TYPES,
      { parseAs: 'buffer', bodyLimit: app.ctx.config.uploadMaxBytes },
      (_request, body, done) => done(null, body),
    );
    photos.post(
      '/v1/orders/:id/samples/:sampleId/photo',
      {
        schema: {
          tags: ['orders'],
          summary:
            'Upload the arrival photo of a sample: the raw image as the body (image/jpeg, image/png, image/webp)',
          params: OrderSampleParams,
          response: { ...step, ...problems(413, 415) },
        },
        preParsing: async (request) => {
          // Params are validated after parsing; malformed ones are left to that 400.
          if (Value.Check(OrderSampleParams, request.params)) {
            await assertMayStorePhoto(deps(), request.actor, request.params.id);
          }
        },
      },
      async (request) =>
        storeSamplePhoto(
          fileDeps(),
          request.actor,
          request.params.id,
          request.params.sampleId,
          request.headers['content-type'] ?? '',
          request.body,
        ),
    );
  };
  await app.register(photoRoutes);

  app.get(
    '/v1/orders/:id/samples/:sampleId/photo',
    {
      schema: {
        tags: ['orders'],
        summary: 'The arrival photo of a sample (the customer and the lab only)',
        params: OrderSampleParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: {
          200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const photo = await readSamplePhoto(fileDeps(), request.actor, request.params.id, request.params.sampleId);
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(photo.data);
    },
  );

  app.post(
    '/v1/orders/:id/schedule',
    {
      schema: {
        tags: ['orders'],
        summary:
          "Book one of the lab's instruments for the order through the booking engine (confirmed at once, internal rate)",
        params: IdParams,
        body: ScheduleBody,
        response: step,
      },
    },
    async (request) => scheduleOrder(deps(), request.actor, request.params.id, request.body),
  );

  const simple = [
    ['start', 'Start work once the samples are in (lab)', startOrder],
    [
      'deliver',
      'Deliver an order that has no samples (consulting, training): in_progress → report_issued (lab)',
      deliverOrder,
    ],
    ['close', 'Accept the report early and close the order (customer; no open objection)', closeOrder],
  ] as const;
  for (const [verb, summary, run] of simple) {
    app.post(
      `/v1/orders/:id/${verb}`,
      { schema: { tags: ['orders'], summary, params: IdParams, response: step } },
      async (request) => run(deps(), request.actor, request.params.id),
    );
  }

  app.post(
    '/v1/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        summary:
          'Cancel: the customer free until samples arrive, then with a 20 % fee until work starts; the lab manager any time before the report is issued',
        params: IdParams,
        body: ReasonBody,
        response: step,
      },
    },
    async (request) => cancelOrder(deps(), request.actor, request.params.id, request.body.reason),
  );

  app.post(
    '/v1/orders/:id/objections',
    {
      schema: {
        tags: ['orders'],
        summary: 'Object to the issued report within the objection window (customer)',
        params: IdParams,
        body: ReasonBody,
        response: { ...step, 201: OrderDetailOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await raiseObjection(deps(), request.actor, request.params.id, request.body.reason)),
  );

  app.post(
    '/v1/orders/:id/objections/:objectionId/resolve',
    {
      schema: {
        tags: ['orders'],
        summary: 'Resolve an objection (lab manager): upheld reopens the work as a re-test, dismissed keeps the report',
        params: ObjectionParams,
        body: ResolveBody,
        response: step,
      },
    },
    async (request) =>
      resolveObjection(deps(), request.actor, request.params.id, request.params.objectionId, request.body),
  );

  app.get(
    '/v1/labs/:id/order-settings',
    documented(
      ['orders'],
      { params: IdParams, answer: OrderSettingsOut, problems: [400, 401, 403, 404] },
      "The lab's order settings (its members): report prefix, objection days, expedite surcharges, auto-quote",
    ),
    async (request) => getOrderSettings(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/labs/:id/order-settings',
    documented(
      ['orders'],
      { params: IdParams, body: OrderSettingsBody, answer: OrderSettingsOut, problems: [400, 401, 403, 404, 409] },
      "Change the lab's order settings (its managers); a report prefix names one lab (409 report_prefix_taken)",
    ),
    async (request) => putOrderSettings(deps(), request.actor, request.params.id, request.body),
  );
};
