import { text, UUID, type FormErrors } from '$lib/finance/forms';
import { parseYuan } from '$lib/money';
import { isIsoDate } from '$lib/time';
import { SERVICE_KINDS, type ServiceKind } from './types';

/*
 * The voucher forms, checked before they are sent: yuan typed, fen sent; a field's error is a code
 * the page words (`validation.<code>`, or `vouchers.errors.<code>` for the voucher rules).
 */

/** "50" or "33.33" (per cent, up to 100) → basis points: 5000, 3333; null when it is not one. */
export function shareToBp(raw: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(raw.trim().replace(/[%％]$/, ''));
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10_000 ? bp : null;
}

type Parsed<B> = { body: B | null; errors: FormErrors; values: Record<string, string> };

/** Positive yuan → fen, or the field's error code. */
function positiveFen(raw: string): { fen: number } | { error: string } {
  const yuan = parseYuan(raw);
  if (!yuan.ok) return { error: 'invalid_amount' };
  if (yuan.fen === null) return { error: 'required' };
  if (yuan.fen <= 0) return { error: 'too_small' };
  if (yuan.fen > 100_000_000_000) return { error: 'too_large' };
  return { fen: yuan.fen };
}

export interface ApplicationBody {
  programmeId: string;
  amount: { amount: number; currency: 'CNY' };
  purpose: string;
  enterpriseOrgId?: string;
}

/** An enterprise's application: the programme, the quota asked for (at most the cap), what it is for. */
export function parseApplication(form: FormData, caps: ReadonlyMap<string, number>): Parsed<ApplicationBody> {
  const values = {
    programmeId: text(form, 'programmeId'),
    amount: text(form, 'amount'),
    purpose: text(form, 'purpose'),
    enterpriseOrgId: text(form, 'enterpriseOrgId'),
  };
  const errors: FormErrors = {};
  const cap = caps.get(values.programmeId);
  if (!values.programmeId) errors.programmeId = 'required';
  else if (cap === undefined) errors.programmeId = 'invalid_value';
  const amount = positiveFen(values.amount);
  if ('error' in amount) errors.amount = amount.error;
  else if (cap !== undefined && amount.fen > cap) errors.amount = 'over_cap';
  if (!values.purpose) errors.purpose = 'required';
  else if (values.purpose.length > 2000) errors.purpose = 'too_long';
  if (values.enterpriseOrgId && !UUID.test(values.enterpriseOrgId)) errors.enterpriseOrgId = 'invalid_value';
  if (Object.keys(errors).length > 0 || 'error' in amount) return { body: null, errors, values };
  return {
    body: {
      programmeId: values.programmeId,
      amount: { amount: amount.fen, currency: 'CNY' },
      purpose: values.purpose,
      ...(values.enterpriseOrgId ? { enterpriseOrgId: values.enterpriseOrgId } : {}),
    },
    errors,
    values,
  };
}

export interface ProgrammeBody {
  nameZh: string;
  nameEn: string;
  shareBp: number;
  cap: { amount: number; currency: 'CNY' };
  eligibleKinds: ServiceKind[];
  validFrom: string;
  validTo: string;
  status?: 'active' | 'closed';
}

/** A programme: names, share (per cent), cap per enterprise a year (yuan), eligible kinds, validity. */
export function parseProgramme(form: FormData, withStatus = false): Parsed<ProgrammeBody> {
  const kinds = form.getAll('eligibleKinds').filter((k): k is string => typeof k === 'string');
  const values = {
    nameZh: text(form, 'nameZh'),
    nameEn: text(form, 'nameEn'),
    share: text(form, 'share'),
    cap: text(form, 'cap'),
    eligibleKinds: kinds.join(','),
    validFrom: text(form, 'validFrom'),
    validTo: text(form, 'validTo'),
    status: text(form, 'status'),
  };
  const errors: FormErrors = {};
  if (!values.nameZh) errors.nameZh = 'required';
  else if (values.nameZh.length > 200) errors.nameZh = 'too_long';
  if (values.nameEn.length > 200) errors.nameEn = 'too_long';
  const shareBp = shareToBp(values.share);
  if (!values.share) errors.share = 'required';
  else if (shareBp === null) errors.share = 'invalid_share';
  const cap = positiveFen(values.cap);
  if ('error' in cap) errors.cap = cap.error;
  const eligible = kinds.filter((k): k is ServiceKind => (SERVICE_KINDS as readonly string[]).includes(k));
  if (eligible.length === 0 || eligible.length !== kinds.length) errors.eligibleKinds = 'pick_kind';
  if (!values.validFrom) errors.validFrom = 'required';
  else if (!isIsoDate(values.validFrom)) errors.validFrom = 'invalid_format';
  if (!values.validTo) errors.validTo = 'required';
  else if (!isIsoDate(values.validTo)) errors.validTo = 'invalid_format';
  else if (isIsoDate(values.validFrom) && values.validTo < values.validFrom) errors.validTo = 'ends_before_start';
  if (withStatus && values.status !== 'active' && values.status !== 'closed') errors.status = 'invalid_value';
  if (Object.keys(errors).length > 0 || 'error' in cap || shareBp === null) return { body: null, errors, values };
  return {
    body: {
      nameZh: values.nameZh,
      nameEn: values.nameEn,
      shareBp,
      cap: { amount: cap.fen, currency: 'CNY' },
      eligibleKinds: [...new Set(eligible)],
      validFrom: values.validFrom,
      validTo: values.validTo,
      ...(withStatus ? { status: values.status as 'active' | 'closed' } : {}),
    },
    errors,
    values,
  };
}

/** The quota an admin grants (yuan), at most the programme's cap. */
export function parseQuota(form: FormData, cap: number | null): Parsed<{ quota: { amount: number; currency: 'CNY' } }> {
  const values = { quota: text(form, 'quota') };
  const amount = positiveFen(values.quota);
  if ('error' in amount) return { body: null, errors: { quota: amount.error }, values };
  if (cap !== null && amount.fen > cap) return { body: null, errors: { quota: 'over_cap' }, values };
  return { body: { quota: { amount: amount.fen, currency: 'CNY' } }, errors: {}, values };
}

/** The programme's payment to the lab: how much arrived (at most what is owed), on which day, a reference. */
export function parseClaimPayment(
  form: FormData,
  owed: number | null,
  today: string,
): Parsed<{ amount: { amount: number; currency: 'CNY' }; receivedOn: string; note?: string }> {
  const values = { amount: text(form, 'amount'), receivedOn: text(form, 'receivedOn'), note: text(form, 'note') };
  const errors: FormErrors = {};
  const amount = positiveFen(values.amount);
  if ('error' in amount) errors.amount = amount.error;
  else if (owed !== null && amount.fen > owed) errors.amount = 'over_owed';
  if (!values.receivedOn) errors.receivedOn = 'required';
  else if (!isIsoDate(values.receivedOn)) errors.receivedOn = 'invalid_format';
  else if (values.receivedOn > today) errors.receivedOn = 'in_future';
  if (values.note.length > 500) errors.note = 'too_long';
  if (Object.keys(errors).length > 0 || 'error' in amount) return { body: null, errors, values };
  return {
    body: {
      amount: { amount: amount.fen, currency: 'CNY' },
      receivedOn: values.receivedOn,
      ...(values.note ? { note: values.note } : {}),
    },
    errors,
    values,
  };
}
