import { describe, expect, it } from 'vitest';
import { bpToPercent, groupByBook, parsePayment, parseSettings, percentToBp, periodFrom } from './forms';

const fd = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};

describe('money forms', () => {
  it('takes a period only when both dates are real and in order, else this month so far in China', () => {
    const now = new Date('2026-11-30T17:00:00Z'); // 1 December in China
    expect(periodFrom(new URLSearchParams('from=2026-01-01&to=2026-03-31'), now)).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      adjusted: false,
    });
    expect(periodFrom(new URLSearchParams(''), now)).toEqual({ from: '2026-12-01', to: '2026-12-01', adjusted: false });
    expect(periodFrom(new URLSearchParams('from=2026-03-01&to=2026-01-01'), now).adjusted).toBe(true);
    expect(periodFrom(new URLSearchParams('from=2026-02-30&to=2026-03-01'), now).adjusted).toBe(true);
  });

  it('reads a payment in yuan as fen and refuses what is not a positive amount', () => {
    const ok = parsePayment(fd({ amount: '1,234.5', receivedOn: '2026-11-27', channel: 'manual', note: '' }));
    expect(ok.body).toEqual({ amount: 123450, receivedOn: '2026-11-27', channel: 'manual', note: '' });
    expect(parsePayment(fd({ amount: '0', receivedOn: '2026-11-27' })).errors.amount).toBe('too_small');
    expect(parsePayment(fd({ amount: 'abc', receivedOn: 'x' })).errors).toEqual({
      amount: 'invalid_amount',
      receivedOn: 'invalid_format',
    });
    expect(parsePayment(fd({ amount: '', receivedOn: '' })).errors).toEqual({
      amount: 'required',
      receivedOn: 'required',
    });
  });

  it('turns per cent into basis points and back', () => {
    expect(percentToBp('6')).toBe(600);
    expect(percentToBp('6.5%')).toBe(650);
    expect(percentToBp('abc')).toBeNull();
    expect(bpToPercent(650)).toBe('6.5');
  });

  it('needs the whole payee account in the billing settings', () => {
    const r = parseSettings(fd({ terms: 'on_delivery', dueDays: '15', monthlyDueDays: '30', taxRate: '6' }));
    expect(r.body).toBeNull();
    expect(r.errors).toEqual({ accountName: 'required', bankName: 'required', accountNumber: 'required' });
    const full = parseSettings(
      fd({
        terms: 'monthly',
        dueDays: '15',
        monthlyDueDays: '30',
        taxRate: '6',
        accountName: '苏州质检院',
        bankName: '工商银行苏州分行',
        accountNumber: '1102 0200 0000 1234',
      }),
    );
    expect(full.body?.taxRateBp).toBe(600);
    expect(full.body?.payee.accountNumber).toBe('1102 0200 0000 1234');
  });

  it('groups a trial balance by book with totals per book', () => {
    const m = (amount: number) => ({ amount, currency: 'CNY' });
    const g = groupByBook([
      { book: { id: 'a' }, debit: m(100), credit: m(0) },
      { book: { id: 'b' }, debit: m(0), credit: m(5) },
      { book: { id: 'a' }, debit: m(0), credit: m(100) },
    ]);
    expect(g.map((x) => [x.book.id, x.accounts.length, x.debit, x.credit])).toEqual([
      ['a', 2, 100, 100],
      ['b', 1, 0, 5],
    ]);
  });
});
