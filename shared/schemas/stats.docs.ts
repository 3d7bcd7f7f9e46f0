/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { CreditCode, Field, Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { GroupBy } from './stats.ts';

const Rate = z.number().min(0).max(1);

export const StatsGroup = z
  .object({
    key: z.string().meta({ description: 'Six-digit division code, industry, scheme id, or round (1, 2, 3, none)' }),
    enterprises: z.number().int(),
    declarations: z.number().int(),
    compared: z.number().int(),
    meeting: z.number().int(),
    meetingRate: Rate.nullable().meta({ description: 'meeting ÷ compared; null when nothing is compared' }),
    levels: z.object({
      superior: z.number().int(),
      partially_superior: z.number().int(),
      equivalent: z.number().int(),
      below: z.number().int(),
    }),
    meanConsistency: Rate.nullable(),
    forerunners: z.number().int().meta({ description: 'How many of the group’s declarations are forerunners now' }),
  })
  .meta({ id: 'StatsGroup' });

export const Stats = z
  .object({
    groupBy: GroupBy,
    schemeId: z.string().nullable(),
    divisionCode: z.string().nullable().meta({ description: 'The area counted: the filter within the territory; null for the nation' }),
    groups: z.array(StatsGroup),
  })
  .meta({ id: 'Stats', description: 'Latest declaration per enterprise, scheme and product, with its latest successful comparison (domain.md §4)' });

const Progress = z.object({ target: z.number().int(), current: z.number().int() });

export const Kpis = z
  .object({
    field: z.nullable(Field),
    divisionCode: z.string().nullable(),
    indicatorConsistency: z.object({
      value: Rate.nullable().meta({ description: '(stricter + equal) ÷ compared verdicts of the latest comparisons, in the caller’s territory' }),
      agreeing: z.number().int(),
      compared: z.number().int(),
      target: Rate,
    }),
    adoptionRate: z.object({
      value: Rate.nullable().meta({ description: 'ISO/IEC standards of the field’s schemes adopted IDT or MOD (EQV as MOD) ÷ ISO/IEC standards of those schemes' }),
      adopted: z.number().int(),
      total: z.number().int(),
      target: Rate,
    }),
    targets: z.object({
      cities: Progress.extend({
        byRound: z.array(Progress.extend({ round: z.number().int() })),
      }),
      innovativeCities: Progress.extend({
        criteria: z.string().meta({ description: 'How a city counts' }),
      }),
      leadingIndustries: Progress.extend({ criteria: z.string() }),
      forerunners: Progress.extend({
        underNotice: z.number().int().meta({ description: 'On lists still under public notice (not in current)' }),
      }),
    }),
  })
  .meta({ id: 'Kpis', description: 'Targets are campaign-wide; indicator consistency is within the caller’s territory' });

export const RankingEntry = z
  .object({
    rank: z.number().int().min(1),
    declarationId: Id,
    creditCode: z.string(),
    score: z.number(),
    stricterCount: z.number().int(),
    forerunner: z.boolean(),
  })
  .meta({ id: 'RankingEntry' });

export const Ranking = z
  .object({
    schemeId: Id,
    leaderShare: z.number(),
    ranked: z.number().int().meta({ description: 'n: latest declarations whose latest comparison meets' }),
    forerunnerCount: z.number().int().meta({ description: 'max(1, ceil(leaderShare × n − 1e-9)), 0 when n is 0' }),
    items: z.array(RankingEntry),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'Ranking', description: 'Every meeting declaration in rank order; a bureau sees the entries in its territory, ranked within the whole' });

export const ForerunnerListState = z.enum(['public_notice', 'published']).meta({
  description: 'public_notice (公示中) until noticeEndsAt, then published (已发布)',
});

export const ForerunnerEntry = z.object({
  rank: z.number().int(),
  creditCode: CreditCode,
  enterpriseName: z.string(),
  divisionCode: z.string(),
  product: z.string(),
  standardNumber: z.string(),
  score: z.number(),
  stricterCount: z.number().int(),
  level: z.string(),
});

export const ForerunnerList = z
  .object({
    id: Id,
    schemeId: Id,
    schemeName: z.string(),
    state: ForerunnerListState,
    noticeDays: z.number().int(),
    createdAt: Timestamp,
    noticeEndsAt: Timestamp,
    ranked: z.number().int().meta({ description: 'n: accepted declarations that meet' }),
    leaderShare: z.number(),
    entries: z.array(ForerunnerEntry),
  })
  .meta({ id: 'ForerunnerList' });

export const PublicResult = z
  .object({
    schemeId: Id,
    schemeName: z.string().nullable(),
    creditCode: z.string(),
    enterpriseName: z.string(),
    divisionCode: z.string(),
    product: z.string(),
    standardNumber: z.string(),
    meets: z.boolean(),
    level: z.string(),
    consistency: Rate.nullable(),
    score: z.number(),
    acceptedAt: Timestamp,
  })
  .meta({ id: 'PublicResult' });
