/**
 * 统一社会信用代码 — GB 32100-2015. 18 characters:
 *   1    registration authority (1–9, A = CMC reform, N = agriculture, Y = other)
 *   2    organisation type
 *   3–8  administrative division code (GB/T 2260)
 *   9–17 organisation code body
 *   18   check character, computed over the first 17 with modulus 31.
 * The alphabet omits I, O, S, V and Z to avoid confusion with digits.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[1-9ANY][0-9A-HJ-NPQRTUWXY][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export type CreditCodeProblem = 'length' | 'characters' | 'check_character';

export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) throw new RangeError(`invalid character at position ${i + 1}`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Normalises (trim, upper-case) and returns the problem, or null when the code is valid. */
export function checkCreditCode(raw: string): CreditCodeProblem | null {
  const code = normaliseCreditCode(raw);
  if (code.length !== 18) return 'length';
  if (!SHAPE.test(code)) return 'characters';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'check_character';
}

export function isValidCreditCode(raw: string): boolean {
  return checkCreditCode(raw) === null;
}

export function normaliseCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}

/** The 6-digit GB/T 2260 division embedded in positions 3–8. */
export function creditCodeRegion(code: string): string {
  return normaliseCreditCode(code).slice(2, 8);
}
