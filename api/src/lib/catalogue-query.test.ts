import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REGIONS } from '@qihub/db/seed';
import {
  buildPlaceIndex,
  MAX_QUERY_WORDS,
  parseCatalogueQuery,
  placeNames,
  placePrefixes,
  queryWithout,
} from './catalogue-query.ts';

const index = buildPlaceIndex(REGIONS);
const placeWords = [...index.keys()];
// Words of instruments and services, none of them a place name.
const thingWords = [
  'sem',
  '盐雾',
  '电子显微镜',
  'xrd',
  '拉伸',
  'gc-ms',
  '扫描电镜',
  'icp-ms',
  '三坐标',
  '硬度',
  'tensile',
];
const separators = [' ', '  ', '，', '、', ',', '；', '\u3000'];

describe('place names', () => {
  it('reads a region by its name with and without 省/市/区 and in English', () => {
    expect(placeNames({ nameZh: '苏州市', nameEn: 'Suzhou' })).toEqual(['苏州市', '苏州', 'suzhou']);
    expect(placeNames({ nameZh: '江苏省', nameEn: 'Jiangsu Province' })).toEqual(
      expect.arrayContaining(['江苏省', '江苏', 'jiangsu']),
    );
    expect(placeNames({ nameZh: '浦东新区', nameEn: 'Pudong New Area' })).toEqual(
      expect.arrayContaining(['浦东新区', '浦东']),
    );
    expect(placeNames({ nameZh: '吴中区', nameEn: 'Wuzhong District' })).toEqual(
      expect.arrayContaining(['吴中区', '吴中', 'wuzhong']),
    );
  });

  it('finds "SEM 苏州", "盐雾 苏州" and "电子显微镜 苏州市" as a thing in Suzhou', () => {
    for (const q of ['SEM 苏州', '盐雾 苏州', '电子显微镜 苏州市', '苏州，SEM', 'suzhou sem']) {
      const parsed = parseCatalogueQuery(q, index);
      expect(parsed.places.map((p) => p.regions.map((r) => r.code))).toEqual([['320500']]);
      expect(parsed.terms).toHaveLength(1);
      expect(placePrefixes(parsed)).toEqual(['3205']);
    }
  });

  it('narrows nested places and widens disjoint ones', () => {
    expect(placePrefixes(parseCatalogueQuery('江苏 苏州 盐雾', index))).toEqual(['3205']);
    expect(placePrefixes(parseCatalogueQuery('苏州 吴中区', index))).toEqual(['320506']);
    expect(placePrefixes(parseCatalogueQuery('苏州 杭州', index))).toEqual(['3205', '3301']);
    // 上海市 is both the municipality and its city districts: Shanghai either way.
    expect(placePrefixes(parseCatalogueQuery('上海 XRD', index))).toEqual(['31']);
  });

  it('keeps standard numbers as one reference', () => {
    expect(parseCatalogueQuery('GB/T 10125 苏州', index).standards).toEqual([
      { words: ['gb/t', '10125'], pattern: 'GB/T10125([^0-9]|$)' },
    ]);
    expect(parseCatalogueQuery('10125', index).standards.map((s) => s.words)).toEqual([['10125']]);
    expect(parseCatalogueQuery('万能试验机 250', index).standards).toEqual([]);
    // Full-width input reads the same standard, and keeps its words as typed.
    expect(parseCatalogueQuery('ＧＢ／Ｔ　１０１２５', index).standards).toEqual([
      { words: ['ｇｂ／ｔ', '１０１２５'], pattern: 'GB/T10125([^0-9]|$)' },
    ]);
  });

  it('keeps a word as typed, full-width brackets and all (the search text keeps them too)', () => {
    expect(parseCatalogueQuery('场发射扫描电子显微镜（测试） 苏州', index)).toMatchObject({
      terms: ['场发射扫描电子显微镜（测试）'],
      places: [{ word: '苏州' }],
    });
    expect(parseCatalogueQuery('ＳＥＭ　苏州市', index).places.map((p) => p.word)).toEqual(['苏州市']);
  });

  it('finds place words anywhere, in any order, and never swallows another word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...thingWords), { maxLength: 4 }),
        fc.array(fc.constantFrom(...placeWords), { maxLength: 3 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.constantFrom(...separators), { minLength: 8, maxLength: 8 }),
        (things, places, order, seps) => {
          // Interleave the two lists in an arbitrary order.
          const words = [...things.map((w) => ({ w, place: false })), ...places.map((w) => ({ w, place: true }))];
          const shuffled = words
            .map((x, i) => ({ x, k: order[i % order.length]! * 31 + i }))
            .sort((a, b) => a.k - b.k)
            .map((y) => y.x)
            .slice(0, MAX_QUERY_WORDS);
          const q = shuffled.map((x, i) => (i === 0 ? '' : seps[i % seps.length]) + x.w).join('');
          const parsed = parseCatalogueQuery(q, index);
          expect(parsed.terms).toEqual(shuffled.filter((x) => !x.place).map((x) => x.w));
          expect(parsed.places.map((p) => p.word)).toEqual(shuffled.filter((x) => x.place).map((x) => x.w));
          for (const p of parsed.places) expect(p.regions.length).toBeGreaterThan(0);
          // Every prefix lies inside a region one of the place words named.
          for (const prefix of placePrefixes(parsed)) {
            expect(parsed.places.some((p) => p.regions.some((r) => r.code.startsWith(prefix)))).toBe(true);
          }
          // Dropping the place words leaves the other words as typed.
          expect(
            queryWithout(
              q,
              parsed.places.map((p) => p.word),
            )
              .split(' ')
              .filter(Boolean),
          ).toEqual(shuffled.filter((x) => !x.place).map((x) => x.w));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads any other text as words only, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (q) => {
        const parsed = parseCatalogueQuery(q, new Map());
        expect(parsed.places).toEqual([]);
        expect(parsed.terms.length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
        for (const t of parsed.terms) expect(t).toBe(t.trim());
      }),
    );
  });
});
