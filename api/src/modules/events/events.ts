import { DateTime as Luxon } from 'luxon';
import { assertAdmitted, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { creditCancelledEvent } from './billing.ts';
import { assertOrganiser, canSee, loadEvent, organiserMembership, type EventDeps } from './access.ts';
import {
  findEventRegistrantIds,
  findOrganisationRegion,
  hasSessionAfter,
  insertEvent,
  listEventRows,
  publishDraftEvent,
  updateEventRow,
  insertSessions,
  type EventKind,
} from './repository.ts';
import { sessionTimesProblem } from './sessions.ts';
import { eventView, eventViews } from './views.ts';

/**
 * Training courses and events (质量培训, 世界标准日, 实验室开放日) run by a lab or a platform: the
 * organiser drafts, edits, publishes and cancels them; the public lists and reads them.
 */

export interface EventInput {
  organiserOrgId: string;
  kind: EventKind;
  titleZh: string;
  titleEn?: string;
  descriptionZh?: string;
  descriptionEn?: string;
  venueZh?: string;
  regionCode?: string;
  feeFen?: number;
  sessions: { startsAt: string; endsAt: string; seats: number }[];
}

export async function createEvent(deps: EventDeps, actor: Actor | null, input: EventInput) {
  const a = requireActor(actor);
  const organiser = organiserMembership(a, input.organiserOrgId, 'organiser');
  if (!organiser) {
    throw forbidden('Events are organised by a lab (managers and staff) or a platform (admins) you belong to.');
  }
  assertAdmitted(organiser);
  const now = deps.clock();
  const errors: FieldError[] = [];
  input.sessions.forEach((s, i) => {
    const problem = sessionTimesProblem(s.startsAt, s.endsAt, now);
    if (problem) {
      const { field, ...error } = problem;
      errors.push({ path: `/sessions/${i}/${field}`, ...error });
    }
  });
  if (errors.length > 0) throw unprocessable(errors[0]!.code, 'A session has invalid times.', errors);
  return deps.db.transaction(async (tx) => {
    const orgRegion = await findOrganisationRegion(tx, input.organiserOrgId);
    const event = await insertEvent(tx, {
      organiserOrgId: input.organiserOrgId,
      kind: input.kind,
      titleZh: input.titleZh.trim(),
      titleEn: input.titleEn?.trim() ?? '',
      descriptionZh: input.descriptionZh ?? '',
      descriptionEn: input.descriptionEn ?? '',
      venueZh: input.venueZh?.trim() ?? '',
      regionCode: input.regionCode ?? orgRegion,
      feeFen: input.feeFen ?? 0,
      createdAt: now,
      updatedAt: now,
    });
    await insertSessions(
      tx,
      input.sessions.map((s) => ({
        eventId: event.id,
        startsAt: new Date(s.startsAt),
        endsAt: new Date(s.endsAt),
        seats: s.seats,
      })),
    );
    const view = await eventView(tx, event, a);
    await recordAudit(tx, a, {
      at: now,
      action: 'event.create',
      entityType: 'event',
      entityId: event.id,
      orgId: input.organiserOrgId,
      after: view,
    });
    return view;
  });
}

export async function updateEvent(
  deps: EventDeps,
  actor: Actor | null,
  id: string,
  patch: Partial<Omit<EventInput, 'organiserOrgId' | 'sessions'>>,
) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { event, organiserStatus } = await loadEvent(tx, id, true);
    assertOrganiser(a, event, organiserStatus, 'act');
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'A cancelled event cannot be changed.');
    const updated = await updateEventRow(tx, id, {
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.titleZh !== undefined ? { titleZh: patch.titleZh.trim() } : {}),
      ...(patch.titleEn !== undefined ? { titleEn: patch.titleEn.trim() } : {}),
      ...(patch.descriptionZh !== undefined ? { descriptionZh: patch.descriptionZh } : {}),
      ...(patch.descriptionEn !== undefined ? { descriptionEn: patch.descriptionEn } : {}),
      ...(patch.venueZh !== undefined ? { venueZh: patch.venueZh.trim() } : {}),
      ...(patch.regionCode !== undefined ? { regionCode: patch.regionCode } : {}),
      ...(patch.feeFen !== undefined ? { feeFen: patch.feeFen } : {}),
      updatedAt: now,
    });
    await recordAudit(tx, a, {
      at: now,
      action: 'event.update',
      entityType: 'event',
      entityId: id,
      orgId: event.organiserOrgId,
      before: event,
      after: updated,
    });
    return eventView(tx, updated!, a);
  });
}

export async function publishEvent(deps: EventDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { event, organiserStatus } = await loadEvent(tx, id, true);
    assertOrganiser(a, event, organiserStatus, 'act');
    if (event.status !== 'draft') {
      throw conflict('illegal_transition', `Only a draft can be published; this event is ${event.status}.`);
    }
    if (!(await hasSessionAfter(tx, id, now)))
      throw unprocessable('no_upcoming_session', 'An event needs a session in the future to be published.');
    const updated = await publishDraftEvent(tx, id, now);
    await recordAudit(tx, a, {
      at: now,
      action: 'event.publish',
      entityType: 'event',
      entityId: id,
      orgId: event.organiserOrgId,
      before: { status: event.status },
      after: { status: 'published' },
    });
    return eventView(tx, updated!, a);
  });
}

/** Cancels the event; everyone registered or waiting is told. Registrations stay, for the record. */
export async function cancelEvent(deps: EventDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { event, organiserStatus } = await loadEvent(tx, id, true);
    assertOrganiser(a, event, organiserStatus, 'withdraw');
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'The event is already cancelled.');
    const updated = await updateEventRow(tx, id, { status: 'cancelled', updatedAt: now });
    // The seats billed for sessions still to come are credited back.
    await creditCancelledEvent(tx, event, now);
    const registrants = await findEventRegistrantIds(tx, id);
    await notifyUsers(
      tx,
      registrants,
      {
        kind: 'event_cancelled',
        titleZh: `活动已取消：${event.titleZh}`,
        titleEn: `Event cancelled: ${event.titleEn || event.titleZh}`,
        bodyZh: '主办方已取消该活动，您的报名随之取消。给您带来不便，敬请谅解。',
        bodyEn: 'The organiser cancelled the event, and with it your registration.',
        link: `/events/${id}`,
      },
      `event-cancelled:${id}`,
      now,
    );
    await recordAudit(tx, a, {
      at: now,
      action: 'event.cancel',
      entityType: 'event',
      entityId: id,
      orgId: event.organiserOrgId,
      before: { status: event.status },
      after: { status: 'cancelled', notified: registrants.length },
    });
    return eventView(tx, updated!, a);
  });
}

function chinaDayStart(isoDate: string, plusDays = 0): Date {
  return Luxon.fromISO(isoDate, { zone: PLATFORM_TIME_ZONE }).plus({ days: plusDays }).startOf('day').toJSDate();
}

/**
 * Published events with a session still to come (filters: kind, region, sessions between two China
 * dates); with `organiserOrgId` of one's own organisation: all its events, drafts and past included.
 */
export async function listEvents(
  deps: EventDeps,
  actor: Actor | null,
  query: { kind?: EventKind; region?: string; from?: string; to?: string; organiserOrgId?: string },
) {
  if (query.from && query.to && query.to < query.from) {
    throw unprocessable('invalid_span', 'to must be on or after from.', [
      { path: '/to', code: 'invalid_span', message: 'to must be on or after from.' },
    ]);
  }
  const own = !!query.organiserOrgId && !!organiserMembership(actor, query.organiserOrgId, 'member');
  const rows = await listEventRows(deps.db, {
    all: own,
    now: deps.clock(),
    organiserOrgId: query.organiserOrgId,
    kind: query.kind,
    region: query.region,
    sessionFrom: query.from ? chinaDayStart(query.from) : undefined,
    sessionBefore: query.to ? chinaDayStart(query.to, 1) : undefined,
  });
  return { items: await eventViews(deps.db, rows, actor) };
}

export async function getEvent(deps: EventDeps, actor: Actor | null, id: string) {
  const { event, organiserStatus } = await loadEvent(deps.db, id);
  if (!canSee(actor, event, organiserStatus)) throw notFound('event');
  return eventView(deps.db, event, actor);
}
