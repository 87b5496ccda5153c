/** Recurring bookings (系列预约): the form's choices and the RFC 5545 rule they make. */
export const SERIES_FREQS = ['WEEKLY', 'DAILY'] as const;
export type SeriesFreq = (typeof SERIES_FREQS)[number];
export const SERIES_ON_CONFLICT = ['all_or_nothing', 'skip'] as const;
export type SeriesOnConflict = (typeof SERIES_ON_CONFLICT)[number];
/** The API's limit on the occurrences of one series. */
export const MAX_OCCURRENCES = 52;

export interface SeriesChoice {
  freq: SeriesFreq;
  /** How many occurrences, the first included; ignored when `until` is given. */
  count: number;
  /** Last day (YYYY-MM-DD, the site's calendar) an occurrence may fall on; '' for none. */
  until: string;
  onConflict: SeriesOnConflict;
}

export type SeriesParse = { ok: true; choice: SeriesChoice } | { ok: false; field: 'count' | 'until' };

export function parseSeriesForm(form: FormData): SeriesParse {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const freq = SERIES_FREQS.find((f) => f === text('seriesFreq')) ?? 'WEEKLY';
  const onConflict = SERIES_ON_CONFLICT.find((c) => c === text('seriesOnConflict')) ?? 'all_or_nothing';
  const until = text('seriesUntil');
  if (until && !/^\d{4}-\d{2}-\d{2}$/.test(until)) return { ok: false, field: 'until' };
  const count = Number(text('seriesCount') || '4');
  if (!until && (!Number.isInteger(count) || count < 2 || count > MAX_OCCURRENCES))
    return { ok: false, field: 'count' };
  return { ok: true, choice: { freq, count, until, onConflict } };
}

/** "FREQ=WEEKLY;COUNT=4", or "FREQ=DAILY;UNTIL=20261231T235959" (the site's wall clock, the whole last day). */
export function seriesRule(choice: SeriesChoice): string {
  const end = choice.until ? `UNTIL=${choice.until.replaceAll('-', '')}T235959` : `COUNT=${choice.count}`;
  return `FREQ=${choice.freq};${end}`;
}

/** The conflicting occurrence an API refusal names in its field error: "<start>–<end>: why". */
export function conflictFromError(e: { code: string; message: string }) {
  const m = /^(\S+)–(\S+):/.exec(e.message);
  return { start: m?.[1] ?? null, end: m?.[2] ?? null, code: e.code };
}

/**
 * 我的预约 shows a series once, as its group: the bookings listed in a shown series' group are left
 * out of the flat list (a series that could not be loaded keeps its bookings in the list).
 */
export function outsideSeries<T extends { id: string }>(bookings: T[], series: { bookings: { id: string }[] }[]): T[] {
  const grouped = new Set(series.flatMap((s) => s.bookings.map((b) => b.id)));
  return bookings.filter((b) => !grouped.has(b.id));
}
