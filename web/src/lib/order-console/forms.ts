import type { FieldErrors } from '$lib/types';
import { parseLocalDateTime } from '$lib/time';
import { parsePercent } from './money-form';

/** Readers for the console's smaller order forms: what was typed → the API body, or field errors. */

type Form = Pick<FormData, 'get'>;

function text(form: Form, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

function result<T>(values: Record<string, string>, fieldErrors: FieldErrors, body: () => T) {
  return Object.keys(fieldErrors).length === 0
    ? { values, fieldErrors, body: body() }
    : { values, fieldErrors, body: null };
}

const need = (fieldErrors: FieldErrors, field: string, code: string) => (fieldErrors[field] ??= { code, message: '' });

/** Sample receipt: condition on arrival (required), quantity received, storage location. */
export function parseReceive(form: Form) {
  const values = {
    conditionOnArrival: text(form, 'conditionOnArrival'),
    quantity: text(form, 'quantity'),
    storageLocation: text(form, 'storageLocation'),
  };
  const fieldErrors: FieldErrors = {};
  if (!values.conditionOnArrival) need(fieldErrors, 'conditionOnArrival', 'required');
  else if (values.conditionOnArrival.length > 1000) need(fieldErrors, 'conditionOnArrival', 'too_long');
  const quantity = Number(values.quantity);
  if (!/^\d{1,6}$/.test(values.quantity) || quantity < 1 || quantity > 100000) {
    need(fieldErrors, 'quantity', 'invalid_quantity');
  }
  if (values.storageLocation.length > 200) need(fieldErrors, 'storageLocation', 'too_long');
  return result(values, fieldErrors, () => ({
    conditionOnArrival: values.conditionOnArrival,
    quantity,
    ...(values.storageLocation ? { storageLocation: values.storageLocation } : {}),
  }));
}

/** A reason (sample rejection, cancellation, replace, revoke): 2–1000 characters. */
export function parseReasonText(form: Form, name = 'reason') {
  const values = { [name]: text(form, name) };
  const fieldErrors: FieldErrors = {};
  const v = values[name]!;
  if (v === '') need(fieldErrors, name, 'required');
  else if (v.length < 2) need(fieldErrors, name, 'too_short');
  else if (v.length > 1000) need(fieldErrors, name, 'too_long');
  return result(values, fieldErrors, () => v);
}

/**
 * Scheduling work onto an instrument: start and end typed as wall-clock time in the site's zone
 * (`datetime-local`) → instants; the end after the start.
 */
export function parseSchedule(form: Form, instrumentIds: readonly string[], zoneOf: (id: string) => string) {
  const values = {
    instrumentId: text(form, 'instrumentId'),
    start: text(form, 'start'),
    end: text(form, 'end'),
    notes: text(form, 'notes'),
  };
  const fieldErrors: FieldErrors = {};
  if (!instrumentIds.includes(values.instrumentId)) need(fieldErrors, 'instrumentId', 'required');
  const zone = zoneOf(values.instrumentId);
  const start = parseLocalDateTime(values.start, zone);
  const end = parseLocalDateTime(values.end, zone);
  if (!start) need(fieldErrors, 'start', values.start ? 'invalid_date' : 'required');
  if (!end) need(fieldErrors, 'end', values.end ? 'invalid_date' : 'required');
  if (start && end && end.getTime() <= start.getTime()) need(fieldErrors, 'end', 'end_before_start');
  if (values.notes.length > 2000) need(fieldErrors, 'notes', 'too_long');
  return result(values, fieldErrors, () => ({
    instrumentId: values.instrumentId,
    start: start!.toISOString(),
    end: end!.toISOString(),
    ...(values.notes ? { notes: values.notes } : {}),
  }));
}

export const SETTINGS_FIELDS = [
  'reportPrefix',
  'objectionDays',
  'expediteH72Pct',
  'expediteH24Pct',
  'expediteH8Pct',
  'quoteValidityDays',
] as const;

/** Order settings: the report prefix (A–Z, 0–9, 2–12), the objection window, surcharges, quote validity. */
export function parseOrderSettings(form: Form) {
  const values: Record<string, string> = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, text(form, f)]));
  values.reportPrefix = values.reportPrefix!.toUpperCase();
  values.autoQuoteFixedPrice = form.get('autoQuoteFixedPrice') ? 'on' : '';
  const fieldErrors: FieldErrors = {};
  if (!/^[A-Z0-9]{2,12}$/.test(values.reportPrefix)) need(fieldErrors, 'reportPrefix', 'invalid_prefix');
  const int = (field: string, min: number, max: number) => {
    const raw = values[field] ?? '';
    const n = field.startsWith('expedite') ? parsePercent(raw, max) : /^\d{1,4}$/.test(raw) ? Number(raw) : null;
    if (n === null || n < min || n > max) {
      need(fieldErrors, field, 'out_of_range');
      return 0;
    }
    return n;
  };
  const body = {
    reportPrefix: values.reportPrefix,
    objectionDays: int('objectionDays', 0, 90),
    expediteH72Pct: int('expediteH72Pct', 0, 500),
    expediteH24Pct: int('expediteH24Pct', 0, 500),
    expediteH8Pct: int('expediteH8Pct', 0, 500),
    quoteValidityDays: int('quoteValidityDays', 1, 365),
    autoQuoteFixedPrice: values.autoQuoteFixedPrice === 'on',
  };
  return result(values, fieldErrors, () => body);
}

/** Adding a signatory: a lab member's email and what they may sign for. */
export function parseSignatory(form: Form) {
  const values = { email: text(form, 'email').toLowerCase(), scopeZh: text(form, 'scopeZh') };
  const fieldErrors: FieldErrors = {};
  if (!values.email) need(fieldErrors, 'email', 'required');
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email) || values.email.length > 254) {
    need(fieldErrors, 'email', 'invalid_email');
  }
  if (values.scopeZh.length > 1000) need(fieldErrors, 'scopeZh', 'too_long');
  return result(values, fieldErrors, () => ({
    email: values.email,
    ...(values.scopeZh ? { scopeZh: values.scopeZh } : {}),
  }));
}
