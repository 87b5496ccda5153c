import { isIsoDate } from '$lib/time';

/**
 * The lab's fapiao desk (发票): what the lab records after issuing a fapiao in the tax system
 * (QIHub never talks to it), and the reason it gives when it returns a request.
 */
export const FAPIAO_STATUSES = ['pending', 'issued', 'rejected'] as const;
export type FapiaoStatus = (typeof FAPIAO_STATUSES)[number];

export function isFapiaoStatus(value: string | null | undefined): value is FapiaoStatus {
  return (FAPIAO_STATUSES as readonly (string | null | undefined)[]).includes(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 发票号码: 20 digits for a 全电 (fully digital) fapiao, 8 for the older paper ones. */
const FAPIAO_NUMBER = /^(\d{8}|\d{20})$/;

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

export interface IssuedBody {
  fapiaoNumber: string;
  issuedOn: string;
  note?: string;
}

/** The "mark issued" form: the number as the tax system printed it (spaces allowed), its date, a note. */
export function parseIssued(form: FormData): {
  id: string | null;
  body: IssuedBody | null;
  errors: Record<string, string>;
  values: Record<string, string>;
} {
  const values = {
    id: field(form, 'id'),
    fapiaoNumber: field(form, 'fapiaoNumber'),
    issuedOn: field(form, 'issuedOn'),
    note: field(form, 'note'),
  };
  const errors: Record<string, string> = {};
  const number = values.fapiaoNumber.replace(/[\s-]/g, '');
  if (!number) errors.fapiaoNumber = 'required';
  else if (!FAPIAO_NUMBER.test(number)) errors.fapiaoNumber = 'invalid_fapiao_number';
  if (!values.issuedOn) errors.issuedOn = 'required';
  else if (!isIsoDate(values.issuedOn)) errors.issuedOn = 'invalid_format';
  if (values.note.length > 200) errors.note = 'too_long';
  const id = UUID.test(values.id) ? values.id : null;
  if (!id || Object.keys(errors).length > 0) return { id, body: null, errors, values };
  return {
    id,
    body: { fapiaoNumber: number, issuedOn: values.issuedOn, ...(values.note ? { note: values.note } : {}) },
    errors,
    values,
  };
}

/** The "return" form: a reason (the customer reads it, corrects its title and asks again). */
export function parseReject(form: FormData): {
  id: string | null;
  reason: string | null;
  errors: Record<string, string>;
  values: Record<string, string>;
} {
  const values = { id: field(form, 'id'), reason: field(form, 'reason') };
  const errors: Record<string, string> = {};
  if (!values.reason) errors.reason = 'required';
  else if (values.reason.length > 500) errors.reason = 'too_long';
  const id = UUID.test(values.id) ? values.id : null;
  return { id, reason: errors.reason || !id ? null : values.reason, errors, values };
}

/** Pending requests first (oldest asked, first served), then the decided ones, newest first. */
export function pendingFirst<R extends { id: string; status: string; requestedAt: string }>(rows: readonly R[]): R[] {
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
  const pending = unique
    .filter((r) => r.status === 'pending')
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  const decided = unique
    .filter((r) => r.status !== 'pending')
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  return [...pending, ...decided];
}
