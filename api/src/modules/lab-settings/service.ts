import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import { DEFAULT_WEEK, openingWindows, type WeeklyHours, type Window } from '../availability/index.ts';
import { parseSpan } from '../availability/index.ts';
import * as repo from './repository.ts';
import type { ClosureCreate } from './schema.ts';
import { assertEditor, assertReader, instrumentOfLabMember, type ScheduleDeps } from './access.ts';

export type { ScheduleDeps };

// ── Opening hours ──────────────────────────────────────────────────────────────────────────────

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/**
 * Weekly rows: weekday 1–7, HH:MM times with opens < closes, and rows of one weekday neither
 * overlapping nor touching (touching rows would read as one window here but two at booking).
 */
export function checkWeeklyRows(rows: WeeklyHours[]): FieldError[] {
  const errors: FieldError[] = [];
  rows.forEach((r, i) => {
    if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
      errors.push({ path: `/rows/${i}/weekday`, code: 'invalid_weekday', message: 'Weekday is 1 (Monday) to 7.' });
    }
    for (const field of ['opensAt', 'closesAt'] as const) {
      if (!HHMM.test(r[field])) {
        errors.push({ path: `/rows/${i}/${field}`, code: 'invalid_time', message: 'Use HH:MM, 00:00 to 23:59.' });
      }
    }
    if (HHMM.test(r.opensAt) && HHMM.test(r.closesAt) && r.opensAt >= r.closesAt) {
      errors.push({ path: `/rows/${i}/closesAt`, code: 'closes_before_opens', message: 'Close after opening.' });
    }
  });
  if (errors.length > 0) return errors;
  const order = rows
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => a.weekday - b.weekday || a.opensAt.localeCompare(b.opensAt));
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const cur = order[k]!;
    if (prev.weekday === cur.weekday && cur.opensAt <= prev.closesAt) {
      errors.push({
        path: `/rows/${cur.i}`,
        code: 'overlapping_rows',
        message: `Overlaps or touches another row on weekday ${cur.weekday}: merge them into one.`,
      });
    }
  }
  return errors;
}

function validateRows(rows: WeeklyHours[]) {
  const errors = checkWeeklyRows(rows);
  if (errors.length > 0) throw unprocessable('invalid_opening_hours', 'The opening hours are not valid.', errors);
  return rows.map((r) => ({ weekday: r.weekday, opensAt: r.opensAt, closesAt: r.closesAt }));
}

export async function getInstrumentHours(deps: ScheduleDeps, actor: Actor | null, id: string) {
  const { inst } = await instrumentOfLabMember(deps, actor, id, false);
  const own = await repo.hoursOf(deps.db, { instrumentId: id });
  if (own.length > 0) return { inherited: false, timeZone: inst.timeZone, rows: own };
  const site = await repo.hoursOf(deps.db, { siteId: inst.siteId });
  return { inherited: true, timeZone: inst.timeZone, rows: site.length > 0 ? site : DEFAULT_WEEK };
}

export async function putInstrumentHours(
  deps: ScheduleDeps,
  actor: Actor | null,
  id: string,
  rows: WeeklyHours[],
  requestId?: string,
) {
  const { a } = await instrumentOfLabMember(deps, actor, id, true);
  const clean = validateRows(rows);
  await deps.db.transaction(async (tx) => {
    // The lock serialises concurrent replacements, so each one is all-or-nothing.
    const inst = await repo.instrumentScope(tx, id, true);
    if (!inst) throw notFound('instrument');
    if (inst.status === 'retired') throw conflict('instrument_retired', 'A retired instrument cannot be edited.');
    const before = await repo.hoursOf(tx, { instrumentId: id });
    await repo.replaceHours(tx, { instrumentId: id }, clean);
    await recordAudit(tx, a, {
      action: 'opening_hours.replaced',
      entityType: 'instrument',
      entityId: id,
      orgId: inst.labId,
      before,
      after: clean,
      requestId,
    });
  });
  return getInstrumentHours(deps, a, id);
}

async function siteOfLabMember(deps: ScheduleDeps, actor: Actor | null, id: string, edit: boolean) {
  const site = await repo.siteScope(deps.db, id);
  if (!site) throw notFound('site');
  const a = edit ? assertEditor(actor, site.labId, 'site') : assertReader(actor, site.labId, 'site');
  return { a, site };
}

export async function getSiteHours(deps: ScheduleDeps, actor: Actor | null, id: string) {
  const { site } = await siteOfLabMember(deps, actor, id, false);
  const rows = await repo.hoursOf(deps.db, { siteId: id });
  return { inherited: rows.length === 0, timeZone: site.timeZone, rows: rows.length > 0 ? rows : DEFAULT_WEEK };
}

export async function putSiteHours(
  deps: ScheduleDeps,
  actor: Actor | null,
  id: string,
  rows: WeeklyHours[],
  requestId?: string,
) {
  const { a } = await siteOfLabMember(deps, actor, id, true);
  const clean = validateRows(rows);
  await deps.db.transaction(async (tx) => {
    const site = await repo.siteScope(tx, id, true);
    if (!site) throw notFound('site');
    const before = await repo.hoursOf(tx, { siteId: id });
    await repo.replaceHours(tx, { siteId: id }, clean);
    await recordAudit(tx, a, {
      action: 'opening_hours.replaced',
      entityType: 'site',
      entityId: id,
      orgId: site.labId,
      before,
      after: clean,
      requestId,
    });
  });
  return getSiteHours(deps, a, id);
}

// ── Closures ───────────────────────────────────────────────────────────────────────────────────

const iso = (d: string | Date) => new Date(d).toISOString();

function toClosureView(c: repo.ClosureRow) {
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

function toScheduleBooking(b: repo.ScheduleBookingRow) {
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
      action: 'closure.deleted',
      entityType: 'closure',
      entityId: id,
      orgId: row.labId,
      before: toClosureView(row),
      requestId,
    });
  });
}

// ── Resource calendar ──────────────────────────────────────────────────────────────────────────

/** The lab's resource calendar: instruments with units, opening windows, bookings and closures (3 queries). */
export async function labSchedule(
  deps: ScheduleDeps,
  actor: Actor | null,
  labId: string,
  query: { from: string; to: string },
) {
  assertReader(actor, labId, 'lab');
  const { from, to } = parseSpan(query.from, query.to);
  const [instrumentRows, bookingRows, closureRows] = await Promise.all([
    repo.scheduleInstruments(deps.db, labId),
    repo.scheduleBookings(deps.db, labId, from, to),
    repo.listClosures(deps.db, labId, from, to),
  ]);
  const windowsByKey = new Map<string, Window[]>();
  const windowsOf = (timeZone: string, hours: WeeklyHours[]) => {
    const key = `${timeZone}|${JSON.stringify(hours)}`;
    let w = windowsByKey.get(key);
    if (!w) windowsByKey.set(key, (w = openingWindows(from, to, timeZone, hours)));
    return w;
  };
  const closures = closureRows.map(toClosureView);
  const bookingsOf = new Map<string, ReturnType<typeof toScheduleBooking>[]>();
  for (const b of bookingRows) {
    const list = bookingsOf.get(b.instrumentId) ?? [];
    list.push(toScheduleBooking(b));
    bookingsOf.set(b.instrumentId, list);
  }
  return {
    labId,
    from: from.toISOString(),
    to: to.toISOString(),
    instruments: instrumentRows.map((i) => ({
      id: i.id,
      nameZh: i.nameZh,
      nameEn: i.nameEn,
      status: i.status,
      timeZone: i.timeZone,
      units: i.units,
      openingWindows: windowsOf(i.timeZone, i.hours).map((w) => ({
        start: w.start.toISOString(),
        end: w.end.toISOString(),
      })),
      bookings: bookingsOf.get(i.id) ?? [],
      closures: closures.filter((c) => c.instrumentId === i.id),
    })),
    labClosures: closures.filter((c) => c.instrumentId === null),
  };
}
