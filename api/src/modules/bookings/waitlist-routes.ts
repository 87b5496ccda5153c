import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bookingMode, waitlistStatus } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, IdParams, Nullable, problems, Uuid } from '../../lib/schema.ts';
import { Instant } from './schema.ts';
import { cancelWaitlistEntry, joinWaitlist, listMyWaitlist } from './waitlist.ts';

const WaitlistCreate = Type.Object(
  {
    instrumentId: Uuid,
    start: Instant,
    end: Instant,
    mode: Type.Enum(bookingMode.enumValues),
  },
  { additionalProperties: false },
);
const WaitlistOut = Type.Object({
  id: Uuid,
  instrumentId: Uuid,
  labId: Uuid,
  start: DateTime,
  end: DateTime,
  mode: Type.Enum(bookingMode.enumValues),
  status: Type.Enum(waitlistStatus.enumValues),
  offeredBookingId: Nullable(Uuid),
  offerExpiresAt: Nullable(DateTime),
  createdAt: DateTime,
});

/** The waitlist: waiting for a taken time, offered it when it frees up. */
export const waitlistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.post(
    '/v1/waitlist',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Wait for a taken time; when it frees up the first in line is offered a held booking',
        body: WaitlistCreate,
        response: { 201: WaitlistOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await joinWaitlist(deps(), request.actor, request.body)),
  );

  app.get(
    '/v1/waitlist',
    {
      schema: {
        tags: ['bookings'],
        summary: "The caller's waitlist entries",
        response: { 200: Type.Object({ items: Type.Array(WaitlistOut) }), ...problems(401, 403) },
      },
    },
    async (request) => listMyWaitlist(deps(), request.actor),
  );

  app.post(
    '/v1/waitlist/:id/cancel',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Leave the waitlist (an open offer is declined: its hold is released)',
        params: IdParams,
        response: { 200: WaitlistOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => cancelWaitlistEntry(deps(), request.actor, request.params.id),
  );
};
