import { SERVICE_KINDS, type Db, type ServiceKind } from '@qihub/db';
import { DateTime } from 'luxon';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { regionContains, regionPrefix } from '../../lib/region.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import * as repo from './repository.ts';

export interface StatisticsDeps {
  db: Db;
  clock: () => Date;
}

/** Every figure of the programme's table; money in fen, hours to two decimals, null where the data cannot say. */
export interface Figures {
  enterprisesServed: number;
  serviceTimes: number;
  microSmallShare: number | null;
  byKind: Record<ServiceKind, number>;
  instrumentsShared: number;
  sharedMachineHours: number;
  externalServiceHours: number;
  ordersCompleted: number;
  reportsIssued: number;
  assistanceVisits: number;
  problemsSolved: number;
  trainingAttendees: number;
  eventsHeld: number;
  feesChargedFen: number;
  voucherAmountFen: number;
  costSavedFen: number;
  averageRating: number | null;
}

export interface RegionRef {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'province' | 'city' | 'station';
}

export interface Statistics extends Figures {
  region: RegionRef;
  from: string;
  to: string;
  timeZone: string;
  bySubRegion: (Figures & { region: RegionRef })[];
  byMonth: (Figures & { month: string })[];
}

/** The longest period one request may ask for: two years and a day (a leap year inside). */
export const MAX_PERIOD_DAYS = 731;

function emptyKinds(): Record<ServiceKind, number> {
  return Object.fromEntries(SERVICE_KINDS.map((k) => [k, 0])) as Record<ServiceKind, number>;
}

function figuresOf(row: repo.FigureRow | undefined, kinds: Record<ServiceKind, number>): Figures {
  const voucher = Number(row?.voucherAmountFen ?? 0);
  return {
    enterprisesServed: row?.enterprisesServed ?? 0,
    serviceTimes: row?.serviceTimes ?? 0,
    // Of the enterprises served whose size is known; unknown when none of them said.
    microSmallShare:
      row && row.sizedServed > 0 ? Math.round((row.microSmallServed / row.sizedServed) * 10_000) / 10_000 : null,
    byKind: kinds,
    instrumentsShared: row?.instrumentsShared ?? 0,
    sharedMachineHours: Number(row?.machineHours ?? 0),
    externalServiceHours: Number(row?.externalHours ?? 0),
    ordersCompleted: row?.ordersCompleted ?? 0,
    reportsIssued: row?.reportsIssued ?? 0,
    assistanceVisits: row?.assistanceVisits ?? 0,
    problemsSolved: row?.problemsSolved ?? 0,
    trainingAttendees: row?.trainingAttendees ?? 0,
    eventsHeld: row?.eventsHeld ?? 0,
    feesChargedFen: Number(row?.feesChargedFen ?? 0),
    voucherAmountFen: voucher,
    // Against list prices: the catalogue value of what was delivered (where it has a list price)
    // less what was charged for it, plus the programme's voucher share the enterprise did not pay.
    costSavedFen: Number(row?.listValueFen ?? 0) - Number(row?.chargedForListedFen ?? 0) + voucher,
    averageRating: row && row.ratingCount > 0 ? Math.round((row.ratingSum / row.ratingCount) * 100) / 100 : null,
  };
}

function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let m = DateTime.fromISO(from, { zone: 'UTC' }).startOf('month');
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  while (m <= end) {
    months.push(m.toFormat('yyyy-MM'));
    m = m.plus({ months: 1 });
  }
  return months;
}

/** The period [from, to] as China-time instants, and the whole months inside it (read from the rollups). */
export function validPeriod(from: string, to: string) {
  const f = DateTime.fromISO(from, { zone: PLATFORM_TIME_ZONE });
  const t = DateTime.fromISO(to, { zone: PLATFORM_TIME_ZONE });
  if (!f.isValid || !t.isValid) {
    throw unprocessable('invalid_span', 'from and to must be dates.', [
      { path: f.isValid ? '/to' : '/from', code: 'invalid_format', message: 'Not a date (YYYY-MM-DD).' },
    ]);
  }
  const days = t.diff(f, 'days').days;
  if (days < 0 || days >= MAX_PERIOD_DAYS) {
    throw unprocessable('invalid_span', `to must not be before from, and the period at most ${MAX_PERIOD_DAYS} days.`, [
      { path: '/to', code: 'invalid_span', message: 'to must not be before from (at most two years).' },
    ]);
  }
  const fromAt = f.startOf('day');
  const toAt = t.plus({ days: 1 }).startOf('day');
  // The whole months inside the period (read from the rollups); none when it is shorter than one.
  let fullFrom = fromAt.day === 1 ? fromAt : fromAt.plus({ months: 1 }).startOf('month');
  let fullTo = toAt.startOf('month');
  if (fullTo <= fullFrom) fullFrom = fullTo = toAt;
  return {
    fromAt: fromAt.toJSDate(),
    toAt: toAt.toJSDate(),
    fullFromAt: fullFrom.toJSDate(),
    fullToAt: fullTo.toJSDate(),
    fullFromMonth: fullFrom.toISODate()!,
    fullToMonth: fullTo.toISODate()!,
  };
}

/**
 * The region a platform admin asks about: their own region when none is named; one inside their
 * scope otherwise. A region outside it is answered as not found (another city's figures are not
 * revealed, nor whether that city exists).
 */
export async function regionInScope(deps: StatisticsDeps, actor: Actor | null, code: string | undefined) {
  const a = requireActor(actor);
  const scopes = platformScopes(a, ['admin']);
  if (scopes.length === 0) throw forbidden('Only a platform administrator can read the statistics.');
  const wanted = code ?? scopes[0]!;
  if (!/^[0-9]{6}$/.test(wanted) || !scopes.some((s) => regionContains(s, wanted))) throw notFound('region');
  const region = await repo.findRegion(deps.db, wanted);
  if (!region) throw notFound('region');
  return { region, scopes };
}

export async function statistics(
  deps: StatisticsDeps,
  actor: Actor | null,
  query: { region?: string; from: string; to: string },
): Promise<Statistics> {
  const { region } = await regionInScope(deps, actor, query.region);
  const period = validPeriod(query.from, query.to);
  const subDigits = region.level === 'province' ? 4 : region.level === 'city' ? 6 : null;
  const rows = await repo.statisticsFigures(deps.db, {
    prefix: regionPrefix(region.code),
    subDigits,
    ...period,
    fromDate: query.from,
    toDate: query.to,
    now: deps.clock(),
  });

  // Rows by grouping set: (), (sub), (month), and each of them again by service kind.
  const plain = (r: repo.FigureRow) => !r.byKind;
  const kindsOf = (match: (r: repo.FigureRow) => boolean) => {
    const kinds = emptyKinds();
    for (const r of rows) {
      if (r.byKind && r.kind && match(r) && r.kind in kinds) kinds[r.kind as ServiceKind] += r.serviceTimes;
    }
    return kinds;
  };
  const total = rows.find((r) => plain(r) && !r.bySub && !r.byMonth);
  const ref = (r: repo.RegionRow): RegionRef => ({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, level: r.level });

  const children = subDigits ? await repo.childRegions(deps.db, region.code) : [];
  const bySubRegion = children.map((c) => ({
    region: ref(c),
    ...figuresOf(
      rows.find((r) => plain(r) && r.bySub && r.sub === c.code),
      kindsOf((r) => r.bySub && r.sub === c.code),
    ),
  }));
  const byMonth = monthsBetween(query.from, query.to).map((month) => ({
    month,
    ...figuresOf(
      rows.find((r) => plain(r) && r.byMonth && r.month === month),
      kindsOf((r) => r.byMonth && r.month === month),
    ),
  }));
  return {
    region: ref(region),
    from: query.from,
    to: query.to,
    timeZone: PLATFORM_TIME_ZONE,
    ...figuresOf(
      total,
      kindsOf((r) => !r.bySub && !r.byMonth),
    ),
    bySubRegion,
    byMonth,
  };
}

/** Recomputes the statistics rollups from the records (`pnpm --filter @qihub/api stats:rebuild`). */
export async function rebuildStatisticsRollups(deps: { db: Db }): Promise<void> {
  await repo.rebuildRollups(deps.db);
}
