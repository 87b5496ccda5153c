import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cityOf, regionContains, regionPrefix } from './region.ts';

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const nonZero2 = digits(2).filter((s) => s !== '00');
const binary6 = fc.stringMatching(/^[01]{6}$/);
/** A district-level code: province, city, district (district part never "00"). */
const districtCode = fc.tuple(digits(2), digits(2), nonZero2).map(([p, c, d]) => p + c + d);

describe('regionPrefix', () => {
  it.each([
    ['320000', '32'], // province
    ['110000', '11'], // municipality
    ['320500', '3205'], // city
    ['110100', '1101'], // municipality "city" level
    ['320506', '320506'], // district
    ['320510', '320510'],
    ['320010', '320010'], // ends in "10", not "00"
    ['000000', '00'],
  ])('regionPrefix(%s) === %s', (code, prefix) => {
    expect(regionPrefix(code)).toBe(prefix);
  });

  it.each(['', '32', '3205', '32050', '3205060', '32O500', ' 320500', '320500 ', 'abcdef', '３２０５００'])(
    'rejects the non-code %j',
    (code) => {
      expect(() => regionPrefix(code)).toThrow(RangeError);
    },
  );

  it('property: the prefix is always a prefix of the code and has length 2, 4 or 6', () => {
    fc.assert(
      fc.property(digits(6), (code) => {
        const prefix = regionPrefix(code);
        expect(code.startsWith(prefix)).toBe(true);
        expect([2, 4, 6]).toContain(prefix.length);
      }),
    );
  });
});

describe('regionContains', () => {
  it('a province contains its cities and districts', () => {
    expect(regionContains('320000', '320000')).toBe(true);
    expect(regionContains('320000', '320500')).toBe(true);
    expect(regionContains('320000', '320506')).toBe(true);
  });

  it('a city contains its districts but not sibling cities or the province', () => {
    expect(regionContains('320500', '320506')).toBe(true);
    expect(regionContains('320500', '320500')).toBe(true);
    expect(regionContains('320500', '320600')).toBe(false);
    expect(regionContains('320500', '320612')).toBe(false);
    expect(regionContains('320500', '320000')).toBe(false);
  });

  it('a district contains only itself', () => {
    expect(regionContains('320506', '320506')).toBe(true);
    expect(regionContains('320506', '320507')).toBe(false);
    expect(regionContains('320506', '320500')).toBe(false);
  });

  it('other provinces are never contained', () => {
    expect(regionContains('320000', '330106')).toBe(false);
    expect(regionContains('110000', '120101')).toBe(false);
  });

  it('throws for a malformed scope', () => {
    expect(() => regionContains('32', '320506')).toThrow(RangeError);
  });

  it('property: every district is contained by its city, its province and itself', () => {
    fc.assert(
      fc.property(districtCode, (code) => {
        expect(regionContains(`${code.slice(0, 2)}0000`, code)).toBe(true);
        if (code.slice(2, 4) !== '00') expect(regionContains(`${code.slice(0, 4)}00`, code)).toBe(true);
        expect(regionContains(code, code)).toBe(true);
      }),
    );
  });

  it('property: a province never contains a code from a different province', () => {
    fc.assert(
      fc.property(digits(2), districtCode, (province, code) => {
        fc.pre(code.slice(0, 2) !== province);
        expect(regionContains(`${province}0000`, code)).toBe(false);
      }),
    );
  });

  it('property: containment is transitive across province ⊇ city ⊇ district', () => {
    fc.assert(
      // A two-symbol alphabet makes nested codes (and hence non-vacuous cases) common.
      fc.property(binary6, binary6, binary6, (a, b, c) => {
        if (regionContains(a, b) && regionContains(b, c)) expect(regionContains(a, c)).toBe(true);
      }),
    );
  });
});

describe('cityOf', () => {
  it.each([
    ['320506', '320500'],
    ['320500', '320500'],
    ['110101', '110100'], // municipality districts keep the xx0100 city
    ['310115', '310100'],
  ])('cityOf(%s) === %s', (code, city) => {
    expect(cityOf(code)).toBe(city);
  });

  it('property: the city of a district contains the district', () => {
    fc.assert(
      fc.property(districtCode, (code) => {
        const city = cityOf(code);
        expect(city).toMatch(/^[0-9]{4}00$/);
        fc.pre(city.slice(2, 4) !== '00');
        expect(regionContains(city, code)).toBe(true);
      }),
    );
  });

  it('property: cityOf is idempotent', () => {
    fc.assert(fc.property(digits(6), (code) => cityOf(cityOf(code)) === cityOf(code)));
  });
});
