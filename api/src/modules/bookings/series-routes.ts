import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bookingMode } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, IdParams, problems, Uuid } from '../../lib/schema.ts';
import { BookingOut } from './schema.ts';
import { cancelSeries, confirmSeries, createSeries, getSeries } from './series.ts';

const SeriesCreate = Type.Object(
  {
    instrumentId: Uuid,
    localStart: Type.String({
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$',
      description: "First occurrence in the site's wall-clock time, e.g. 2026-12-01T09:00",
    }),
    durationMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
    rule: Type.String({
      minLength: 6,
      maxLength: 200,
      description:
        'RFC 5545 RRULE subset: FREQ=DAILY|WEEKLY, INTERVAL, BYDAY, COUNT or UNTIL; at most 52 occurrences. ' +
        'A local time in a spring-forward gap moves forward by the gap; an ambiguous one is its first instant.',
      examples: ['FREQ=WEEKLY;BYDAY=TU;COUNT=8'],
    }),
    mode: Type.Enum(bookingMode.enumValues),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    onConflict: Type.Union([Type.Literal('all_or_nothing'), Type.Literal('skip')], { default: 'all_or_nothing' }),
  },
  { additionalProperties: false },
);

const SeriesOut = Type.Object({
  id: Uuid,
  instrumentId: Uuid,
  rule: Type.String(),
  localStart: Type.String(),
  timeZone: Type.String(),
  durationMinutes: Type.Integer(),
  mode: Type.Enum(bookingMode.enumValues),
  createdAt: DateTime,
});
const SeriesConflictOut = Type.Object({
  start: DateTime,
  end: DateTime,
  code: Type.String({ description: 'slot_unavailable, or the booking rule broken (lead_time, horizon …)' }),
  message: Type.String(),
});
const SeriesCreated = Type.Object({
  series: SeriesOut,
  bookings: Type.Array(BookingOut),
  conflicts: Type.Array(SeriesConflictOut),
});
const SeriesDetail = Type.Object({ series: SeriesOut, bookings: Type.Array(BookingOut) });
const SeriesCancelled = Type.Object({
  series: SeriesOut,
  bookings: Type.Array(BookingOut),
  cancelled: Type.Array(Uuid),
});
const SeriesCancelBody = Type.Object(
  {
    fromBookingId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Cancel this occurrence and the following ones' }),
    ),
  },
  { additionalProperties: false },
);

/** Recurring booking series: held, confirmed and cancelled together. */
export const bookingSeriesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.post(
    '/v1/booking-series',
    {
      schema: {
        tags: ['bookings'],
        summary:
          "Hold a recurring series, expanded in the site's wall-clock time; all_or_nothing (default) or skip the conflicting occurrences",
        body: SeriesCreate,
        response: { 201: SeriesCreated, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await createSeries(deps(), request.actor, {
          ...request.body,
          onConflict: request.body.onConflict ?? 'all_or_nothing',
        }),
      ),
  );

  app.get(
    '/v1/booking-series/:id',
    {
      schema: {
        tags: ['bookings'],
        summary: 'A series and its occurrences (its customer and its lab only)',
        params: IdParams,
        response: { 200: SeriesDetail, ...problems(400, 401, 404) },
      },
    },
    async (request) => getSeries(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/booking-series/:id/confirm',
    {
      schema: {
        tags: ['bookings'],
        summary: 'Confirm every held occurrence of a series (to approval or confirmed, per the policy)',
        params: IdParams,
        response: { 200: SeriesDetail, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => confirmSeries(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/booking-series/:id/cancel',
    {
      schema: {
        tags: ['bookings'],
        summary:
          'Cancel the future occurrences of a series, or one occurrence and the following (cancel a single one with POST /v1/bookings/{id}/cancel)',
        params: IdParams,
        body: SeriesCancelBody,
        response: { 200: SeriesCancelled, ...problems(400, 401, 404, 422) },
      },
      // The body is optional: no body means "all future occurrences".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => cancelSeries(deps(), request.actor, request.params.id, request.body),
  );
};
