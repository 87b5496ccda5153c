import { parseYuan } from '$lib/money';
import { isIsoDate, todayIn } from '$lib/time';
import { TERMS, type Terms } from './types';

/** Every period in the money pages is a pair of China dates, both inclusive. */
export const MONEY_ZONE = 'Asia/Shanghai';

export interface Period {
  from: string;
  to: string;
}

/**
 * The period a trial balance is asked for: the dates given when both are real dates in order,
 * otherwise this month so far (China time). `adjusted` says the request was not taken as it was.
 */
export function periodFrom(params: URLSearchParams, now: Date): Period & { adjusted: boolean } {
  const today = todayIn(MONEY_ZONE, now);
  const from = params.get('from');
  const to = params.get('to');
  if (isIsoDate(from) && isIsoDate(to) && from <= to) return { from, to, adjusted: false };
  const asked = params.has('from') || params.has('to');
  return { from: `${today.slice(0, 8)}01`, to: today, adjusted: asked };
}

export type FormErrors = Record<string, string>;

export interface PaymentBody {
  amount: number;
  receivedOn: string;
  channel: 'bank_transfer' | 'manual';
  note: string;
}

/** The lab's "record a payment" form: yuan typed, fen sent; the date it arrived; how it came. */
export function parsePayment(form: FormData): {
  body: PaymentBody | null;
  errors: FormErrors;
  values: Record<string, string>;
} {
  const values = {
    amount: text(form, 'amount'),
    receivedOn: text(form, 'receivedOn'),
    channel: text(form, 'channel') || 'bank_transfer',
    note: text(form, 'note'),
  };
  const errors: FormErrors = {};
  const yuan = parseYuan(values.amount);
  if (!yuan.ok) errors.amount = 'invalid_amount';
  else if (yuan.fen === null) errors.amount = 'required';
  else if (yuan.fen <= 0) errors.amount = 'too_small';
  if (!values.receivedOn) errors.receivedOn = 'required';
  else if (!isIsoDate(values.receivedOn)) errors.receivedOn = 'invalid_format';
  if (values.channel !== 'bank_transfer' && values.channel !== 'manual') errors.channel = 'invalid_value';
  if (values.note.length > 500) errors.note = 'too_long';
  if (Object.keys(errors).length > 0 || !yuan.ok || yuan.fen === null) return { body: null, errors, values };
  return {
    body: {
      amount: yuan.fen,
      receivedOn: values.receivedOn,
      channel: values.channel as PaymentBody['channel'],
      note: values.note,
    },
    errors,
    values,
  };
}

/** A reason is required to void an invoice or dismiss a bank line (it goes to the audit log). */
export function parseReason(form: FormData, name: string): { value: string; error: string | null } {
  const value = text(form, name);
  if (value === '') return { value, error: 'required' };
  if (value.length > 500) return { value, error: 'too_long' };
  return { value, error: null };
}

export interface SettingsBody {
  terms: Terms;
  dueDays: number;
  monthlyDueDays: number;
  taxRateBp: number;
  payee: { accountName: string; bankName: string; accountNumber: string };
}

/** Whole days, 0–365. */
function days(raw: string): number | null {
  return /^\d{1,3}$/.test(raw) && Number(raw) <= 365 ? Number(raw) : null;
}

/** "6" or "6.5" (per cent) → basis points: 600, 650. */
export function percentToBp(raw: string): number | null {
  const m = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(raw.trim().replace(/%$/, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 600 → "6", 650 → "6.5". */
export function bpToPercent(bp: number): string {
  return String(bp / 100);
}

export function parseSettings(form: FormData): {
  body: SettingsBody | null;
  errors: FormErrors;
  values: Record<string, string>;
} {
  const values = {
    terms: text(form, 'terms'),
    dueDays: text(form, 'dueDays'),
    monthlyDueDays: text(form, 'monthlyDueDays'),
    taxRate: text(form, 'taxRate'),
    accountName: text(form, 'accountName'),
    bankName: text(form, 'bankName'),
    accountNumber: text(form, 'accountNumber'),
  };
  const errors: FormErrors = {};
  if (!isTerms(values.terms)) errors.terms = 'invalid_value';
  const dueDays = days(values.dueDays);
  if (dueDays === null) errors.dueDays = values.dueDays ? 'invalid_number' : 'required';
  const monthlyDueDays = days(values.monthlyDueDays);
  if (monthlyDueDays === null) errors.monthlyDueDays = values.monthlyDueDays ? 'invalid_number' : 'required';
  const taxRateBp = percentToBp(values.taxRate);
  if (taxRateBp === null || taxRateBp > 2000) errors.taxRate = values.taxRate ? 'invalid_format' : 'required';
  for (const f of ['accountName', 'bankName', 'accountNumber'] as const) {
    if (values[f] === '') errors[f] = 'required';
    else if (values[f].length > 200) errors[f] = 'too_long';
  }
  if (Object.keys(errors).length > 0) return { body: null, errors, values };
  return {
    body: {
      terms: values.terms as Terms,
      dueDays: dueDays!,
      monthlyDueDays: monthlyDueDays!,
      taxRateBp: taxRateBp!,
      payee: { accountName: values.accountName, bankName: values.bankName, accountNumber: values.accountNumber },
    },
    errors,
    values,
  };
}

export function parseCustomerTerms(form: FormData): {
  body: { terms: Terms; dueDays?: number } | null;
  errors: FormErrors;
  values: Record<string, string>;
} {
  const values = {
    customerOrgId: text(form, 'customerOrgId'),
    terms: text(form, 'terms'),
    dueDays: text(form, 'dueDays'),
  };
  const errors: FormErrors = {};
  if (!UUID.test(values.customerOrgId)) errors.customerOrgId = values.customerOrgId ? 'invalid_value' : 'required';
  if (!isTerms(values.terms)) errors.terms = 'invalid_value';
  const d = values.dueDays === '' ? undefined : days(values.dueDays);
  if (d === null) errors.dueDays = 'invalid_number';
  if (Object.keys(errors).length > 0) return { body: null, errors, values };
  return {
    body: { terms: values.terms as Terms, ...(d === undefined || d === null ? {} : { dueDays: d }) },
    errors,
    values,
  };
}

export function isTerms(v: unknown): v is Terms {
  return typeof v === 'string' && (TERMS as readonly string[]).includes(v);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** The accounts of a trial balance grouped by book, each with its own totals, in the order given. */
export function groupByBook<A extends { book: { id: string }; debit: { amount: number }; credit: { amount: number } }>(
  accounts: readonly A[],
): { book: A['book']; accounts: A[]; debit: number; credit: number }[] {
  const groups = new Map<string, { book: A['book']; accounts: A[]; debit: number; credit: number }>();
  for (const a of accounts) {
    let g = groups.get(a.book.id);
    if (!g) groups.set(a.book.id, (g = { book: a.book, accounts: [], debit: 0, credit: 0 }));
    g.accounts.push(a);
    g.debit += a.debit.amount;
    g.credit += a.credit.amount;
  }
  return [...groups.values()];
}
