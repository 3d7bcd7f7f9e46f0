import { describe, expect, it } from 'vitest';
import { adoptionRate, isIsoIec, reachesConsistencyBar } from '../../shared/domain/targets.ts';

describe('adoption rate (domain.md §4)', () => {
  it('counts ISO and IEC standards adopted IDT, MOD or EQV over every ISO and IEC standard', () => {
    const rate = adoptionRate([
      { number: 'ISO 16358-1:2013', degree: 'MOD' },
      { number: 'IEC 60335-2-15:2016', degree: 'IDT' },
      { number: 'ISO/IEC 17025:2017', degree: 'EQV' },
      { number: 'ISO 3864-1:2011', degree: 'NEQ' },
      { number: 'ISO 9001:2015' },
      { number: 'JIS C 9612:2013', degree: 'IDT' },
      { number: 'EN 12464-1:2021', degree: 'IDT' },
    ]);
    expect(rate).toEqual({ value: 0.6, adopted: 3, total: 5, target: 0.9 });
  });

  it('is null without any ISO/IEC standard', () => {
    expect(adoptionRate([{ number: 'OEKO-TEX STANDARD 100' }]).value).toBeNull();
    expect(isIsoIec('GB/T 1.2-2020')).toBe(false);
  });
});

describe('innovative cities and leading industries', () => {
  it('need ten compared declarations and 95% indicator consistency', () => {
    expect(reachesConsistencyBar({ compared: 10, verdictsAgreeing: 95, verdictsCompared: 100 })).toBe(true);
    expect(reachesConsistencyBar({ compared: 9, verdictsAgreeing: 100, verdictsCompared: 100 })).toBe(false);
    expect(reachesConsistencyBar({ compared: 10, verdictsAgreeing: 94, verdictsCompared: 100 })).toBe(false);
  });
});
