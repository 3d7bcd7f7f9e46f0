/** Administrative division codes, GB/T 2260: province (2), city (2), county (2) digits. */

export type DivisionLevel = 'province' | 'city' | 'county';

function span(from: number, to: number): string[] {
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(String(n));
  return out;
}

/** Two-digit province-level codes, sorted. */
export const provinceCodes: readonly string[] = Object.freeze([
  ...span(11, 15),
  ...span(21, 23),
  ...span(31, 37),
  ...span(41, 46),
  ...span(50, 54),
  ...span(61, 65),
  '71',
  '81',
  '82',
]);

const PROVINCES = new Set(provinceCodes);
const SIX_DIGITS = /^\d{6}$/;

export function isValidDivisionCode(code: string): boolean {
  return SIX_DIGITS.test(code) && PROVINCES.has(code.slice(0, 2));
}

export function divisionLevel(code: string): DivisionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** The significant prefix: '330000' -> '33', '330100' -> '3301', '330102' -> '330102'. */
export function divisionPrefix(code: string): string {
  switch (divisionLevel(code)) {
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    default:
      return code;
  }
}

/**
 * Whether `code` lies in `territory`. Both must be valid codes: an empty or malformed
 * territory would otherwise yield an empty prefix that matches everything.
 */
export function isWithinDivision(code: string, territory: string): boolean {
  if (!isValidDivisionCode(code) || !isValidDivisionCode(territory)) return false;
  return code.startsWith(divisionPrefix(territory));
}

/** The two-digit province code ('330102' -> '33'). */
export function provinceOf(code: string): string {
  return code.slice(0, 2);
}
