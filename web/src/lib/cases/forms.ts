/** The typical-case form: what was typed, checked before the API is asked. */
export const CASE_TEXT_FIELDS = [
  'title',
  'enterpriseName',
  'industry',
  'problem',
  'service',
  'result',
  'notes',
] as const;
const REQUIRED = ['title', 'enterpriseName', 'problem', 'service', 'result'] as const;

export interface CaseValues {
  title: string;
  enterpriseName: string;
  industry: string;
  problem: string;
  service: string;
  result: string;
  notes: string;
  /** Yuan as typed (e.g. 3800.50). */
  costSaved: string;
  timeSavedDays: string;
}

export interface CaseBody {
  title: string;
  enterpriseName: string;
  industry: string;
  problem: string;
  service: string;
  result: string;
  notes: string;
  costSavedFen: number | null;
  timeSavedDays: number | null;
}

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

/** Yuan with at most two decimals → fen; null when empty; undefined when not a sum of money. */
export function yuanToFen(text: string): number | null | undefined {
  if (text === '') return null;
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s]/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function fenToYuan(fen: number | null): string {
  if (fen === null) return '';
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
}

export function parseCase(form: FormData): {
  body: CaseBody | null;
  errors: Record<string, string>;
  values: CaseValues;
} {
  const values = {
    ...(Object.fromEntries(CASE_TEXT_FIELDS.map((f) => [f, str(form, f)])) as Record<
      (typeof CASE_TEXT_FIELDS)[number],
      string
    >),
    costSaved: str(form, 'costSaved'),
    timeSavedDays: str(form, 'timeSavedDays'),
  };
  const errors: Record<string, string> = {};
  for (const f of REQUIRED) if (!values[f]) errors[f] = 'required';
  const costSavedFen = yuanToFen(values.costSaved);
  if (costSavedFen === undefined) errors.costSaved = 'money';
  let timeSavedDays: number | null = null;
  if (values.timeSavedDays !== '') {
    if (!/^\d{1,4}$/.test(values.timeSavedDays) || Number(values.timeSavedDays) > 3650) errors.timeSavedDays = 'days';
    else timeSavedDays = Number(values.timeSavedDays);
  }
  if (Object.keys(errors).length > 0) return { body: null, errors, values };
  const { costSaved: _c, timeSavedDays: _d, ...text } = values;
  return { body: { ...text, costSavedFen: costSavedFen ?? null, timeSavedDays }, errors, values };
}

/** The form's starting values from a case the API returned. */
export function valuesOf(c: CaseBody): CaseValues {
  return {
    title: c.title,
    enterpriseName: c.enterpriseName,
    industry: c.industry,
    problem: c.problem,
    service: c.service,
    result: c.result,
    notes: c.notes,
    costSaved: fenToYuan(c.costSavedFen),
    timeSavedDays: c.timeSavedDays === null ? '' : String(c.timeSavedDays),
  };
}

export const STATUS_TONE: Record<string, string> = {
  draft: 'badge-muted',
  submitted: 'badge-warn',
  returned: 'badge-warn',
  published: 'badge-cma',
};
