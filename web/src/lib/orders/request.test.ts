import { describe, expect, it } from 'vitest';
import { parseRequestForm, requestShape, type RequestService } from './request';

const LAB = '11111111-1111-4111-8111-111111111111';
const ORG_A = '22222222-2222-4222-8222-222222222222';
const ORG_B = '33333333-3333-4333-8333-333333333333';
const svc = (kind: RequestService['kind'], priceModel = 'per_sample'): RequestService => ({
  id: '44444444-4444-4444-8444-444444444444',
  kind,
  nameZh: '服务',
  priceModel,
  lab: { id: LAB },
});
const SERVICE = svc('commissioned_test').id;
const formOf = (v: Record<string, string>) => {
  const f = new FormData();
  for (const [k, x] of Object.entries(v)) f.set(k, x);
  return f;
};

describe('requestShape', () => {
  it('fits the form to the kind', () => {
    expect(requestShape('commissioned_test')).toBe('samples');
    expect(requestShape('outsourced_experiment')).toBe('samples');
    expect(requestShape('calibration')).toBe('calibration');
    expect(requestShape('ip')).toBe('consulting');
    expect(requestShape('technical_assistance')).toBe('consulting');
    expect(requestShape('training')).toBe('training');
    expect(requestShape('instrument_time')).toBe('booking');
  });
});

describe('parseRequestForm', () => {
  it('a test request carries the number of samples, parameter and standard', () => {
    const r = parseRequestForm(
      formOf({ sampleCount: '3', parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021', requestNotes: '急' }),
      svc('commissioned_test'),
      [ORG_A],
    );
    expect(r.ok && r.body).toEqual({
      labId: LAB,
      requestNotes: '急',
      lines: [{ serviceId: SERVICE, sampleCount: 3, parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' }],
    });
  });

  it('three samples of a test priced per hour are three samples, not three hours', () => {
    const r = parseRequestForm(formOf({ sampleCount: '3' }), svc('commissioned_test', 'per_hour'), [ORG_A]);
    expect(r.ok && r.body.lines).toEqual([{ serviceId: SERVICE, sampleCount: 3 }]);
    // The hours, when the customer knows them, are a field of their own.
    const hours = parseRequestForm(formOf({ sampleCount: '3', quantity: '96' }), svc('commissioned_test', 'per_hour'), [
      ORG_A,
    ]);
    expect(hours.ok && hours.body.lines).toEqual([{ serviceId: SERVICE, sampleCount: 3, quantity: 96 }]);
    expect(hours.values).toMatchObject({ sampleCount: '3', quantity: '96' });
    // A service priced per sample has no second quantity: the samples are what is priced.
    const perSample = parseRequestForm(formOf({ sampleCount: '3', quantity: '96' }), svc('commissioned_test'), [ORG_A]);
    expect(perSample.ok && perSample.body.lines).toEqual([{ serviceId: SERVICE, sampleCount: 3 }]);
  });

  it('refuses a missing or bad number of samples, and a bad priced quantity', () => {
    const hourly = svc('commissioned_test', 'per_hour');
    const code = (v: Record<string, string>, field: 'sampleCount' | 'quantity') => {
      const r = parseRequestForm(formOf(v), hourly, [ORG_A]);
      return r.ok ? null : r.errors[field]?.code;
    };
    expect(code({}, 'sampleCount')).toBe('required');
    expect(code({ sampleCount: '0' }, 'sampleCount')).toBe('too_small');
    expect(code({ sampleCount: '1.5' }, 'sampleCount')).toBe('invalid_number');
    expect(code({ sampleCount: '100001' }, 'sampleCount')).toBe('too_large');
    expect(code({ sampleCount: '2', quantity: '0' }, 'quantity')).toBe('too_small');
    expect(code({ sampleCount: '2', quantity: 'x' }, 'quantity')).toBe('invalid_number');
  });

  it('a calibration request puts the instrument into the line details', () => {
    const r = parseRequestForm(
      formOf({
        instrumentName: '数字压力计',
        model: 'DPI 620',
        serialNumber: 'SN-9',
        measuringRange: '0–10 MPa',
        accuracyClass: '0.05 级',
        sampleCount: '2',
      }),
      svc('calibration'),
      [ORG_A],
    );
    expect(r.ok && r.body.lines[0]).toMatchObject({
      sampleCount: 2,
      details: {
        instrumentName: '数字压力计',
        model: 'DPI 620',
        serialNumber: 'SN-9',
        measuringRange: '0–10 MPa',
        accuracyClass: '0.05 级',
      },
    });
    const missing = parseRequestForm(formOf({ sampleCount: '1' }), svc('calibration'), [ORG_A]);
    expect(!missing.ok && missing.errors.instrumentName?.code).toBe('required');
  });

  it('a consulting request needs a description, which becomes the request notes', () => {
    const r = parseRequestForm(formOf({ need: '需要 ISO 9001 认证辅导' }), svc('certification'), [ORG_A]);
    expect(r.ok && r.body).toMatchObject({ requestNotes: '需要 ISO 9001 认证辅导', lines: [{ serviceId: SERVICE }] });
    expect(r.ok && r.body.lines[0]).not.toHaveProperty('sampleCount');
    const empty = parseRequestForm(formOf({ need: ' ' }), svc('standards'), [ORG_A]);
    expect(!empty.ok && empty.errors.need?.code).toBe('required');
  });

  it('asks which enterprise when the person belongs to several', () => {
    const none = parseRequestForm(formOf({ sampleCount: '1' }), svc('commissioned_test'), [ORG_A, ORG_B]);
    expect(!none.ok && none.errors.customerOrgId?.code).toBe('required');
    const chosen = parseRequestForm(formOf({ sampleCount: '1', customerOrgId: ORG_B }), svc('commissioned_test'), [
      ORG_A,
      ORG_B,
    ]);
    expect(chosen.ok && chosen.body.customerOrgId).toBe(ORG_B);
  });

  it('refuses bad numbers of samples and training', () => {
    expect(parseRequestForm(formOf({ sampleCount: '0' }), svc('commissioned_test'), [ORG_A])).toMatchObject({
      ok: false,
    });
    expect(parseRequestForm(formOf({ sampleCount: 'x' }), svc('commissioned_test'), [ORG_A])).toMatchObject({
      ok: false,
    });
    expect(parseRequestForm(formOf({}), svc('training'), [ORG_A])).toMatchObject({ ok: false });
  });
});
