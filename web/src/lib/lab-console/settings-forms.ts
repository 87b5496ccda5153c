import type { components } from '$lib/api/schema';
import type { FieldErrors } from '$lib/types';
import { addDays, formatHhmm, isIsoDate, parseHhmm, parseLocalDateTime, wallClock, zonedInstant } from '$lib/time';

/**
 * Readers for the console's settings forms: what was typed → the API's request body, or errors
 * beside the fields. They mirror the API's own checks so a person hears about a slip before a
 * round trip; the API still has the last word.
 */

type Form = Pick<FormData, 'get' | 'getAll'> & { keys(): IterableIterator<string> | Iterable<string> };

function text(form: Form, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

const INTEGER = /^-?\d{1,9}$/;

// ───────────────────────────── weekly opening hours ─────────────────────────────

export type WeeklyRow = components['schemas']['OpeningHoursRow'];

/** The editor's input name for one end of one window: `w{weekday}-{slot}-{opens|closes}`. */
export function hoursField(weekday: number, slot: number, end: 'opens' | 'closes'): string {
  return `w${weekday}-${slot}-${end}`;
}

/** Windows per weekday the editor shows: the rows in force plus one empty, at least two. */
export function hoursSlots(rows: readonly WeeklyRow[]): Record<number, { opens: string; closes: string }[]> {
  const out: Record<number, { opens: string; closes: string }[]> = {};
  for (let weekday = 1; weekday <= 7; weekday++) {
    const day = rows
      .filter((r) => r.weekday === weekday)
      .sort((a, b) => a.opensAt.localeCompare(b.opensAt))
      .map((r) => ({ opens: r.opensAt, closes: r.closesAt }));
    while (day.length < 2) day.push({ opens: '', closes: '' });
    out[weekday] = day;
  }
  return out;
}

export interface HoursParse {
  /** Every `w…` field as typed, to refill the form. */
  values: Record<string, string>;
  inherit: boolean;
  rows: WeeklyRow[] | null;
  fieldErrors: FieldErrors;
}

/**
 * The weekly editor → rows for PUT …/opening-hours. Both ends of a window or neither; HH:MM; the
 * close after the open; windows of one day must neither overlap nor touch. `inherit` (the instrument follows its
 * site, the site the default week) sends no rows at all.
 */
export function parseWeeklyHours(form: Form): HoursParse {
  const values: Record<string, string> = {};
  const fieldErrors: FieldErrors = {};
  const inherit = text(form, 'inherit') !== '';
  const slots = new Map<string, { weekday: number; slot: number }>();
  for (const key of form.keys()) {
    const m = /^w([1-7])-(\d{1,2})-(opens|closes)$/.exec(key);
    if (!m) continue;
    values[key] = text(form, key);
    slots.set(`${m[1]}-${m[2]}`, { weekday: Number(m[1]), slot: Number(m[2]) });
  }
  if (inherit) return { values, inherit, rows: [], fieldErrors };

  const windows: { weekday: number; opens: number; closes: number; field: string }[] = [];
  for (const { weekday, slot } of slots.values()) {
    const of = hoursField(weekday, slot, 'opens');
    const cf = hoursField(weekday, slot, 'closes');
    const ot = values[of] ?? '';
    const ct = values[cf] ?? '';
    if (ot === '' && ct === '') continue;
    if (ot === '') fieldErrors[of] = { code: 'required', message: '' };
    if (ct === '') fieldErrors[cf] = { code: 'required', message: '' };
    if (ot === '' || ct === '') continue;
    // The API stores times of day 00:00–23:59: a window cannot run over midnight.
    const opens = parseHhmm(ot);
    const closes = parseHhmm(ct);
    const badOpens = opens === null || opens >= 1440;
    const badCloses = closes === null || closes >= 1440;
    if (badOpens) fieldErrors[of] = { code: 'invalid_format', message: '' };
    if (badCloses) fieldErrors[cf] = { code: 'invalid_format', message: '' };
    if (badOpens || badCloses || opens === null || closes === null) continue;
    if (closes <= opens) {
      fieldErrors[cf] = { code: 'closes_before_opens', message: '' };
      continue;
    }
    windows.push({ weekday, opens, closes, field: cf });
  }
  windows.sort((a, b) => a.weekday - b.weekday || a.opens - b.opens);
  for (let i = 1; i < windows.length; i++) {
    const prev = windows[i - 1]!;
    const cur = windows[i]!;
    // Touching windows count too: the API wants them merged into one.
    if (prev.weekday === cur.weekday && cur.opens <= prev.closes) {
      fieldErrors[cur.field] = { code: 'overlapping_hours', message: '' };
    }
  }
  if (Object.keys(fieldErrors).length > 0) return { values, inherit, rows: null, fieldErrors };
  const rows = windows.map((w) => ({
    weekday: w.weekday,
    opensAt: formatHhmm(w.opens),
    closesAt: formatHhmm(w.closes),
  }));
  return { values, inherit, rows, fieldErrors };
}

// ───────────────────────────── closures ─────────────────────────────

export const CLOSURE_FIELDS = ['start', 'end', 'reason', 'target'] as const;

export type ClosureInput = components['schemas']['ClosureCreate'];

/** The closure's target as one select value: the whole lab, an instrument, or one unit of it. */
export function closureTarget(instrumentId?: string | null, unitId?: string | null): string {
  if (instrumentId && unitId) return `unit:${instrumentId}:${unitId}`;
  if (instrumentId) return `instrument:${instrumentId}`;
  return 'lab';
}

/**
 * The closure form → POST …/closures. Times are typed as wall-clock time in the lab's zone;
 * `targets` are the select values the form offered (anything else is refused).
 */
export function parseClosure(
  form: Form,
  timeZone: string,
  targets: readonly string[],
): { values: Record<string, string>; input: ClosureInput | null; fieldErrors: FieldErrors } {
  const values = Object.fromEntries(CLOSURE_FIELDS.map((f) => [f, text(form, f)])) as Record<string, string>;
  const fieldErrors: FieldErrors = {};
  const start = parseLocalDateTime(values.start, timeZone);
  const end = parseLocalDateTime(values.end, timeZone);
  if (!values.start) fieldErrors.start = { code: 'required', message: '' };
  else if (!start) fieldErrors.start = { code: 'invalid_format', message: '' };
  if (!values.end) fieldErrors.end = { code: 'required', message: '' };
  else if (!end) fieldErrors.end = { code: 'invalid_format', message: '' };
  if (start && end && end <= start) fieldErrors.end = { code: 'end_before_start', message: '' };
  const reason = values.reason ?? '';
  if (reason === '') fieldErrors.reason = { code: 'required', message: '' };
  else if ([...reason].length > 500) fieldErrors.reason = { code: 'too_long', message: '' };
  const target = values.target || 'lab';
  if (!targets.includes(target)) fieldErrors.target = { code: 'invalid_value', message: '' };
  if (Object.keys(fieldErrors).length > 0 || !start || !end) return { values, input: null, fieldErrors };
  const [kind, instrumentId, unitId] = target.split(':');
  return {
    values,
    input: {
      start: start.toISOString(),
      end: end.toISOString(),
      reason,
      ...(kind !== 'lab' && instrumentId ? { instrumentId } : {}),
      ...(kind === 'unit' && unitId ? { unitId } : {}),
    },
    fieldErrors,
  };
}

// ───────────────────────────── booking policy ─────────────────────────────

/** The instrument's booking policy, as PUT …/booking-policy takes it. */
export type PolicyInput = components['schemas']['BookingPolicyInput'];

/** The policy's whole-number fields with the bounds the form accepts. */
export const POLICY_NUMBERS = {
  slotMinutes: { min: 5, max: 1440 },
  minMinutes: { min: 1, max: 10080 },
  maxMinutes: { min: 1, max: 10080 },
  leadMinutes: { min: 0, max: 525600 },
  horizonDays: { min: 1, max: 730 },
  setupMinutes: { min: 0, max: 1440 },
  cleanupMinutes: { min: 0, max: 1440 },
  holdMinutes: { min: 1, max: 10080 },
  cancellationCutoffMinutes: { min: 0, max: 525600 },
  noShowGraceMinutes: { min: 0, max: 1440 },
  lateVoidMinutes: { min: 0, max: 1440 },
  quotaMinutesPerWeek: { min: 1, max: 10080 },
} as const;
type PolicyNumber = Exclude<keyof typeof POLICY_NUMBERS, 'quotaMinutesPerWeek'>;
const REQUIRED_NUMBERS = (Object.keys(POLICY_NUMBERS) as (keyof typeof POLICY_NUMBERS)[]).filter(
  (f): f is PolicyNumber => f !== 'quotaMinutesPerWeek',
);

export const POLICY_FIELDS = [
  ...REQUIRED_NUMBERS,
  'quotaMinutesPerWeek',
  'cancellationFeePercent',
  'modes',
  'requiresApproval',
  'qualificationRequired',
] as const;

/** A policy → the form's text values (the fee as a percentage, the quota empty when there is none). */
export function policyValues(p: PolicyInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of REQUIRED_NUMBERS) out[f] = String(p[f]);
  out.quotaMinutesPerWeek = p.quotaMinutesPerWeek === null ? '' : String(p.quotaMinutesPerWeek);
  out.cancellationFeePercent = basisPointsToPercent(p.cancellationFeeBasisPoints);
  out.modes = p.modes.join(',');
  out.requiresApproval = p.requiresApproval ? 'on' : '';
  out.qualificationRequired = p.qualificationRequired ? 'on' : '';
  return out;
}

/** 5000 → "50", 1250 → "12.5", 5 → "0.05". */
export function basisPointsToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = bp % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** "50" → 5000, "12.5" → 1250, "12.345" → null: done on the digits, no floating point. */
export function percentToBasisPoints(textValue: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(textValue.replace(/[%％\s]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function parsePolicy(form: Form): {
  values: Record<string, string>;
  input: PolicyInput | null;
  fieldErrors: FieldErrors;
} {
  const fieldErrors: FieldErrors = {};
  const values: Record<string, string> = {};
  const nums = {} as Record<PolicyNumber, number>;
  for (const field of REQUIRED_NUMBERS) {
    const bounds = POLICY_NUMBERS[field];
    const v = text(form, field);
    values[field] = v;
    if (v === '') fieldErrors[field] = { code: 'required', message: '' };
    else if (!INTEGER.test(v)) fieldErrors[field] = { code: 'invalid_number', message: '' };
    else if (Number(v) < bounds.min) fieldErrors[field] = { code: 'too_small', message: '' };
    else if (Number(v) > bounds.max) fieldErrors[field] = { code: 'too_large', message: '' };
    else nums[field] = Number(v);
  }
  values.quotaMinutesPerWeek = text(form, 'quotaMinutesPerWeek');
  let quota: number | null = null;
  if (values.quotaMinutesPerWeek !== '') {
    if (!INTEGER.test(values.quotaMinutesPerWeek))
      fieldErrors.quotaMinutesPerWeek = { code: 'invalid_number', message: '' };
    else if (Number(values.quotaMinutesPerWeek) < 1)
      fieldErrors.quotaMinutesPerWeek = { code: 'too_small', message: '' };
    else quota = Number(values.quotaMinutesPerWeek);
  }
  values.cancellationFeePercent = text(form, 'cancellationFeePercent');
  const bp = percentToBasisPoints(values.cancellationFeePercent);
  if (values.cancellationFeePercent === '') fieldErrors.cancellationFeePercent = { code: 'required', message: '' };
  else if (bp === null) fieldErrors.cancellationFeePercent = { code: 'invalid_percent', message: '' };
  else if (bp > 10000) fieldErrors.cancellationFeePercent = { code: 'too_large', message: '' };
  const modes = (['self', 'assisted'] as const).filter((m) => form.getAll('modes').includes(m));
  values.modes = modes.join(',');
  if (modes.length === 0) fieldErrors.modes = { code: 'no_mode', message: '' };
  values.requiresApproval = text(form, 'requiresApproval') ? 'on' : '';
  values.qualificationRequired = text(form, 'qualificationRequired') ? 'on' : '';

  // Relations between fields, once each field is a number.
  const slot = nums.slotMinutes;
  if (slot !== undefined) {
    for (const f of ['minMinutes', 'maxMinutes'] as const) {
      if (nums[f] !== undefined && nums[f] % slot !== 0) fieldErrors[f] = { code: 'not_multiple_of_slot', message: '' };
    }
  }
  if (nums.minMinutes !== undefined && nums.maxMinutes !== undefined && nums.maxMinutes < nums.minMinutes) {
    fieldErrors.maxMinutes ??= { code: 'max_below_min', message: '' };
  }
  if (
    nums.noShowGraceMinutes !== undefined &&
    nums.lateVoidMinutes !== undefined &&
    nums.lateVoidMinutes < nums.noShowGraceMinutes
  ) {
    fieldErrors.lateVoidMinutes ??= { code: 'void_before_grace', message: '' };
  }
  if (Object.keys(fieldErrors).length > 0 || bp === null) return { values, input: null, fieldErrors };
  return {
    values,
    input: {
      ...nums,
      modes,
      requiresApproval: values.requiresApproval === 'on',
      cancellationFeeBasisPoints: bp,
      qualificationRequired: values.qualificationRequired === 'on',
      quotaMinutesPerWeek: quota,
    },
    fieldErrors,
  };
}

// ───────────────────────────── lab booking settings ─────────────────────────────

/** The lab's booking settings as the form sends them: every field, though the API defaults the hold limits. */
export type LabSettingsInput = Required<components['schemas']['BookingSettingsInput']>;

/** The lab settings form's fields, in the order shown. */
export const LAB_SETTINGS_FIELDS = [
  'violationThreshold',
  'violationWindowDays',
  'maxHoldsPerInstrument',
  'maxHoldsPerLab',
] as const;

/**
 * The lab settings form → PUT …/booking-settings: the violation limit, and how many slots one
 * person may hold at once (per instrument, and across the lab — never fewer than per instrument).
 */
export function parseLabSettings(form: Form): {
  values: Record<string, string>;
  input: LabSettingsInput | null;
  fieldErrors: FieldErrors;
} {
  const bounds: Record<(typeof LAB_SETTINGS_FIELDS)[number], { min: number; max: number }> = {
    violationThreshold: { min: 0, max: 1000 },
    violationWindowDays: { min: 1, max: 3650 },
    maxHoldsPerInstrument: { min: 1, max: 1000 },
    maxHoldsPerLab: { min: 1, max: 1000 },
  };
  const values: Record<string, string> = {};
  const fieldErrors: FieldErrors = {};
  for (const [field, b] of Object.entries(bounds)) {
    const v = text(form, field);
    values[field] = v;
    if (v === '') fieldErrors[field] = { code: 'required', message: '' };
    else if (!INTEGER.test(v)) fieldErrors[field] = { code: 'invalid_number', message: '' };
    else if (Number(v) < b.min) fieldErrors[field] = { code: 'too_small', message: '' };
    else if (Number(v) > b.max) fieldErrors[field] = { code: 'too_large', message: '' };
  }
  if (!fieldErrors.maxHoldsPerInstrument && !fieldErrors.maxHoldsPerLab) {
    if (Number(values.maxHoldsPerLab) < Number(values.maxHoldsPerInstrument)) {
      fieldErrors.maxHoldsPerLab = { code: 'below_per_instrument', message: '' };
    }
  }
  if (Object.keys(fieldErrors).length > 0) return { values, input: null, fieldErrors };
  return {
    values,
    input: {
      violationThreshold: Number(values.violationThreshold),
      violationWindowDays: Number(values.violationWindowDays),
      maxHoldsPerInstrument: Number(values.maxHoldsPerInstrument),
      maxHoldsPerLab: Number(values.maxHoldsPerLab),
    },
    fieldErrors,
  };
}

// ───────────────────────────── training records ─────────────────────────────

export const TRAINING_FIELDS = ['instrumentId', 'email', 'qualifiedAt', 'expiresAt', 'note'] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface TrainingInput {
  instrumentId: string;
  email: string;
  qualifiedAt: string;
  expiresAt?: string;
  note?: string;
}

/**
 * The training form → POST …/training-records. Dates are local dates in the lab's zone: qualified
 * from the start of its day, valid through the whole of its expiry day (so the instant sent is the
 * midnight after it).
 */
export function parseTrainingRecord(
  form: Form,
  timeZone: string,
  instrumentIds: readonly string[],
): { values: Record<string, string>; input: TrainingInput | null; fieldErrors: FieldErrors } {
  const values = Object.fromEntries(TRAINING_FIELDS.map((f) => [f, text(form, f)])) as Record<string, string>;
  const fieldErrors: FieldErrors = {};
  if (!values.instrumentId) fieldErrors.instrumentId = { code: 'required', message: '' };
  else if (!instrumentIds.includes(values.instrumentId))
    fieldErrors.instrumentId = { code: 'invalid_value', message: '' };
  if (!values.email) fieldErrors.email = { code: 'required', message: '' };
  else if (!EMAIL.test(values.email) || values.email.length > 254)
    fieldErrors.email = { code: 'invalid_format', message: '' };
  if (!values.qualifiedAt) fieldErrors.qualifiedAt = { code: 'required', message: '' };
  else if (!isIsoDate(values.qualifiedAt)) fieldErrors.qualifiedAt = { code: 'invalid_format', message: '' };
  if (values.expiresAt && !isIsoDate(values.expiresAt)) fieldErrors.expiresAt = { code: 'invalid_format', message: '' };
  else if (values.expiresAt && isIsoDate(values.qualifiedAt) && values.expiresAt < values.qualifiedAt) {
    fieldErrors.expiresAt = { code: 'expiry_before_qualified', message: '' };
  }
  if ([...(values.note ?? '')].length > 1000) fieldErrors.note = { code: 'too_long', message: '' };
  if (Object.keys(fieldErrors).length > 0) return { values, input: null, fieldErrors };
  return {
    values,
    input: {
      instrumentId: values.instrumentId!,
      email: values.email!.toLowerCase(),
      qualifiedAt: zonedInstant(values.qualifiedAt!, 0, timeZone).toISOString(),
      ...(values.expiresAt ? { expiresAt: zonedInstant(addDays(values.expiresAt, 1), 0, timeZone).toISOString() } : {}),
      ...(values.note ? { note: values.note } : {}),
    },
    fieldErrors,
  };
}

/** The last day a record is valid on, in the lab's zone (the expiry instant is the midnight after it). */
export function lastValidDay(expiresAt: string, timeZone: string): string {
  return wallClock(new Date(Date.parse(expiresAt) - 1), timeZone).date;
}
