import type { components } from '$lib/api/schema';
import { everyOf, type FieldErrors } from '$lib/types';
import { parseTurnaround, type Turnaround } from './surcharge';
import type { OrderLine } from './types';

/** 委托单: the commission form, as the API takes it. */
export type CommissionForm = components['schemas']['CommissionForm'];

/** What accepting a quote sends; `quotedAt` is the quote the customer saw (a hidden field of the form). */
export type AcceptBody = components['schemas']['Acceptance'];

export const TEST_SCOPES = everyOf<CommissionForm['testScope']>()(['full', 'single', 'partial']);
export const LEFTOVER_CHOICES = everyOf<CommissionForm['leftoverSamples']>()(['return', 'dispose']);
export const REPORT_LANGUAGES = everyOf<CommissionForm['reportLanguage']>()(['zh', 'en', 'both']);
export const REPORT_DELIVERIES = everyOf<CommissionForm['reportDelivery']>()(['electronic', 'pickup', 'post']);

/** Text fields and their longest allowed length (the API's limits). */
const TEXT_LIMITS = {
  sampleName: 200,
  specification: 200,
  manufacturer: 200,
  batch: 100,
  trademark: 100,
  packagingCondition: 500,
  purpose: 500,
  testBasis: 500,
  evaluationBasis: 500,
  storageConditions: 500,
  deliveryAddress: 500,
} as const satisfies Partial<Record<keyof CommissionForm, number>>;

/** Every input the form has, in the order it shows them (for errors from the API, too). */
export const COMMISSION_FIELDS = [
  'sampleName',
  'specification',
  'manufacturer',
  'batch',
  'quantity',
  'trademark',
  'productionDate',
  'packagingCondition',
  'testScope',
  'purpose',
  'testBasis',
  'evaluationBasis',
  'subcontractingAllowed',
  'leftoverSamples',
  'storageConditions',
  'reportCopies',
  'reportLanguage',
  'reportDelivery',
  'deliveryAddress',
  'turnaround',
] as const;
export type CommissionField = (typeof COMMISSION_FIELDS)[number];

export type CommissionValues = Record<CommissionField, string>;

/**
 * Sensible first values, taken from the order's lines where possible: the standards, and the number
 * of samples (样品数量) the customer gave — never the priced quantity (96 hours of salt spray are
 * not 96 samples). Unknown, it is left for the customer to fill in.
 */
export function commissionDefaults(
  lines: Pick<OrderLine, 'descriptionZh' | 'standardCode' | 'sampleCount' | 'removed'>[],
): CommissionValues {
  const live = lines.filter((l) => !l.removed);
  const standards = [...new Set(live.map((l) => l.standardCode.trim()).filter(Boolean))];
  const counts = live.map((l) => l.sampleCount).filter((n): n is number => typeof n === 'number' && n > 0);
  const quantity = counts.length > 0 ? String(Math.max(...counts)) : '';
  return {
    sampleName: '',
    specification: '',
    manufacturer: '',
    batch: '',
    quantity,
    trademark: '',
    productionDate: '',
    packagingCondition: '',
    testScope: live.length > 1 ? 'partial' : 'single',
    purpose: '',
    testBasis: standards.join('；'),
    evaluationBasis: standards.join('；'),
    subcontractingAllowed: 'no',
    leftoverSamples: 'return',
    storageConditions: '',
    reportCopies: '1',
    reportLanguage: 'zh',
    reportDelivery: 'electronic',
    deliveryAddress: '',
    turnaround: 'd15',
  };
}

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

function oneOf<T extends string>(value: string, options: readonly T[]): T | null {
  return (options as readonly string[]).includes(value) ? (value as T) : null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function wholeNumber(s: string, min: number, max: number): number | 'invalid_number' | 'too_small' | 'too_large' {
  if (!/^\d{1,9}$/.test(s)) return 'invalid_number';
  const n = Number(s);
  if (n < min) return 'too_small';
  if (n > max) return 'too_large';
  return n;
}

export type CommissionParse =
  | { ok: true; body: AcceptBody; turnaround: Turnaround; values: CommissionValues }
  | { ok: false; errors: FieldErrors; values: CommissionValues };

/**
 * The accept form (commission form + turnaround) → the API's accept body, or field errors with the
 * values as typed so the form can be shown again. `today` (YYYY-MM-DD) bounds the production date.
 */
export function parseCommissionForm(form: FormData, today: string): CommissionParse {
  const values = Object.fromEntries(COMMISSION_FIELDS.map((f) => [f, text(form, f)])) as CommissionValues;
  const errors: FieldErrors = {};
  const err = (field: CommissionField, code: string) => {
    errors[field] ??= { code, message: '' };
  };

  for (const [field, max] of Object.entries(TEXT_LIMITS) as [CommissionField, number][]) {
    if (values[field].length > max) err(field, 'too_long');
  }
  for (const field of ['sampleName', 'purpose', 'testBasis'] as const) {
    if (values[field] === '') err(field, 'required');
  }

  const quantity = wholeNumber(values.quantity, 1, 100000);
  if (typeof quantity !== 'number') err('quantity', values.quantity === '' ? 'required' : quantity);
  const copies = wholeNumber(values.reportCopies, 1, 20);
  if (typeof copies !== 'number') err('reportCopies', values.reportCopies === '' ? 'required' : copies);

  let productionDate: string | null = null;
  if (values.productionDate !== '') {
    if (!validDate(values.productionDate)) err('productionDate', 'invalid_format');
    else if (values.productionDate > today) err('productionDate', 'date_in_future');
    else productionDate = values.productionDate;
  }

  const testScope = oneOf(values.testScope, TEST_SCOPES);
  if (!testScope) err('testScope', 'invalid_value');
  const leftoverSamples = oneOf(values.leftoverSamples, LEFTOVER_CHOICES);
  if (!leftoverSamples) err('leftoverSamples', 'invalid_value');
  const reportLanguage = oneOf(values.reportLanguage, REPORT_LANGUAGES);
  if (!reportLanguage) err('reportLanguage', 'invalid_value');
  const reportDelivery = oneOf(values.reportDelivery, REPORT_DELIVERIES);
  if (!reportDelivery) err('reportDelivery', 'invalid_value');
  if (reportDelivery === 'post' && values.deliveryAddress === '') err('deliveryAddress', 'address_required');
  const sub = oneOf(values.subcontractingAllowed, ['yes', 'no'] as const);
  if (!sub) err('subcontractingAllowed', 'invalid_value');
  const turnaround = parseTurnaround(values.turnaround);
  if (!turnaround) err('turnaround', values.turnaround === '' ? 'required' : 'invalid_value');

  if (
    Object.keys(errors).length > 0 ||
    typeof quantity !== 'number' ||
    typeof copies !== 'number' ||
    !testScope ||
    !leftoverSamples ||
    !reportLanguage ||
    !reportDelivery ||
    !sub ||
    !turnaround
  ) {
    return { ok: false, errors, values };
  }

  const commission: CommissionForm = {
    sampleName: values.sampleName,
    specification: values.specification,
    manufacturer: values.manufacturer,
    batch: values.batch,
    quantity,
    trademark: values.trademark,
    productionDate,
    packagingCondition: values.packagingCondition,
    testScope,
    purpose: values.purpose,
    testBasis: values.testBasis,
    evaluationBasis: values.evaluationBasis,
    subcontractingAllowed: sub === 'yes',
    leftoverSamples,
    storageConditions: values.storageConditions,
    reportCopies: copies,
    reportLanguage,
    reportDelivery,
    deliveryAddress: reportDelivery === 'post' ? values.deliveryAddress : '',
  };
  const quotedAt = text(form, 'quotedAt');
  const body: AcceptBody =
    turnaround.kind === 'days'
      ? { quotedAt, commission, deadlineTierDays: turnaround.days }
      : { quotedAt, commission, expedite: turnaround.tier };
  return { ok: true, body, turnaround, values };
}
