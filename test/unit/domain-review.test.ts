import { describe, expect, it } from 'vitest';
import { decide, type Decision, type ReviewStatus } from '../../shared/domain/review.ts';
import type { Principal } from '../../shared/domain/territory.ts';

const national: Principal = { clientId: 'n', role: 'national', territory: '' };
const zhejiang: Principal = { clientId: 'p', role: 'province', territory: '330000' };
const hangzhou: Principal = { clientId: 'c', role: 'city', territory: '330100' };
const ningbo: Principal = { clientId: 'c2', role: 'city', territory: '330200' };

const declaration = (status: ReviewStatus, latest = true) => ({ status, divisionCode: '330106', latest });

describe('review state machine', () => {
  it('walks compared → city_recommended → province_recommended → accepted', () => {
    expect(decide(hangzhou, declaration('compared'), 'recommend')).toMatchObject({ ok: true, from: 'compared', to: 'city_recommended' });
    expect(decide(zhejiang, declaration('city_recommended'), 'recommend')).toMatchObject({ ok: true, to: 'province_recommended' });
    expect(decide(national, declaration('province_recommended'), 'accept')).toMatchObject({ ok: true, to: 'accepted' });
  });

  it('lets the province decide at the city step, but not a city at the province step', () => {
    expect(decide(zhejiang, declaration('compared'), 'recommend')).toMatchObject({ ok: true, to: 'city_recommended' });
    expect(decide(hangzhou, declaration('city_recommended'), 'recommend')).toMatchObject({ ok: false, reason: 'not_your_step', step: 'province' });
  });

  it('keeps each step to its reviewer: another city, national early, a province at the national step', () => {
    expect(decide(ningbo, declaration('compared'), 'recommend')).toMatchObject({ ok: false, reason: 'not_your_step' });
    expect(decide(national, declaration('compared'), 'recommend')).toMatchObject({ ok: false, reason: 'not_your_step', step: 'city' });
    expect(decide(national, declaration('city_recommended'), 'accept')).toMatchObject({ ok: false, reason: 'not_your_step' });
    expect(decide(zhejiang, declaration('province_recommended'), 'recommend')).toMatchObject({ ok: false, reason: 'not_your_step', step: 'national' });
  });

  it('returns from every step by its reviewer', () => {
    const cases: [Principal, ReviewStatus][] = [
      [hangzhou, 'compared'],
      [zhejiang, 'city_recommended'],
      [national, 'province_recommended'],
    ];
    for (const [who, status] of cases) expect(decide(who, declaration(status), 'return')).toMatchObject({ ok: true, to: 'returned' });
  });

  it('refuses decisions not open at the step', () => {
    const wrong: [Principal, ReviewStatus, Decision][] = [
      [hangzhou, 'compared', 'accept'],
      [zhejiang, 'city_recommended', 'accept'],
      [national, 'province_recommended', 'recommend'],
    ];
    for (const [who, status, decision] of wrong) {
      expect(decide(who, declaration(status), decision)).toMatchObject({ ok: false, reason: 'decision_not_allowed' });
    }
  });

  it('has nothing to decide before the comparison, after the end, or on a superseded revision', () => {
    for (const status of ['submitted', 'accepted', 'returned'] as const) {
      expect(decide(national, declaration(status), 'return')).toMatchObject({ ok: false, reason: 'not_under_review' });
    }
    expect(decide(hangzhou, declaration('compared', false), 'recommend')).toMatchObject({ ok: false, reason: 'superseded' });
  });
});
