import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { eventRegistrations, eventSessions, events, organisations, users, type DbOrTx } from '@qihub/db';
import { regionPrefix } from '../../lib/region.ts';

/** Every query of events, their sessions and registrations. */

/* ---------------------------------------------------------------- events */

export type Event = typeof events.$inferSelect;
export type EventKind = Event['kind'];
export type OrgStatus = (typeof organisations.$inferSelect)['status'];

/** The event and its organiser's status (whether it may show in public); `forUpdate` locks the event row. */
export async function findEvent(
  db: DbOrTx,
  id: string,
  forUpdate = false,
): Promise<{ event: Event; organiserStatus: OrgStatus } | undefined> {
  const q = db
    .select({ event: events, organiserStatus: organisations.status })
    .from(events)
    .innerJoin(organisations, eq(organisations.id, events.organiserOrgId))
    .where(eq(events.id, id))
    .limit(1);
  const [row] = forUpdate ? await q.for('update', { of: events }) : await q;
  return row;
}

/** The organisations organising these events, by id, as an event shows its organiser. */
export async function findOrganisers(db: DbOrTx, orgIds: string[]) {
  return db
    .select({
      id: organisations.id,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
      kind: organisations.kind,
    })
    .from(organisations)
    .where(inArray(organisations.id, orgIds));
}

export async function findOrganisationRegion(db: DbOrTx, orgId: string): Promise<string | undefined> {
  const [org] = await db
    .select({ regionCode: organisations.regionCode })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return org?.regionCode;
}

export async function insertEvent(db: DbOrTx, values: typeof events.$inferInsert): Promise<Event> {
  const [event] = await db.insert(events).values(values).returning();
  return event!;
}

export async function updateEventRow(
  db: DbOrTx,
  id: string,
  set: Partial<typeof events.$inferInsert>,
): Promise<Event | undefined> {
  const [updated] = await db.update(events).set(set).where(eq(events.id, id)).returning();
  return updated;
}

/** Publishes the event if it is still a draft. */
export async function publishDraftEvent(db: DbOrTx, id: string, now: Date): Promise<Event | undefined> {
  const [updated] = await db
    .update(events)
    .set({ status: 'published', updatedAt: now })
    .where(and(eq(events.id, id), eq(events.status, 'draft')))
    .returning();
  return updated;
}

/** Whether the event has a session starting after `now`. */
export async function hasSessionAfter(db: DbOrTx, eventId: string, now: Date): Promise<boolean> {
  const [upcoming] = await db
    .select({ id: eventSessions.id })
    .from(eventSessions)
    .where(and(eq(eventSessions.eventId, eventId), gt(eventSessions.startsAt, now)))
    .limit(1);
  return !!upcoming;
}

/** Everyone registered or waitlisted for any session of the event, once each. */
export async function findEventRegistrantIds(db: DbOrTx, eventId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .innerJoin(eventSessions, eq(eventSessions.id, eventRegistrations.sessionId))
    .where(and(eq(eventSessions.eventId, eventId), inArray(eventRegistrations.status, ['registered', 'waitlisted'])));
  return rows.map((r) => r.userId);
}

/**
 * The registrations holding a seat of the event's sessions that have not started (what a cancelled
 * event owes back; the caller holds the event's row lock, so no seat changes hands meanwhile).
 */
export async function findSeatsToCome(db: DbOrTx, eventId: string, now: Date): Promise<string[]> {
  const rows = await db
    .select({ id: eventRegistrations.id })
    .from(eventRegistrations)
    .innerJoin(eventSessions, eq(eventSessions.id, eventRegistrations.sessionId))
    .where(
      and(
        eq(eventSessions.eventId, eventId),
        gt(eventSessions.startsAt, now),
        eq(eventRegistrations.status, 'registered'),
      ),
    );
  return rows.map((r) => r.id);
}

export interface EventListFilter {
  /**
   * All of the organiser's events, drafts and past ones included (for its own members); otherwise
   * only published events of admitted organisers with a session still to come, soonest first.
   */
  all: boolean;
  now: Date;
  organiserOrgId?: string;
  kind?: EventKind;
  region?: string;
  /** A session starting at or after this instant … */
  sessionFrom?: Date;
  /** … and before this one. */
  sessionBefore?: Date;
}

export async function listEventRows(db: DbOrTx, f: EventListFilter): Promise<Event[]> {
  const sessionConds: SQL[] = [sql`s.event_id = events.id`];
  if (!f.all) sessionConds.push(sql`s.ends_at > ${f.now.toISOString()}::timestamptz`);
  if (f.sessionFrom) sessionConds.push(sql`s.starts_at >= ${f.sessionFrom.toISOString()}::timestamptz`);
  if (f.sessionBefore) sessionConds.push(sql`s.starts_at < ${f.sessionBefore.toISOString()}::timestamptz`);
  return db
    .select()
    .from(events)
    .where(
      and(
        f.all ? undefined : eq(events.status, 'published'),
        // Only admitted organisers show in public (the gate of `isAdmitted`).
        f.all
          ? undefined
          : sql`EXISTS (SELECT 1 FROM organisations o WHERE o.id = ${events.organiserOrgId} AND o.status = 'active')`,
        f.organiserOrgId ? eq(events.organiserOrgId, f.organiserOrgId) : undefined,
        f.kind ? eq(events.kind, f.kind) : undefined,
        f.region ? sql`${events.regionCode} LIKE ${regionPrefix(f.region) + '%'}` : undefined,
        sql`EXISTS (SELECT 1 FROM event_sessions s WHERE ${sql.join(sessionConds, sql` AND `)})`,
      ),
    )
    .orderBy(
      f.all
        ? desc(events.createdAt)
        : sql`(SELECT min(s.starts_at) FROM event_sessions s WHERE s.event_id = events.id
        AND s.ends_at > ${f.now.toISOString()}::timestamptz)`,
    )
    .limit(200);
}

/* ---------------------------------------------------------------- sessions */

export type Session = typeof eventSessions.$inferSelect;

/**
 * The sessions of these events in time order, each with its waitlist's length and, for `userId`,
 * that person's live registration status.
 */
export async function findSessionsOfEvents(db: DbOrTx, eventIds: string[], userId: string | null) {
  if (eventIds.length === 0) return [];
  return db
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

export type SessionRow = Awaited<ReturnType<typeof findSessionsOfEvents>>[number];

/**
 * The session with its event and the organiser's status; `forUpdate` takes the session's row lock
 * (the lock every seat change takes) — after a share lock on its event, in a statement of its own,
 * so a seat never changes hands while the event is being changed or cancelled, and the event read
 * here is the one committed after any such change (event before session: one lock order for all).
 */
export async function findSession(
  db: DbOrTx,
  id: string,
  forUpdate = false,
): Promise<{ session: Session; event: Event; organiserStatus: OrgStatus } | undefined> {
  const q = db
    .select({ session: eventSessions, event: events, organiserStatus: organisations.status })
    .from(eventSessions)
    .innerJoin(events, eq(events.id, eventSessions.eventId))
    .innerJoin(organisations, eq(organisations.id, events.organiserOrgId))
    .where(eq(eventSessions.id, id))
    .limit(1);
  if (!forUpdate) return (await q)[0];
  await db
    .select({ id: events.id })
    .from(events)
    .innerJoin(eventSessions, eq(eventSessions.eventId, events.id))
    .where(eq(eventSessions.id, id))
    .for('share', { of: events });
  const [row] = await q.for('update', { of: eventSessions });
  return row;
}

export async function insertSessions(db: DbOrTx, values: (typeof eventSessions.$inferInsert)[]): Promise<string[]> {
  const rows = await db.insert(eventSessions).values(values).returning({ id: eventSessions.id });
  return rows.map((r) => r.id);
}

export async function updateSessionRow(db: DbOrTx, id: string, set: Partial<typeof eventSessions.$inferInsert>) {
  await db.update(eventSessions).set(set).where(eq(eventSessions.id, id));
}

/** Moves the session's seat count by `delta` (the CHECK constraint keeps it within 0…seats). */
export async function addSeatsTaken(db: DbOrTx, sessionId: string, delta: number) {
  await db
    .update(eventSessions)
    .set({ seatsTaken: sql`${eventSessions.seatsTaken} + ${delta}` })
    .where(eq(eventSessions.id, sessionId));
}

export interface DueSession extends Record<string, unknown> {
  id: string;
  event_id: string;
  starts_at: Date | string;
  title_zh: string;
  title_en: string;
  venue_zh: string;
}

/**
 * Stamps the published events' sessions starting in (now, horizon] that have had no reminder yet,
 * and returns them. The guarded UPDATE … RETURNING makes a concurrent sweep wait on the row lock
 * and then skip them.
 */
export async function stampSessionsDueReminder(db: DbOrTx, now: Date, horizon: Date): Promise<DueSession[]> {
  const due = await db.execute<DueSession>(sql`
      UPDATE event_sessions s SET reminder_sent_at = ${now.toISOString()}::timestamptz
      FROM events e
      WHERE e.id = s.event_id AND e.status = 'published' AND s.reminder_sent_at IS NULL
        AND s.starts_at > ${now.toISOString()}::timestamptz AND s.starts_at <= ${horizon.toISOString()}::timestamptz
      RETURNING s.id, s.event_id, s.starts_at, e.title_zh, e.title_en, e.venue_zh`);
  return due.rows;
}

/* ---------------------------------------------------------------- registrations */

export type Registration = typeof eventRegistrations.$inferSelect;
export type RegStatus = Registration['status'];

/** A waitlisted registration's place in the queue (1 = next to get a seat); null for the others. */
const waitlistPosition = sql<number | null>`CASE WHEN ${eventRegistrations.status} = 'waitlisted' THEN
  (SELECT count(*)::int FROM event_registrations w WHERE w.session_id = event_registrations.session_id
     AND w.status = 'waitlisted' AND (w.created_at, w.id) <= (event_registrations.created_at, event_registrations.id))
  END`;

async function registrationsWhere(db: DbOrTx, where: SQL) {
  return db
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
}

export type RegistrationRow = Awaited<ReturnType<typeof registrationsWhere>>[number];

/** One registration with its waitlist place, session and event. */
export async function findRegistration(db: DbOrTx, id: string): Promise<RegistrationRow | undefined> {
  return (await registrationsWhere(db, eq(eventRegistrations.id, id)))[0];
}

/** A person's registrations (cancelled ones too) with their waitlist places, sessions and events. */
export async function findRegistrationsOfUser(db: DbOrTx, userId: string): Promise<RegistrationRow[]> {
  return registrationsWhere(db, eq(eventRegistrations.userId, userId));
}

/**
 * The person's registration for the session: `live`, the one not cancelled (there is at most one);
 * `seat`, the one holding (or having held) a seat — registered, attended or absent.
 */
export async function findUserRegistration(
  db: DbOrTx,
  sessionId: string,
  userId: string,
  which: 'live' | 'seat',
): Promise<Registration | undefined> {
  const [row] = await db
    .select()
    .from(eventRegistrations)
    .where(
      and(
        eq(eventRegistrations.sessionId, sessionId),
        eq(eventRegistrations.userId, userId),
        which === 'live'
          ? sql`${eventRegistrations.status} <> 'cancelled'`
          : inArray(eventRegistrations.status, ['registered', 'attended', 'absent']),
      ),
    )
    .limit(1);
  return row;
}

export async function insertRegistration(
  db: DbOrTx,
  values: { sessionId: string; userId: string; orgId: string | null; status: RegStatus; updatedAt: Date },
): Promise<string> {
  const [created] = await db
    .insert(eventRegistrations)
    .values({
      ...values,
      // The waitlist order is the order of the lock, not of the transactions' start.
      createdAt: sql`clock_timestamp()`,
    })
    .returning({ id: eventRegistrations.id });
  return created!.id;
}

export async function setRegistrationStatus(db: DbOrTx, id: string, status: RegStatus, now: Date) {
  await db.update(eventRegistrations).set({ status, updatedAt: now }).where(eq(eventRegistrations.id, id));
}

/** The first on the session's waitlist (in registration order), if anyone. */
export async function findFirstWaitlisted(db: DbOrTx, sessionId: string) {
  const [next] = await db
    .select({ id: eventRegistrations.id, userId: eventRegistrations.userId, orgId: eventRegistrations.orgId })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.sessionId, sessionId), eq(eventRegistrations.status, 'waitlisted')))
    .orderBy(asc(eventRegistrations.createdAt), asc(eventRegistrations.id))
    .limit(1);
  return next;
}

/** The people whose registration for the session has one of these statuses. */
export async function findSessionUserIds(db: DbOrTx, sessionId: string, statuses: RegStatus[]): Promise<string[]> {
  const rows = await db
    .select({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.sessionId, sessionId), inArray(eventRegistrations.status, statuses)));
  return rows.map((r) => r.userId);
}

/**
 * The session's registrants with their contact details and organisation: seat holders first, then
 * the absent, then the waitlist in order, then the rest.
 */
export async function findSessionRegistrants(db: DbOrTx, sessionId: string) {
  return db
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
}

/** The session's registrations that hold a seat or wait for one (what removing the session ends). */
export async function findLiveRegistrationsOfSession(db: DbOrTx, sessionId: string) {
  return db
    .select({ id: eventRegistrations.id, userId: eventRegistrations.userId, status: eventRegistrations.status })
    .from(eventRegistrations)
    .where(
      and(
        eq(eventRegistrations.sessionId, sessionId),
        inArray(eventRegistrations.status, ['registered', 'waitlisted']),
      ),
    );
}

/** How many sessions the event has. */
export async function countSessions(db: DbOrTx, eventId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(eventSessions)
    .where(eq(eventSessions.eventId, eventId));
  return row?.n ?? 0;
}

/** Removes a session; its registrations go with it (the audit log and the credits keep their record). */
export async function deleteSession(db: DbOrTx, sessionId: string) {
  await db.delete(eventSessions).where(eq(eventSessions.id, sessionId));
}
