import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams } from '../../lib/schema.ts';
import {
  AttendanceBody,
  EventCreate,
  EventList,
  EventListQuery,
  EventOut,
  EventPatch,
  RegistrantList,
  RegistrationList,
  RegistrationOut,
  SessionCreate,
  SessionPatch,
} from './schema.ts';
import * as events from './events.ts';
import * as registrations from './registrations.ts';
import * as sessions from './sessions.ts';

/** Training courses and events: sessions, seats, registration, waitlist, attendance. */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });
  const tags = ['events'];

  app.post(
    '/v1/events',
    documented(
      tags,
      { body: EventCreate, answer: EventOut, status: 201, problems: [400, 401, 403, 422] },
      'Create an event as a draft, with its sessions (lab managers and staff, platform admins)',
    ),
    async (request, reply) => reply.code(201).send(await events.createEvent(deps(), request.actor, request.body)),
  );

  app.get(
    '/v1/events',
    documented(
      tags,
      { querystring: EventListQuery, answer: EventList, problems: [400, 422] },
      'Published events with a session to come (public); an organiser may list all of its own',
    ),
    async (request) => events.listEvents(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/events/:id',
    documented(
      tags,
      { params: IdParams, answer: EventOut, problems: [400, 404] },
      'One event with its sessions and seats left (drafts: the organiser only)',
    ),
    async (request) => events.getEvent(deps(), request.actor, request.params.id),
  );

  app.patch(
    '/v1/events/:id',
    documented(
      tags,
      { params: IdParams, body: EventPatch, answer: EventOut, problems: [400, 401, 403, 404, 409] },
      'Change an event’s details (the organiser; not once cancelled)',
    ),
    async (request) => events.updateEvent(deps(), request.actor, request.params.id, request.body),
  );

  const transitions = [
    [
      'publish',
      'Publish a draft: it is listed and takes registrations',
      events.publishEvent,
      [400, 401, 403, 404, 409, 422],
    ],
    [
      'cancel',
      'Cancel the event; everyone registered or waitlisted is told',
      events.cancelEvent,
      [400, 401, 403, 404, 409],
    ],
  ] as const;
  for (const [verb, summary, run, problems] of transitions) {
    app.post(
      `/v1/events/:id/${verb}`,
      documented(tags, { params: IdParams, answer: EventOut, problems }, summary),
      async (request) => run(deps(), request.actor, request.params.id),
    );
  }

  app.post(
    '/v1/events/:id/sessions',
    documented(
      tags,
      {
        params: IdParams,
        body: SessionCreate,
        answer: EventOut,
        status: 201,
        problems: [400, 401, 403, 404, 409, 422],
      },
      'Add a session to an event (the organiser; not once cancelled)',
    ),
    async (request, reply) =>
      reply.code(201).send(await sessions.addSession(deps(), request.actor, request.params.id, request.body)),
  );

  app.patch(
    '/v1/event-sessions/:id',
    documented(
      tags,
      { params: IdParams, body: SessionPatch, answer: EventOut, problems: [400, 401, 403, 404, 409, 422] },
      'Change a session before it starts: more seats go to the waitlist, a new time is announced',
    ),
    async (request) => sessions.updateSession(deps(), request.actor, request.params.id, request.body),
  );

  app.delete(
    '/v1/event-sessions/:id',
    documented(
      tags,
      { params: IdParams, answer: EventOut, problems: [400, 401, 403, 404, 409] },
      'Remove a session before it starts (the organiser): its registrants are told and billed seats credited; not the event’s only session (409 last_session)',
    ),
    async (request) => sessions.removeSession(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/event-sessions/:id/registrations',
    documented(
      tags,
      { params: IdParams, answer: RegistrationOut, status: 201, problems: [400, 401, 403, 404, 409] },
      'Register for a session: a seat if one is free, otherwise the waitlist (never oversold)',
    ),
    async (request, reply) =>
      reply.code(201).send(await registrations.register(deps(), request.actor, request.params.id)),
  );

  app.delete(
    '/v1/event-sessions/:id/registrations/me',
    documented(
      tags,
      { params: IdParams, answer: RegistrationOut, problems: [400, 401, 403, 404, 409] },
      'Cancel one’s registration; a freed seat goes to the first on the waitlist',
    ),
    async (request) => registrations.cancelMyRegistration(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/me/registrations',
    documented(
      tags,
      { answer: RegistrationList, problems: [401, 403] },
      "The caller's event registrations, with waitlist positions",
    ),
    async (request) => registrations.myRegistrations(deps(), request.actor),
  );

  app.get(
    '/v1/event-sessions/:id/registrations',
    documented(
      tags,
      { params: IdParams, answer: RegistrantList, problems: [400, 401, 403, 404] },
      "The session's registrations and waitlist with each person's contact details (the organiser, while admitted: 403 not_admitted otherwise)",
    ),
    async (request) => registrations.sessionRegistrations(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/event-sessions/:id/attendance',
    documented(
      tags,
      { params: IdParams, body: AttendanceBody, answer: RegistrationOut, problems: [400, 401, 403, 404, 409] },
      'Mark a registrant attended or absent, once the session has started (the organiser)',
    ),
    async (request) => registrations.markAttendance(deps(), request.actor, request.params.id, request.body),
  );
};
