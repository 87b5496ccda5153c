import type { TFunction } from 'i18next';
import type { FieldErrors } from '$lib/types';

/**
 * The report editor → the body of `PATCH /v1/reports/{id}`: result rows (requirement, result,
 * unit, verdict) and the conclusion. A row without a parameter is an unused blank row; a ticked
 * row is dropped. Scope marks are never sent — the API works them out.
 */

type Form = Pick<FormData, 'get' | 'getAll'>;

export const RESULT_PARTS = [
  'lineId',
  'parameterZh',
  'parameterEn',
  'standardCode',
  'requirement',
  'result',
  'unit',
  'verdict',
  'remove',
] as const;
export type ResultPart = (typeof RESULT_PARTS)[number];
export const VERDICTS = ['pass', 'fail', 'info'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const resultField = (i: number, part: ResultPart) => `r-${i}-${part}`;
export const MAX_RESULT_ROWS = 500;

const LIMITS: Partial<Record<ResultPart, number>> = {
  parameterZh: 200,
  parameterEn: 200,
  standardCode: 100,
  requirement: 500,
  result: 500,
  unit: 40,
};

export interface ResultRowInput {
  lineId: string | null;
  parameterZh: string;
  parameterEn: string;
  standardCode: string;
  requirement: string;
  result: string;
  unit: string;
  verdict: Verdict;
}

export interface ReportPatchInput {
  results: ResultRowInput[];
  conclusionZh: string;
  conclusionEn: string;
}

export interface ReportParse {
  values: Record<string, string>;
  rows: number;
  body: ReportPatchInput | null;
  fieldErrors: FieldErrors;
}

function text(form: Form, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseReportForm(form: Form): ReportParse {
  const values: Record<string, string> = {};
  const fieldErrors: FieldErrors = {};
  const rows = Math.min(MAX_RESULT_ROWS, Math.max(0, Math.trunc(Number(text(form, 'rows'))) || 0));
  const results: ResultRowInput[] = [];
  for (let i = 0; i < rows; i++) {
    const v = Object.fromEntries(RESULT_PARTS.map((p) => [p, text(form, resultField(i, p))])) as Record<
      ResultPart,
      string
    >;
    for (const p of RESULT_PARTS) values[resultField(i, p)] = v[p];
    if (v.remove) continue;
    const blank = ['parameterZh', 'requirement', 'result', 'unit'].every((p) => v[p as ResultPart] === '');
    if (blank) continue;
    if (!v.parameterZh) fieldErrors[resultField(i, 'parameterZh')] = { code: 'required', message: '' };
    for (const [p, max] of Object.entries(LIMITS) as [ResultPart, number][]) {
      if (v[p].length > max) fieldErrors[resultField(i, p)] ??= { code: 'too_long', message: '' };
    }
    const verdict = (VERDICTS as readonly string[]).includes(v.verdict) ? (v.verdict as Verdict) : 'info';
    results.push({
      lineId: UUID.test(v.lineId) ? v.lineId : null,
      parameterZh: v.parameterZh,
      parameterEn: v.parameterEn,
      standardCode: v.standardCode,
      requirement: v.requirement,
      result: v.result,
      unit: v.unit,
      verdict,
    });
  }
  values.rows = String(rows);
  values.conclusionZh = text(form, 'conclusionZh');
  values.conclusionEn = text(form, 'conclusionEn');
  if (values.conclusionZh.length > 5000) fieldErrors.conclusionZh = { code: 'too_long', message: '' };
  if (values.conclusionEn.length > 5000) fieldErrors.conclusionEn = { code: 'too_long', message: '' };
  const ok = Object.keys(fieldErrors).length === 0;
  return {
    values,
    rows,
    fieldErrors,
    body: ok ? { results, conclusionZh: values.conclusionZh, conclusionEn: values.conclusionEn } : null,
  };
}

/** A draft's rows → the form values (the page's starting point). */
export function reportValues(
  results: readonly (Omit<ResultRowInput, 'verdict'> & { verdict: string })[],
  conclusionZh: string,
  conclusionEn: string,
): Record<string, string> {
  const values: Record<string, string> = { conclusionZh, conclusionEn };
  results.forEach((r, i) => {
    values[resultField(i, 'lineId')] = r.lineId ?? '';
    values[resultField(i, 'parameterZh')] = r.parameterZh;
    values[resultField(i, 'parameterEn')] = r.parameterEn;
    values[resultField(i, 'standardCode')] = r.standardCode;
    values[resultField(i, 'requirement')] = r.requirement;
    values[resultField(i, 'result')] = r.result;
    values[resultField(i, 'unit')] = r.unit;
    values[resultField(i, 'verdict')] = r.verdict;
  });
  values.rows = String(results.length);
  return values;
}

/** The headings of a report's result table; the editor adds the unit and remove columns. */
export function resultColumns(t: TFunction, editor: boolean): string[] {
  return [
    t('orderConsole.report.col.parameter'),
    t('orderConsole.report.col.standard'),
    t('orderConsole.report.col.requirement'),
    t('orderConsole.report.col.result'),
    ...(editor ? [t('orderConsole.report.col.unit')] : []),
    t('orderConsole.report.col.verdict'),
    t('orderConsole.report.col.scope'),
    ...(editor ? [t('orderConsole.report.col.remove')] : []),
  ];
}
