import { randomUUID } from 'node:crypto';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, unprocessable, type FieldError } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { assertOrganiser, loadEvent, type EventDeps } from './access.ts';
import { creditSeat } from './billing.ts';
import {
  countSessions,
  deleteSession,
  findLiveRegistrationsOfSession,
  findSessionUserIds,
  insertSessions,
  updateEventRow,
  updateSessionRow,
} from './repository.ts';
import { lockSession, promoteFirstWaitlisted } from './seats.ts';
import { beijingTime, eventView } from './views.ts';

/** An event's sessions: their times and seats, as the organiser sets and changes them. */

/**
 * What is wrong with a session's times, if anything (`field` names the culprit): it must end after
 * it starts, and start in the future.
 */
export function sessionTimesProblem(
  startsAt: string,
  endsAt: string,
  now: Date,
): (Omit<FieldError, 'path'> & { field: 'startsAt' | 'endsAt' }) | undefined {
  if (new Date(endsAt) <= new Date(startsAt)) {
    return { field: 'endsAt', code: 'invalid_session', message: 'Must be after startsAt.' };
  }
  if (new Date(startsAt) <= now) {
    return { field: 'startsAt', code: 'session_in_past', message: 'Must be in the future.' };
  }
  return undefined;
}

function checkTimes(startsAt: string, endsAt: string, now: Date) {
  const problem = sessionTimesProblem(startsAt, endsAt, now);
  if (!problem) return;
  const { field, ...error } = problem;
  throw unprocessable(
    error.code,
    field === 'endsAt' ? 'A session must end after it starts.' : 'A session must start in the future.',
    [{ path: `/${field}`, ...error }],
  );
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
    assertOrganiser(a, event, organiserStatus, 'act');
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'A cancelled event takes no new sessions.');
    const [sessionId] = await insertSessions(tx, [
      { eventId, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), seats: input.seats },
    ]);
    await updateEventRow(tx, eventId, { updatedAt: now });
    await recordAudit(tx, a, {
      at: now,
      action: 'event.session_added',
      entityType: 'event',
      entityId: eventId,
      orgId: event.organiserOrgId,
      after: { sessionId, ...input },
    });
    return eventView(tx, (await loadEvent(tx, eventId)).event, a);
  });
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
    assertOrganiser(a, event, organiserStatus, 'act');
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
    await updateSessionRow(tx, sessionId, {
      seats,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      ...(moved ? { reminderSentAt: null } : {}),
    });
    const promoted: string[] = [];
    if (event.status === 'published') {
      for (let free = seats - session.seatsTaken; free > 0; free--) {
        const id = await promoteFirstWaitlisted(tx, { ...session, startsAt: new Date(startsAt) }, event, now);
        if (!id) break;
        promoted.push(id);
      }
    }
    if (moved) {
      const when = beijingTime(new Date(startsAt));
      await notifyUsers(
        tx,
        await findSessionUserIds(tx, sessionId, ['registered', 'waitlisted']),
        {
          kind: 'event_rescheduled',
          titleZh: `活动时间变更：${event.titleZh}`,
          titleEn: `New time: ${event.titleEn || event.titleZh}`,
          bodyZh: `新的时间为 ${when}。如不能参加，请取消报名。`,
          bodyEn: `It now starts ${when} (Beijing time). If you cannot come, cancel your registration.`,
          link: `/events/${event.id}`,
        },
        `event-rescheduled:${sessionId}:${randomUUID()}`,
        now,
      );
    }
    await recordAudit(tx, a, {
      at: now,
      action: 'event.session_updated',
      entityType: 'event',
      entityId: event.id,
      orgId: event.organiserOrgId,
      before: { sessionId, seats: session.seats, startsAt: session.startsAt, endsAt: session.endsAt },
      after: { sessionId, seats, startsAt, endsAt, promoted },
    });
    return eventView(tx, event, a);
  });
}

/**
 * Removes a session that has not started (the organiser), for a date that falls through. Everyone
 * registered or waitlisted for it is told, and each billed seat is credited back; an event keeps at
 * least one session (to call the whole event off, cancel the event).
 */
export async function removeSession(deps: EventDeps, actor: Actor | null, sessionId: string) {
  const a = requireActor(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const { session, event, organiserStatus } = await lockSession(tx, sessionId);
    assertOrganiser(a, event, organiserStatus, 'withdraw');
    if (event.status === 'cancelled') throw conflict('illegal_transition', 'A cancelled event cannot be changed.');
    if (session.startsAt <= now)
      throw conflict('session_started', 'The session has started; it can no longer be removed.');
    // With the event's row locked too, two removals at once cannot leave it without a session.
    await loadEvent(tx, event.id, true);
    if ((await countSessions(tx, event.id)) <= 1) {
      throw conflict('last_session', 'This is the event’s only session: cancel the event instead.');
    }
    const live = await findLiveRegistrationsOfSession(tx, sessionId);
    for (const r of live.filter((r) => r.status === 'registered')) {
      await creditSeat(tx, event, r.id, now, '主办方取消场次 (the organiser removed the session)');
    }
    const when = beijingTime(session.startsAt);
    await notifyUsers(
      tx,
      [...new Set(live.map((r) => r.userId))],
      {
        kind: 'event_session_cancelled',
        titleZh: `活动场次取消：${event.titleZh}`,
        titleEn: `Session cancelled: ${event.titleEn || event.titleZh}`,
        bodyZh: `原定 ${when} 的场次已取消，您的报名随之取消。可以报名该活动的其他场次。`,
        bodyEn: `The session of ${when} (Beijing time) is cancelled, and with it your registration. You may register for another session of the event.`,
        link: `/events/${event.id}`,
      },
      `event-session-cancelled:${sessionId}`,
      now,
    );
    await deleteSession(tx, sessionId);
    await updateEventRow(tx, event.id, { updatedAt: now });
    await recordAudit(tx, a, {
      at: now,
      action: 'event.session_removed',
      entityType: 'event',
      entityId: event.id,
      orgId: event.organiserOrgId,
      before: {
        sessionId,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        seats: session.seats,
        registrations: live.map((r) => ({ id: r.id, userId: r.userId, status: r.status })),
      },
      after: { notified: new Set(live.map((r) => r.userId)).size },
    });
    return eventView(tx, (await loadEvent(tx, event.id)).event, a);
  });
}
