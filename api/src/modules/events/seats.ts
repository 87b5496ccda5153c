import { chargeSeat } from './billing.ts';
import type { Tx } from '@qihub/db';
import { recordAudit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import {
  addSeatsTaken,
  findFirstWaitlisted,
  findSession,
  setRegistrationStatus,
  type Event,
  type Session,
} from './repository.ts';
import { beijingTime } from './views.ts';

/**
 * Seats are never oversold: every registration change takes the session's row lock and keeps
 * `seats_taken` in step (a CHECK constraint holds seats_taken ≤ seats); when a seat frees up the
 * first on the waitlist gets it in the same transaction.
 */

/** The session with its event, row-locked (the lock every seat change takes). */
export async function lockSession(tx: Tx, id: string) {
  const row = await findSession(tx, id, true);
  if (!row) throw notFound('session');
  return row;
}

/** Hands the freed seat to the first on the waitlist, in the caller's transaction (session locked). */
export async function promoteFirstWaitlisted(tx: Tx, session: Session, event: Event, now: Date) {
  const next = await findFirstWaitlisted(tx, session.id);
  if (!next) return null;
  await setRegistrationStatus(tx, next.id, 'registered', now);
  await chargeSeat(tx, event, next.id, next.orgId, now);
  await addSeatsTaken(tx, session.id, 1);
  const when = beijingTime(session.startsAt);
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
    now,
  );
  await recordAudit(tx, null, {
    at: now,
    action: 'event.promoted',
    entityType: 'event_registration',
    entityId: next.id,
    orgId: event.organiserOrgId,
    before: { status: 'waitlisted' },
    after: { status: 'registered' },
  });
  return next.id;
}
