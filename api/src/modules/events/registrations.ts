import { chargeSeat, creditSeat } from './billing.ts';
import type { DbOrTx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { assertOrganiser, canSee, sessionForOrganiser, type EventDeps } from './access.ts';
import {
  addSeatsTaken,
  findRegistration,
  findRegistrationsOfUser,
  findSessionRegistrants,
  findSessionsOfEvents,
  findUserRegistration,
  insertRegistration,
  setRegistrationStatus,
  type RegStatus,
} from './repository.ts';
import { lockSession, promoteFirstWaitlisted } from './seats.ts';
import { beijingTime, registrationView, sessionView } from './views.ts';

/** A change of a registration is audited under the event's organiser. */
async function auditRegistration(
  tx: DbOrTx,
  actor: Actor,
  action: string,
  registrationId: string,
  event: { organiserOrgId: string },
  change: { before?: unknown; after: unknown; at: Date },
) {
  await recordAudit(tx, actor, {
    action: `event.${action}`,
    entityType: 'event_registration',
    entityId: registrationId,
    orgId: event.organiserOrgId,
    ...change,
  });
}

/** People registering for sessions, the waitlist, and the organiser's list and attendance. */

/** The person registering: people register, API tokens do not. */
function registrant(actor: Actor | null): { a: Actor; userId: string } {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('People register, not API tokens.');
  return { a, userId: a.userId };
}

/** The registration as the API shows it, read in the caller's transaction. */
async function registrationOut(tx: DbOrTx, id: string) {
  return registrationView((await findRegistration(tx, id))!);
}

/** Registered if a seat is free, otherwise waitlisted; never more registered than seats. */
export async function register(deps: EventDeps, actor: Actor | null, sessionId: string) {
  const { a, userId } = registrant(actor);
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
    const existing = await findUserRegistration(tx, sessionId, userId, 'live');
    if (existing) throw conflict('already_registered', `You are already ${existing.status} for this session.`);
    const status: RegStatus = session.seatsTaken < session.seats ? 'registered' : 'waitlisted';
    const createdId = await insertRegistration(tx, { sessionId, userId, orgId, status, updatedAt: now });
    if (status === 'registered') {
      await addSeatsTaken(tx, sessionId, 1);
      await chargeSeat(tx, event, createdId, orgId, now);
    }
    await auditRegistration(tx, a, status, createdId, event, { after: { sessionId, status }, at: now });
    const view = await registrationOut(tx, createdId);
    const when = beijingTime(session.startsAt);
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
      `event-registration:${createdId}`,
      now,
    );
    return view;
  });
}

/** Cancels the caller's registration; a freed seat goes to the first waitlisted in the same transaction. */
export async function cancelMyRegistration(deps: EventDeps, actor: Actor | null, sessionId: string) {
  const { a, userId } = registrant(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { session, event } = await lockSession(tx, sessionId);
    const mine = await findUserRegistration(tx, sessionId, userId, 'live');
    if (!mine) throw notFound('registration');
    if (mine.status !== 'registered' && mine.status !== 'waitlisted') {
      throw conflict('illegal_transition', `A registration marked ${mine.status} cannot be cancelled.`);
    }
    if (session.startsAt <= now)
      throw conflict('session_started', 'The session has started; it can no longer be cancelled.');
    await setRegistrationStatus(tx, mine.id, 'cancelled', now);
    if (mine.status === 'registered') await creditSeat(tx, event, mine.id, now);
    let promoted: string | null = null;
    if (mine.status === 'registered') {
      await addSeatsTaken(tx, sessionId, -1);
      if (event.status === 'published') {
        promoted = await promoteFirstWaitlisted(tx, { ...session, seatsTaken: session.seatsTaken - 1 }, event, now);
      }
    }
    await auditRegistration(tx, a, 'registration_cancelled', mine.id, event, {
      before: { status: mine.status },
      after: { status: 'cancelled', promoted },
      at: now,
    });
    return registrationOut(tx, mine.id);
  });
}

export async function myRegistrations(deps: EventDeps, actor: Actor | null) {
  const { userId } = registrant(actor);
  return { items: (await findRegistrationsOfUser(deps.db, userId)).map(registrationView) };
}

/** The organiser's list: registered first, then the waitlist in order, then the rest. */
export async function sessionRegistrations(deps: EventDeps, actor: Actor | null, sessionId: string) {
  requireActor(actor);
  const { session } = await sessionForOrganiser(deps.db, actor, sessionId);
  const [sessionRow] = await findSessionsOfEvents(deps.db, [session.eventId], null).then((all) =>
    all.filter((s) => s.s.id === sessionId),
  );
  const rows = await findSessionRegistrants(deps.db, sessionId);
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
  // Outsiders learn nothing of the session's registrants (404), before any lock is taken.
  await sessionForOrganiser(deps.db, a, sessionId);
  return deps.db.transaction(async (tx) => {
    const { session, event, organiserStatus } = await lockSession(tx, sessionId);
    assertOrganiser(a, event, organiserStatus, 'act');
    if (now < session.startsAt)
      throw conflict('session_not_started', 'Attendance is taken once the session has started.');
    const reg = await findUserRegistration(tx, sessionId, input.userId, 'seat');
    if (!reg) throw conflict('not_registered', 'That person holds no seat in this session.');
    const to: RegStatus = input.attended ? 'attended' : 'absent';
    const held = (s: RegStatus) => s === 'registered' || s === 'attended';
    const delta = (held(to) ? 1 : 0) - (held(reg.status) ? 1 : 0);
    await setRegistrationStatus(tx, reg.id, to, now);
    if (delta !== 0) await addSeatsTaken(tx, sessionId, delta);
    await auditRegistration(tx, a, 'attendance', reg.id, event, {
      before: { status: reg.status },
      after: { status: to },
      at: now,
    });
    return registrationOut(tx, reg.id);
  });
}
