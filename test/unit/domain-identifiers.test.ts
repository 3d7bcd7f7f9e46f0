import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeText } from '../../shared/domain/text.ts';
import {
  creditCodeCheckCharacter,
  isValidCreditCode,
  normalizeCreditCode,
} from '../../shared/domain/credit-code.ts';
import {
  divisionLevel,
  divisionPrefix,
  isValidDivisionCode,
  isWithinDivision,
  provinceCodes,
  provinceOf,
} from '../../shared/domain/division-code.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('normalizeText', () => {
  it('applies NFKC, trims and collapses whitespace', () => {
    expect(normalizeText('  ＧＢ／Ｔ\u3000 1.2\t\n-2020  ')).toBe('GB/T 1.2 -2020');
    expect(normalizeText('a    b')).toBe('a b');
    expect(normalizeText('   ')).toBe('');
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the valid vectors', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110000600037341L')).toBe(true);
  });

  it('rejects the invalid vectors', () => {
    expect(isValidCreditCode('91350100M000100Y4Z')).toBe(false);
    // Circulates online as an example but fails the mod-31 check.
    expect(isValidCreditCode('91310115MA1G4L1WXK')).toBe(false);
  });

  it('computes the check character with the mod-31 rule', () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(creditCodeCheckCharacter('91110000600037341')).toBe('L');
    expect(creditCodeCheckCharacter('91310115MA1G4L1WX')).toBe('7');
    expect(isValidCreditCode('91310115MA1G4L1WX7')).toBe(true);
  });

  it('returns null for a first part that is not 17 alphabet symbols', () => {
    expect(creditCodeCheckCharacter('9135010')).toBeNull();
    expect(creditCodeCheckCharacter('91350100M000100Y43')).toBeNull();
    expect(creditCodeCheckCharacter('91350100I000100Y4')).toBeNull();
    expect(creditCodeCheckCharacter('91350100m000100Y4')).toBeNull();
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the excluded letter %s', (letter) => {
    const code = `91350100${letter}000100Y4`;
    expect(creditCodeCheckCharacter(code)).toBeNull();
    for (const check of ALPHABET) expect(isValidCreditCode(code + check)).toBe(false);
  });

  it('requires 18 characters, upper case and digits at positions 3-8', () => {
    expect(isValidCreditCode('')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y433')).toBe(false);
    expect(isValidCreditCode('91350100m000100Y43')).toBe(false);
    const first = '913A0100M000100Y4';
    const check = creditCodeCheckCharacter(first);
    expect(check).not.toBeNull();
    expect(isValidCreditCode(first + check)).toBe(false);
  });

  it('normalizes full-width, spaced, lower-case input', () => {
    expect(normalizeCreditCode(' ９１３５０１００ｍ０００１００ｙ４３ ')).toBe('91350100M000100Y43');
    expect(isValidCreditCode(normalizeCreditCode('91350100m000100y43'))).toBe(true);
  });

  it('accepts every generated code and rejects every other check character', () => {
    const symbol = fc.constantFrom(...ALPHABET);
    const digit = fc.constantFrom(...'0123456789');
    const first17 = fc
      .tuple(fc.array(symbol, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(symbol, { minLength: 9, maxLength: 9 }))
      .map(([a, b, c]) => [...a, ...b, ...c].join(''));
    fc.assert(
      fc.property(first17, symbol, (first, other) => {
        const check = creditCodeCheckCharacter(first) as string;
        expect(isValidCreditCode(first + check)).toBe(true);
        if (other !== check) expect(isValidCreditCode(first + other)).toBe(false);
      }),
    );
  });
});

describe('division codes (GB/T 2260)', () => {
  it('lists the province-level codes, sorted', () => {
    expect(provinceCodes).toEqual([
      '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
      '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
      '71', '81', '82',
    ]);
    expect([...provinceCodes].sort()).toEqual(provinceCodes);
  });

  it('validates six digits with a province prefix', () => {
    for (const code of ['110000', '330000', '330100', '330102', '820000', '710000', '650100']) {
      expect(isValidDivisionCode(code)).toBe(true);
    }
    for (const code of ['', '33010', '3301020', '33010a', '100000', '160000', '240000', '380000', '470000', '550000', '660000', '720000', '830000', '000000', '９９００００', ' 330100']) {
      expect(isValidDivisionCode(code)).toBe(false);
    }
  });

  it('derives the level and the significant prefix', () => {
    expect(divisionLevel('330000')).toBe('province');
    expect(divisionLevel('330100')).toBe('city');
    expect(divisionLevel('330102')).toBe('county');
    expect(divisionPrefix('330000')).toBe('33');
    expect(divisionPrefix('330100')).toBe('3301');
    expect(divisionPrefix('330102')).toBe('330102');
    expect(provinceOf('330102')).toBe('33');
  });

  it('tells whether a code lies in a territory', () => {
    expect(isWithinDivision('330102', '330000')).toBe(true);
    expect(isWithinDivision('330102', '330100')).toBe(true);
    expect(isWithinDivision('330100', '330100')).toBe(true);
    expect(isWithinDivision('330102', '330102')).toBe(true);
    expect(isWithinDivision('330202', '330100')).toBe(false);
    expect(isWithinDivision('320102', '330000')).toBe(false);
    expect(isWithinDivision('330000', '330100')).toBe(false);
    // A malformed territory must not match everything.
    expect(isWithinDivision('330102', '')).toBe(false);
    expect(isWithinDivision('330102', '33')).toBe(false);
    expect(isWithinDivision('33', '330000')).toBe(false);
  });
});
