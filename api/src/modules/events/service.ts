import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { DateTime as Luxon } from 'luxon';
import {
  eventRegistrations,
  eventSessions,
  events,
  organisations,
  users,
  type Db,
  type DbOrTx,
  type Tx,
} from '@qihub/db';
import {
  assertAdmitted,
  isAdmitted,
  membershipIn,
  requireActor,
  type Actor,
  type ActorMembership,
} from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { regionPrefix } from '../../lib/region.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { notifyUsers } from '../../lib/notify.ts';

/**
 * Training courses and events (质量培训, 世界标准日, 实验室开放日) run by a lab or a platform.
 * Seats are never oversold: every registration change takes the session's row lock and keeps
 * `seats_taken` in step (a CHECK constraint holds seats_taken ≤ seats); when a seat frees up the
 * first on the waitlist gets it in the same transaction.
 */
export interface EventDeps {
  db: Db;
  clock: () => Date;
}

type Event = typeof events.$inferSelect;
type Session = typeof eventSessions.$inferSelect;
type RegStatus = (typeof eventRegistrations.$inferSelect)['status'];
type EventKind = Event['kind'];

type OrgStatus = (typeof organisations.$inferSelect)['status'];

/** The caller's membership if they organise for the organisation: a lab's managers and staff, a platform's admins. */
function organiserMembership(actor: Actor | null, orgId: string): ActorMembership | undefined {
  const m = membershipIn(actor, orgId);
  if (m?.orgKind === 'lab' && (m.role === 'manager' || m.role === 'staff')) return m;
  if (m?.orgKind === 'platform' && m.role === 'admin') return m;
  return undefined;
}

const organiserMember = (actor: Actor | null, orgId: string) => {
  const m = membershipIn(actor, orgId);
  return m && m.orgKind !== 'enterprise' ? m : undefined;
};

/**
 * Drafts are the organiser's alone; published and cancelled events are public while the organiser
 * is admitted (the gate of `isAdmitted`: a pending or suspended lab shows nothing in public).
 */
function canSee(actor: Actor | null, event: Event, organiserStatus: OrgStatus) {
  if (organiserMember(actor, event.organiserOrgId)) return true;
  return event.status !== 'draft' && isAdmitted(organiserStatus);
}

/**
 * The organiser's managers and staff (a platform's admins) act on its events, and only while it is
 * admitted; withdrawing (cancelling) stays open whatever its status, since that harms no one and
 * tells everyone registered.
 */
function assertOrganiser(
  actor: Actor | null,
  event: Event,
  organiserStatus: OrgStatus,
  options: { withdrawing?: boolean } = {},
) {
  const m = organiserMembership(actor, event.organiserOrgId);
  if (!m) {
    if (!canSee(actor, event, organiserStatus)) throw notFound('event');
    throw forbidden('Only the organiser (lab managers and staff, platform admins) may do this.');
  }
  if (!options.withdrawing) assertAdmitted(m);
}

async function sessionsOf(tx: DbOrTx, eventIds: string[], userId: string | null) {
  if (eventIds.length === 0) return [];
  return tx
    .select({
      s: eventSessions,
      waitlisted: sql<number>`(SELECT count(*)::int FROM event_registrations w
        WHERE w.session_id = event_sessions.id AND w.status = 'waitlisted')`,
      myStatus: userId
        ? sql<RegStatus | null>`(SELECT m.status FROM event_registrations m
            WHERE m.session_id = event_sessions.id AND m.user_id = ${userId}::uuid AND m.status <> 'cancelled' LIMIT 1)`
        : sql<RegStatus | null>`NULL::registration_status`,
    })
    .from(eventSessions)
    .where(inArray(eventSessions.eventId, eventIds))
    .orderBy(asc(eventSessions.startsAt));
}

type SessionRow = Awaited<ReturnType<typeof sessionsOf>>[number];

function sessionView(row: SessionRow) {
  return {
    id: row.s.id,
    startsAt: row.s.startsAt.toISOString(),
    endsAt: row.s.endsAt.toISOString(),
    seats: row.s.seats,
    seatsTaken: row.s.seatsTaken,
    seatsLeft: row.s.seats - row.s.seatsTaken,
    waitlisted: row.waitlisted,
    myStatus: row.myStatus ?? null,
  };
}

async function views(tx: DbOrTx, list: Event[], actor: Actor | null) {
  if (list.length === 0) return [];
  const sessions = await sessionsOf(
    tx,
    list.map((e) => e.id),
    actor?.userId ?? null,
  );
  const orgs = new Map(
    (
      await tx
        .select({
          id: organisations.id,
          nameZh: organisations.nameZh,
          nameEn: organisations.nameEn,
          kind: organisations.kind,
        })
        .from(organisations)
        .where(inArray(organisations.id, [...new Set(list.map((e) => e.organiserOrgId))]))
    ).map((o) => [o.id, o]),
  );
  return list.map((e) => ({
    id: e.id,
    organiser: orgs.get(e.organiserOrgId)!,
    kind: e.kind,
    titleZh: e.titleZh,
    titleEn: e.titleEn,
    descriptionZh: e.descriptionZh,
    descriptionEn: e.descriptionEn,
    venueZh: e.venueZh,
    regionCode: e.regionCode,
    fee: money(e.feeFen),
    status: e.status,
    sessions: sessions.filter((s) => s.s.eventId === e.id).map(sessionView),
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  }));
}

async function viewOf(tx: DbOrTx, event: Event, actor: Actor | null) {
  return (await views(tx, [event], actor))[0]!;
}

/** The event and its organiser's status (whether it may show in public). */
async function loadEvent(
  tx: DbOrTx,
  id: string,
  forUpdate = false,
): Promise<{ event: Event; organiserStatus: OrgStatus }> {
  const q = tx
    .select({ event: events, organiserStatus: organisations.status })
    .from(events)
    .innerJoin(organisations, eq(organisations.id, events.organiserOrgId))
    .where(eq(events.id, id))
    .limit(1);
  const [row] = forUpdate ? await q.for('update', { of: events }) : await q;
  if (!row) throw notFound('event');
  return row;
}

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
  const organiser = organiserMembership(a, input.organiserOrgId);
  if (!organiser) {
    throw forbidden('Events are organised by a lab (managers and staff) or a platform (admins) you belong to.');
  }
  assertAdmitted(organiser);
  const now = deps.clock();
  const errors: FieldError[] = [];
  input.sessions.forEach((s, i) => {
    if (new Date(s.endsAt) <= new Date(s.startsAt)) {
      errors.push({ path: `/sessions/${i}/endsAt`, code: 'invalid_session', message: 'Must be after startsAt.' });
    } else if (new Date(s.startsAt) <= now) {
      errors.push({ path: `/sessions/${i}/startsAt`, code: 'session_in_past', message: 'Must be in the future.' });
    }
  });
  if (errors.length > 0) throw unprocessable(errors[0]!.code, 'A session has invalid times.', errors);
  return deps.db.transaction(async (tx) => {
    const [org] = await tx
      .select({ regionCode: organisations.regionCode })
      .from(organisations)
      .where(eq(organisations.id, input.organiserOrgId));
    const [event] = await tx
      .insert(events)
      .values({
        organiserOrgId: input.organiserOrgId,
        kind: input.kind,
        titleZh: input.titleZh.trim(),
        titleEn: input.titleEn?.trim() ?? '',
        descriptionZh: input.descriptionZh ?? '',
        descriptionEn: input.descriptionEn ?? '',
        venueZh: input.venueZh?.trim() ?? '',
        regionCode: input.regionCode ?? org!.regionCode,
        feeFen: input.feeFen ?? 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(eventSessions).values(
      input.sessions.map((s) => ({
        eventId: event!.id,
        startsAt: new Date(s.startsAt),
        endsAt: new Date(s.endsAt),
        seats: s.seats,
      })),
    );
    const view = await viewOf(tx, event!, a);
    await recordAudit(tx, a, {
      action: 'event.create',
      entityType: 'event',
      entityId: event!.id,
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
    assertOrganiser(a, event, organiserStatus);
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'A cancelled event cannot be changed.');
    const [updated] = await tx
      .update(events)
      .set({
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.titleZh !== undefined ? { titleZh: patch.titleZh.trim() } : {}),
        ...(patch.titleEn !== undefined ? { titleEn: patch.titleEn.trim() } : {}),
        ...(patch.descriptionZh !== undefined ? { descriptionZh: patch.descriptionZh } : {}),
        ...(patch.descriptionEn !== undefined ? { descriptionEn: patch.descriptionEn } : {}),
        ...(patch.venueZh !== undefined ? { venueZh: patch.venueZh.trim() } : {}),
        ...(patch.regionCode !== undefined ? { regionCode: patch.regionCode } : {}),
        ...(patch.feeFen !== undefined ? { feeFen: patch.feeFen } : {}),
        updatedAt: now,
      })
      .where(eq(events.id, id))
      .returning();
    await recordAudit(tx, a, {
      action: 'event.update',
      entityType: 'event',
      entityId: id,
      orgId: event.organiserOrgId,
      before: event,
      after: updated,
    });
    return viewOf(tx, updated!, a);
  });
}

export async function publishEvent(deps: EventDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { event, organiserStatus } = await loadEvent(tx, id, true);
    assertOrganiser(a, event, organiserStatus);
    if (event.status !== 'draft') {
      throw conflict('illegal_transition', `Only a draft can be published; this event is ${event.status}.`);
    }
    const [upcoming] = await tx
      .select({ id: eventSessions.id })
      .from(eventSessions)
      .where(and(eq(eventSessions.eventId, id), gt(eventSessions.startsAt, now)))
      .limit(1);
    if (!upcoming)
      throw unprocessable('no_upcoming_session', 'An event needs a session in the future to be published.');
    const [updated] = await tx
      .update(events)
      .set({ status: 'published', updatedAt: now })
      .where(and(eq(events.id, id), eq(events.status, 'draft')))
      .returning();
    await recordAudit(tx, a, {
      action: 'event.publish',
      entityType: 'event',
      entityId: id,
      orgId: event.organiserOrgId,
      before: { status: event.status },
      after: { status: 'published' },
    });
    return viewOf(tx, updated!, a);
  });
}

/** Cancels the event; everyone registered or waiting is told. Registrations stay, for the record. */
export async function cancelEvent(deps: EventDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { event, organiserStatus } = await loadEvent(tx, id, true);
    assertOrganiser(a, event, organiserStatus, { withdrawing: true });
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'The event is already cancelled.');
    const [updated] = await tx
      .update(events)
      .set({ status: 'cancelled', updatedAt: now })
      .where(eq(events.id, id))
      .returning();
    const registrants = await tx
      .selectDistinct({ userId: eventRegistrations.userId })
      .from(eventRegistrations)
      .innerJoin(eventSessions, eq(eventSessions.id, eventRegistrations.sessionId))
      .where(and(eq(eventSessions.eventId, id), inArray(eventRegistrations.status, ['registered', 'waitlisted'])));
    await notifyUsers(
      tx,
      registrants.map((r) => r.userId),
      {
        kind: 'event_cancelled',
        titleZh: `活动已取消：${event.titleZh}`,
        titleEn: `Event cancelled: ${event.titleEn || event.titleZh}`,
        bodyZh: '主办方已取消该活动，您的报名随之取消。给您带来不便，敬请谅解。',
        bodyEn: 'The organiser cancelled the event, and with it your registration.',
        link: `/events/${id}`,
      },
      `event-cancelled:${id}`,
    );
    await recordAudit(tx, a, {
      action: 'event.cancel',
      entityType: 'event',
      entityId: id,
      orgId: event.organiserOrgId,
      before: { status: event.status },
      after: { status: 'cancelled', notified: registrants.length },
    });
    return viewOf(tx, updated!, a);
  });
}

const beijing = (d: Date) => Luxon.fromJSDate(d, { zone: PLATFORM_TIME_ZONE }).toFormat('yyyy-MM-dd HH:mm');

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
  const now = deps.clock();
  const own = !!query.organiserOrgId && !!organiserMember(actor, query.organiserOrgId);
  const sessionConds: SQL[] = [sql`s.event_id = events.id`];
  if (!own) sessionConds.push(sql`s.ends_at > ${now.toISOString()}::timestamptz`);
  if (query.from) sessionConds.push(sql`s.starts_at >= ${chinaDayStart(query.from).toISOString()}::timestamptz`);
  if (query.to) sessionConds.push(sql`s.starts_at < ${chinaDayStart(query.to, 1).toISOString()}::timestamptz`);
  const rows = await deps.db
    .select()
    .from(events)
    .where(
      and(
        own ? undefined : eq(events.status, 'published'),
        // Only admitted organisers show in public (the gate of `isAdmitted`).
        own
          ? undefined
          : sql`EXISTS (SELECT 1 FROM organisations o WHERE o.id = ${events.organiserOrgId} AND o.status = 'active')`,
        query.organiserOrgId ? eq(events.organiserOrgId, query.organiserOrgId) : undefined,
        query.kind ? eq(events.kind, query.kind) : undefined,
        query.region ? sql`${events.regionCode} LIKE ${regionPrefix(query.region) + '%'}` : undefined,
        sql`EXISTS (SELECT 1 FROM event_sessions s WHERE ${sql.join(sessionConds, sql` AND `)})`,
      ),
    )
    .orderBy(
      own
        ? desc(events.createdAt)
        : sql`(SELECT min(s.starts_at) FROM event_sessions s WHERE s.event_id = events.id
        AND s.ends_at > ${now.toISOString()}::timestamptz)`,
    )
    .limit(200);
  return { items: await views(deps.db, rows, actor) };
}

export async function getEvent(deps: EventDeps, actor: Actor | null, id: string) {
  const { event, organiserStatus } = await loadEvent(deps.db, id);
  if (!canSee(actor, event, organiserStatus)) throw notFound('event');
  return viewOf(deps.db, event, actor);
}

/* ---------------------------------------------------------------- registrations */

const waitlistPosition = sql<number | null>`CASE WHEN ${eventRegistrations.status} = 'waitlisted' THEN
  (SELECT count(*)::int FROM event_registrations w WHERE w.session_id = event_registrations.session_id
     AND w.status = 'waitlisted' AND (w.created_at, w.id) <= (event_registrations.created_at, event_registrations.id))
  END`;

async function registrationsWhere(tx: DbOrTx, where: SQL) {
  const rows = await tx
    .select({
      r: eventRegistrations,
      position: waitlistPosition,
      s: { id: eventSessions.id, startsAt: eventSessions.startsAt, endsAt: eventSessions.endsAt },
      e: {
        id: events.id,
        kind: events.kind,
        titleZh: events.titleZh,
        titleEn: events.titleEn,
        venueZh: events.venueZh,
        status: events.status,
      },
    })
    .from(eventRegistrations)
    .innerJoin(eventSessions, eq(eventSessions.id, eventRegistrations.sessionId))
    .innerJoin(events, eq(events.id, eventSessions.eventId))
    .where(where)
    .orderBy(asc(eventSessions.startsAt), asc(eventRegistrations.createdAt));
  return rows.map((row) => ({
    id: row.r.id,
    status: row.r.status,
    waitlistPosition: row.position ?? null,
    session: { id: row.s.id, startsAt: row.s.startsAt.toISOString(), endsAt: row.s.endsAt.toISOString() },
    event: row.e,
    createdAt: row.r.createdAt.toISOString(),
    updatedAt: row.r.updatedAt.toISOString(),
  }));
}

/** The session with its event, row-locked (the lock every seat change takes). */
async function lockSession(
  tx: Tx,
  id: string,
): Promise<{ session: Session; event: Event; organiserStatus: OrgStatus }> {
  const [row] = await tx
    .select({ session: eventSessions, event: events, organiserStatus: organisations.status })
    .from(eventSessions)
    .innerJoin(events, eq(events.id, eventSessions.eventId))
    .innerJoin(organisations, eq(organisations.id, events.organiserOrgId))
    .where(eq(eventSessions.id, id))
    .for('update', { of: eventSessions });
  if (!row) throw notFound('session');
  return row;
}

/** Registered if a seat is free, otherwise waitlisted; never more registered than seats. */
export async function register(deps: EventDeps, actor: Actor | null, sessionId: string) {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('People register, not API tokens.');
  const userId = a.userId;
  const now = deps.clock();
  const orgId = a.memberships.find((m) => m.orgKind === 'enterprise')?.orgId ?? a.memberships[0]?.orgId ?? null;
  return deps.db.transaction(async (tx) => {
    const { session, event, organiserStatus } = await lockSession(tx, sessionId);
    if (!canSee(a, event, organiserStatus)) throw notFound('session');
    if (event.status !== 'published') {
      throw conflict('event_not_open', `The event is ${event.status}; it takes no registrations.`);
    }
    if (session.startsAt <= now)
      throw conflict('registration_closed', 'The session has started; registration is closed.');
    const [existing] = await tx
      .select({ id: eventRegistrations.id, status: eventRegistrations.status })
      .from(eventRegistrations)
      .where(
        and(
          eq(eventRegistrations.sessionId, sessionId),
          eq(eventRegistrations.userId, userId),
          sql`${eventRegistrations.status} <> 'cancelled'`,
        ),
      )
      .limit(1);
    if (existing) throw conflict('already_registered', `You are already ${existing.status} for this session.`);
    const status: RegStatus = session.seatsTaken < session.seats ? 'registered' : 'waitlisted';
    const [created] = await tx
      .insert(eventRegistrations)
      .values({
        sessionId,
        userId,
        orgId,
        status,
        // The waitlist order is the order of the lock, not of the transactions' start.
        createdAt: sql`clock_timestamp()`,
        updatedAt: now,
      })
      .returning({ id: eventRegistrations.id });
    if (status === 'registered') {
      await tx
        .update(eventSessions)
        .set({ seatsTaken: sql`${eventSessions.seatsTaken} + 1` })
        .where(eq(eventSessions.id, sessionId));
    }
    await recordAudit(tx, a, {
      action: `event.${status}`,
      entityType: 'event_registration',
      entityId: created!.id,
      orgId: event.organiserOrgId,
      after: { sessionId, status },
    });
    const view = (await registrationsWhere(tx, eq(eventRegistrations.id, created!.id)))[0]!;
    const when = beijing(session.startsAt);
    await notifyUsers(
      tx,
      [userId],
      status === 'registered'
        ? {
            kind: 'event_registration',
            titleZh: `报名成功：${event.titleZh}`,
            titleEn: `Registered: ${event.titleEn || event.titleZh}`,
            bodyZh: `时间 ${when}${event.venueZh ? `，地点 ${event.venueZh}` : ''}。如不能参加，请提前取消以便候补人员补位。`,
            bodyEn: `${when} (Beijing time). If you cannot come, cancel in time so someone on the waitlist gets your seat.`,
            link: `/events/${event.id}`,
          }
        : {
            kind: 'event_registration',
            titleZh: `已进入候补（第 ${view.waitlistPosition} 位）：${event.titleZh}`,
            titleEn: `Waitlisted (#${view.waitlistPosition}): ${event.titleEn || event.titleZh}`,
            bodyZh: '名额已满。有人取消时将按候补顺序自动为您转为正式报名并通知您。',
            bodyEn: 'The session is full. When a seat frees up it goes to the waitlist in order, and you will be told.',
            link: `/events/${event.id}`,
          },
      `event-registration:${created!.id}`,
    );
    return view;
  });
}

/** Hands the freed seat to the first on the waitlist, in the caller's transaction (session locked). */
async function promoteFirstWaitlisted(tx: Tx, session: Session, event: Event, now: Date) {
  const [next] = await tx
    .select({ id: eventRegistrations.id, userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.sessionId, session.id), eq(eventRegistrations.status, 'waitlisted')))
    .orderBy(asc(eventRegistrations.createdAt), asc(eventRegistrations.id))
    .limit(1);
  if (!next) return null;
  await tx
    .update(eventRegistrations)
    .set({ status: 'registered', updatedAt: now })
    .where(eq(eventRegistrations.id, next.id));
  await tx
    .update(eventSessions)
    .set({ seatsTaken: sql`${eventSessions.seatsTaken} + 1` })
    .where(eq(eventSessions.id, session.id));
  const when = beijing(session.startsAt);
  await notifyUsers(
    tx,
    [next.userId],
    {
      kind: 'event_promoted',
      titleZh: `候补成功：${event.titleZh}`,
      titleEn: `You have a seat: ${event.titleEn || event.titleZh}`,
      bodyZh: `有名额空出，您已从候补转为正式报名（${when}）。`,
      bodyEn: `A seat came free and is yours (${when}, Beijing time).`,
      link: `/events/${event.id}`,
    },
    `event-promoted:${next.id}`,
  );
  await recordAudit(tx, null, {
    action: 'event.promoted',
    entityType: 'event_registration',
    entityId: next.id,
    orgId: event.organiserOrgId,
    before: { status: 'waitlisted' },
    after: { status: 'registered' },
  });
  return next.id;
}

/** Cancels the caller's registration; a freed seat goes to the first waitlisted in the same transaction. */
export async function cancelMyRegistration(deps: EventDeps, actor: Actor | null, sessionId: string) {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('People register, not API tokens.');
  const userId = a.userId;
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { session, event } = await lockSession(tx, sessionId);
    const [mine] = await tx
      .select()
      .from(eventRegistrations)
      .where(
        and(
          eq(eventRegistrations.sessionId, sessionId),
          eq(eventRegistrations.userId, userId),
          sql`${eventRegistrations.status} <> 'cancelled'`,
        ),
      )
      .limit(1);
    if (!mine) throw notFound('registration');
    if (mine.status !== 'registered' && mine.status !== 'waitlisted') {
      throw conflict('illegal_transition', `A registration marked ${mine.status} cannot be cancelled.`);
    }
    if (session.startsAt <= now)
      throw conflict('session_started', 'The session has started; it can no longer be cancelled.');
    await tx
      .update(eventRegistrations)
      .set({ status: 'cancelled', updatedAt: now })
      .where(eq(eventRegistrations.id, mine.id));
    let promoted: string | null = null;
    if (mine.status === 'registered') {
      await tx
        .update(eventSessions)
        .set({ seatsTaken: sql`${eventSessions.seatsTaken} - 1` })
        .where(eq(eventSessions.id, sessionId));
      if (event.status === 'published') {
        promoted = await promoteFirstWaitlisted(tx, { ...session, seatsTaken: session.seatsTaken - 1 }, event, now);
      }
    }
    await recordAudit(tx, a, {
      action: 'event.registration_cancelled',
      entityType: 'event_registration',
      entityId: mine.id,
      orgId: event.organiserOrgId,
      before: { status: mine.status },
      after: { status: 'cancelled', promoted },
    });
    return (await registrationsWhere(tx, eq(eventRegistrations.id, mine.id)))[0]!;
  });
}

export async function myRegistrations(deps: EventDeps, actor: Actor | null) {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('People register, not API tokens.');
  return { items: await registrationsWhere(deps.db, eq(eventRegistrations.userId, a.userId)) };
}

/**
 * A session for its organiser's members; the registrants' names, emails and phones are theirs to
 * see only while the organiser is admitted (403 `not_admitted` otherwise).
 */
async function sessionForOrganiser(tx: DbOrTx, actor: Actor | null, sessionId: string) {
  const [row] = await tx
    .select({ session: eventSessions, event: events })
    .from(eventSessions)
    .innerJoin(events, eq(events.id, eventSessions.eventId))
    .where(eq(eventSessions.id, sessionId))
    .limit(1);
  const member = row ? organiserMember(actor, row.event.organiserOrgId) : undefined;
  if (!row || !member) throw notFound('session');
  assertAdmitted(member);
  return row;
}

/** The organiser's list: registered first, then the waitlist in order, then the rest. */
export async function sessionRegistrations(deps: EventDeps, actor: Actor | null, sessionId: string) {
  requireActor(actor);
  const { session } = await sessionForOrganiser(deps.db, actor, sessionId);
  const [sessionRow] = await sessionsOf(deps.db, [session.eventId], null).then((all) =>
    all.filter((s) => s.s.id === sessionId),
  );
  const rows = await deps.db
    .select({
      r: eventRegistrations,
      position: waitlistPosition,
      user: { id: users.id, name: users.displayName, email: users.email, phone: users.phone },
      orgNameZh: organisations.nameZh,
    })
    .from(eventRegistrations)
    .innerJoin(users, eq(users.id, eventRegistrations.userId))
    .leftJoin(organisations, eq(organisations.id, eventRegistrations.orgId))
    .where(eq(eventRegistrations.sessionId, sessionId))
    .orderBy(
      sql`CASE ${eventRegistrations.status} WHEN 'attended' THEN 0 WHEN 'registered' THEN 0 WHEN 'absent' THEN 1
        WHEN 'waitlisted' THEN 2 ELSE 3 END`,
      asc(eventRegistrations.createdAt),
      asc(eventRegistrations.id),
    );
  return {
    session: sessionView(sessionRow!),
    items: rows.map((row) => ({
      id: row.r.id,
      user: row.user,
      organisation: row.r.orgId ? { id: row.r.orgId, nameZh: row.orgNameZh ?? '' } : null,
      status: row.r.status,
      waitlistPosition: row.position ?? null,
      createdAt: row.r.createdAt.toISOString(),
      updatedAt: row.r.updatedAt.toISOString(),
    })),
  };
}

/** Attendance, once the session has started (organisers); marking absent frees the seat count. */
export async function markAttendance(
  deps: EventDeps,
  actor: Actor | null,
  sessionId: string,
  input: { userId: string; attended: boolean },
) {
  const a = requireActor(actor);
  const now = deps.clock();
  await sessionForOrganiser(deps.db, a, sessionId);
  return deps.db.transaction(async (tx) => {
    const { session, event, organiserStatus } = await lockSession(tx, sessionId);
    assertOrganiser(a, event, organiserStatus);
    if (now < session.startsAt)
      throw conflict('session_not_started', 'Attendance is taken once the session has started.');
    const [reg] = await tx
      .select()
      .from(eventRegistrations)
      .where(
        and(
          eq(eventRegistrations.sessionId, sessionId),
          eq(eventRegistrations.userId, input.userId),
          inArray(eventRegistrations.status, ['registered', 'attended', 'absent']),
        ),
      )
      .limit(1);
    if (!reg) throw conflict('not_registered', 'That person holds no seat in this session.');
    const to: RegStatus = input.attended ? 'attended' : 'absent';
    const held = (s: RegStatus) => s === 'registered' || s === 'attended';
    const delta = (held(to) ? 1 : 0) - (held(reg.status) ? 1 : 0);
    await tx.update(eventRegistrations).set({ status: to, updatedAt: now }).where(eq(eventRegistrations.id, reg.id));
    if (delta !== 0) {
      await tx
        .update(eventSessions)
        .set({ seatsTaken: sql`${eventSessions.seatsTaken} + ${delta}` })
        .where(eq(eventSessions.id, sessionId));
    }
    await recordAudit(tx, a, {
      action: 'event.attendance',
      entityType: 'event_registration',
      entityId: reg.id,
      orgId: event.organiserOrgId,
      before: { status: reg.status },
      after: { status: to },
    });
    return (await registrationsWhere(tx, eq(eventRegistrations.id, reg.id)))[0]!;
  });
}

/** Adds a session to an event that is not cancelled (the organiser). */
export async function addSession(
  deps: EventDeps,
  actor: Actor | null,
  eventId: string,
  input: { startsAt: string; endsAt: string; seats: number },
) {
  const a = requireActor(actor);
  const now = deps.clock();
  checkTimes(input.startsAt, input.endsAt, now);
  return deps.db.transaction(async (tx) => {
    const { event, organiserStatus } = await loadEvent(tx, eventId, true);
    assertOrganiser(a, event, organiserStatus);
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'A cancelled event takes no new sessions.');
    const [created] = await tx
      .insert(eventSessions)
      .values({ eventId, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), seats: input.seats })
      .returning({ id: eventSessions.id });
    await tx.update(events).set({ updatedAt: now }).where(eq(events.id, eventId));
    await recordAudit(tx, a, {
      action: 'event.session_added',
      entityType: 'event',
      entityId: eventId,
      orgId: event.organiserOrgId,
      after: { sessionId: created!.id, ...input },
    });
    return viewOf(tx, (await loadEvent(tx, eventId)).event, a);
  });
}

function checkTimes(startsAt: string, endsAt: string, now: Date) {
  if (new Date(endsAt) <= new Date(startsAt)) {
    throw unprocessable('invalid_session', 'A session must end after it starts.', [
      { path: '/endsAt', code: 'invalid_session', message: 'Must be after startsAt.' },
    ]);
  }
  if (new Date(startsAt) <= now) {
    throw unprocessable('session_in_past', 'A session must start in the future.', [
      { path: '/startsAt', code: 'session_in_past', message: 'Must be in the future.' },
    ]);
  }
}

/**
 * Changes a session before it starts (the organiser): more seats go to the waitlist at once, fewer
 * may not drop below the seats already taken; a new time is announced to everyone on the list and
 * re-arms the day-before reminder.
 */
export async function updateSession(
  deps: EventDeps,
  actor: Actor | null,
  sessionId: string,
  patch: { startsAt?: string; endsAt?: string; seats?: number },
) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { session, event, organiserStatus } = await lockSession(tx, sessionId);
    assertOrganiser(a, event, organiserStatus);
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'A cancelled event cannot be changed.');
    if (session.startsAt <= now)
      throw conflict('session_started', 'The session has started; it can no longer be changed.');
    const startsAt = patch.startsAt ?? session.startsAt.toISOString();
    const endsAt = patch.endsAt ?? session.endsAt.toISOString();
    const moved =
      new Date(startsAt).getTime() !== session.startsAt.getTime() ||
      new Date(endsAt).getTime() !== session.endsAt.getTime();
    if (moved) checkTimes(startsAt, endsAt, now);
    const seats = patch.seats ?? session.seats;
    if (seats < session.seatsTaken) {
      throw unprocessable('seats_below_taken', `${session.seatsTaken} seats are already taken.`, [
        { path: '/seats', code: 'seats_below_taken', message: `At least ${session.seatsTaken}.` },
      ]);
    }
    await tx
      .update(eventSessions)
      .set({
        seats,
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        ...(moved ? { reminderSentAt: null } : {}),
      })
      .where(eq(eventSessions.id, sessionId));
    const promoted: string[] = [];
    if (event.status === 'published') {
      for (let free = seats - session.seatsTaken; free > 0; free--) {
        const id = await promoteFirstWaitlisted(tx, { ...session, startsAt: new Date(startsAt) }, event, now);
        if (!id) break;
        promoted.push(id);
      }
    }
    if (moved) {
      const people = await tx
        .select({ userId: eventRegistrations.userId })
        .from(eventRegistrations)
        .where(
          and(
            eq(eventRegistrations.sessionId, sessionId),
            inArray(eventRegistrations.status, ['registered', 'waitlisted']),
          ),
        );
      const when = beijing(new Date(startsAt));
      await notifyUsers(
        tx,
        people.map((p) => p.userId),
        {
          kind: 'event_rescheduled',
          titleZh: `活动时间变更：${event.titleZh}`,
          titleEn: `New time: ${event.titleEn || event.titleZh}`,
          bodyZh: `新的时间为 ${when}。如不能参加，请取消报名。`,
          bodyEn: `It now starts ${when} (Beijing time). If you cannot come, cancel your registration.`,
          link: `/events/${event.id}`,
        },
        `event-rescheduled:${sessionId}:${randomUUID()}`,
      );
    }
    await recordAudit(tx, a, {
      action: 'event.session_updated',
      entityType: 'event',
      entityId: event.id,
      orgId: event.organiserOrgId,
      before: { sessionId, seats: session.seats, startsAt: session.startsAt, endsAt: session.endsAt },
      after: { sessionId, seats, startsAt, endsAt, promoted },
    });
    return viewOf(tx, event, a);
  });
}
