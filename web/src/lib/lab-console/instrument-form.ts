import { fenToYuanText, parseYuan } from '$lib/money';
import type { FieldErrors, InstrumentDetail, InstrumentInput } from '$lib/types';

export const RATE_FIELDS = ['internalHour', 'externalHour', 'internalSample', 'externalSample'] as const;
export type RateField = (typeof RATE_FIELDS)[number];

export const INSTRUMENT_FIELDS = [
  'siteId',
  'nameZh',
  'nameEn',
  'model',
  'manufacturer',
  'categoryCode',
  'techniques',
  'specs',
  'descriptionZh',
  'descriptionEn',
  'unitCount',
  'status',
  ...RATE_FIELDS,
] as const;
export type InstrumentField = (typeof INSTRUMENT_FIELDS)[number];

/** The form exactly as typed, so a rejected form comes back with everything still in it. */
export type InstrumentFormValues = Record<InstrumentField, string>;

export function emptyInstrumentValues(siteId = ''): InstrumentFormValues {
  const values = Object.fromEntries(INSTRUMENT_FIELDS.map((f) => [f, ''])) as InstrumentFormValues;
  values.siteId = siteId;
  values.unitCount = '1';
  values.status = 'active';
  return values;
}

export function instrumentValues(i: InstrumentDetail): InstrumentFormValues {
  return {
    siteId: i.site.id,
    nameZh: i.nameZh,
    nameEn: i.nameEn,
    model: i.model,
    manufacturer: i.manufacturer,
    categoryCode: i.category.code,
    techniques: i.techniques.join(', '),
    specs: specsToText(i.specs),
    descriptionZh: i.descriptionZh,
    descriptionEn: i.descriptionEn,
    unitCount: String(i.unitCount),
    status: i.status === 'retired' ? 'active' : i.status,
    internalHour: fenToYuanText(i.rates.internalHour?.amount),
    externalHour: fenToYuanText(i.rates.externalHour?.amount),
    internalSample: fenToYuanText(i.rates.internalSample?.amount),
    externalSample: fenToYuanText(i.rates.externalSample?.amount),
  };
}

/** "SEM, EDS，能谱、EBSD" → ["SEM", "EDS", "能谱", "EBSD"]: Chinese and Latin separators alike. */
export function parseTechniques(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[,，、;；\n]/)) {
    const t = part.trim();
    if (t) seen.add(t);
  }
  return [...seen];
}

/** One "key: value" per line (a full-width colon works too); null when a line has no key. */
export function parseSpecs(text: string): Record<string, string> | null {
  const specs: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^:：]+)[:：](.*)$/.exec(line);
    if (!m || !m[1]!.trim()) return null;
    specs[m[1]!.trim()] = m[2]!.trim();
  }
  return specs;
}

export function specsToText(specs: Record<string, string>): string {
  return Object.entries(specs)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/**
 * Form → InstrumentInput. Only what the browser cannot express as a string for the API (money in
 * yuan, a number, the two text formats) is checked here; every other rule is the API's and comes
 * back as its field errors.
 */
export function parseInstrumentForm(form: FormData): {
  values: InstrumentFormValues;
  input: InstrumentInput | null;
  fieldErrors: FieldErrors;
} {
  const values = emptyInstrumentValues();
  for (const f of INSTRUMENT_FIELDS) {
    const v = form.get(f);
    values[f] = typeof v === 'string' ? (f === 'specs' || f.startsWith('description') ? v : v.trim()) : '';
  }
  const fieldErrors: FieldErrors = {};

  const rates = {} as InstrumentInput['rates'];
  for (const f of RATE_FIELDS) {
    const parsed = parseYuan(values[f]);
    if (parsed.ok) rates[f] = parsed.fen;
    else fieldErrors[f] = { code: 'invalid_amount', message: 'Enter an amount in yuan, e.g. 200 or 199.50' };
  }
  const unitCount = /^\d{1,4}$/.test(values.unitCount) ? Number(values.unitCount) : NaN;
  if (!Number.isInteger(unitCount)) {
    fieldErrors.unitCount = { code: 'invalid_number', message: 'Enter a whole number' };
  }
  const specs = parseSpecs(values.specs);
  if (!specs) fieldErrors.specs = { code: 'invalid_spec_line', message: 'Write one "key: value" per line' };
  if (Object.keys(fieldErrors).length > 0) return { values, input: null, fieldErrors };

  const input: InstrumentInput = {
    siteId: values.siteId,
    nameZh: values.nameZh,
    nameEn: values.nameEn,
    model: values.model,
    manufacturer: values.manufacturer,
    categoryCode: values.categoryCode,
    techniques: parseTechniques(values.techniques),
    specs: specs!,
    descriptionZh: values.descriptionZh.trim(),
    descriptionEn: values.descriptionEn.trim(),
    unitCount,
    status: values.status === 'maintenance' ? 'maintenance' : 'active',
    rates,
  };
  return { values, input, fieldErrors };
}
