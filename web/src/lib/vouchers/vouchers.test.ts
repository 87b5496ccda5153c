import { describe, expect, it } from 'vitest';
import { parseApplication, parseClaimPayment, parseProgramme, parseQuota, shareToBp } from './forms';
import { voucherOptions, voucherPart } from './split';
import type { Quota } from './types';

const fd = (o: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) for (const x of [v].flat()) f.append(k, x);
  return f;
};
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const ENTERPRISE = '11111111-1111-4111-8111-111111111111';

function quota(
  over: { remaining?: number; shareBp?: number; kinds?: Quota['programme']['eligibleKinds'] } = {},
): Quota {
  return {
    applicationId: '22222222-2222-4222-8222-222222222222',
    programme: {
      id: '33333333-3333-4333-8333-333333333333',
      nameZh: '江苏省科技创新券',
      nameEn: 'Jiangsu vouchers',
      shareBp: over.shareBp ?? 5000,
      eligibleKinds: over.kinds ?? ['commissioned_test', 'instrument_time'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    },
    enterprise: { id: ENTERPRISE, nameZh: '恒瑞', nameEn: 'Hengrui' },
    year: 2026,
    quota: cny(2_000_000),
    remaining: cny(over.remaining ?? 2_000_000),
  } as Quota;
}

const openInvoice = {
  kind: 'invoice' as const,
  status: 'open' as const,
  customerOrgId: ENTERPRISE,
  amountPaid: cny(0),
  voucherShare: cny(0),
  amountDue: cny(960_001),
};

describe('the voucher split of an invoice', () => {
  it('is min(share × amount due, quota left), rounded down, and the rest is self-paid', () => {
    expect(voucherPart(960_001, 5000)).toBe(480_000);
    const [half] = voucherOptions(openInvoice, [quota()], ['commissioned_test'], '2026-11-27');
    expect(half).toMatchObject({ usable: true, voucher: 480_000, selfPaid: 480_001 });
    const [capped] = voucherOptions(openInvoice, [quota({ remaining: 100_000 })], ['commissioned_test'], '2026-11-27');
    expect(capped).toMatchObject({ usable: true, voucher: 100_000, selfPaid: 860_001 });
  });

  it('says why a quota cannot be used: a paid or part-paid invoice, a kind outside, out of date, nothing left', () => {
    const why = (
      inv: typeof openInvoice,
      q: Quota,
      kinds: Parameters<typeof voucherOptions>[2],
      today = '2026-11-27',
    ) => voucherOptions(inv, [q], kinds, today)[0];
    expect(why({ ...openInvoice, amountPaid: cny(1) }, quota(), null)).toMatchObject({ why: 'not_open' });
    expect(why(openInvoice, quota(), ['commissioned_test', 'training'])).toMatchObject({
      why: 'kind',
      kinds: ['training'],
    });
    expect(why(openInvoice, quota(), [])).toMatchObject({ why: 'kind' });
    expect(why(openInvoice, quota(), null, '2027-01-01')).toMatchObject({ why: 'closed' });
    expect(why(openInvoice, quota({ remaining: 0 }), null)).toMatchObject({ why: 'exhausted' });
    // Unknown kinds are not held against it: the API decides.
    expect(why(openInvoice, quota(), null)).toMatchObject({ usable: true });
    // Another enterprise's quota is not offered at all.
    expect(voucherOptions({ ...openInvoice, customerOrgId: 'x' }, [quota()], null, '2026-11-27')).toEqual([]);
  });
});

describe('voucher forms', () => {
  it('reads an application in yuan and refuses more than the cap', () => {
    const caps = new Map([['p1', 5_000_000]]);
    expect(parseApplication(fd({ programmeId: 'p1', amount: '20,000', purpose: '检测' }), caps).body).toEqual({
      programmeId: 'p1',
      amount: { amount: 2_000_000, currency: 'CNY' },
      purpose: '检测',
    });
    expect(parseApplication(fd({ programmeId: 'p1', amount: '50000.01', purpose: '检测' }), caps).errors).toEqual({
      amount: 'over_cap',
    });
    expect(parseApplication(fd({ programmeId: 'p2', amount: 'x', purpose: '' }), caps).errors).toEqual({
      programmeId: 'invalid_value',
      amount: 'invalid_amount',
      purpose: 'required',
    });
  });

  it('reads a programme: share in per cent, cap in yuan, at least one kind, an end on or after the start', () => {
    const ok = parseProgramme(
      fd({
        nameZh: '创新券',
        share: '50',
        cap: '50000',
        eligibleKinds: ['commissioned_test', 'calibration'],
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      }),
    );
    expect(ok.body).toMatchObject({
      shareBp: 5000,
      cap: { amount: 5_000_000 },
      eligibleKinds: ['commissioned_test', 'calibration'],
    });
    const bad = parseProgramme(
      fd({
        nameZh: '',
        share: '120',
        cap: '0',
        eligibleKinds: ['nonsense'],
        validFrom: '2026-12-31',
        validTo: '2026-01-01',
      }),
      true,
    );
    expect(bad.errors).toEqual({
      nameZh: 'required',
      share: 'invalid_share',
      cap: 'too_small',
      eligibleKinds: 'pick_kind',
      validTo: 'ends_before_start',
      status: 'invalid_value',
    });
    expect([shareToBp('100'), shareToBp('33.33%'), shareToBp('0'), shareToBp('100.01')]).toEqual([
      10_000,
      3333,
      null,
      null,
    ]);
  });

  it('grants a quota up to the cap and records a payment up to what is owed, not after today', () => {
    expect(parseQuota(fd({ quota: '20000' }), 5_000_000).body).toEqual({
      quota: { amount: 2_000_000, currency: 'CNY' },
    });
    expect(parseQuota(fd({ quota: '60000' }), 5_000_000).errors).toEqual({ quota: 'over_cap' });
    expect(
      parseClaimPayment(fd({ amount: '4800', receivedOn: '2026-11-27', note: 'SZ-001' }), 480_000, '2026-11-27').body,
    ).toEqual({
      amount: { amount: 480_000, currency: 'CNY' },
      receivedOn: '2026-11-27',
      note: 'SZ-001',
    });
    expect(
      parseClaimPayment(fd({ amount: '4800.01', receivedOn: '2026-11-28' }), 480_000, '2026-11-27').errors,
    ).toEqual({
      amount: 'over_owed',
      receivedOn: 'in_future',
    });
  });
});
