import type { FieldErrors, ServiceKind } from '$lib/types';

/** How the service page asks for a service, by its kind. */
export type RequestShape = 'samples' | 'calibration' | 'consulting' | 'training' | 'booking';

export function requestShape(kind: ServiceKind): RequestShape {
  switch (kind) {
    case 'commissioned_test':
    case 'outsourced_experiment':
      return 'samples';
    case 'calibration':
      return 'calibration';
    case 'training':
      return 'training';
    case 'instrument_time':
      return 'booking';
    default:
      return 'consulting';
  }
}

export const CALIBRATION_FIELDS = [
  'instrumentName',
  'model',
  'serialNumber',
  'measuringRange',
  'accuracyClass',
] as const;

export const REQUEST_FIELDS = [
  'customerOrgId',
  'sampleCount',
  'quantity',
  'parameterZh',
  'standardCode',
  'requestNotes',
  'need',
  ...CALIBRATION_FIELDS,
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];
/** The form's values as typed, by form name (a field of an added service is named by `lineFieldName`). */
export type RequestValues = Partial<Record<string, string>>;

export interface OrderCreateBody {
  labId: string;
  customerOrgId?: string;
  titleZh?: string;
  requestNotes: string;
  lines: {
    serviceId: string;
    /** How many samples (instruments, for calibration) the customer sends. */
    sampleCount?: number;
    /** The priced quantity, only where the customer states it (the hours of a test priced per hour). */
    quantity?: number;
    parameterZh?: string;
    standardCode?: string;
    details?: Record<string, unknown>;
  }[];
}

export interface RequestService {
  id: string;
  kind: ServiceKind;
  nameZh: string;
  /** fixed, per_sample, per_hour, on_quote (the API's price model). */
  priceModel: string;
  lab: { id: string };
}

/**
 * Whether the request form asks for the priced quantity beside the number of samples: only where
 * the two differ, a service priced per hour (three panels, 96 hours of salt spray). Priced per
 * sample, the samples are what is priced; fixed or on quote, the lab sets it.
 */
export function asksPricedQuantity(priceModel: string): boolean {
  return priceModel === 'per_hour';
}

function count(raw: string): number | 'invalid_number' | 'too_small' | 'too_large' {
  if (!/^\d{1,6}$/.test(raw)) return 'invalid_number';
  const n = Number(raw);
  if (n < 1) return 'too_small';
  if (n > 100000) return 'too_large';
  return n;
}

export type RequestParse =
  | { ok: true; body: OrderCreateBody; values: RequestValues }
  | { ok: false; errors: FieldErrors; values: RequestValues };

const LIMITS: Partial<Record<RequestField, number>> = {
  parameterZh: 200,
  standardCode: 100,
  requestNotes: 4000,
  need: 4000,
  instrumentName: 200,
  model: 200,
  serialNumber: 100,
  measuringRange: 200,
  accuracyClass: 100,
};

/** The fields of one line of the request (the rest — who orders, the notes — are the request's). */
const LINE_FIELDS: readonly RequestField[] = REQUEST_FIELDS.filter(
  (f) => f !== 'customerOrgId' && f !== 'requestNotes',
);

/**
 * The form name of a field of the request's `index`-th service: the page's own service (index 0)
 * keeps the plain names, each service added to the same request (加入同一委托) gets "lineN-".
 */
export function lineFieldName(index: number, field: RequestField): string {
  return index === 0 ? field : `line${index}-${field}`;
}

/**
 * The service page's request form → the API's create-order body (one line for the page's service
 * and one for each service of the same lab added to the request), or field errors with the values
 * as typed. `orgIds` are the enterprises the person may order for.
 */
export function parseRequestForm(
  form: FormData,
  service: RequestService,
  orgIds: readonly string[],
  added: readonly RequestService[] = [],
): RequestParse {
  const values: RequestValues = {};
  const read = (name: string) => {
    const v = form.get(name);
    values[name] = typeof v === 'string' ? v.trim() : '';
    return values[name];
  };
  const errors: FieldErrors = {};
  const err = (name: string, code: string) => {
    errors[name] ??= { code, message: '' };
  };
  const text = (name: string, f: RequestField) => {
    const v = read(name);
    const max = LIMITS[f];
    if (max !== undefined && v.length > max) err(name, 'too_long');
    return v;
  };

  let customerOrgId: string | undefined;
  const org = read('customerOrgId');
  if (orgIds.length > 1) {
    if (!orgIds.includes(org)) err('customerOrgId', 'required');
    else customerOrgId = org;
  }
  // An advisory service's form asks what is needed instead of notes: that text is the notes.
  let requestNotes = requestShape(service.kind) === 'consulting' ? '' : text('requestNotes', 'requestNotes');

  const lines: OrderCreateBody['lines'] = [];
  const needs: string[] = [];
  for (const [index, s] of [service, ...added].entries()) {
    const name = (f: RequestField) => lineFieldName(index, f);
    for (const f of LINE_FIELDS) text(name(f), f);
    const get = (f: RequestField) => values[name(f)] ?? '';
    const shape = requestShape(s.kind);
    const line: OrderCreateBody['lines'][number] = { serviceId: s.id };
    if (shape === 'samples' || shape === 'calibration') {
      // The number of samples and the priced quantity are two fields: three samples are not three hours.
      const samples = get('sampleCount');
      const n = samples === '' ? 'required' : count(samples);
      if (typeof n === 'number') line.sampleCount = n;
      else err(name('sampleCount'), n);
      if (asksPricedQuantity(s.priceModel) && get('quantity') !== '') {
        const q = count(get('quantity'));
        if (typeof q === 'number') line.quantity = q;
        else err(name('quantity'), q);
      }
    }
    if (shape === 'samples') {
      if (get('parameterZh')) line.parameterZh = get('parameterZh');
      if (get('standardCode')) line.standardCode = get('standardCode');
    } else if (shape === 'calibration') {
      if (get('instrumentName') === '') err(name('instrumentName'), 'required');
      line.details = Object.fromEntries(CALIBRATION_FIELDS.map((f) => [f, get(f)]));
    } else if (shape === 'consulting') {
      if (get('need') === '') err(name('need'), 'required');
      // What is needed of an advisory service is the request's notes (under its name when added).
      needs.push(index === 0 ? get('need') : `【${s.nameZh}】${get('need')}`);
    } else {
      return { ok: false, errors: { form: { code: 'not_orderable', message: '' } }, values };
    }
    lines.push(line);
  }
  requestNotes = [...needs, requestNotes].filter((n) => n !== '').join('\n\n');
  if (requestNotes.length > 4000)
    err(requestShape(service.kind) === 'consulting' ? 'need' : 'requestNotes', 'too_long');

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const body: OrderCreateBody = { labId: service.lab.id, requestNotes, lines };
  if (customerOrgId) body.customerOrgId = customerOrgId;
  return { ok: true, body, values };
}
