import { describe, expect, it } from 'vitest';
import {
  basisPointsToPercent,
  closureTarget,
  hoursField,
  hoursSlots,
  lastValidDay,
  parseClosure,
  parseLabSettings,
  parsePolicy,
  parseTrainingRecord,
  parseWeeklyHours,
  percentToBasisPoints,
  policyValues,
  type PolicyInput,
} from './settings-forms';

const SH = 'Asia/Shanghai';

function form(entries: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) for (const one of [v].flat()) f.append(k, one);
  return f;
}

describe('weekly opening hours', () => {
  it('reads windows into rows, sorted, with a lunch break as two windows', () => {
    const r = parseWeeklyHours(
      form({
        [hoursField(1, 1, 'opens')]: '13:00',
        [hoursField(1, 1, 'closes')]: '17:30',
        [hoursField(1, 0, 'opens')]: '08:30',
        [hoursField(1, 0, 'closes')]: '12:00',
        [hoursField(6, 0, 'opens')]: '',
        [hoursField(6, 0, 'closes')]: '',
        [hoursField(7, 0, 'opens')]: '20:00',
        [hoursField(7, 0, 'closes')]: '23:59',
      }),
    );
    expect(r.fieldErrors).toEqual({});
    expect(r.rows).toEqual([
      { weekday: 1, opensAt: '08:30', closesAt: '12:00' },
      { weekday: 1, opensAt: '13:00', closesAt: '17:30' },
      { weekday: 7, opensAt: '20:00', closesAt: '23:59' },
    ]);
  });

  it('puts errors beside the field that needs attention', () => {
    const r = parseWeeklyHours(
      form({
        'w2-0-opens': '09:00',
        'w2-0-closes': '',
        'w3-0-opens': '18:00',
        'w3-0-closes': '09:00',
        'w4-0-opens': '9am',
        'w4-0-closes': '17:00',
        'w5-0-opens': '08:00',
        'w5-0-closes': '12:00',
        'w5-1-opens': '11:00',
        'w5-1-closes': '15:00',
        'w6-0-opens': '08:00',
        'w6-0-closes': '12:00',
        'w6-1-opens': '12:00',
        'w6-1-closes': '17:00',
        'w7-0-opens': '20:00',
        'w7-0-closes': '24:00',
      }),
    );
    expect(r.rows).toBeNull();
    expect(Object.fromEntries(Object.entries(r.fieldErrors).map(([k, v]) => [k, v.code]))).toEqual({
      'w2-0-closes': 'required',
      'w3-0-closes': 'closes_before_opens',
      'w4-0-opens': 'invalid_format',
      'w5-1-closes': 'overlapping_hours',
      'w6-1-closes': 'overlapping_hours',
      'w7-0-closes': 'invalid_format',
    });
    expect(r.values['w4-0-opens']).toBe('9am');
  });

  it('sends no rows when the instrument follows its site, and an empty week when nothing is open', () => {
    expect(parseWeeklyHours(form({ inherit: 'on', 'w1-0-opens': '09:00', 'w1-0-closes': '' })).rows).toEqual([]);
    const closed = parseWeeklyHours(form({ 'w1-0-opens': '', 'w1-0-closes': '' }));
    expect(closed).toMatchObject({ rows: [], inherit: false, fieldErrors: {} });
  });

  it('offers at least two windows a day, more when the hours in force have more', () => {
    const slots = hoursSlots([
      { weekday: 1, opensAt: '13:00', closesAt: '14:00' },
      { weekday: 1, opensAt: '08:00', closesAt: '10:00' },
      { weekday: 1, opensAt: '15:00', closesAt: '17:00' },
    ]);
    expect(slots[1]!.map((s) => s.opens)).toEqual(['08:00', '13:00', '15:00']);
    expect(slots[2]).toEqual([
      { opens: '', closes: '' },
      { opens: '', closes: '' },
    ]);
  });
});

describe('closures', () => {
  const targets = ['lab', 'instrument:i1', 'unit:i1:u1'];

  it('reads wall-clock times in the lab zone and the target', () => {
    const r = parseClosure(
      form({ start: '2026-12-24T08:00', end: '2026-12-26T18:00', reason: '年度维护', target: 'unit:i1:u1' }),
      SH,
      targets,
    );
    expect(r.input).toEqual({
      start: '2026-12-24T00:00:00.000Z',
      end: '2026-12-26T10:00:00.000Z',
      reason: '年度维护',
      instrumentId: 'i1',
      unitId: 'u1',
    });
    const lab = parseClosure(
      form({ start: '2026-12-24T08:00', end: '2026-12-24T09:00', reason: '停电', target: 'lab' }),
      SH,
      targets,
    );
    expect(lab.input).toEqual({ start: '2026-12-24T00:00:00.000Z', end: '2026-12-24T01:00:00.000Z', reason: '停电' });
  });

  it('refuses an end before the start, a missing reason and a target it did not offer', () => {
    const r = parseClosure(
      form({ start: '2026-12-24T08:00', end: '2026-12-24T08:00', reason: ' ', target: 'instrument:other' }),
      SH,
      targets,
    );
    expect(r.input).toBeNull();
    expect(Object.fromEntries(Object.entries(r.fieldErrors).map(([k, v]) => [k, v.code]))).toEqual({
      end: 'end_before_start',
      reason: 'required',
      target: 'invalid_value',
    });
  });

  it('writes the target of an existing closure as the select value', () => {
    expect(closureTarget(null, null)).toBe('lab');
    expect(closureTarget('i1', null)).toBe('instrument:i1');
    expect(closureTarget('i1', 'u1')).toBe('unit:i1:u1');
  });
});

describe('booking policy', () => {
  const policy: PolicyInput = {
    slotMinutes: 30,
    minMinutes: 30,
    maxMinutes: 480,
    leadMinutes: 1440,
    horizonDays: 60,
    setupMinutes: 0,
    cleanupMinutes: 15,
    modes: ['self', 'assisted'],
    requiresApproval: true,
    holdMinutes: 15,
    cancellationCutoffMinutes: 1440,
    cancellationFeeBasisPoints: 5000,
    qualificationRequired: false,
    noShowGraceMinutes: 15,
    lateVoidMinutes: 60,
    quotaMinutesPerWeek: null,
  };

  function policyForm(values: Record<string, string>): FormData {
    const f = new FormData();
    for (const [k, v] of Object.entries(values)) {
      if (k === 'modes') for (const m of v.split(',').filter(Boolean)) f.append('modes', m);
      else if (v !== '' || !['requiresApproval', 'qualificationRequired'].includes(k)) f.append(k, v);
    }
    return f;
  }

  it('reads back exactly the policy its values came from', () => {
    expect(parsePolicy(policyForm(policyValues(policy)))).toMatchObject({ input: policy, fieldErrors: {} });
    const other = { ...policy, modes: ['assisted'] as const, requiresApproval: false, quotaMinutesPerWeek: 600 };
    expect(parsePolicy(policyForm(policyValues({ ...other, modes: ['assisted'] }))).input).toEqual(other);
  });

  it('turns an unticked box into false, which a form without script can only say by leaving it out', () => {
    const values = policyValues({ ...policy, qualificationRequired: true });
    expect(values.qualificationRequired).toBe('on');
    expect(parsePolicy(policyForm({ ...values, qualificationRequired: '' })).input?.qualificationRequired).toBe(false);
  });

  it('checks each number and the rules between them', () => {
    const r = parsePolicy(
      policyForm({
        ...policyValues(policy),
        slotMinutes: '3',
        horizonDays: 'abc',
        minMinutes: '60',
        maxMinutes: '45',
        noShowGraceMinutes: '30',
        lateVoidMinutes: '20',
        cancellationFeePercent: '120',
        quotaMinutesPerWeek: '0',
        modes: '',
      }),
    );
    expect(r.input).toBeNull();
    expect(Object.fromEntries(Object.entries(r.fieldErrors).map(([k, v]) => [k, v.code]))).toEqual({
      slotMinutes: 'too_small',
      horizonDays: 'invalid_number',
      maxMinutes: 'max_below_min',
      lateVoidMinutes: 'void_before_grace',
      cancellationFeePercent: 'too_large',
      quotaMinutesPerWeek: 'too_small',
      modes: 'no_mode',
    });
  });

  it('wants durations on the slot grid', () => {
    const r = parsePolicy(policyForm({ ...policyValues(policy), minMinutes: '45' }));
    expect(r.fieldErrors.minMinutes?.code).toBe('not_multiple_of_slot');
  });

  it('converts the fee between percent and basis points without rounding errors', () => {
    expect(percentToBasisPoints('50')).toBe(5000);
    expect(percentToBasisPoints('12.5%')).toBe(1250);
    expect(percentToBasisPoints('0.29')).toBe(29);
    expect(percentToBasisPoints('12.345')).toBeNull();
    expect(percentToBasisPoints('-1')).toBeNull();
    expect(basisPointsToPercent(5000)).toBe('50');
    expect(basisPointsToPercent(1250)).toBe('12.5');
    expect(basisPointsToPercent(29)).toBe('0.29');
    expect(basisPointsToPercent(5)).toBe('0.05');
  });
});

describe('lab booking settings', () => {
  it('reads the violation threshold and window', () => {
    const limits = { maxHoldsPerInstrument: '2', maxHoldsPerLab: '5' };
    expect(parseLabSettings(form({ violationThreshold: '3', violationWindowDays: '365', ...limits })).input).toEqual({
      violationThreshold: 3,
      violationWindowDays: 365,
      maxHoldsPerInstrument: 2,
      maxHoldsPerLab: 5,
    });
    const bad = parseLabSettings(form({ violationThreshold: '-1', violationWindowDays: '', ...limits }));
    expect(bad.input).toBeNull();
    expect(bad.fieldErrors.violationThreshold?.code).toBe('too_small');
    expect(bad.fieldErrors.violationWindowDays?.code).toBe('required');
  });
  it('takes the hold limits: at least one each, and no fewer at the lab than on one instrument', () => {
    const base = { violationThreshold: '3', violationWindowDays: '365' };
    const zero = parseLabSettings(form({ ...base, maxHoldsPerInstrument: '0', maxHoldsPerLab: '5' }));
    expect(zero.fieldErrors.maxHoldsPerInstrument?.code).toBe('too_small');
    const below = parseLabSettings(form({ ...base, maxHoldsPerInstrument: '4', maxHoldsPerLab: '3' }));
    expect(below.input).toBeNull();
    expect(below.fieldErrors.maxHoldsPerLab?.code).toBe('below_per_instrument');
    expect(parseLabSettings(form({ ...base, maxHoldsPerInstrument: '', maxHoldsPerLab: '5' })).fieldErrors).toEqual({
      maxHoldsPerInstrument: { code: 'required', message: '' },
    });
  });
});

describe('training records', () => {
  it('sends local dates as instants in the lab zone, valid through the whole expiry day', () => {
    const r = parseTrainingRecord(
      form({
        instrumentId: 'i1',
        email: ' Ann@Example.COM ',
        qualifiedAt: '2026-11-27',
        expiresAt: '2027-11-26',
        note: '',
      }),
      SH,
      ['i1'],
    );
    expect(r.input).toEqual({
      instrumentId: 'i1',
      email: 'ann@example.com',
      qualifiedAt: '2026-11-26T16:00:00.000Z',
      expiresAt: '2027-11-26T16:00:00.000Z',
    });
    expect(lastValidDay(r.input!.expiresAt!, SH)).toBe('2027-11-26');
  });

  it('refuses an unknown instrument, a bad email and an expiry before the qualification', () => {
    const r = parseTrainingRecord(
      form({ instrumentId: 'other', email: 'not-an-email', qualifiedAt: '2026-11-27', expiresAt: '2026-11-01' }),
      SH,
      ['i1'],
    );
    expect(r.input).toBeNull();
    expect(Object.fromEntries(Object.entries(r.fieldErrors).map(([k, v]) => [k, v.code]))).toEqual({
      instrumentId: 'invalid_value',
      email: 'invalid_format',
      expiresAt: 'expiry_before_qualified',
    });
  });
});
