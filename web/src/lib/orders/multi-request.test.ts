import { describe, expect, it } from 'vitest';
import { addableServices, addedServiceIds, addedServices, requestFieldErrors } from './multi-request';
import { parseRequestForm, type RequestService } from './request';

const LAB = '11111111-1111-4111-8111-111111111111';
const ORG = '22222222-2222-4222-8222-222222222222';
const id = (n: number) => `${String(n).repeat(8)}-4444-4444-8444-444444444444`;
const svc = (n: number, kind: RequestService['kind'], priceModel = 'per_sample', nameZh = '服务'): RequestService => ({
  id: id(n),
  kind,
  nameZh,
  priceModel,
  lab: { id: LAB },
});
const formOf = (v: Record<string, string>) => {
  const f = new FormData();
  for (const [k, x] of Object.entries(v)) f.set(k, x);
  return f;
};

describe('several services in one request', () => {
  it('reads the added services from the address, once each, never the page service', () => {
    const url = new URL(`http://x/services/${id(1)}?with=${id(2)},${id(2)},${id(1)},junk,${id(3).toUpperCase()}`);
    expect(addedServiceIds(url, id(1))).toEqual([id(2), id(3)]);
    expect(addedServiceIds(new URL('http://x/'), id(1))).toEqual([]);
  });

  it("keeps only the lab's services that can join a request, and offers the rest", () => {
    const lab = [svc(1, 'commissioned_test'), svc(2, 'calibration'), svc(3, 'instrument_time'), svc(4, 'ip')];
    expect(addedServices(lab, [id(4), id(3), id(9)]).map((s) => s.id)).toEqual([id(4)]);
    expect(addableServices(lab, id(1), [id(4)]).map((s) => s.id)).toEqual([id(2)]);
  });

  it('makes one line per service, each with its own fields', () => {
    const r = parseRequestForm(
      formOf({
        sampleCount: '3',
        quantity: '96',
        standardCode: 'GB/T 10125-2021',
        'line1-sampleCount': '5',
        'line1-parameterZh': '抗拉强度',
        'line2-need': '协助编写企业标准',
        requestNotes: '一并检测',
      }),
      svc(1, 'commissioned_test', 'per_hour'),
      [ORG],
      [svc(2, 'commissioned_test'), svc(3, 'standards', 'on_quote', '标准咨询')],
    );
    expect(r.ok && r.body).toEqual({
      labId: LAB,
      requestNotes: '【标准咨询】协助编写企业标准\n\n一并检测',
      lines: [
        { serviceId: id(1), sampleCount: 3, quantity: 96, standardCode: 'GB/T 10125-2021' },
        { serviceId: id(2), sampleCount: 5, parameterZh: '抗拉强度' },
        { serviceId: id(3) },
      ],
    });
  });

  it("names an added service's errors by its line, the API's too", () => {
    const r = parseRequestForm(
      formOf({ sampleCount: '3', 'line1-sampleCount': '0' }),
      svc(1, 'commissioned_test'),
      [ORG],
      [svc(2, 'commissioned_test')],
    );
    expect(!r.ok && Object.keys(r.errors)).toEqual(['line1-sampleCount']);
    expect(
      requestFieldErrors({
        errors: [
          { path: '/lines/1/serviceId', code: 'service_of_other_lab', message: '' },
          { path: '/lines/0/sampleCount', code: 'too_large', message: '' },
          { path: '/lines/2/sampleCount', code: 'too_large', message: '' },
        ],
      }),
    ).toEqual({
      sampleCount: { code: 'too_large', message: '' },
      'line2-sampleCount': { code: 'too_large', message: '' },
    });
  });
});
