import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Nullable, problems } from '../../lib/schema.ts';
import * as calendar from './service.ts';

const ICS_TYPE = 'text/calendar; charset=utf-8';

/** An iCalendar body in the OpenAPI document (the route sends it as it is, not as JSON). */
const IcsResponse = {
  description: 'An RFC 5545 iCalendar document',
  content: { 'text/calendar': { schema: Type.String() } },
};

const FeedOut = Type.Object({
  active: Type.Boolean({ description: 'Whether the caller has a feed URL that works' }),
  createdAt: Nullable(Type.String({ format: 'date-time', description: 'When the working URL was made' })),
});
const FeedCreated = Type.Object({
  url: Type.String({ format: 'uri', description: 'The secret feed URL: shown this once, only its hash is kept' }),
  active: Type.Literal(true),
  createdAt: Type.String({ format: 'date-time' }),
});

function sendIcs(reply: FastifyReply, body: string, filename?: string) {
  reply
    .type(ICS_TYPE)
    // Personal data behind a secret or a session: never kept by shared caches.
    .header('cache-control', 'private, no-store');
  if (filename) reply.header('content-disposition', `attachment; filename="${filename}"`);
  return reply.send(body);
}

/** Calendars: a booking as an .ics file, and each person's secret iCal feed URL. */
export const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): calendar.CalendarDeps => ({
    db: app.ctx.db,
    clock: app.ctx.clock,
    webUrl: app.ctx.config.publicWebUrl,
    apiUrl: app.ctx.config.publicApiUrl,
  });

  app.get(
    '/v1/bookings/:id/ics',
    {
      schema: {
        tags: ['calendar'],
        summary: 'One booking as an .ics file for a calendar app (its customer and its lab only)',
        params: IdParams,
        response: { 200: IcsResponse, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) =>
      sendIcs(
        reply,
        await calendar.bookingIcs(deps(), request.actor, request.params.id),
        `booking-${request.params.id}.ics`,
      ),
  );

  app.get(
    '/v1/calendar/feed',
    {
      schema: {
        tags: ['calendar'],
        summary: "Whether the caller's secret iCal feed is on (its URL is shown only when it is made)",
        response: { 200: FeedOut, ...problems(401, 403) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'private, no-store').send(await calendar.getFeed(deps(), request.actor)),
  );

  app.post(
    '/v1/calendar/feed',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Create the secret iCal feed URL, or replace it (the old URL stops working); the URL is shown once',
        response: { 200: FeedCreated, ...problems(401, 403) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'private, no-store').send(await calendar.rotateFeed(deps(), request.actor)),
  );

  app.post(
    '/v1/calendar/feed/revoke',
    {
      schema: {
        tags: ['calendar'],
        summary: "Turn the caller's iCal feed off: its URL stops working (nothing to do when it is off)",
        response: { 200: FeedOut, ...problems(401, 403) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'private, no-store').send(await calendar.revokeFeed(deps(), request.actor)),
  );

  app.get(
    '/v1/calendar/feeds/:token.ics',
    {
      schema: {
        tags: ['calendar'],
        summary: "A person's bookings as an iCal feed; the secret token in the URL is the only key",
        security: [],
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        response: { 200: IcsResponse, ...problems(400, 404) },
      },
    },
    async (request, reply) => sendIcs(reply, await calendar.feedIcs(deps(), request.params.token)),
  );
};
