import { DateTime as Luxon } from 'luxon';
import type { DbOrTx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { money } from '../../lib/money.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import {
  findOrganisers,
  findSessionsOfEvents,
  type Event,
  type RegistrationRow,
  type SessionRow,
} from './repository.ts';

/** How the API shows events, sessions and registrations. */

/** A time as notices state it: Beijing wall time. */
export const beijingTime = (d: Date) => Luxon.fromJSDate(d, { zone: PLATFORM_TIME_ZONE }).toFormat('yyyy-MM-dd HH:mm');

export function sessionView(row: SessionRow) {
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

/** The events with their organiser and sessions (with the caller's own registration status). */
export async function eventViews(db: DbOrTx, list: Event[], actor: Actor | null) {
  if (list.length === 0) return [];
  const sessions = await findSessionsOfEvents(
    db,
    list.map((e) => e.id),
    actor?.userId ?? null,
  );
  const orgs = new Map(
    (await findOrganisers(db, [...new Set(list.map((e) => e.organiserOrgId))])).map((o) => [o.id, o]),
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

export async function eventView(db: DbOrTx, event: Event, actor: Actor | null) {
  return (await eventViews(db, [event], actor))[0]!;
}

export function registrationView(row: RegistrationRow) {
  return {
    id: row.r.id,
    status: row.r.status,
    waitlistPosition: row.position ?? null,
    session: { id: row.s.id, startsAt: row.s.startsAt.toISOString(), endsAt: row.s.endsAt.toISOString() },
    event: row.e,
    createdAt: row.r.createdAt.toISOString(),
    updatedAt: row.r.updatedAt.toISOString(),
  };
}
