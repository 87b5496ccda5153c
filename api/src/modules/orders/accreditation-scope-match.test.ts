import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closestScopeItems,
  itemInScope,
  normaliseStandard,
  parseStandard,
  standardsMatch,
  type RankedScopeItem,
} from './accreditation-scope-match.ts';

const scope = [{ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' }];

describe('scope marking', () => {
  it('treats spacing, case, width and dash variants of a standard number as the same standard', () => {
    for (const code of [
      'GB/T 10125-2021',
      'GB/T10125—2021',
      'gb/t 10125－2021',
      'GB/T　10125–2021',
      'ＧＢ／Ｔ　１０１２５－２０２１',
      'GB / T 10125 - 2021',
      'GB/T 10125一2021',
    ]) {
      expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: code }, scope), code).toBe(true);
    }
  });

  it('matches a standard named without its year or without its prefix', () => {
    for (const code of ['GB/T 10125', '10125', 'GB/T10125', '10125-2021', '１０１２５']) {
      expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: code }, scope), code).toBe(true);
    }
  });

  it('needs the parameter to match when the item names one', () => {
    expect(itemInScope({ parameterZh: '铜加速乙酸盐雾试验', standardCode: 'GB/T 10125-2021' }, scope)).toBe(false);
    expect(itemInScope({ parameterZh: '', standardCode: 'GB/T 10125-2021' }, scope)).toBe(true);
  });

  it('never matches another year or another number of the same standard, or an empty standard', () => {
    expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2012' }, scope)).toBe(false);
    expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10126-2021' }, scope)).toBe(false);
    expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: 'GB 10125-2021' }, scope)).toBe(false);
    expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: '  ' }, scope)).toBe(false);
  });

  it('reads parts and years the way GB, ISO, IEC and ASTM write them', () => {
    expect(parseStandard('GB/T 228.1-2021')).toEqual({ prefix: 'GB/T', number: '228.1', year: '2021' });
    expect(parseStandard('ISO 6892-1:2019')).toEqual({ prefix: 'ISO', number: '6892-1', year: '2019' });
    expect(parseStandard('ISO 9227：2022')).toEqual({ prefix: 'ISO', number: '9227', year: '2022' });
    expect(parseStandard('IEC 61000-4-2:2008')).toEqual({ prefix: 'IEC', number: '61000-4-2', year: '2008' });
    expect(parseStandard('ASTM B117-19')).toEqual({ prefix: 'ASTM', number: 'B117', year: '2019' });
    expect(parseStandard('GB/T 2423.3')).toEqual({ prefix: 'GB/T', number: '2423.3', year: null });
    expect(standardsMatch('GB/T 228.1-2021', 'GB/T 228-2021')).toBe(false);
    expect(standardsMatch('ISO 6892-1', 'ISO 6892-1:2019')).toBe(true);
    expect(standardsMatch('ISO 6892-1', 'ISO 6892-2:2019')).toBe(false);
  });
});

/* ─────────── property-based: the normaliser over generated standard numbers and their spellings ─────────── */

const PREFIXES = ['GB', 'GB/T', 'GB/Z', 'JJG', 'JJF', 'HJ', 'SN/T', 'ISO', 'IEC', 'ISO/IEC', 'EN'];
const DASHES = ['-', '‐', '‑', '‒', '–', '—', '―', '－', '−', '﹣'];
const SPACES = ['', '', ' ', '  ', '\u3000', '\t', '\u00a0'];

const standardRef = fc.record({
  prefix: fc.constantFrom(...PREFIXES),
  main: fc.integer({ min: 1, max: 99999 }),
  part: fc.option(fc.integer({ min: 1, max: 99 }), { nil: null }),
  year: fc.integer({ min: 1950, max: 2039 }).map(String),
});
type Ref = { prefix: string; main: number; part: number | null; year: string };

const number = (r: Ref) => `${r.main}${r.part === null ? '' : `.${r.part}`}`;
const canonical = (r: Ref) => `${r.prefix} ${number(r)}-${r.year}`;

/** ASCII → full-width forms (what a Chinese input method types in full-width mode). */
const fullWidth = (s: string) =>
  [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

/** One way a person may type the standard: case, width, dashes and spaces varied. */
const spelling = (r: Ref) =>
  fc
    .record({
      sp: fc.array(fc.constantFrom(...SPACES), { minLength: 4, maxLength: 4 }),
      dash: fc.constantFrom(...DASHES),
      lower: fc.boolean(),
      wide: fc.boolean(),
    })
    .map(({ sp, dash, lower, wide }) => {
      const [a, b, c, d] = sp as [string, string, string, string];
      const prefix = r.prefix.replace('/', `${a}/${a}`);
      let s = `${b}${prefix}${c}${number(r)}${d}${dash}${d}${r.year}${b}`;
      if (lower) s = s.toLowerCase();
      if (wide) s = fullWidth(s);
      return s;
    });

const refAndSpelling = standardRef.chain((r) => spelling(r).map((s) => ({ r, s })));

describe('standard numbers, property-based', () => {
  it('normalising is idempotent, on any text', () => {
    fc.assert(fc.property(fc.string(), (s) => normaliseStandard(normaliseStandard(s)) === normaliseStandard(s)));
    // "ῗ": upper-casing leaves it in a form NFKC composes differently (found by this property).
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (s) => normaliseStandard(normaliseStandard(s)) === normaliseStandard(s),
      ),
      { examples: [['ῗ'], ['1一一2'], [' - / : '], ['ASTM B117-19']] },
    );
  });

  it('every spelling of a standard normalises to the same text and matches it', () => {
    fc.assert(
      fc.property(refAndSpelling, ({ r, s }) => {
        expect(normaliseStandard(s)).toBe(canonical(r));
        expect(standardsMatch(s, canonical(r))).toBe(true);
      }),
    );
  });

  it('a spelling without the year, or without the prefix, or the bare number still matches', () => {
    fc.assert(
      fc.property(standardRef, (r) => {
        expect(standardsMatch(`${r.prefix} ${number(r)}`, canonical(r))).toBe(true);
        expect(standardsMatch(`${number(r)}-${r.year}`, canonical(r))).toBe(true);
        expect(standardsMatch(number(r), canonical(r))).toBe(true);
      }),
    );
  });

  it('another year, another number or another prefix never matches', () => {
    fc.assert(
      fc.property(standardRef, standardRef, (a, b) => {
        fc.pre(a.prefix.replace('/', '') !== b.prefix.replace('/', '') || number(a) !== number(b) || a.year !== b.year);
        expect(standardsMatch(canonical(a), canonical(b))).toBe(false);
      }),
    );
  });

  it('matching is symmetric, on any text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => standardsMatch(a, b) === standardsMatch(b, a)));
    fc.assert(
      fc.property(refAndSpelling, fc.string(), ({ s }, other) => standardsMatch(s, other) === standardsMatch(other, s)),
    );
  });
});

describe('closest scope items', () => {
  const items: RankedScopeItem[] = [
    { id: 'nss', parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' },
    { id: 'cass', parameterZh: '铜加速乙酸盐雾试验', standardCode: 'GB/T 10125-2021' },
    { id: 'tensile', parameterZh: '室温拉伸性能', standardCode: 'GB/T 228.1-2021' },
    { id: 'damp', parameterZh: '恒定湿热试验', standardCode: 'GB/T 2423.3-2016' },
  ];

  it('puts the item the customer meant first when their wording differs from the scope', () => {
    const ranked = closestScopeItems({ parameterZh: '中性盐雾 96 h', standardCode: 'GB/T 10125-2021' }, items);
    expect(ranked[0]!.id).toBe('nss');
    expect(ranked.map((r) => r.id)).not.toContain('tensile');
  });

  it('finds the item by its parameter when the standard is missing or unknown', () => {
    expect(closestScopeItems({ parameterZh: '拉伸', standardCode: '' }, items)[0]!.id).toBe('tensile');
    expect(closestScopeItems({ parameterZh: '湿热', standardCode: 'IEC 60068-2-78' }, items)[0]!.id).toBe('damp');
  });

  it('offers nothing for a line that shares nothing with the scope, and never more than asked', () => {
    expect(closestScopeItems({ parameterZh: '噪声', standardCode: 'GB/T 3768-2017' }, items)).toEqual([]);
    expect(closestScopeItems({ parameterZh: '试验', standardCode: '' }, items, 2)).toHaveLength(2);
  });

  it('ranks by score, best first, and every score lies in (0, 1]', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (p, s) => {
        const ranked = closestScopeItems({ parameterZh: p, standardCode: s }, items);
        for (const [i, r] of ranked.entries()) {
          expect(r.score).toBeGreaterThan(0);
          expect(r.score).toBeLessThanOrEqual(1);
          if (i > 0) expect(r.score).toBeLessThanOrEqual(ranked[i - 1]!.score);
        }
      }),
    );
  });
});
