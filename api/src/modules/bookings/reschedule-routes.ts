import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, problems, Uuid } from '../../lib/schema.ts';
import { rescheduleBooking } from './reschedule.ts';
import { BookingOut, Instant } from './schema.ts';

const RescheduleBody = Type.Object({ start: Instant, end: Instant }, { additionalProperties: false });
const RescheduleOut = Type.Object({
  booking: BookingOut,
  previous: Type.Intersect([BookingOut, Type.Object({ rescheduledTo: Uuid })]),
});

/** Moving a booking to another time (built on vetSlot/insertHold). */
export const bookingRescheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.post(
    '/v1/bookings/:id/reschedule',
    {
      schema: {
        tags: ['bookings'],
        summary:
          'Move a booking to another time (its customer, before it starts, never with a fee): the new slot is held before the old is released',
        params: IdParams,
        body: RescheduleBody,
        response: { 201: RescheduleOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await rescheduleBooking(deps(), request.actor, request.params.id, request.body)),
  );
};
