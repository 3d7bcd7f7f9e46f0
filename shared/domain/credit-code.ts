/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 * 18 symbols from a 31-symbol alphabet (no I, O, Z, S, V); the last is a mod-31 check.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

// Char code -> value, -1 for symbols outside the alphabet; avoids indexOf per symbol.
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

function valueAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? (VALUE[c] as number) : -1;
}

/** The check character for the first 17 symbols, or null when they are not 17 alphabet symbols. */
export function creditCodeCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = valueAt(first17, i);
    if (v < 0) return null;
    sum += v * (WEIGHTS[i] as number);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Exact validation: upper case, 18 symbols, positions 3-8 digits, check character correct. */
export function isValidCreditCode(code: string): boolean {
  if (code.length !== 18) return false;
  // Positions 3-8 (1-based) are the registering division code.
  if (!/^\d{6}$/.test(code.slice(2, 8))) return false;
  const check = creditCodeCheckCharacter(code.slice(0, 17));
  return check !== null && check === code.charAt(17);
}

/** Input clean-up before validation: NFKC (full-width), spaces removed, upper case. */
export function normalizeCreditCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}
