/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';
import { Id, Role } from './common.ts';
import { Timestamp } from './common.docs.ts';
import { DeclarationStatus } from './declarations.ts';
import { Decision } from './reviews.ts';

export const Review = z
  .object({
    id: Id,
    declarationId: Id,
    decision: Decision,
    fromStatus: DeclarationStatus,
    status: DeclarationStatus.check(z.meta({ description: 'The declaration’s status after the decision' })),
    comment: z.string().nullable(),
    reviewer: z.object({ clientId: z.string(), role: Role, territory: z.string() }),
    decidedAt: Timestamp,
  })
  .meta({ id: 'Review' });
