import type { Db } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { refreshHolidayCalendar } from '../availability/index.ts';
import { workingDaysCounter } from '../orders/index.ts';
import {
  earliestClockStart,
  figureSums,
  orderFacts,
  withoutJit,
  type FigureSums,
  type OrderFacts,
  type Span,
} from './repository.ts';
import { adminRegion, spanOf, subRegionNames, type AdminRegion } from './scope.ts';
import { rate, round } from './stats.ts';

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

/** The figures of one group from its sums (read set-based over the efficiency facts). */
function figuresOf(s: FigureSums) {
  return {
    ordersRequested: s.requested,
    ordersQuoted: s.quoted,
    responseHoursMedian: round(s.responseMedian, 2),
    responseHoursP90: round(s.responseP90, 2),
    reportsIssued: s.issued,
    turnaroundWorkingDaysMedian: round(s.turnaroundMedian, 2),
    turnaroundWorkingDaysP90: round(s.turnaroundP90, 2),
    ordersWithDeadline: s.judged,
    ordersOnTime: s.onTime,
    onTimeRate: round(rate(s.onTime, s.judged), 4),
    ordersRetested: s.retested,
    retestRate: round(rate(s.retested, s.issued), 4),
    ordersWithUpheldObjection: s.upheld,
    upheldObjectionRate: round(rate(s.upheld, s.issued), 4),
    ordersCancelled: s.cancelled,
    cancellationRate: round(rate(s.cancelled, s.requested), 4),
    ratings: s.ratings,
    averageRating: round(s.ratings === 0 ? null : s.ratingSum / s.ratings, 2),
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
  figures: Figures;
}

async function loadRows(db: Db, region: AdminRegion, span: Span): Promise<Row[]> {
  // Turnaround counts working days: with the holiday calendar as entered, in whatever process.
  await refreshHolidayCalendar(db);
  const workingDays = workingDaysCounter();
  return (await orderFacts(db, region.prefix, span)).map((o) => ({ o, c: contribution(o, span, workingDays) }));
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The working-day calendar the turnaround needs, as a running count from `base` to `to` (China
 * dates): `running[i]` working days among base..base+i, judged with the holiday calendar as entered
 * now — the facts keep dates, not day counts, so a changed holiday year applies at once.
 */
async function workingDayCalendar(db: Db, base: string, to: string) {
  await refreshHolidayCalendar(db);
  const counter = workingDaysCounter();
  const first = Date.parse(`${base}T00:00:00Z`);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - first) / DAY_MS) + 1;
  const before = isoDay(first - DAY_MS);
  return {
    base,
    running: Array.from({ length: Math.max(0, days) }, (_, i) => counter(before, isoDay(first + i * DAY_MS))),
  };
}

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
  const groupBy = q.groupBy ?? 'lab';
  const sums = await withoutJit(deps.db, async (tx) => {
    const base = (await earliestClockStart(tx, region.prefix, span)) ?? q.from;
    const calendar = await workingDayCalendar(deps.db, base, q.to);
    const subRegion = region.prefix.length === 2 ? 'city' : region.prefix.length === 4 ? 'district' : region.code;
    return figureSums(tx, region.prefix, span, groupBy === 'region' ? 'subRegion' : groupBy, subRegion, calendar);
  });
  // The empty grouping set has its row even over no orders.
  const overall = sums.find((s) => s.level === 'overall')!;
  const labs: Group[] = sums
    .filter((s) => s.level === 'lab')
    .map((s) => ({ key: s.key!, nameZh: s.labNameZh, nameEn: s.labNameEn, figures: figuresOf(s) }));
  let groups: Group[];
  if (groupBy === 'lab') groups = labs;
  else {
    const rows = sums.filter((s) => s.level === 'group');
    const names =
      groupBy === 'region'
        ? await subRegionNames(
            deps.db,
            rows.map((s) => s.key!),
          )
        : null;
    groups = rows.map((s) => ({
      key: s.key!,
      nameZh: names?.get(s.key!)!.nameZh ?? null,
      nameEn: names?.get(s.key!)!.nameEn ?? null,
      figures: figuresOf(s),
    }));
  }
  const worst = OFFENCES.flatMap((offence) =>
    labs
      .map((g) => ({ g, value: offence.value(g.figures) }))
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
    overall: figuresOf(overall),
    groups: groups
      .map((g) => ({ key: g.key, nameZh: g.nameZh, nameEn: g.nameEn, figures: g.figures }))
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
