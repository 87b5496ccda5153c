import type { components } from '$lib/api/schema';
import { addDays, isIsoDate, todayIn } from '$lib/time';

/** 效能评价 and utilisation in the web: what the pages read from the address and how figures show. */
export type Efficiency = components['schemas']['Efficiency'];
export type Figures = Efficiency['overall'];
export type EfficiencyOrders = components['schemas']['EfficiencyOrders'];
export type Utilisation = components['schemas']['Utilisation'];

export const ZONE = 'Asia/Shanghai';
export const GROUP_BY = ['lab', 'kind', 'region'] as const;
export type GroupBy = (typeof GROUP_BY)[number];
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

const REGION = /^[0-9]{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The service kinds of the catalogue, and `none` for an order without lines. */
export const KINDS = [
  'instrument_time',
  'outsourced_experiment',
  'commissioned_test',
  'calibration',
  'standards',
  'certification',
  'quality_management',
  'technical_assistance',
  'training',
  'ip',
  'brand',
  'none',
] as const;
export type Kind = (typeof KINDS)[number];

export interface EfficiencyParams {
  from: string;
  to: string;
  region?: string;
  groupBy: GroupBy;
  /** A period typed in the address that could not be used (then the default: the last 90 days). */
  adjusted: boolean;
}

/** The period (the last 90 days to today, China dates, unless the address says), region and grouping. */
export function efficiencyParams(params: URLSearchParams, now: Date): EfficiencyParams {
  const today = todayIn(ZONE, now);
  const from = params.get('from');
  const to = params.get('to');
  const given = isIsoDate(from) && isIsoDate(to) && from <= to;
  const region = params.get('region');
  const groupBy = params.get('groupBy');
  return {
    from: given ? from : addDays(today, -89),
    to: given ? to : today,
    ...(region && REGION.test(region) ? { region } : {}),
    groupBy: (GROUP_BY as readonly string[]).includes(groupBy ?? '') ? (groupBy as GroupBy) : 'lab',
    adjusted: !given && (params.has('from') || params.has('to')),
  };
}

export interface OrdersParams {
  from: string;
  to: string;
  region?: string;
  figure: Figure;
  lab?: string;
  kind?: Kind;
  subRegion?: string;
}

/** The orders behind a figure: the same period and region, the figure, and one group's filter. */
export function ordersParams(params: URLSearchParams, now: Date): OrdersParams {
  const { from, to, region } = efficiencyParams(params, now);
  const figure = params.get('figure');
  const lab = params.get('lab');
  const kind = params.get('kind');
  const subRegion = params.get('subRegion');
  return {
    from,
    to,
    ...(region ? { region } : {}),
    figure: (FIGURES as readonly string[]).includes(figure ?? '') ? (figure as Figure) : 'response',
    ...(lab && UUID.test(lab) ? { lab } : {}),
    ...(kind && (KINDS as readonly string[]).includes(kind) ? { kind: kind as Kind } : {}),
    ...(subRegion && REGION.test(subRegion) ? { subRegion } : {}),
  };
}

/** The year asked for (this year in China unless the address names one between 2000 and 2099). */
export function yearParam(params: URLSearchParams, now: Date): { year: number; region?: string } {
  const asked = Number(params.get('year'));
  const region = params.get('region');
  return {
    year: Number.isInteger(asked) && asked >= 2000 && asked <= 2099 ? asked : Number(todayIn(ZONE, now).slice(0, 4)),
    ...(region && REGION.test(region) ? { region } : {}),
  };
}

/** The filter a group's figures link with: its lab, its service kind, or its sub-region. */
export function groupFilter(groupBy: GroupBy, key: string): Record<string, string> {
  if (groupBy === 'lab') return { lab: key };
  if (groupBy === 'kind') return { kind: key };
  return { subRegion: key };
}

/** The query of the orders page behind a figure. */
export function ordersQuery(
  base: { from: string; to: string; region?: string },
  figure: Figure,
  filter: Record<string, string> = {},
): string {
  const q: Record<string, string> = { from: base.from, to: base.to, figure, ...filter };
  if (base.region) q.region = base.region;
  return new URLSearchParams(q).toString();
}

/** A share 0..1 as a percentage number to one decimal (for charts), null stays null. */
export const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
