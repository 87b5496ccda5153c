import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import {
  BookingSettings,
  BookingSettingsBody,
  ClosureCreate,
  ClosureCreated,
  ClosureOut,
  ClosureQuery,
  OpeningHoursOut,
  OpeningHoursPut,
  PolicyBody,
  PolicyOut,
  Schedule,
  ScheduleQuery,
} from './schema.ts';
import * as policies from './booking-policy.ts';
import * as closures from './closures.ts';
import * as hours from './opening-hours.ts';
import * as settings from './lab-booking-settings.ts';
import { labSchedule } from './resource-calendar.ts';

/**
 * The lab console's schedule editors: opening hours, closures and maintenance, booking policy,
 * violation settings, and the resource calendar. Members of the owning lab read; managers and
 * staff write (operators get 403); to anyone else these resources do not exist (404).
 */
export const labSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  const tags = ['lab console'];

  app.get(
    '/v1/instruments/:id/opening-hours',
    {
      schema: {
        tags,
        summary: "The instrument's weekly opening hours (inherited from its site when it sets none)",
        params: IdParams,
        response: { 200: OpeningHoursOut, ...problems(400, 401, 404) },
      },
    },
    async (request) => hours.getInstrumentHours(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/instruments/:id/opening-hours',
    {
      schema: {
        tags,
        summary: "Replace the instrument's weekly hours atomically; [] = inherit the site's hours",
        params: IdParams,
        body: OpeningHoursPut,
        response: { 200: OpeningHoursOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      hours.putInstrumentHours(deps(), request.actor, request.params.id, request.body.rows, request.id),
  );

  app.get(
    '/v1/sites/:id/opening-hours',
    {
      schema: {
        tags,
        summary: "A site's weekly opening hours (Mon–Fri 08:30–17:30 when it sets none)",
        params: IdParams,
        response: { 200: OpeningHoursOut, ...problems(400, 401, 404) },
      },
    },
    async (request) => hours.getSiteHours(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/sites/:id/opening-hours',
    {
      schema: {
        tags,
        summary: "Replace a site's weekly hours atomically; [] = the default week",
        params: IdParams,
        body: OpeningHoursPut,
        response: { 200: OpeningHoursOut, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => hours.putSiteHours(deps(), request.actor, request.params.id, request.body.rows, request.id),
  );

  app.get(
    '/v1/labs/:id/closures',
    {
      schema: {
        tags,
        summary: 'Closures and maintenance blocks overlapping [from, to) (default: the next year)',
        params: IdParams,
        querystring: ClosureQuery,
        response: { 200: Type.Object({ items: Type.Array(ClosureOut) }), ...problems(400, 401, 404, 422) },
      },
    },
    async (request) => closures.listClosures(deps(), request.actor, request.params.id, request.query),
  );

  app.post(
    '/v1/labs/:id/closures',
    {
      schema: {
        tags,
        summary: 'Close the lab, one instrument or one unit (maintenance) for a span',
        description:
          'Allowed over existing bookings: they are not cancelled, and the answer lists the active ' +
          'bookings the closure overlaps so the lab can contact those customers. New bookings and ' +
          'availability respect the closure at once.',
        params: IdParams,
        body: ClosureCreate,
        response: { 201: ClosureCreated, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const created = await closures.createClosure(deps(), request.actor, request.params.id, request.body, request.id);
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/v1/closures/:id',
    {
      schema: {
        tags,
        summary: 'Remove a closure',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await closures.deleteClosure(deps(), request.actor, request.params.id, request.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/instruments/:id/booking-policy',
    {
      schema: {
        tags,
        summary: "The instrument's booking policy (the defaults when it has set none)",
        params: IdParams,
        response: { 200: PolicyOut, ...problems(400, 401, 404) },
      },
    },
    async (request) => policies.getPolicy(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/instruments/:id/booking-policy',
    {
      schema: {
        tags,
        summary: 'Set the booking policy (every field); applies to bookings made from now on',
        description: 'Each booking keeps a snapshot of the policy it was made under.',
        params: IdParams,
        body: PolicyBody,
        response: { 200: PolicyOut, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => policies.putPolicy(deps(), request.actor, request.params.id, request.body, request.id),
  );

  app.get(
    '/v1/labs/:id/booking-settings',
    {
      schema: {
        tags,
        summary:
          "The lab's violation threshold and window (defaults 3 in 365 days) and its hold limits per person (defaults 2 per instrument, 5 at the lab)",
        params: IdParams,
        response: { 200: BookingSettings, ...problems(400, 401, 404) },
      },
    },
    async (request) => settings.getLabSettings(deps(), request.actor, request.params.id),
  );

  app.put(
    '/v1/labs/:id/booking-settings',
    {
      schema: {
        tags,
        summary: "Set the lab's violation threshold and window, and its hold limits (left out: unchanged)",
        params: IdParams,
        body: BookingSettingsBody,
        response: { 200: BookingSettings, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => settings.putLabSettings(deps(), request.actor, request.params.id, request.body, request.id),
  );

  app.get(
    '/v1/labs/:id/schedule',
    {
      schema: {
        tags,
        summary: "The lab's resource calendar: instruments, units, opening windows, bookings and closures",
        description: 'At most 31 days (422 invalid_span). Cancelled, rejected and expired bookings are left out.',
        params: IdParams,
        querystring: ScheduleQuery,
        response: { 200: Schedule, ...problems(400, 401, 404, 422) },
      },
    },
    async (request) => labSchedule(deps(), request.actor, request.params.id, request.query),
  );
};
