/** Reference data the tests declare against, created through the API. */
import type { ApiClient } from '../../infra/local/api-client.ts';
import { creditCodeCheckCharacter } from '../../shared/domain/credit-code.ts';

/** A valid credit code registered in `division`. */
export function creditCode(division: string, serial: number): string {
  const first17 = `91${division}MA${String(serial).padStart(7, '0')}`;
  return first17 + creditCodeCheckCharacter(first17)!;
}

export const textileStandard = {
  number: 'OEKO-TEX STANDARD 100',
  title: 'OEKO-TEX 生态纺织品标准100',
  org: 'OEKO-TEX',
  kind: 'foreign',
};

export const textileScheme = {
  name: '婴幼儿纺织品（A类）对标技术方案',
  productCategory: '婴幼儿纺织品',
  industry: '纺织服装',
  field: 'consumer',
  indicators: [
    { code: 'lead', name: '铅', unit: 'mg/kg', requirement: 'max', core: true, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 90 }] },
    { code: 'cadmium', name: '镉', unit: 'mg/kg', requirement: 'max', core: true, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 40 }] },
    { code: 'phthalates', name: '邻苯二甲酸酯', unit: '%', requirement: 'max', benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: 0.1 }] },
    { code: 'ph', name: 'pH值', unit: 'pH', requirement: 'range', core: true, benchmarks: [{ standard: 'OEKO-TEX STANDARD 100', value: [4.0, 7.5] }] },
  ],
};

export const textileIndicators = [
  { code: 'lead', value: 90 },
  { code: 'cadmium', value: 100 },
  { code: 'phthalates', value: 0.1 },
  { code: 'ph', value: [4.0, 7.5] },
];

export async function createTextileScheme(admin: ApiClient): Promise<{ id: string; version: number }> {
  const existing = await admin.request('POST', '/v1/standards', textileStandard);
  if (existing.status !== 201 && existing.status !== 409) throw new Error(`standard: ${existing.status}`);
  return admin.call('POST', '/v1/schemes', textileScheme);
}

export async function createEnterprise(
  creator: ApiClient,
  code: string,
  divisionCode: string,
  name = `企业 ${code.slice(-6)}`,
): Promise<void> {
  await creator.call('POST', '/v1/enterprises', { creditCode: code, name, divisionCode, industry: '纺织服装' });
}
