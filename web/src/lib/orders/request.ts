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
export type RequestValues = Partial<Record<RequestField, string>>;

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

/**
 * The service page's request form → the API's create-order body (one line for this service), or
 * field errors with the values as typed. `orgIds` are the enterprises the person may order for.
 */
export function parseRequestForm(form: FormData, service: RequestService, orgIds: readonly string[]): RequestParse {
  const values: RequestValues = {};
  for (const f of REQUEST_FIELDS) {
    const v = form.get(f);
    values[f] = typeof v === 'string' ? v.trim() : '';
  }
  const get = (f: RequestField) => values[f] ?? '';
  const errors: FieldErrors = {};
  const err = (f: RequestField, code: string) => {
    errors[f] ??= { code, message: '' };
  };
  for (const [f, max] of Object.entries(LIMITS) as [RequestField, number][]) {
    if (get(f).length > max) err(f, 'too_long');
  }

  let customerOrgId: string | undefined;
  if (orgIds.length > 1) {
    if (!orgIds.includes(get('customerOrgId'))) err('customerOrgId', 'required');
    else customerOrgId = get('customerOrgId');
  }

  const shape = requestShape(service.kind);
  const line: OrderCreateBody['lines'][number] = { serviceId: service.id };
  if (shape === 'samples' || shape === 'calibration') {
    // The number of samples and the priced quantity are two fields: three samples are not three hours.
    const samples = get('sampleCount');
    const n = samples === '' ? 'required' : count(samples);
    if (typeof n === 'number') line.sampleCount = n;
    else err('sampleCount', n);
    if (asksPricedQuantity(service.priceModel) && get('quantity') !== '') {
      const q = count(get('quantity'));
      if (typeof q === 'number') line.quantity = q;
      else err('quantity', q);
    }
  }

  let requestNotes = get('requestNotes');
  if (shape === 'samples') {
    if (get('parameterZh')) line.parameterZh = get('parameterZh');
    if (get('standardCode')) line.standardCode = get('standardCode');
  } else if (shape === 'calibration') {
    if (get('instrumentName') === '') err('instrumentName', 'required');
    line.details = Object.fromEntries(CALIBRATION_FIELDS.map((f) => [f, get(f)]));
  } else if (shape === 'consulting') {
    if (get('need') === '') err('need', 'required');
    requestNotes = get('need');
  } else {
    return { ok: false, errors: { form: { code: 'not_orderable', message: '' } }, values };
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const body: OrderCreateBody = { labId: service.lab.id, requestNotes, lines: [line] };
  if (customerOrgId) body.customerOrgId = customerOrgId;
  return { ok: true, body, values };
}
