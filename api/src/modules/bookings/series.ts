import type { Booking, DbOrTx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict, notFound, unprocessable, type FieldError, type ProblemCode } from '../../lib/errors.ts';
import { isLostRace } from '../../lib/pg-errors.ts';
import { expand, RecurrenceError, type Occurrence } from './recurrence.ts';
import { auditBooking } from './audit.ts';
import * as repo from './repository.ts';
import { isCustomerOf, isLabStaffOf, waiveFeesFilledBy } from './reschedule.ts';
import { cancelWithFee } from './lifecycle.ts';
import { customerCancellationFee } from './rules.ts';
import { asHoldLimit, assertHoldRoom, holdLimitOf, insertHold } from './holds.ts';
import { canSee, toBookingView } from './view.ts';
import { vetSlot, type BookingDeps, type VettedSlot } from './vetting.ts';

export interface SeriesCreateInput {
  instrumentId: string;
  localStart: string;
  durationMinutes: number;
  rule: string;
  mode: 'self' | 'assisted';
  notes?: string;
  onConflict: 'all_or_nothing' | 'skip';
}

export interface SeriesConflict {
  start: string;
  end: string;
  code: ProblemCode;
  message: string;
}

type Series = repo.BookingSeries;

function seriesView(s: Series) {
  return {
    id: s.id,
    instrumentId: s.instrumentId,
    rule: s.rule,
    localStart: s.localStart,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    mode: s.mode,
    createdAt: s.createdAt.toISOString(),
  };
}

const ACTIVE: readonly Booking['status'][] = ['held', 'pending_approval', 'confirmed'];

/**
 * Books a recurring series: the rule is expanded in the site's wall-clock time (recurrence.ts),
 * every occurrence is vetted like a single booking and held (with the series id) in one
 * transaction. `all_or_nothing`: any occurrence that breaks a rule or is taken → nothing is
 * written, and the answer (409 if any was taken, else 422, code `series_conflict`) lists each one
 * in `errors`. `skip`: the free ones are held, the others come back in `conflicts` (when none at all
 * can be held it fails as all_or_nothing does). The holds expire like any hold unless the series is
 * confirmed (`confirmSeries`).
 */
export async function createSeries(deps: BookingDeps, actor: Actor | null, input: SeriesCreateInput) {
  const a = requireActor(actor);
  const instrument = await repo.instrumentForBooking(deps.db, input.instrumentId);
  if (!instrument || instrument.status === 'retired') throw notFound('instrument');
  let occurrences: Occurrence[];
  try {
    occurrences = expand({
      localStart: input.localStart,
      rule: input.rule,
      durationMinutes: input.durationMinutes,
      timeZone: instrument.timeZone,
    });
  } catch (error) {
    if (error instanceof RecurrenceError) throw unprocessable(error.code, error.message);
    throw error;
  }
  if (occurrences.length === 0) throw unprocessable('invalid_rule', 'The rule has no occurrence from localStart on.');

  // Rules first, per occurrence; 403/404 are about the instrument or the caller and end it all.
  const conflicts: (SeriesConflict & { index: number })[] = [];
  const vetted: { index: number; occurrence: Occurrence; slot: VettedSlot }[] = [];
  for (const [index, occurrence] of occurrences.entries()) {
    try {
      const slot = await vetSlot(deps, a, {
        instrumentId: input.instrumentId,
        start: occurrence.start,
        end: occurrence.end,
        mode: input.mode,
        notes: input.notes,
      });
      vetted.push({ index, occurrence, slot });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error;
      conflicts.push({ index, ...describe(occurrence), code: error.code, message: error.message });
    }
  }
  if (input.onConflict === 'all_or_nothing' && conflicts.length > 0) throw seriesConflict(conflicts);
  if (vetted.length === 0) throw seriesConflict(conflicts);
  // The series is one hold against the person's hold limits, however many occurrences it has.
  assertHoldRoom(vetted[0]!.slot);
  const customer = vetted[0]!.slot.customer;
  const now = deps.clock();

  try {
    return await deps.db.transaction(async (tx) => {
      const series = await repo.insertSeries(tx, {
        instrumentId: input.instrumentId,
        userId: a.userId!,
        customerOrgId: customer.orgId,
        rule: input.rule,
        localStart: input.localStart,
        timeZone: instrument.timeZone,
        durationMinutes: input.durationMinutes,
        mode: input.mode,
      });
      const held: Booking[] = [];
      for (const v of vetted) {
        try {
          held.push(await insertHold(tx, v.slot, now, { seriesId: series.id, limit: holdLimitOf(v.slot, series.id) }));
        } catch (error) {
          if (!(error instanceof AppError) || error.status !== 409) throw error;
          conflicts.push({ index: v.index, ...describe(v.occurrence), code: error.code, message: error.message });
        }
      }
      conflicts.sort((x, y) => x.index - y.index);
      if (held.length === 0 || (input.onConflict === 'all_or_nothing' && conflicts.length > 0)) {
        throw seriesConflict(conflicts);
      }
      await recordAudit(tx, a, {
        at: now,
        action: 'booking_series.held',
        entityType: 'booking_series',
        entityId: series.id,
        orgId: customer.orgId,
        after: { ...seriesView(series), bookingIds: held.map((b) => b.id), conflicts },
      });
      return {
        series: seriesView(series),
        bookings: held.map(toBookingView),
        conflicts: conflicts.map(({ index: _index, ...c }) => c),
      };
    });
  } catch (error) {
    if (isLostRace(error)) throw conflict('slot_unavailable', 'A time of the series was just taken; try again.');
    throw asHoldLimit(error);
  }
}

function describe(o: Occurrence) {
  return { start: o.start.toISOString(), end: o.end.toISOString() };
}

function seriesConflict(conflicts: (SeriesConflict & { index: number })[]) {
  const taken = conflicts.some((c) => c.code === 'slot_unavailable');
  const errors: FieldError[] = conflicts.map((c) => ({
    path: `/occurrences/${c.index}`,
    code: c.code,
    message: `${c.start}–${c.end}: ${c.message}`,
  }));
  return new AppError(
    taken ? 409 : 422,
    'series_conflict',
    `${conflicts.length} occurrence(s) of the series cannot be booked; nothing was booked.`,
    errors,
  );
}

/**
 * The series if the caller may see it (a member of its customer organisation or of the lab; 404
 * otherwise), and whether they act for the customer or the lab (as for a single booking).
 */
async function loadSeries(db: DbOrTx, actor: Actor, id: string) {
  const series = await repo.findSeries(db, id);
  if (!series) throw notFound('series');
  const instrument = await repo.instrumentForBooking(db, series.instrumentId);
  if (!instrument) throw notFound('series');
  const labId = instrument.labId;
  if (!membershipIn(actor, series.customerOrgId) && !membershipIn(actor, labId)) throw notFound('series');
  const isCustomer = isCustomerOf(actor, { ...series, labId });
  const isLab = isLabStaffOf(actor, labId);
  return { series, isCustomer, isLab };
}

/** The series and all its occurrences (any status), oldest first; its customer and lab only. */
export async function getSeries(deps: BookingDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const { series } = await loadSeries(deps.db, a, id);
  const rows = await repo.seriesOccurrences(deps.db, id);
  return { series: seriesView(series), bookings: rows.filter((b) => canSee(a, b)).map(toBookingView) };
}

/**
 * Confirms every held occurrence whose hold still stands, as a single confirm would: to
 * pending_approval when the booking's policy needs the lab, otherwise confirmed. Only the customer
 * confirms (the lab approves or rejects, 403 here). Lapsed holds are left for the expiry sweep.
 * 409 hold_expired when nothing could be confirmed because every hold lapsed; occurrences in other
 * statuses are left alone.
 */
export async function confirmSeries(deps: BookingDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const { series, isCustomer } = await loadSeries(tx, a, id);
    if (!isCustomer) throw new AppError(403, 'forbidden', 'Only the customer may confirm this series.');
    const now = deps.clock();
    const rows = await repo.lockOccurrencesIn(tx, id, ['held']);
    const live = rows.filter((b) => !b.holdExpiresAt || b.holdExpiresAt > now);
    if (rows.length > 0 && live.length === 0) {
      throw new AppError(409, 'hold_expired', 'Every hold of this series has expired; book it again.');
    }
    for (const b of live) {
      const to = b.policy.requiresApproval ? 'pending_approval' : 'confirmed';
      const after = await repo.transitionBooking(tx, b.id, ['held'], to, { holdExpiresAt: null, updatedAt: now });
      if (after?.status === 'confirmed') await waiveFeesFilledBy(tx, after, now);
      await auditBooking(tx, a, 'booking.confirm', b, { before: b, after, at: now });
    }
    return { series: seriesView(series), bookings: (await repo.seriesOccurrences(tx, id)).map(toBookingView) };
  });
}

/**
 * Cancels the series' future active occurrences — all of them, or `fromBookingId` and the ones
 * after it — each as a single cancellation would (inside the cut-off the snapshot policy's fee
 * applies). Occurrences that have begun or ended are left alone. The customer or the lab.
 */
export async function cancelSeries(
  deps: BookingDeps,
  actor: Actor | null,
  id: string,
  input: { fromBookingId?: string },
) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const { series, isCustomer, isLab } = await loadSeries(tx, a, id);
    if (!isCustomer && !isLab)
      throw new AppError(403, 'forbidden', 'Only the customer or the lab may cancel this series.');
    const now = deps.clock();
    let from = now;
    if (input.fromBookingId) {
      const pivot = await repo.findOccurrence(tx, id, input.fromBookingId);
      if (!pivot) throw unprocessable('not_in_series', 'fromBookingId is not an occurrence of this series.');
      if (pivot.startsAt > from) from = pivot.startsAt;
    }
    const rows = await repo.lockOccurrencesFrom(tx, {
      seriesId: id,
      statuses: ACTIVE,
      from,
      fromIncluded: !!input.fromBookingId,
      now,
    });
    for (const b of rows) {
      // As a single cancellation: the customer pays the late fee for a commitment after its free
      // period (a fee above zero is a late_cancellation strike), nothing for a hold; the lab
      // cancelling charges nothing.
      const fee = isCustomer ? customerCancellationFee(b, now) : 0;
      const after = await cancelWithFee(tx, b, a.userId, fee, now);
      await auditBooking(tx, a, 'booking.cancel', b, { before: b, after, at: now });
    }
    await recordAudit(tx, a, {
      at: now,
      action: 'booking_series.cancel',
      entityType: 'booking_series',
      entityId: id,
      orgId: series.customerOrgId,
      after: { fromBookingId: input.fromBookingId ?? null, cancelled: rows.map((b) => b.id) },
    });
    return {
      series: seriesView(series),
      bookings: (await repo.seriesOccurrences(tx, id)).map(toBookingView),
      cancelled: rows.map((b) => b.id),
    };
  });
}
