import type { Db } from '@qihub/db';
import { canSeeCatalogueEntry, membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { notFound } from '../../lib/errors.ts';
import { CHECK_IN_EARLY_MINUTES, toBookingView } from '../bookings/index.ts';
import * as repo from './repository.ts';

export interface CheckinDeps {
  db: Db;
  clock: () => Date;
}

/** Lab roles that check bookings in and out (the bookings module's `lab` and `operator`). */
const DESK_ROLES = new Set(['manager', 'staff', 'operator']);

/**
 * What the check-in page at an instrument offers the signed-in person now (签到 / 签退). The lab's
 * managers, staff and operators see every booking of the instrument whose check-in window is open
 * or that is in use, the ones they operate first; anyone else sees only the bookings they made
 * themselves — never another person's or another organisation's. The check-in and check-out
 * themselves are the bookings API's (POST /v1/bookings/{id}/check-in and /check-out), with its
 * window, its roles and its states; this only finds the booking to act on.
 */
export async function checkinCandidates(
  deps: CheckinDeps,
  actor: Actor | null,
  instrumentId: string,
  unitPosition: number | undefined,
) {
  const a = requireActor(actor);
  const instrument = await repo.instrumentForCheckin(deps.db, instrumentId);
  if (!instrument || !canSeeCatalogueEntry(a, instrument)) throw notFound('instrument');
  const unit = unitPosition === undefined ? undefined : await repo.unitAt(deps.db, instrumentId, unitPosition);
  if (unitPosition !== undefined && !unit) throw notFound('unit');

  const m = membershipIn(a, instrument.labId);
  const lab = !!m && m.orgKind === 'lab' && DESK_ROLES.has(m.role);
  const now = deps.clock();
  // Outside the lab, only one's own bookings; a token of another organisation has none.
  const userId = lab ? undefined : a.userId;
  const scope: repo.CheckinScope = { instrumentId, unitId: unit?.id, userId: userId ?? undefined };
  const [rows, next] =
    lab || userId
      ? await Promise.all([
          repo.currentBookings(deps.db, scope, now, CHECK_IN_EARLY_MINUTES),
          repo.nextBooking(deps.db, scope, now, CHECK_IN_EARLY_MINUTES),
        ])
      : [[], undefined];
  const mine = (b: { userId: string; operatorId: string | null }) =>
    !!a.userId && (b.userId === a.userId || b.operatorId === a.userId);
  const current = rows
    .map((r) => ({
      booking: toBookingView(r.booking),
      action: r.booking.status === 'in_use' ? ('check-out' as const) : ('check-in' as const),
      mine: mine(r.booking),
      booker: { displayName: r.bookerName, orgNameZh: r.orgZh, orgNameEn: r.orgEn },
      operatorName: r.operatorName,
    }))
    // Stable: the caller's own (or operated) bookings first, each group by start.
    .sort((x, y) => Number(y.mine) - Number(x.mine));
  return {
    now: now.toISOString(),
    viewer: lab ? ('lab' as const) : ('customer' as const),
    checkInOpensMinutesBefore: CHECK_IN_EARLY_MINUTES,
    instrument: {
      id: instrument.id,
      nameZh: instrument.nameZh,
      nameEn: instrument.nameEn,
      model: instrument.model,
      manufacturer: instrument.manufacturer,
      status: instrument.status,
      lab: { id: instrument.labId, nameZh: instrument.labZh, nameEn: instrument.labEn },
      timeZone: instrument.timeZone,
    },
    unit: unit ? { position: unit.position, label: unit.label } : null,
    current,
    next: next
      ? { id: next.id, start: next.startsAt.toISOString(), end: next.endsAt.toISOString(), status: next.status }
      : null,
  };
}
