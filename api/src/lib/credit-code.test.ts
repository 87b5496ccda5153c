import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkCreditCode,
  creditCodeCheckCharacter,
  creditCodeRegion,
  isValidCreditCode,
  normaliseCreditCode,
} from './credit-code.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const AUTHORITIES = '123456789ANY';
const FORBIDDEN = ['I', 'O', 'S', 'V', 'Z'] as const;

// Real, published codes that satisfy the GB 32100-2015 check.
const VALID = ['91350100M000100Y43', '91110000802100433B'] as const;

const alphabetChar = fc.constantFrom(...ALPHABET.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));

/** A 17-character body: valid authority, any type char, 6-digit region, 9-char organisation code. */
const body17 = fc
  .tuple(
    fc.constantFrom(...AUTHORITIES.split('')),
    alphabetChar,
    fc.array(digit, { minLength: 6, maxLength: 6 }),
    fc.array(alphabetChar, { minLength: 9, maxLength: 9 }),
  )
  .map(([a, t, region, org]) => a + t + region.join('') + org.join(''));

const validCode = body17.map((b) => b + creditCodeCheckCharacter(b));

/** Independent reference implementation of the check character (spec formula). */
function referenceCheck(first17: string): string {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * weights[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

describe('creditCodeCheckCharacter', () => {
  it.each(VALID)('reproduces the check character of %s', (code) => {
    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  it('weights follow 3^i mod 31 (each position contributes its weight)', () => {
    // Body of zeros except a single 1 at position i → sum = weight[i].
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    for (let i = 0; i < 17; i++) {
      const body = '0'.repeat(i) + '1' + '0'.repeat(16 - i);
      expect(creditCodeCheckCharacter(body)).toBe(ALPHABET[(31 - weights[i]!) % 31]);
    }
    expect(creditCodeCheckCharacter('0'.repeat(17))).toBe('0');
  });

  it('matches a reference implementation for any 17-character body', () => {
    fc.assert(fc.property(body17, (b) => creditCodeCheckCharacter(b) === referenceCheck(b)));
  });

  it('throws RangeError for characters outside the alphabet', () => {
    expect(() => creditCodeCheckCharacter('9135010' + 'O' + '000100Y4')).toThrow(RangeError);
    expect(() => creditCodeCheckCharacter('91350100m000100y4')).toThrow(RangeError);
  });

  // BUG (credit-code.ts:19): `ALPHABET.indexOf(first17[i] ?? '')` — indexOf('') is 0, so a body
  // shorter than 17 characters is silently padded with '0' instead of throwing RangeError.
  // `it.fails` keeps the suite green while the bug exists and turns red once it is fixed.
  it('throws RangeError for a body shorter than 17 characters', () => {
    expect(() => creditCodeCheckCharacter('91350100M000100Y')).toThrow(RangeError);
  });
});

describe('checkCreditCode / isValidCreditCode', () => {
  it.each(VALID)('accepts the real code %s', (code) => {
    expect(checkCreditCode(code)).toBeNull();
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('rejects a real code whose check character was altered', () => {
    expect(checkCreditCode('91350100M000100Y44')).toBe('check_character');
    expect(checkCreditCode('91110000802100433C')).toBe('check_character');
    expect(isValidCreditCode('91110000802100433C')).toBe(false);
  });

  it('normalises lower case and surrounding whitespace', () => {
    expect(checkCreditCode('  91350100m000100y43\n')).toBeNull();
    expect(checkCreditCode('\t91110000802100433b ')).toBeNull();
  });

  it('rejects the wrong length', () => {
    expect(checkCreditCode('')).toBe('length');
    expect(checkCreditCode('91350100M000100Y4')).toBe('length');
    expect(checkCreditCode('91350100M000100Y431')).toBe('length');
    // Whitespace inside the code is not removed.
    expect(checkCreditCode('9135 0100M000100Y43')).toBe('length');
  });

  it.each(FORBIDDEN)('rejects the forbidden letter %s', (letter) => {
    // Replace the organisation-code position 9 ("M") with a forbidden letter.
    expect(checkCreditCode(`91350100${letter}000100Y43`)).toBe('characters');
    // …and as check character.
    expect(checkCreditCode(`91350100M000100Y4${letter}`)).toBe('characters');
  });

  it('rejects letters in the region (positions 3–8) and punctuation', () => {
    expect(checkCreditCode('9135A100M000100Y43')).toBe('characters');
    expect(checkCreditCode('91350100M000100-43')).toBe('characters');
  });

  it('property: appending the check character to any body yields a valid code', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(checkCreditCode(code)).toBeNull();
        expect(isValidCreditCode(code.toLowerCase())).toBe(true);
      }),
    );
  });

  it('property: changing any single character to another alphabet character invalidates the code', () => {
    fc.assert(
      fc.property(validCode, fc.nat(17), alphabetChar, (code, pos, ch) => {
        fc.pre(code[pos] !== ch);
        const mutated = code.slice(0, pos) + ch + code.slice(pos + 1);
        const problem = checkCreditCode(mutated);
        expect(problem).not.toBeNull();
        // A digit→digit change in the region still has the right shape, so only the check fails.
        const breaksShape = (pos >= 2 && pos <= 7 && !/[0-9]/.test(ch)) || (pos === 0 && !AUTHORITIES.includes(ch));
        if (!breaksShape) expect(problem).toBe('check_character');
      }),
    );
  });

  it('property: swapping two adjacent different characters in the body invalidates the code', () => {
    fc.assert(
      fc.property(validCode, fc.nat(15), (code, pos) => {
        fc.pre(code[pos] !== code[pos + 1]);
        const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2);
        expect(isValidCreditCode(swapped)).toBe(false);
      }),
    );
  });

  it('property: strings of any other length are rejected for length', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabetChar, maxLength: 40 }).filter((s) => s.length !== 18),
        (s) => checkCreditCode(s) === 'length',
      ),
    );
  });

  it('property: any forbidden letter anywhere makes an 18-char code invalid for characters', () => {
    fc.assert(
      fc.property(validCode, fc.nat(17), fc.constantFrom(...FORBIDDEN), (code, pos, letter) => {
        const bad = code.slice(0, pos) + letter + code.slice(pos + 1);
        expect(checkCreditCode(bad)).toBe('characters');
      }),
    );
  });
});

describe('normaliseCreditCode / creditCodeRegion', () => {
  it('trims and upper-cases', () => {
    expect(normaliseCreditCode(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
  });

  it('extracts the 6-digit division from positions 3–8', () => {
    expect(creditCodeRegion('91350100M000100Y43')).toBe('350100');
    expect(creditCodeRegion('  91110000802100433b')).toBe('110000');
  });
});
