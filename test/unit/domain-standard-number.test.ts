import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  adoptionCounts,
  normalizeAdoptionDegree,
  normalizeStandardNumber,
} from '../../shared/domain/standard-number.ts';

function normal(raw: string): string {
  const r = normalizeStandardNumber(raw);
  if (!r.ok) throw new Error(`rejected: ${raw}`);
  return r.number;
}

function family(raw: string): string {
  const r = normalizeStandardNumber(raw);
  return r.ok ? r.family : r.code;
}

describe('normalizeStandardNumber: Chinese numbers', () => {
  it.each([
    ['GB/T1.2—2020', 'GB/T 1.2-2020'],
    ['ＧＢ／Ｔ 1.2-2020', 'GB/T 1.2-2020'],
    ['GB/T 1.2–2020', 'GB/T 1.2-2020'],
    ['GB/T  1.2 - 2020', 'GB/T 1.2-2020'],
    ['GB 3100—1993', 'GB 3100-1993'],
    ['GB 12021.2-2015', 'GB 12021.2-2015'],
    ['gb 31701-2015', 'GB 31701-2015'],
    ['GB/Z 20000.8-2014', 'GB/Z 20000.8-2014'],
    ['GBT 2828.1-2012', 'GB/T 2828.1-2012'],
    ['GBZ 2.1-2019', 'GBZ 2.1-2019'],
    ['GB 2312-80', 'GB 2312-80'],
    ['GB/T 1.1', 'GB/T 1.1'],
    ['T/CAS 115-2005', 'T/CAS 115-2005'],
    ['T／CAS 115—2005', 'T/CAS 115-2005'],
    ['T/ZZB 0001-2018', 'T/ZZB 0001-2018'],
    ['Q/GDW 1168-2013', 'Q/GDW 1168-2013'],
    ['q/320581 jtb 001—2019', 'Q/320581 JTB 001-2019'],
    ['DB33/T 1234-2020', 'DB33/T 1234-2020'],
    ['DB33/T1234—2020', 'DB33/T 1234-2020'],
    ['DB3301/T 0123-2021', 'DB3301/T 0123-2021'],
    ['QB/T 1333-2018', 'QB/T 1333-2018'],
    ['JB/T 8734.1-2016', 'JB/T 8734.1-2016'],
    ['FZ/T 01057.1-2007', 'FZ/T 01057.1-2007'],
    ['SJ/T 11364-2014', 'SJ/T 11364-2014'],
    ['YY/T 0466.1-2016', 'YY/T 0466.1-2016'],
    ['YY 0505-2012', 'YY 0505-2012'],
  ])('%s -> %s', (raw, expected) => {
    expect(normal(raw)).toBe(expected);
    expect(family(raw)).toBe('chinese');
  });

  it.each(['GB/T abc', 'GB', 'GB/T', 'GB/T 1.2-20201', 'GB/T 1..2-2020', 'T/CAS', 'T/ 115-2005', 'Q/', 'Q/GDW', 'DB99/T 1-2020', 'QB/T x', 'JB 12-ab'])(
    'rejects %s',
    (raw) => {
      expect(normalizeStandardNumber(raw)).toEqual({ ok: false, code: 'invalid_standard_number' });
    },
  );
});

describe('normalizeStandardNumber: foreign numbers', () => {
  it.each([
    ['ISO 16358-1:2013', 'ISO 16358-1:2013', 'iso'],
    ['ISO16358-1:2013', 'ISO 16358-1:2013', 'iso'],
    ['ISO 16358-1 : 2013', 'ISO 16358-1:2013', 'iso'],
    ['ＩＳＯ　16358—1：2013', 'ISO 16358-1:2013', 'iso'],
    ['ISO/IEC 17025:2017', 'ISO/IEC 17025:2017', 'iso'],
    ['iso/iec 17025:2017', 'ISO/IEC 17025:2017', 'iso'],
    ['ISO/TR 10013:2001', 'ISO/TR 10013:2001', 'iso'],
    ['ISO/IEC TR 29110-1:2016', 'ISO/IEC TR 29110-1:2016', 'iso'],
    ['ISO 9001:2015/Amd 1:2024', 'ISO 9001:2015/Amd 1:2024', 'iso'],
    ['ISO 9001', 'ISO 9001', 'iso'],
    ['IEC 60335-2-15:2016', 'IEC 60335-2-15:2016', 'iec'],
    ['IEC 60335-1:2010+AMD1:2013', 'IEC 60335-1:2010+AMD1:2013', 'iec'],
    ['EN 12464-1:2021', 'EN 12464-1:2021', 'en'],
    ['EN 71-3:2019+A1:2021', 'EN 71-3:2019+A1:2021', 'en'],
    ['EN ISO 12100:2010', 'EN ISO 12100:2010', 'en'],
    ['JIS C 9612:2013', 'JIS C 9612:2013', 'jis'],
    ['JISC9612:2013', 'JIS C 9612:2013', 'jis'],
    ['ASTM D3359-17', 'ASTM D3359-17', 'astm'],
    ['ASTM D 3359—17', 'ASTM D3359-17', 'astm'],
    ['ASTM E84-21a', 'ASTM E84-21a', 'astm'],
    ['ASTM A36/A36M-19', 'ASTM A36/A36M-19', 'astm'],
  ])('%s -> %s (%s)', (raw, expected, fam) => {
    expect(normal(raw)).toBe(expected);
    expect(family(raw)).toBe(fam);
  });

  it.each(['ISO', 'ISO 16358-1:13x', 'ISO 16358-1:13', 'ISO abc', 'IEC', 'IEC 60335-2-15:', 'EN', 'EN x1', 'ASTM', 'ASTM 3359', 'ASTM Z12-17', 'JIS', 'JIS 9612:2013', 'JIS C 96:2013'])(
    'rejects %s',
    (raw) => {
      expect(normalizeStandardNumber(raw)).toEqual({ ok: false, code: 'invalid_standard_number' });
    },
  );
});

describe('normalizeStandardNumber: other bodies and regulations', () => {
  it.each([
    ['OEKO-TEX STANDARD 100', 'OEKO-TEX STANDARD 100'],
    ['EU 2019/2020', 'EU 2019/2020'],
    ['  UL   94 ', 'UL 94'],
    ['BS EN 1234:2000', 'BS EN 1234:2000'],
    ['ISOFIX seat', 'ISOFIX seat'],
    ['ENERGY STAR v8.0', 'ENERGY STAR v8.0'],
    ['ＯＥＫＯ－ＴＥＸ　ＳＴＡＮＤＡＲＤ　100', 'OEKO-TEX STANDARD 100'],
  ])('%s -> %s', (raw, expected) => {
    expect(normal(raw)).toBe(expected);
    expect(family(raw)).toBe('other');
  });

  it('rejects empty text', () => {
    expect(normalizeStandardNumber('')).toEqual({ ok: false, code: 'invalid_standard_number' });
    expect(normalizeStandardNumber(' \u3000 ')).toEqual({ ok: false, code: 'invalid_standard_number' });
  });

  it('is idempotent: the normal form normalizes to itself', () => {
    const samples = fc.oneof(
      fc.constantFrom('GB/T1.2—2020', 'ＧＢ／Ｔ 1.2-2020', 'T/CAS 115-2005', 'ISO 16358-1:2013', 'JISC9612:2013', 'ASTM D 3359-17', 'q/gdw 1168-2013'),
      fc.string(),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(samples, (raw) => {
        const first = normalizeStandardNumber(raw);
        if (!first.ok) return;
        expect(normalizeStandardNumber(first.number)).toEqual(first);
      }),
    );
  });
});

describe('adoption degree', () => {
  it('counts IDT, MOD and EQV as adoption, not NEQ', () => {
    expect(adoptionCounts('IDT')).toBe(true);
    expect(adoptionCounts('MOD')).toBe(true);
    expect(adoptionCounts('EQV')).toBe(true);
    expect(adoptionCounts('NEQ')).toBe(false);
  });

  it('treats EQV as MOD', () => {
    expect(normalizeAdoptionDegree('EQV')).toBe('MOD');
    expect(normalizeAdoptionDegree('IDT')).toBe('IDT');
    expect(normalizeAdoptionDegree('MOD')).toBe('MOD');
    expect(normalizeAdoptionDegree('NEQ')).toBe('NEQ');
  });
});
