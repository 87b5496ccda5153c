import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, Page, problems } from '../../lib/schema.ts';
import { BookingCreate, BookingListQuery, BookingOut, IdempotencyHeaders } from './schema.ts';
import { Type } from 'typebox';
import * as lifecycle from './lifecycle.ts';
import * as bookings from './service.ts';

export const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.post(
    '/v1/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Hold a slot on an instrument (optional Idempotency-Key: a repeat returns the first answer)',
        headers: IdempotencyHeaders,
        body: BookingCreate,
        response: { 201: BookingOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await bookings.createBooking(
        deps(),
        request.actor,
        request.body,
        request.headers['idempotency-key'],
      );
      // A replay answers exactly as the first request did.
      return reply.code(201).header('idempotent-replayed', String(result.replayed)).send(result.body);
    },
  );

  app.get(
    '/v1/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary: "Bookings of the caller's organisations (as customer or as lab)",
        querystring: BookingListQuery,
        response: { 200: Page(BookingOut), ...problems(400, 401) },
      },
    },
    async (request) => bookings.listBookings(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/bookings/:id',
    {
      schema: {
        tags: ['bookings'],
        summary: 'One booking (its customer and its lab only)',
        params: IdParams,
        response: { 200: BookingOut, ...problems(400, 401, 404) },
      },
    },
    async (request) => bookings.getBooking(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/bookings/:id/cancel',
    {
      schema: {
        tags: ['bookings'],
        summary: "Cancel a booking; inside the policy's cut-off its fee applies",
        params: IdParams,
        response: { 200: BookingOut, ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => lifecycle.cancelBooking(deps(), request.actor, request.params.id),
  );

  const transitions = [
    [
      'confirm',
      'Confirm a held slot: it goes to the lab for approval, or straight to confirmed',
      lifecycle.confirmBooking,
    ],
    ['approve', 'Approve a booking (the lab)', lifecycle.approveBooking],
    ['check-in', 'Start of use: checked in by the lab or by the user at the instrument', lifecycle.checkInBooking],
    ['check-out', 'End of use: records actual time and the billable amount', lifecycle.checkOutBooking],
  ] as const;
  for (const [verb, summary, run] of transitions) {
    app.post(
      `/v1/bookings/:id/${verb}`,
      {
        schema: {
          tags: ['bookings'],
          summary,
          params: IdParams,
          response: { 200: BookingOut, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => run(deps(), request.actor, request.params.id),
    );
  }

  app.post(
    '/v1/bookings/:id/reject',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Reject a booking with a reason (the lab)',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: BookingOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => lifecycle.rejectBooking(deps(), request.actor, request.params.id, request.body.reason),
  );
};
