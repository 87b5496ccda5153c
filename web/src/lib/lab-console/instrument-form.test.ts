import { describe, expect, it } from 'vitest';
import { parseInstrumentForm, parseSpecs, parseTechniques, specsToText } from './instrument-form';

function formOf(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe('parseInstrumentForm', () => {
  it('builds the API input with rates in fen and parsed lists', () => {
    const { input, fieldErrors } = parseInstrumentForm(
      formOf({
        siteId: 's1',
        nameZh: '扫描电子显微镜',
        categoryCode: 'sem',
        techniques: 'SEM, EDS、EBSD',
        specs: '分辨率: 1.0 nm\n加速电压：0.2–30 kV\n',
        unitCount: '2',
        status: 'maintenance',
        externalHour: '600',
        internalHour: '300.5',
        externalSample: '',
        internalSample: '',
      }),
    );
    expect(fieldErrors).toEqual({});
    expect(input).toMatchObject({
      siteId: 's1',
      nameZh: '扫描电子显微镜',
      techniques: ['SEM', 'EDS', 'EBSD'],
      specs: { 分辨率: '1.0 nm', 加速电压: '0.2–30 kV' },
      unitCount: 2,
      status: 'maintenance',
      rates: { externalHour: 60000, internalHour: 30050, externalSample: null, internalSample: null },
    });
  });

  it('keeps what was typed and marks the fields it cannot convert', () => {
    const { input, values, fieldErrors } = parseInstrumentForm(
      formOf({ nameZh: 'X 射线衍射仪', externalHour: '六百', unitCount: 'two', specs: 'no colon here' }),
    );
    expect(input).toBeNull();
    expect(values.externalHour).toBe('六百');
    expect(Object.keys(fieldErrors).sort()).toEqual(['externalHour', 'specs', 'unitCount']);
  });
});

describe('specs and techniques text', () => {
  it('round-trips specs', () => {
    const specs = { 分辨率: '1.0 nm', 'Max. sample': '200 mm' };
    expect(parseSpecs(specsToText(specs))).toEqual(specs);
  });
  it('drops duplicate and empty techniques', () => {
    expect(parseTechniques('SEM,,SEM ， EDS;')).toEqual(['SEM', 'EDS']);
  });
});
