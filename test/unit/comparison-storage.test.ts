/**
 * How a comparison is stored (shared/store/comparisons.ts): the result's
 * summary as it is, its indicators gzip'd, so that a comparison of a few
 * indicators is one write unit and reads back whole.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemBytes } from '../../infra/cost/prices.ts';
import { compareWithScheme } from '../../shared/domain/comparison.ts';
import { type ComparisonRecord, comparisonItem, comparisonOfItem, resultOf } from '../../shared/store/comparisons.ts';
import { infantTextiles } from './domain-fixtures.ts';

function comparison(): ComparisonRecord {
  const result = compareWithScheme({ indicators: infantTextiles() }, [
    { code: 'lead', value: 60 },
    { code: 'cadmium', value: 30 },
    { code: 'phthalates', value: 0.1 },
    { code: 'ph', value: [4.5, 7.0] },
  ]);
  return {
    id: '01JCMPAAAAAAAAAAAAAAAAAAAA',
    declarationId: '01JDECLAAAAAAAAAAAAAAAAAAA',
    creditCode: '91330106MA00000016',
    divisionCode: '330106',
    schemeId: '01JSCHEMEAAAAAAAAAAAAAAAAA',
    schemeVersion: 3,
    status: 'succeeded',
    result,
    reports: { zh: { html: 'comparisons/01JCMP/report.zh.html', json: 'comparisons/01JCMP/report.zh.json' } },
    createdAt: '2026-11-28T10:00:00.000Z',
    completedAt: '2026-11-28T10:00:00.200Z',
    createdBy: 'province-330000',
  };
}

describe('stored comparisons', () => {
  it('keep a result of four indicators within one kilobyte, a single write unit', () => {
    const record = comparison();
    const plain = marshall({ ...record }, { removeUndefinedValues: true });
    const stored = marshall(comparisonItem(record), { removeUndefinedValues: true });

    expect(itemBytes(plain as never)).toBeGreaterThan(1024);
    expect(itemBytes(stored as never)).toBeLessThanOrEqual(1024);
  });

  it('read back the whole result, and leave the summary readable for stream consumers', () => {
    const record = comparison();
    const item = comparisonItem(record);

    expect(comparisonOfItem(item)).toEqual(record);
    expect(item.result).toEqual({ meets: record.result!.meets, level: record.result!.level, consistency: record.result!.consistency, score: record.result!.score });
  });

  it('have no result while running', () => {
    const running: ComparisonRecord = { ...comparison(), status: 'running', schemeVersion: null, result: undefined, reports: undefined, completedAt: undefined };
    const item = comparisonItem(running);

    expect(resultOf(item)).toBeUndefined();
    expect(comparisonOfItem(item).result).toBeUndefined();
  });
});
