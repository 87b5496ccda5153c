import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bookingMode } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, IdParams, MoneyOrNull, Nullable, RegionCode, Uuid, problems } from '../../lib/schema.ts';
import { instrumentAvailability, searchAvailability } from './service.ts';

const Mode = Type.Enum(bookingMode.enumValues, {
  description: 'self (default) or assisted: assisted slots also need a qualified operator free for the whole slot',
});
const AvailabilityQuery = Type.Object({
  from: DateTime,
  to: DateTime,
  durationMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
  mode: Type.Optional(Mode),
});
const Slot = Type.Object({ start: DateTime, end: DateTime, unitsFree: Type.Integer({ minimum: 1 }) });
const Availability = Type.Object({
  timeZone: Type.String({ description: "The site's IANA zone; slots are UTC instants" }),
  slots: Type.Array(Slot),
});

const SearchQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 50, description: 'Instrument category code, e.g. sem' })),
  region: Type.Optional(RegionCode),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Words in Chinese or English' })),
  from: DateTime,
  to: DateTime,
  durationMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
  mode: Type.Optional(Mode),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  ids: Type.Optional(
    Type.Array(Uuid, {
      maxItems: 50,
      description: 'Only these instruments (repeat the parameter), e.g. the cards of a catalogue page',
    }),
  ),
});
const SearchResult = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Uuid,
      nameZh: Type.String(),
      nameEn: Type.String(),
      lab: Type.Object({ id: Uuid, nameZh: Type.String(), nameEn: Type.String() }),
      site: Type.Object({
        id: Uuid,
        nameZh: Type.String(),
        nameEn: Type.String(),
        cityZh: Nullable(Type.String()),
        cityEn: Nullable(Type.String()),
        timeZone: Type.String(),
      }),
      externalHourlyRate: MoneyOrNull,
      slots: Type.Array(Slot, {
        description: 'The earliest free slots (up to 3), as the instrument endpoint lists them',
      }),
    }),
  ),
  considered: Type.Integer({ description: 'Matching instruments looked at' }),
  truncated: Type.Boolean({ description: 'More instruments matched than one search looks at: narrow the filters' }),
});

export const availabilityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/instruments/:id/availability',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Free slots of a given length: opening hours (holidays, 调休) minus closures and bookings',
        description: 'At most 31 days per request (422 invalid_span).',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: Availability, ...problems(400, 404, 422) },
      },
    },
    async (request) =>
      instrumentAvailability(deps(), request.actor, {
        instrumentId: request.params.id,
        ...request.query,
        mode: request.query.mode ?? 'self',
      }),
  );

  app.get(
    '/v1/availability/search',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Instruments free for a given length of time, each with its earliest slots, soonest first',
        description:
          'Catalogue filters (category, region, q) over instruments of admitted labs rented by the hour; ' +
          'at most 31 days per request (422 invalid_span) and the first 250 matching instruments.',
        querystring: SearchQuery,
        response: { 200: SearchResult, ...problems(400, 422) },
      },
    },
    async (request) => searchAvailability(deps(), request.query),
  );
};
