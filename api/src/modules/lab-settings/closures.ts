import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import * as repo from './repository.ts';
import type { ClosureCreate } from './schema.ts';
import { assertEditor, assertReader, type ScheduleDeps } from './access.ts';

export const iso = (d: string | Date) => new Date(d).toISOString();

export function toClosureView(c: repo.ClosureRow) {
  return {
    id: c.id,
    labId: c.labId,
    instrumentId: c.instrumentId,
    unitId: c.unitId,
    start: iso(c.start),
    end: iso(c.end),
    reason: c.reason,
    scope: (c.unitId ? 'unit' : c.instrumentId ? 'instrument' : 'lab') as 'lab' | 'instrument' | 'unit',
  };
}

/** A booking as the lab's calendar shows it (a closure's affected bookings too). */
export function toScheduleBooking(b: repo.ScheduleBookingRow) {
  return {
    id: b.id,
    instrumentId: b.instrumentId,
    unitId: b.unitId,
    status: b.status as 'confirmed',
    mode: b.mode as 'self' | 'assisted',
    start: iso(b.start),
    end: iso(b.end),
    customer: { orgId: b.customerOrgId, nameZh: b.customerZh, nameEn: b.customerEn },
    user: { id: b.userId, displayName: b.userName },
    operator: b.operatorId ? { id: b.operatorId, displayName: b.operatorName ?? '' } : null,
  };
}

const DAY = 24 * 3600_000;

export async function listClosures(
  deps: ScheduleDeps,
  actor: Actor | null,
  labId: string,
  query: { from?: string; to?: string },
) {
  assertReader(actor, labId, 'lab');
  const from = query.from ? new Date(query.from) : deps.clock();
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + 366 * DAY);
  if (!(to > from)) {
    throw unprocessable('invalid_span', 'to must be after from.', [
      { path: '/to', code: 'invalid_span', message: 'to must be after from.' },
    ]);
  }
  const rows = await repo.listClosures(deps.db, labId, from, to);
  return { items: rows.map(toClosureView) };
}

/**
 * Closes the whole lab, one instrument or one unit (maintenance) for a span. Bookings already made
 * for that time stay as they are: the answer lists the active ones it overlaps so the lab can
 * contact those customers (and cancel or move them through the booking endpoints).
 */
export async function createClosure(
  deps: ScheduleDeps,
  actor: Actor | null,
  labId: string,
  body: ClosureCreate,
  requestId?: string,
) {
  const a = assertEditor(actor, labId, 'lab');
  const start = new Date(body.start);
  const end = new Date(body.end);
  const errors: FieldError[] = [];
  if (!(end > start)) errors.push({ path: '/end', code: 'invalid_span', message: 'end must be after start.' });
  if (end.getTime() - start.getTime() > 3660 * DAY) {
    errors.push({ path: '/end', code: 'invalid_span', message: 'A closure lasts at most ten years.' });
  }
  // Closing time that is already over closes nothing: the calendar is about what is still to come.
  if (end.getTime() <= deps.clock().getTime()) {
    errors.push({ path: '/end', code: 'in_the_past', message: 'The closure has already ended.' });
  }
  let instrumentId = body.instrumentId ?? null;
  const unitId = body.unitId ?? null;
  if (instrumentId) {
    const inst = await repo.instrumentScope(deps.db, instrumentId);
    if (!inst || inst.labId !== labId) {
      errors.push({ path: '/instrumentId', code: 'unknown_instrument', message: 'Not an instrument of this lab.' });
    }
  }
  if (unitId) {
    const unit = await repo.unitScope(deps.db, unitId);
    if (!unit || unit.labId !== labId || (instrumentId && unit.instrumentId !== instrumentId)) {
      errors.push({ path: '/unitId', code: 'unknown_unit', message: 'Not a unit of this instrument of this lab.' });
    } else instrumentId = unit.instrumentId;
  }
  if (errors.length > 0) throw unprocessable(errors[0]!.code, errors[0]!.message, errors);
  const created = await deps.db.transaction(async (tx) => {
    const row = await repo.insertClosure(tx, { labId, instrumentId, unitId, start, end, reason: body.reason });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'closure.created',
      entityType: 'closure',
      entityId: row.id,
      orgId: labId,
      after: toClosureView(row),
      requestId,
    });
    return row;
  });
  const affected = await repo.activeBookingsDuring(deps.db, { labId, instrumentId, unitId }, start, end);
  return { closure: toClosureView(created), affectedBookings: affected.map(toScheduleBooking) };
}

export async function deleteClosure(deps: ScheduleDeps, actor: Actor | null, id: string, requestId?: string) {
  const existing = await repo.findClosure(deps.db, id);
  if (!existing) throw notFound('closure');
  const a = assertEditor(actor, existing.labId, 'closure');
  await deps.db.transaction(async (tx) => {
    const row = await repo.findClosure(tx, id, true);
    if (!row) return;
    await repo.deleteClosure(tx, id);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'closure.deleted',
      entityType: 'closure',
      entityId: id,
      orgId: row.labId,
      before: toClosureView(row),
      requestId,
    });
  });
}
