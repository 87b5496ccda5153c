import { describe, expect, it } from 'vitest';
import { parseQuoteForm, quoteField } from './quote-form';

const L1 = '11111111-1111-4111-8111-111111111111';
const L2 = '22222222-2222-4222-8222-222222222222';
const SVC = '33333333-3333-4333-8333-333333333333';
const ctx = {
  lineIds: [L1, L2],
  services: { [SVC]: { nameZh: '中性盐雾试验', kind: 'commissioned_test' } },
  today: '2026-12-01',
};

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe('parseQuoteForm', () => {
  it('prices every line in fen and keeps the validity date and notes', () => {
    const r = parseQuoteForm(
      form([
        [quoteField.price(L1), '1,200.50'],
        [quoteField.price(L2), '0'],
        [quoteField.quantity(L2), '3'],
        ['validUntil', '2026-12-31'],
        ['notes', ' 含税 '],
      ]),
      ctx,
    );
    expect(r.fieldErrors).toEqual({});
    expect(r.body).toEqual({
      lines: [
        { lineId: L1, unitPriceFen: 120050 },
        { lineId: L2, unitPriceFen: 0, quantity: 3 },
      ],
      validUntil: '2026-12-31',
      notes: '含税',
    });
  });

  it('withdraws ticked lines without pricing them, and refuses to withdraw every line', () => {
    const one = parseQuoteForm(
      form([
        [quoteField.price(L1), '100'],
        [quoteField.remove, L2],
        ['validUntil', '2026-12-31'],
      ]),
      ctx,
    );
    expect(one.body?.lines).toEqual([{ lineId: L1, unitPriceFen: 10000 }]);
    expect(one.body?.removeLineIds).toEqual([L2]);
    const all = parseQuoteForm(
      form([
        [quoteField.remove, L1],
        [quoteField.remove, L2],
        ['validUntil', '2026-12-31'],
      ]),
      ctx,
    );
    expect(all.body).toBeNull();
    expect(all.fieldErrors[quoteField.remove]?.code).toBe('last_line');
  });

  it('adds a catalogue line and a free-text line, and skips blank rows', () => {
    const r = parseQuoteForm(
      form([
        [quoteField.price(L1), '100'],
        [quoteField.price(L2), '100'],
        ['rows', '3'],
        [quoteField.newRow(0, 'service'), SVC],
        [quoteField.newRow(0, 'price'), '800'],
        [quoteField.newRow(0, 'kind'), 'commissioned_test'],
        [quoteField.newRow(1, 'kind'), 'commissioned_test'],
        [quoteField.newRow(1, 'description'), '附着力测试'],
        [quoteField.newRow(1, 'parameter'), '附着力'],
        [quoteField.newRow(1, 'standard'), 'GB/T 9286-2021'],
        [quoteField.newRow(1, 'quantity'), '2'],
        [quoteField.newRow(1, 'price'), '150.5'],
        [quoteField.newRow(2, 'kind'), 'commissioned_test'],
        ['validUntil', '2026-12-31'],
      ]),
      ctx,
    );
    expect(r.fieldErrors).toEqual({});
    expect(r.body?.addLines).toEqual([
      { serviceId: SVC, descriptionZh: '中性盐雾试验', quantity: 1, unitPriceFen: 80000 },
      {
        kind: 'commissioned_test',
        descriptionZh: '附着力测试',
        parameterZh: '附着力',
        standardCode: 'GB/T 9286-2021',
        quantity: 2,
        unitPriceFen: 15050,
      },
    ]);
  });

  it('puts errors beside the boxes: missing and bad prices, a past or missing date', () => {
    const r = parseQuoteForm(
      form([
        [quoteField.price(L1), ''],
        [quoteField.price(L2), '12.345'],
        [quoteField.quantity(L2), '0'],
        ['rows', '1'],
        [quoteField.newRow(0, 'description'), '额外项目'],
        [quoteField.newRow(0, 'kind'), 'commissioned_test'],
        ['validUntil', '2026-11-30'],
      ]),
      ctx,
    );
    expect(r.body).toBeNull();
    expect(r.fieldErrors[quoteField.price(L1)]?.code).toBe('required');
    expect(r.fieldErrors[quoteField.price(L2)]?.code).toBe('invalid_price');
    expect(r.fieldErrors[quoteField.quantity(L2)]?.code).toBe('invalid_quantity');
    expect(r.fieldErrors[quoteField.newRow(0, 'price')]?.code).toBe('required');
    expect(r.fieldErrors.validUntil?.code).toBe('date_in_past');
    expect(r.values[quoteField.price(L2)]).toBe('12.345');
    expect(
      parseQuoteForm(form([[quoteField.price(L1), '1']]), { ...ctx, lineIds: [L1] }).fieldErrors.validUntil?.code,
    ).toBe('required');
  });
});

describe('parseQuoteForm: scope items and units', () => {
  const ITEM = '44444444-4444-4444-8444-444444444444';

  it('places a line under the chosen scope item, clears it on "none", and leaves lines without the box alone', () => {
    const r = parseQuoteForm(
      form([
        [quoteField.price(L1), '30'],
        [quoteField.scope(L1), ITEM],
        [quoteField.price(L2), '30'],
        [quoteField.scope(L2), ''],
        ['validUntil', '2026-12-31'],
      ]),
      ctx,
    );
    expect(r.fieldErrors).toEqual({});
    expect(r.body?.lines).toEqual([
      { lineId: L1, unitPriceFen: 3000, scopeItemId: ITEM },
      { lineId: L2, unitPriceFen: 3000, scopeItemId: null },
    ]);
    expect(r.values[quoteField.scope(L1)]).toBe(ITEM);
    const without = parseQuoteForm(
      form([
        [quoteField.price(L1), '30'],
        ['validUntil', '2026-12-31'],
      ]),
      {
        ...ctx,
        lineIds: [L1],
      },
    );
    expect(without.body?.lines).toEqual([{ lineId: L1, unitPriceFen: 3000 }]);
  });

  it('places an added line under a scope item, with a unit from the list', () => {
    const r = parseQuoteForm(
      form([
        [quoteField.price(L1), '1'],
        [quoteField.price(L2), '1'],
        ['rows', '1'],
        [quoteField.newRow(0, 'kind'), 'commissioned_test'],
        [quoteField.newRow(0, 'description'), '盐雾试验'],
        [quoteField.newRow(0, 'quantity'), '96'],
        [quoteField.newRow(0, 'unit'), 'hour'],
        [quoteField.newRow(0, 'scope'), ITEM],
        [quoteField.newRow(0, 'price'), '30'],
        ['validUntil', '2026-12-31'],
      ]),
      ctx,
    );
    expect(r.body?.addLines).toEqual([
      {
        kind: 'commissioned_test',
        descriptionZh: '盐雾试验',
        quantity: 96,
        unit: 'hour',
        scopeItemId: ITEM,
        unitPriceFen: 3000,
      },
    ]);
  });

  it('refuses a scope choice that is no id', () => {
    const r = parseQuoteForm(
      form([
        [quoteField.price(L1), '30'],
        [quoteField.scope(L1), 'GB/T 10125-2021'],
        [quoteField.price(L2), '30'],
        ['validUntil', '2026-12-31'],
      ]),
      ctx,
    );
    expect(r.body).toBeNull();
    expect(r.fieldErrors[quoteField.scope(L1)]?.code).toBe('invalid_value');
  });
});

describe('parseQuoteForm keeps a refused form as typed', () => {
  it('sends ticked withdrawals back', () => {
    const f = new FormData();
    f.append(quoteField.remove, L2);
    f.append(quoteField.price(L1), '');
    f.append('validUntil', '2026-12-31');
    const r = parseQuoteForm(f, ctx);
    expect(r.body).toBeNull();
    expect(r.values[`${quoteField.remove}-${L2}`]).toBe('on');
    expect(r.values[`${quoteField.remove}-${L1}`]).toBeUndefined();
  });
});
