import { error } from '@sveltejs/kit';
import type { components } from '$lib/api/schema';
import { problemCode } from '$lib/finance/finance.server';
import type { Api } from '$lib/server/api';
import { fileHeaders } from '$lib/server/files';
import { isIsoDate, todayIn } from '$lib/time';

export type Statistics = components['schemas']['Statistics'];
export type StatisticsFormat = 'xlsx' | 'csv';
export interface StatisticsQuery {
  region: string;
  from: string;
  to: string;
}

const ZONE = 'Asia/Shanghai';
const MAX_DAYS = 731;

/** GB/T 2260: the significant prefix of a code (32 · 3205 · 320506), as the API scopes regions. */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The period asked in the address, or the year to date (Beijing time) when it is missing or not a period. */
export function periodOf(params: URLSearchParams, now: Date): { from: string; to: string; adjusted: boolean } {
  const today = todayIn(ZONE, now);
  const from = params.get('from');
  const to = params.get('to');
  if (isIsoDate(from) && isIsoDate(to) && from <= to) {
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (days < MAX_DAYS) return { from, to, adjusted: false };
  }
  return { from: `${today.slice(0, 4)}-01-01`, to: today, adjusted: params.has('from') || params.has('to') };
}

export interface RegionOption {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'province' | 'city' | 'station';
}

/** The admin's own region and every region below it, in code order (a province, its cities, their districts). */
export async function regionOptions(api: Api, adminRegion: string): Promise<RegionOption[]> {
  const levels = ['province', 'city', 'station'] as const;
  const answers = await Promise.all(levels.map((level) => api.GET('/v1/regions', { params: { query: { level } } })));
  const prefix = regionPrefix(adminRegion);
  return answers
    .flatMap((a, i) => (a.data?.items ?? []).map((r) => ({ ...r, level: levels[i]! })))
    .filter((r) => r.code.startsWith(prefix))
    .map((r) => ({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, level: r.level }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

export async function loadStatistics(
  api: Api,
  q: StatisticsQuery,
): Promise<{ ok: true; statistics: Statistics } | { ok: false; status: number; code: string }> {
  const { data, error: problem, response } = await api.GET('/v1/admin/statistics', { params: { query: q } });
  if (data) return { ok: true, statistics: data as Statistics };
  return { ok: false, status: response.status, code: problemCode(problem, response.status) };
}

type Init = { params: { query: Record<string, string> }; parseAs: 'stream' };
type Answer = { data?: unknown; error?: unknown; response: Response };

/** The workbook or the CSV, fetched with the admin's session and streamed on. */
export async function proxyStatisticsFile(api: Api, q: StatisticsQuery, format: StatisticsFormat): Promise<Response> {
  const loose = api as unknown as { GET(path: string, init: Init): Promise<Answer> };
  const {
    data,
    error: problem,
    response,
  } = await loose.GET('/v1/admin/statistics', {
    params: { query: { ...q, format } },
    parseAs: 'stream',
  });
  if (!response.ok || !data) {
    const status = [401, 403, 404, 422].includes(response.status) ? response.status : 502;
    error(status, { message: 'Statistics unavailable', code: problemCode(problem, response.status) });
  }
  return new Response(data as ReadableStream, {
    headers: fileHeaders(response.headers, `statistics-${q.region}-${q.from}-${q.to}.${format}`),
  });
}
