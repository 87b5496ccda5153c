import { describe, expect, it } from 'vitest';
import { parseOrderSettings, parseReasonText, parseReceive, parseSchedule, parseSignatory } from './forms';
import { parseReportForm, reportValues, resultField } from './report-form';

function form(o: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.append(k, v);
  return f;
}
const I = '44444444-4444-4444-8444-444444444444';

describe('parseSchedule', () => {
  it('reads start and end in the site zone', () => {
    const r = parseSchedule(
      form({ instrumentId: I, start: '2026-12-02T09:00', end: '2026-12-02T17:30' }),
      [I],
      () => 'Asia/Shanghai',
    );
    expect(r.body).toEqual({
      instrumentId: I,
      start: '2026-12-02T01:00:00.000Z',
      end: '2026-12-02T09:30:00.000Z',
    });
  });
  it('refuses an end before the start and an unknown instrument', () => {
    const r = parseSchedule(
      form({ instrumentId: 'x', start: '2026-12-02T09:00', end: '2026-12-02T08:00' }),
      [I],
      () => 'Asia/Shanghai',
    );
    expect(r.body).toBeNull();
    expect(r.fieldErrors.instrumentId?.code).toBe('required');
    expect(r.fieldErrors.end?.code).toBe('end_before_start');
  });
});

describe('parseReceive and parseReasonText', () => {
  it('needs a condition and a whole quantity', () => {
    expect(parseReceive(form({ conditionOnArrival: '完好', quantity: '3', storageLocation: 'A-01' })).body).toEqual({
      conditionOnArrival: '完好',
      quantity: 3,
      storageLocation: 'A-01',
    });
    const bad = parseReceive(form({ conditionOnArrival: '', quantity: '0' }));
    expect(bad.fieldErrors.conditionOnArrival?.code).toBe('required');
    expect(bad.fieldErrors.quantity?.code).toBe('invalid_quantity');
  });
  it('needs a reason of two characters or more', () => {
    expect(parseReasonText(form({ reason: '破损' })).body).toBe('破损');
    expect(parseReasonText(form({ reason: 'x' })).fieldErrors.reason?.code).toBe('too_short');
    expect(parseReasonText(form({})).fieldErrors.reason?.code).toBe('required');
  });
});

describe('parseReportForm', () => {
  it('round-trips draft rows, drops blank and ticked rows, defaults the verdict', () => {
    const rows = [
      {
        lineId: '55555555-5555-4555-8555-555555555555',
        parameterZh: '中性盐雾',
        parameterEn: 'Neutral salt spray',
        standardCode: 'GB/T 10125-2021',
        requirement: '≥ 480 h 无红锈',
        result: '480 h 无红锈',
        unit: 'h',
        verdict: 'pass',
      },
      {
        lineId: null,
        parameterZh: '外观',
        parameterEn: '',
        standardCode: '',
        requirement: '',
        result: '合格',
        unit: '',
        verdict: 'info',
      },
    ];
    const values = reportValues(rows, '所检项目符合要求', '');
    const f = form({
      ...values,
      rows: '4',
      [resultField(1, 'verdict')]: 'bogus',
      [resultField(2, 'remove')]: 'on',
      [resultField(2, 'parameterZh')]: '删掉',
    });
    const r = parseReportForm(f);
    expect(r.fieldErrors).toEqual({});
    expect(r.body?.results).toEqual([rows[0], { ...rows[1], verdict: 'info' }]);
    expect(r.body?.conclusionZh).toBe('所检项目符合要求');
  });
  it('needs a parameter on a filled row', () => {
    const r = parseReportForm(form({ rows: '1', [resultField(0, 'result')]: '12' }));
    expect(r.body).toBeNull();
    expect(r.fieldErrors[resultField(0, 'parameterZh')]?.code).toBe('required');
  });
});

describe('parseOrderSettings and parseSignatory', () => {
  it('reads the settings and checks their bounds', () => {
    const ok = parseOrderSettings(
      form({
        reportPrefix: 'szti',
        objectionDays: '15',
        expediteH72Pct: '30%',
        expediteH24Pct: '100',
        expediteH8Pct: '150',
        quoteValidityDays: '30',
        autoQuoteFixedPrice: 'on',
      }),
    );
    expect(ok.body).toEqual({
      reportPrefix: 'SZTI',
      objectionDays: 15,
      expediteH72Pct: 30,
      expediteH24Pct: 100,
      expediteH8Pct: 150,
      quoteValidityDays: 30,
      autoQuoteFixedPrice: true,
    });
    const bad = parseOrderSettings(
      form({
        reportPrefix: 'S-1',
        objectionDays: '91',
        expediteH72Pct: '501',
        expediteH24Pct: '',
        expediteH8Pct: '1',
        quoteValidityDays: '0',
      }),
    );
    expect(bad.body).toBeNull();
    expect(Object.keys(bad.fieldErrors).sort()).toEqual([
      'expediteH24Pct',
      'expediteH72Pct',
      'objectionDays',
      'quoteValidityDays',
      'reportPrefix',
    ]);
  });
  it('needs an email for a signatory', () => {
    expect(parseSignatory(form({ email: 'Lab@Example.cn', scopeZh: '全部' })).body).toEqual({
      email: 'lab@example.cn',
      scopeZh: '全部',
    });
    expect(parseSignatory(form({ email: 'nope' })).fieldErrors.email?.code).toBe('invalid_email');
  });
});
