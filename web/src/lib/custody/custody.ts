import type { components } from '$lib/api/schema';
import type { FieldErrors } from '$lib/types';

/** The custody log of an order as the API answers it (GET /v1/orders/{id}/custody). */
export type OrderCustody = components['schemas']['OrderCustody'];
export type CustodyEntry = OrderCustody['entries'][number];
export type SampleCustody = OrderCustody['samples'][number];
export type RecordedStep = 'stored' | 'taken' | 'back' | 'returned' | 'disposed';

/** The fields of the record form, in the API's names. */
export const CUSTODY_FIELDS = [
  'step',
  'location',
  'takenBy',
  'method',
  'courier',
  'trackingNumber',
  'collectedBy',
  'note',
];

const STEPS: readonly RecordedStep[] = ['stored', 'taken', 'back', 'returned', 'disposed'];

type Form = Pick<FormData, 'get'>;
const text = (form: Form, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * The steps the lab may record on a sample now: what its state allows, and a return or disposal
 * only once the leftovers are due (the report is out and the objection period over).
 */
export function stepsFor(sample: SampleCustody, leftoversDue: boolean): RecordedStep[] {
  return STEPS.filter((s) => sample.next.includes(s) && (leftoversDue || (s !== 'returned' && s !== 'disposed')));
}

/** The record form → the API body (only the fields the step uses), or field errors beside the form. */
export function parseCustodyForm(form: Form) {
  const values = Object.fromEntries(CUSTODY_FIELDS.map((f) => [f, text(form, f)]));
  const fieldErrors: FieldErrors = {};
  const step = values.step as RecordedStep;
  const required = (field: string) => {
    if (!values[field]) fieldErrors[field] = { code: 'required', message: '' };
  };
  if (!STEPS.includes(step)) required('step');
  if (step === 'stored' || step === 'back') required('location');
  if (step === 'taken') required('takenBy');
  if (step === 'returned') {
    if (values.method !== 'courier' && values.method !== 'in_person') required('method');
    if (values.method === 'courier') ['courier', 'trackingNumber'].forEach(required);
    if (values.method === 'in_person') required('collectedBy');
  }
  if (Object.keys(fieldErrors).length > 0) return { values, fieldErrors, body: null };
  const body = {
    step,
    ...(step === 'stored' || step === 'back' ? { location: values.location } : {}),
    ...(step === 'taken' ? { takenBy: values.takenBy } : {}),
    ...(step === 'returned'
      ? values.method === 'courier'
        ? { method: 'courier' as const, courier: values.courier, trackingNumber: values.trackingNumber }
        : { method: 'in_person' as const, collectedBy: values.collectedBy }
      : {}),
    ...(values.note ? { note: values.note } : {}),
  };
  return { values, fieldErrors, body };
}
