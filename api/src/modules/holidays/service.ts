import type { Db } from '@qihub/db';
import { DateTime } from 'luxon';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, validationFailed, type FieldError } from '../../lib/errors.ts';
import { regionPrefix } from '../../lib/region.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { chinaScheduleKnown, packageDayKind, statutoryHolidays } from '../availability/index.ts';
import * as repo from './repository.ts';

/**
 * Where a year's calendar comes from: entered by the platform (`override`), the State Council's
 * published schedule in the `chinese-days` package (`package`), or — for a year with no official
 * schedule yet — only the statutory holidays fixed by law, make-up days unknown (`statutory`).
 */
export type HolidaySource = 'override' | 'package' | 'statutory';

export interface HolidayDeps {
  db: Db;
  clock: () => Date;
}

function requirePlatformAdmin(actor: Actor | null): string[] {
  const scopes = platformScopes(requireActor(actor));
  if (scopes.length === 0) throw forbidden('Only platform administrators see the holiday calendar.');
  return scopes;
}

/** The package's (or the law's) calendar of a year, day by day in China. */
function defaultYear(year: number): {
  source: Exclude<HolidaySource, 'override'>;
  holidays: string[];
  makeupWorkdays: string[];
} {
  if (!chinaScheduleKnown(year)) {
    return { source: 'statutory', holidays: [...statutoryHolidays(year)].sort(), makeupWorkdays: [] };
  }
  const holidays: string[] = [];
  const makeupWorkdays: string[] = [];
  const end = DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone: PLATFORM_TIME_ZONE });
  for (
    let d = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: PLATFORM_TIME_ZONE });
    d < end;
    d = d.plus({ days: 1 })
  ) {
    const kind = packageDayKind(d.toISODate()!, d.weekday);
    if (kind === 'public_holiday') holidays.push(d.toISODate()!);
    if (kind === 'makeup_workday') makeupWorkdays.push(d.toISODate()!);
  }
  return { source: 'package', holidays, makeupWorkdays };
}

function view(year: number, row: repo.HolidayYearRow | null) {
  if (row) {
    return {
      year,
      timeZone: 'Asia/Shanghai' as const,
      source: 'override' as HolidaySource,
      makeupWorkdaysKnown: true,
      holidays: [...row.holidays].sort(),
      makeupWorkdays: [...row.makeupWorkdays].sort(),
      note: row.note,
      updatedAt: row.updatedAt.toISOString(),
      updatedBy: row.updatedByName,
      packageSource: defaultYear(year).source,
    };
  }
  const d = defaultYear(year);
  return {
    year,
    timeZone: 'Asia/Shanghai' as const,
    source: d.source,
    makeupWorkdaysKnown: d.source === 'package',
    holidays: d.holidays,
    makeupWorkdays: d.makeupWorkdays,
    note: '',
    updatedAt: null,
    updatedBy: null,
    packageSource: d.source,
  };
}

/** A year's calendar as it is in force, for any platform admin. */
export async function getHolidayYear(deps: HolidayDeps, actor: Actor | null, year: number) {
  requirePlatformAdmin(actor);
  return view(year, await repo.holidayYear(deps.db, year));
}

export interface HolidayYearInput {
  holidays: string[];
  makeupWorkdays: string[];
  note?: string;
}

function checkDates(year: number, input: HolidayYearInput): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const check = (list: string[], field: string, weekendOnly: boolean) => {
    list.forEach((date, i) => {
      const path = `/${field}/${i}`;
      const d = DateTime.fromISO(date, { zone: PLATFORM_TIME_ZONE });
      if (!d.isValid || d.year !== year) {
        errors.push({ path, code: 'invalid_value', message: `${date} is not a day of ${year}.` });
      } else if (seen.has(date)) {
        errors.push({ path, code: 'invalid_value', message: `${date} is listed twice.` });
      } else if (weekendOnly && d.weekday < 6) {
        errors.push({
          path,
          code: 'invalid_value',
          message: `${date} is a weekday: a make-up working day is a Saturday or Sunday.`,
        });
      }
      seen.add(date);
    });
  };
  check(input.holidays, 'holidays', false);
  check(input.makeupWorkdays, 'makeupWorkdays', true);
  return errors;
}

/**
 * The top-level (province) platform admins enter a year from the State Council's notice; from then
 * on availability and working-day due dates follow it. Orders keep the due date they were given.
 */
export async function putHolidayYear(
  deps: HolidayDeps,
  actor: Actor | null,
  year: number,
  input: HolidayYearInput,
  requestId?: string,
) {
  const a = requireActor(actor);
  requirePlatformAdmin(a);
  const top = a.memberships.find(
    (m) =>
      m.orgKind === 'platform' &&
      m.orgStatus === 'active' &&
      m.role === 'admin' &&
      regionPrefix(m.regionCode).length === 2,
  );
  if (!top) throw forbidden('Only the province platform’s administrators keep the national holiday calendar.');
  const errors = checkDates(year, input);
  if (errors.length > 0) throw validationFailed(errors);
  const holidays = [...input.holidays].sort();
  const makeupWorkdays = [...input.makeupWorkdays].sort();
  const note = (input.note ?? '').trim();
  await deps.db.transaction(async (tx) => {
    const before = await repo.holidayYear(tx, year, true);
    await repo.saveHolidayYear(tx, {
      year,
      holidays,
      makeupWorkdays,
      note,
      updatedAt: deps.clock(),
      updatedBy: a.userId,
    });
    // In the same transaction: every process sees the new stamp (and re-reads the years) exactly
    // when the change is committed, before its next availability or due-date computation.
    await repo.stampHolidayCalendar(tx, deps.clock());
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: before ? 'holidays.updated' : 'holidays.entered',
      entityType: 'holiday_year',
      entityId: String(year),
      orgId: top.orgId,
      before: before
        ? { holidays: before.holidays, makeupWorkdays: before.makeupWorkdays, note: before.note }
        : defaultYear(year),
      after: { holidays, makeupWorkdays, note },
      requestId,
    });
  });
  return view(year, await repo.holidayYear(deps.db, year));
}
