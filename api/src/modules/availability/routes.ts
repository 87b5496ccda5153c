import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bookingMode } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, IdParams, problems } from '../../lib/schema.ts';
import { instrumentAvailability } from './service.ts';

const AvailabilityQuery = Type.Object({
  from: DateTime,
  to: DateTime,
  durationMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
  mode: Type.Optional(Type.Enum(bookingMode.enumValues)),
});
const Availability = Type.Object({
  timeZone: Type.String({ description: "The site's IANA zone; slots are UTC instants" }),
  slots: Type.Array(Type.Object({ start: DateTime, end: DateTime, unitsFree: Type.Integer({ minimum: 1 }) })),
});

export const availabilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/instruments/:id/availability',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Free slots of a given length: opening hours (holidays, 调休) minus closures and bookings',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: Availability, ...problems(400, 404) },
      },
    },
    async (request) =>
      instrumentAvailability(
        { db: app.ctx.db, clock: app.ctx.clock },
        { instrumentId: request.params.id, ...request.query, mode: request.query.mode ?? 'self' },
      ),
  );
};
