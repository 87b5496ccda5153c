import { fenToYuanText, parseYuan } from '$lib/money';
import { SERVICE_KINDS, type FieldErrors, type ServiceDetail, type ServiceKind } from '$lib/types';
import { parseTechniques } from './instrument-form';

export const PRICE_MODELS = ['fixed', 'per_sample', 'per_hour', 'on_quote'] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

export const SERVICE_FIELDS = [
  'kind',
  'nameZh',
  'nameEn',
  'descriptionZh',
  'descriptionEn',
  'standardMethods',
  'priceModel',
  'priceAmount',
  'turnaroundDays',
  'instrumentIds',
] as const;
export type ServiceField = (typeof SERVICE_FIELDS)[number];

/** The form exactly as typed (instruments as the ids ticked), so a rejected form keeps everything. */
export type ServiceFormValues = Record<Exclude<ServiceField, 'instrumentIds'>, string> & { instrumentIds: string[] };

export interface ServiceInput {
  kind: ServiceKind;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  standardMethods: string[];
  priceModel: PriceModel;
  priceAmount: number | null;
  turnaroundDays: number | null;
  instrumentIds: string[];
}

export function emptyServiceValues(): ServiceFormValues {
  return {
    kind: '',
    nameZh: '',
    nameEn: '',
    descriptionZh: '',
    descriptionEn: '',
    standardMethods: '',
    priceModel: 'per_sample',
    priceAmount: '',
    turnaroundDays: '',
    instrumentIds: [],
  };
}

export function serviceValues(s: ServiceDetail): ServiceFormValues {
  return {
    kind: s.kind,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    descriptionZh: s.descriptionZh,
    descriptionEn: s.descriptionEn,
    standardMethods: s.standardMethods.join(', '),
    priceModel: s.priceModel,
    priceAmount: fenToYuanText(s.price?.amount),
    turnaroundDays: s.turnaroundDays === null ? '' : String(s.turnaroundDays),
    instrumentIds: s.instruments.map((i) => i.id),
  };
}

/**
 * Form → the service body. Only what a browser cannot say as the API's types (yuan, whole days, the
 * list of standards, the price that "on quote" must not have) is checked here; every other rule is
 * the API's and comes back as its field errors.
 */
export function parseServiceForm(form: FormData): {
  values: ServiceFormValues;
  input: ServiceInput | null;
  fieldErrors: FieldErrors;
} {
  const text = (f: string) => {
    const v = form.get(f);
    return typeof v === 'string' ? v : '';
  };
  const values: ServiceFormValues = {
    kind: text('kind').trim(),
    nameZh: text('nameZh').trim(),
    nameEn: text('nameEn').trim(),
    descriptionZh: text('descriptionZh'),
    descriptionEn: text('descriptionEn'),
    standardMethods: text('standardMethods').trim(),
    priceModel: text('priceModel').trim(),
    priceAmount: text('priceAmount').trim(),
    turnaroundDays: text('turnaroundDays').trim(),
    instrumentIds: [
      ...new Set(form.getAll('instrumentIds').filter((v): v is string => typeof v === 'string' && v !== '')),
    ],
  };
  const fieldErrors: FieldErrors = {};
  if (!(SERVICE_KINDS as readonly string[]).includes(values.kind)) {
    fieldErrors.kind = { code: 'required', message: 'Choose a kind of service' };
  }
  if (!(PRICE_MODELS as readonly string[]).includes(values.priceModel)) {
    fieldErrors.priceModel = { code: 'required', message: 'Choose how the service is priced' };
  }
  const price = parseYuan(values.priceAmount);
  if (!price.ok) fieldErrors.priceAmount = { code: 'invalid_amount', message: 'Enter an amount in yuan' };
  else if (values.priceModel === 'on_quote' && price.fen !== null) {
    fieldErrors.priceAmount = { code: 'price_not_allowed', message: 'A service priced on quote has no list price' };
  } else if (values.priceModel !== 'on_quote' && price.fen === null) {
    fieldErrors.priceAmount = { code: 'required', message: 'Give a price for this price model' };
  }
  const days =
    values.turnaroundDays === '' ? null : /^\d{1,3}$/.test(values.turnaroundDays) ? Number(values.turnaroundDays) : NaN;
  if (days !== null && !Number.isInteger(days)) {
    fieldErrors.turnaroundDays = { code: 'invalid_number', message: 'Enter a whole number of working days' };
  }
  if (Object.keys(fieldErrors).length > 0) return { values, input: null, fieldErrors };
  return {
    values,
    input: {
      kind: values.kind as ServiceKind,
      nameZh: values.nameZh,
      nameEn: values.nameEn,
      descriptionZh: values.descriptionZh.trim(),
      descriptionEn: values.descriptionEn.trim(),
      standardMethods: parseTechniques(values.standardMethods),
      priceModel: values.priceModel as PriceModel,
      priceAmount: price.ok ? price.fen : null,
      turnaroundDays: days,
      instrumentIds: values.instrumentIds,
    },
    fieldErrors,
  };
}
