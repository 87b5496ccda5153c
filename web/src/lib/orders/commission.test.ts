import { describe, expect, it } from 'vitest';
import { commissionDefaults, parseCommissionForm } from './commission';

function formOf(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

const lines = [
  { descriptionZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021', quantity: 96, sampleCount: 3, removed: false },
  { descriptionZh: '撤下的项目', standardCode: 'GB/T 1', quantity: 9, sampleCount: 9, removed: true },
];

describe('commissionDefaults', () => {
  it('prefills the test basis from the live lines and the number of samples, not the priced quantity', () => {
    const d = commissionDefaults(lines);
    expect(d.testBasis).toBe('GB/T 10125-2021');
    expect(d.evaluationBasis).toBe('GB/T 10125-2021');
    // 96 hours of salt spray on three panels: the form asks for the samples, three.
    expect(d.quantity).toBe('3');
    expect(d.testScope).toBe('single');
    expect(d.turnaround).toBe('d15');
    expect(d.reportLanguage).toBe('zh');
    expect(d.subcontractingAllowed).toBe('no');
  });

  it('takes the largest number of samples of the live lines, and leaves it to the customer when none is known', () => {
    const two = [
      { descriptionZh: '盐雾', standardCode: '', quantity: 96, sampleCount: 3, removed: false },
      { descriptionZh: '拉伸', standardCode: '', quantity: 5, sampleCount: 5, removed: false },
    ];
    expect(commissionDefaults(two).quantity).toBe('5');
    expect(commissionDefaults([{ ...two[0]!, sampleCount: null }]).quantity).toBe('');
  });
});

describe('parseCommissionForm', () => {
  const good = {
    ...commissionDefaults(lines),
    sampleName: '镀锌钢板',
    purpose: '产品质量自检',
    productionDate: '2026-10-01',
  };

  it('carries the hidden quotedAt of the quote shown (empty when the page had none)', () => {
    const at = '2026-11-26T02:00:00.000Z';
    const r = parseCommissionForm(formOf({ ...good, quotedAt: at }), '2026-11-27');
    expect(r.ok && r.body.quotedAt).toBe(at);
    const none = parseCommissionForm(formOf(good), '2026-11-27');
    expect(none.ok && none.body.quotedAt).toBe('');
  });

  it('turns a filled form into the accept body with a deadline tier', () => {
    const r = parseCommissionForm(formOf(good), '2026-11-27');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.deadlineTierDays).toBe(15);
    expect(r.body.expedite).toBeUndefined();
    expect(r.body.commission).toMatchObject({
      sampleName: '镀锌钢板',
      quantity: 3,
      productionDate: '2026-10-01',
      subcontractingAllowed: false,
      reportCopies: 1,
      reportDelivery: 'electronic',
      deliveryAddress: '',
      testBasis: 'GB/T 10125-2021',
    });
  });

  it('sends an expedite tier instead of days', () => {
    const r = parseCommissionForm(formOf({ ...good, turnaround: 'h24', subcontractingAllowed: 'yes' }), '2026-11-27');
    expect(r.ok && r.body).toMatchObject({ expedite: 'h24', commission: { subcontractingAllowed: true } });
    expect(r.ok && 'deadlineTierDays' in r.body).toBe(false);
  });

  it('an empty production date is null', () => {
    const r = parseCommissionForm(formOf({ ...good, productionDate: '' }), '2026-11-27');
    expect(r.ok && r.body.commission.productionDate).toBeNull();
  });

  it('names every missing or wrong field and keeps what was typed', () => {
    const r = parseCommissionForm(
      formOf({
        ...good,
        sampleName: '  ',
        purpose: '',
        quantity: '0',
        reportCopies: 'two',
        productionDate: '2026-02-30',
        testScope: 'most',
        turnaround: 'd10',
        reportDelivery: 'post',
        deliveryAddress: '',
      }),
      '2026-11-27',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.code]))).toEqual({
      sampleName: 'required',
      purpose: 'required',
      quantity: 'too_small',
      reportCopies: 'invalid_number',
      productionDate: 'invalid_format',
      testScope: 'invalid_value',
      turnaround: 'invalid_value',
      deliveryAddress: 'address_required',
    });
    expect(r.values.reportCopies).toBe('two');
  });

  it('refuses a production date after today and too many copies', () => {
    const r = parseCommissionForm(formOf({ ...good, productionDate: '2026-11-28', reportCopies: '21' }), '2026-11-27');
    expect(!r.ok && r.errors.productionDate?.code).toBe('date_in_future');
    expect(!r.ok && r.errors.reportCopies?.code).toBe('too_large');
  });

  it('keeps the postal address only for delivery by post', () => {
    const post = parseCommissionForm(
      formOf({ ...good, reportDelivery: 'post', deliveryAddress: '苏州市工业园区' }),
      '2026-11-27',
    );
    expect(post.ok && post.body.commission.deliveryAddress).toBe('苏州市工业园区');
    const pickup = parseCommissionForm(
      formOf({ ...good, reportDelivery: 'pickup', deliveryAddress: '苏州' }),
      '2026-11-27',
    );
    expect(pickup.ok && pickup.body.commission.deliveryAddress).toBe('');
  });

  it('refuses texts longer than the API allows', () => {
    const r = parseCommissionForm(formOf({ ...good, batch: 'x'.repeat(101) }), '2026-11-27');
    expect(!r.ok && r.errors.batch?.code).toBe('too_long');
  });
});
