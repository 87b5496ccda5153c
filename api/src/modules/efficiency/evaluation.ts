import type { Db } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { refreshHolidayCalendar } from '../availability/index.ts';
import { workingDaysCounter } from '../orders/index.ts';
import { orderFacts, type OrderFacts, type Span } from './repository.ts';
import { adminRegion, spanOf, subRegionNames, type AdminRegion } from './scope.ts';
import { mean, quantile, rate, round } from './stats.ts';

/**
 * 效能评价: how well the labs of a region serve, from the orders' own workflow stamps. Each figure
 * has its cohort of orders in the period (China dates from..to, inclusive):
 * - requested in the period: response time (request → first quote, hours) and cancellation rate;
 * - first report issued in the period: turnaround (clock start — samples received, or acceptance when
 *   none are needed — → report issued, in working days of the holiday calendar), on-time rate against
 *   the promised tier or expedite deadline (as stamped at the first issue), re-test rate and
 *   upheld-objection rate;
 * - rated in the period: the average rating.
 */
export const FIGURES = [
  'response',
  'turnaround',
  'onTime',
  'retest',
  'upheldObjection',
  'cancellation',
  'rating',
] as const;
export type Figure = (typeof FIGURES)[number];
export const GROUP_BY = ['lab', 'kind', 'region'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const HOUR = 3_600_000;
const within = (d: Date | null, span: Span) => d !== null && d >= span.start && d < span.end;

/** What one order contributes to each figure (null: not in that figure's cohort). */
interface Contribution {
  responseHours: number | null;
  turnaroundDays: number | null;
  onTime: boolean | null;
  issued: boolean;
  requested: boolean;
  rating: number | null;
}

function contribution(o: OrderFacts, span: Span, workingDays: (from: string, to: string) => number): Contribution {
  const requested = within(o.requestedAt, span);
  const issued = within(o.reportIssuedAt, span);
  return {
    requested,
    issued,
    responseHours: requested && o.firstQuotedAt ? (o.firstQuotedAt.getTime() - o.requestedAt.getTime()) / HOUR : null,
    turnaroundDays: issued && o.clockStartedDate ? workingDays(o.clockStartedDate, o.reportIssuedDate!) : null,
    onTime: issued ? o.onTime : null,
    rating: within(o.ratedAt, span) ? o.ratingScore : null,
  };
}

type Row = { o: OrderFacts; c: Contribution };

function figuresOf(rows: Row[]) {
  const requested = rows.filter((r) => r.c.requested);
  const issued = rows.filter((r) => r.c.issued);
  const response = rows.flatMap((r) => (r.c.responseHours === null ? [] : [r.c.responseHours]));
  const turnaround = rows.flatMap((r) => (r.c.turnaroundDays === null ? [] : [r.c.turnaroundDays]));
  const judged = issued.filter((r) => r.c.onTime !== null);
  const onTime = judged.filter((r) => r.c.onTime).length;
  const retested = issued.filter((r) => r.o.retestCount > 0).length;
  const upheld = issued.filter((r) => r.o.upheldObjections > 0).length;
  const cancelled = requested.filter((r) => r.o.status === 'cancelled').length;
  const ratings = rows.flatMap((r) => (r.c.rating === null ? [] : [r.c.rating]));
  return {
    ordersRequested: requested.length,
    ordersQuoted: response.length,
    responseHoursMedian: round(quantile(response, 0.5), 2),
    responseHoursP90: round(quantile(response, 0.9), 2),
    reportsIssued: issued.length,
    turnaroundWorkingDaysMedian: round(quantile(turnaround, 0.5), 2),
    turnaroundWorkingDaysP90: round(quantile(turnaround, 0.9), 2),
    ordersWithDeadline: judged.length,
    ordersOnTime: onTime,
    onTimeRate: round(rate(onTime, judged.length), 4),
    ordersRetested: retested,
    retestRate: round(rate(retested, issued.length), 4),
    ordersWithUpheldObjection: upheld,
    upheldObjectionRate: round(rate(upheld, issued.length), 4),
    ordersCancelled: cancelled,
    cancellationRate: round(rate(cancelled, requested.length), 4),
    ratings: ratings.length,
    averageRating: round(mean(ratings), 2),
  };
}
export type Figures = ReturnType<typeof figuresOf>;

/** Which figure of a lab makes it an offender, and which way is worse. */
const OFFENCES = [
  { figure: 'response', value: (f: Figures) => f.responseHoursP90, worse: 'higher', best: null },
  { figure: 'turnaround', value: (f: Figures) => f.turnaroundWorkingDaysMedian, worse: 'higher', best: null },
  { figure: 'onTime', value: (f: Figures) => f.onTimeRate, worse: 'lower', best: 1 },
  { figure: 'retest', value: (f: Figures) => f.retestRate, worse: 'higher', best: 0 },
  { figure: 'upheldObjection', value: (f: Figures) => f.upheldObjectionRate, worse: 'higher', best: 0 },
  { figure: 'cancellation', value: (f: Figures) => f.cancellationRate, worse: 'higher', best: 0 },
  { figure: 'rating', value: (f: Figures) => f.averageRating, worse: 'lower', best: 5 },
] as const satisfies readonly {
  figure: Figure;
  value: (f: Figures) => number | null;
  worse: 'higher' | 'lower';
  best: number | null;
}[];
const WORST_PER_FIGURE = 3;

interface Group {
  key: string;
  nameZh: string | null;
  nameEn: string | null;
  rows: Row[];
}

async function loadRows(db: Db, region: AdminRegion, span: Span): Promise<Row[]> {
  // Turnaround counts working days: with the holiday calendar as entered, in whatever process.
  await refreshHolidayCalendar(db);
  const workingDays = workingDaysCounter();
  return (await orderFacts(db, region.prefix, span)).map((o) => ({ o, c: contribution(o, span, workingDays) }));
}

function groupRows(
  rows: Row[],
  key: (o: OrderFacts) => string,
  name: (o: OrderFacts) => [string | null, string | null],
) {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const k = key(row.o);
    let g = groups.get(k);
    if (!g) {
      const [nameZh, nameEn] = name(row.o);
      g = { key: k, nameZh, nameEn, rows: [] };
      groups.set(k, g);
    }
    g.rows.push(row);
  }
  return [...groups.values()];
}

const byLab = (rows: Row[]) =>
  groupRows(
    rows,
    (o) => o.labId,
    (o) => [o.labNameZh, o.labNameEn],
  );

export interface EfficiencyQuery {
  region?: string;
  from: string;
  to: string;
  groupBy?: GroupBy;
}

/** The evaluation of the admin's region (or a region inside it): overall, per group, and the worst labs. */
export async function efficiency(deps: { db: Db }, actor: Actor | null, q: EfficiencyQuery) {
  const span = spanOf(q.from, q.to);
  const region = await adminRegion(deps.db, actor, q.region);
  const rows = await loadRows(deps.db, region, span);
  const groupBy = q.groupBy ?? 'lab';
  let groups: Group[];
  if (groupBy === 'lab') groups = byLab(rows);
  else if (groupBy === 'kind')
    groups = groupRows(
      rows,
      (o) => o.kind ?? 'none',
      () => [null, null],
    );
  else {
    const sub = (o: OrderFacts) => region.subRegionOf(o.labRegion);
    const names = await subRegionNames(
      deps.db,
      rows.map((r) => sub(r.o)),
    );
    groups = groupRows(rows, sub, (o) => [names.get(sub(o))!.nameZh, names.get(sub(o))!.nameEn]);
  }
  const labFigures = byLab(rows).map((g) => ({ g, f: figuresOf(g.rows) }));
  const worst = OFFENCES.flatMap((offence) =>
    labFigures
      .map(({ g, f }) => ({ g, value: offence.value(f) }))
      .filter((x): x is { g: Group; value: number } => x.value !== null && x.value !== offence.best)
      .sort(
        (a, b) =>
          (offence.worse === 'higher' ? b.value - a.value : a.value - b.value) || a.g.key.localeCompare(b.g.key),
      )
      .slice(0, WORST_PER_FIGURE)
      .map(({ g, value }) => ({
        figure: offence.figure,
        value,
        lab: { id: g.key, nameZh: g.nameZh!, nameEn: g.nameEn! },
      })),
  );
  return {
    region: { code: region.code, nameZh: region.nameZh, nameEn: region.nameEn },
    from: q.from,
    to: q.to,
    timeZone: PLATFORM_TIME_ZONE,
    groupBy,
    overall: figuresOf(rows),
    groups: groups
      .map((g) => ({ key: g.key, nameZh: g.nameZh, nameEn: g.nameEn, figures: figuresOf(g.rows) }))
      .sort((a, b) => (a.nameZh ?? a.key).localeCompare(b.nameZh ?? b.key, 'zh') || a.key.localeCompare(b.key)),
    worst,
  };
}

export interface FigureOrdersQuery {
  region?: string;
  from: string;
  to: string;
  figure: Figure;
  lab?: string;
  kind?: string;
  subRegion?: string;
}

const MAX_ORDERS = 500;

/** The value an order has in a figure, or undefined when it is not behind that figure. */
function valueIn(figure: Figure, { o, c }: Row): number | null | undefined {
  switch (figure) {
    case 'response':
      return c.responseHours === null ? undefined : round(c.responseHours, 2);
    case 'turnaround':
      return c.turnaroundDays ?? undefined;
    case 'onTime':
      return c.onTime === null ? undefined : c.onTime ? 1 : 0;
    case 'retest':
      return c.issued ? o.retestCount : undefined;
    case 'upheldObjection':
      return c.issued ? o.upheldObjections : undefined;
    case 'cancellation':
      return c.requested ? (o.status === 'cancelled' ? 1 : 0) : undefined;
    case 'rating':
      return c.rating ?? undefined;
  }
}

/** The orders behind one figure (of the whole region, one lab, one kind or one sub-region), the worst first. */
export async function figureOrders(deps: { db: Db }, actor: Actor | null, q: FigureOrdersQuery) {
  const span = spanOf(q.from, q.to);
  const region = await adminRegion(deps.db, actor, q.region);
  const lowerIsWorse = q.figure === 'onTime' || q.figure === 'rating';
  const behind = (await loadRows(deps.db, region, span))
    .filter(({ o }) => (q.lab ? o.labId === q.lab : true))
    .filter(({ o }) => (q.kind ? (o.kind ?? 'none') === q.kind : true))
    .filter(({ o }) => (q.subRegion ? region.subRegionOf(o.labRegion) === q.subRegion : true))
    .map((row) => ({ row, value: valueIn(q.figure, row) }))
    .filter((x): x is { row: Row; value: number } => x.value !== undefined && x.value !== null)
    .sort(
      (a, b) => (lowerIsWorse ? a.value - b.value : b.value - a.value) || a.row.o.number.localeCompare(b.row.o.number),
    );
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    figure: q.figure,
    total: behind.length,
    items: behind.slice(0, MAX_ORDERS).map(({ row: { o }, value }) => ({
      id: o.id,
      number: o.number,
      status: o.status,
      lab: { id: o.labId, nameZh: o.labNameZh, nameEn: o.labNameEn },
      customerNameZh: o.customerNameZh,
      kind: o.kind,
      requestedAt: o.requestedAt.toISOString(),
      firstQuotedAt: iso(o.firstQuotedAt),
      clockStartedAt: iso(o.clockStartedAt),
      dueAt: iso(o.dueAt),
      reportIssuedAt: iso(o.reportIssuedAt),
      onTime: o.onTime,
      retestCount: o.retestCount,
      upheldObjections: o.upheldObjections,
      cancelledAt: iso(o.cancelledAt),
      rating: o.ratingScore,
      value,
    })),
  };
}
