import { describe, expect, it } from 'vitest';
import { parseRequestForm, requestShape, type RequestService } from './request';

const LAB = '11111111-1111-4111-8111-111111111111';
const ORG_A = '22222222-2222-4222-8222-222222222222';
const ORG_B = '33333333-3333-4333-8333-333333333333';
const svc = (kind: RequestService['kind']): RequestService => ({
  id: '44444444-4444-4444-8444-444444444444',
  kind,
  nameZh: '服务',
  lab: { id: LAB },
});
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
  it('a test request carries quantity, parameter and standard', () => {
    const r = parseRequestForm(
      formOf({ quantity: '3', parameterZh: '中性盐雾 96 h', standardCode: 'GB/T 10125-2021', requestNotes: '急' }),
      svc('commissioned_test'),
      [ORG_A],
    );
    expect(r.ok && r.body).toEqual({
      labId: LAB,
      requestNotes: '急',
      lines: [
        { serviceId: svc('x' as never).id, quantity: 3, parameterZh: '中性盐雾 96 h', standardCode: 'GB/T 10125-2021' },
      ],
    });
  });

  it('a calibration request puts the instrument into the line details', () => {
    const r = parseRequestForm(
      formOf({
        instrumentName: '数字压力计',
        model: 'DPI 620',
        serialNumber: 'SN-9',
        measuringRange: '0–10 MPa',
        accuracyClass: '0.05 级',
        quantity: '2',
      }),
      svc('calibration'),
      [ORG_A],
    );
    expect(r.ok && r.body.lines[0]).toMatchObject({
      quantity: 2,
      details: {
        instrumentName: '数字压力计',
        model: 'DPI 620',
        serialNumber: 'SN-9',
        measuringRange: '0–10 MPa',
        accuracyClass: '0.05 级',
      },
    });
    const missing = parseRequestForm(formOf({ quantity: '1' }), svc('calibration'), [ORG_A]);
    expect(!missing.ok && missing.errors.instrumentName?.code).toBe('required');
  });

  it('a consulting request needs a description, which becomes the request notes', () => {
    const r = parseRequestForm(formOf({ need: '需要 ISO 9001 认证辅导' }), svc('certification'), [ORG_A]);
    expect(r.ok && r.body).toMatchObject({ requestNotes: '需要 ISO 9001 认证辅导', lines: [{ quantity: 1 }] });
    const empty = parseRequestForm(formOf({ need: ' ' }), svc('standards'), [ORG_A]);
    expect(!empty.ok && empty.errors.need?.code).toBe('required');
  });

  it('asks which enterprise when the person belongs to several', () => {
    const none = parseRequestForm(formOf({ quantity: '1' }), svc('commissioned_test'), [ORG_A, ORG_B]);
    expect(!none.ok && none.errors.customerOrgId?.code).toBe('required');
    const chosen = parseRequestForm(formOf({ quantity: '1', customerOrgId: ORG_B }), svc('commissioned_test'), [
      ORG_A,
      ORG_B,
    ]);
    expect(chosen.ok && chosen.body.customerOrgId).toBe(ORG_B);
  });

  it('refuses bad quantities and training', () => {
    expect(parseRequestForm(formOf({ quantity: '0' }), svc('commissioned_test'), [ORG_A])).toMatchObject({ ok: false });
    expect(parseRequestForm(formOf({ quantity: 'x' }), svc('commissioned_test'), [ORG_A])).toMatchObject({ ok: false });
    expect(parseRequestForm(formOf({}), svc('training'), [ORG_A])).toMatchObject({ ok: false });
  });
});
