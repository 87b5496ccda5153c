import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import { DEFAULT_WEEK, type WeeklyHours } from '../availability/index.ts';
import * as repo from './repository.ts';
import { assertEditor, assertReader, instrumentOfLabMember, type ScheduleDeps } from './access.ts';

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
      at: deps.clock(),
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
      at: deps.clock(),
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
