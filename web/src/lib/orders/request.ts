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
    quantity: number;
    parameterZh?: string;
    standardCode?: string;
    details?: Record<string, unknown>;
  }[];
}

export interface RequestService {
  id: string;
  kind: ServiceKind;
  nameZh: string;
  lab: { id: string };
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
  let quantity = 1;
  if (shape === 'samples' || shape === 'calibration') {
    const q = get('quantity');
    if (q === '') err('quantity', 'required');
    else if (!/^\d{1,6}$/.test(q)) err('quantity', 'invalid_number');
    else if (Number(q) < 1) err('quantity', 'too_small');
    else if (Number(q) > 100000) err('quantity', 'too_large');
    else quantity = Number(q);
  }

  const line: OrderCreateBody['lines'][number] = { serviceId: service.id, quantity };
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
