/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { Enterprise } from './enterprises.docs.ts';
import { PublicResult } from './stats.docs.ts';

export const ForerunnerTitle = z
  .object({
    listId: Id,
    schemeId: Id,
    schemeName: z.string(),
    product: z.string(),
    standardNumber: z.string(),
    rank: z.number().int(),
    state: z.enum(['public_notice', 'published']).meta({ description: '公示中 until noticeEndsAt, then 已发布' }),
    listedAt: Timestamp,
    noticeEndsAt: Timestamp,
  })
  .meta({ id: 'ForerunnerTitle', description: 'A place on a forerunner list (领跑者)' });

export const EnterpriseShowcase = Enterprise.omit({ createdAt: true })
  .extend({
    results: z.array(PublicResult).meta({ description: 'Accepted results, newest acceptance first' }),
    forerunnerTitles: z.array(ForerunnerTitle).meta({ description: 'Newest list first' }),
  })
  .meta({ id: 'EnterpriseShowcase' });
