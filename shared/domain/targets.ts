/**
 * KPIs and campaign targets (domain.md §1, §4). The campaign names its targets
 * but not how a city becomes a "standard-internationalization innovative city"
 * or an industry a "leading industry" (先导业态); the platform measures both by
 * the campaign's own consistency yardstick, so progress follows from the data:
 *
 * - an innovative city is a participating city (enrolled in a round) whose
 *   latest compared declarations, at least MIN_COMPARED of them, reach the 95%
 *   indicator consistency target;
 * - a leading industry is an industry (业态) whose latest compared declarations
 *   nationwide, at least MIN_COMPARED of them, reach the same 95%.
 *
 * Forerunners count the entries of each scheme's newest forerunner list, split
 * by its state (published or under public notice).
 */
import { type AdoptionDegree, adoptionCounts, normalizeStandardNumber } from './standard-number.ts';
import { indicatorConsistency, type Metrics } from './aggregates.ts';

export const CAMPAIGN_TARGETS = {
  /** Cities per round (批): 30 from 2018-01, 50 from 2018-09, 20 from 2019-01. */
  citiesPerRound: { 1: 30, 2: 50, 3: 20 } as Record<1 | 2 | 3, number>,
  innovativeCities: 10,
  leadingIndustries: 50,
  forerunners: 1000,
  /** Indicator consistency of key consumer goods: at least 95%. */
  indicatorConsistency: 0.95,
  /** International standard adoption rate of key equipment fields: over 90%. */
  adoptionRate: 0.9,
} as const;

/** Below this many compared declarations a city or industry is not judged. */
export const MIN_COMPARED = 10;

/** Whether a city's or industry's figures reach the innovative / leading bar. */
export function reachesConsistencyBar(m: Pick<Metrics, 'compared' | 'verdictsAgreeing' | 'verdictsCompared'>): boolean {
  const consistency = indicatorConsistency(m);
  return m.compared >= MIN_COMPARED && consistency !== null && consistency >= CAMPAIGN_TARGETS.indicatorConsistency;
}

/** ISO and IEC numbers (ISO/IEC joint ones included) by the number's own pattern. */
export function isIsoIec(number: string): boolean {
  const parsed = normalizeStandardNumber(number);
  return parsed.ok && (parsed.family === 'iso' || parsed.family === 'iec');
}

export interface AdoptionRate {
  value: number | null;
  adopted: number;
  total: number;
  target: number;
}

/** Adoption rate over the ISO/IEC standards given (one entry per standard). */
export function adoptionRate(standards: { number: string; degree?: AdoptionDegree }[]): AdoptionRate {
  const international = standards.filter((s) => isIsoIec(s.number));
  const adopted = international.filter((s) => s.degree !== undefined && adoptionCounts(s.degree)).length;
  return {
    value: international.length > 0 ? Math.round((adopted / international.length) * 1e4) / 1e4 : null,
    adopted,
    total: international.length,
    target: CAMPAIGN_TARGETS.adoptionRate,
  };
}
