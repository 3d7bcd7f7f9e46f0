import * as z from 'zod/mini';
import { Id, Text } from './common.ts';
import { DeclarationStatus } from './declarations.ts';

export const Decision = z.enum(['recommend', 'accept', 'return']).register(z.globalRegistry, {
  description:
    'recommend: at the city step (the city bureau of the enterprise’s city, or its province) or the province step (the province); accept: national, at the national step; return: the reviewer of the current step, with a comment',
});

export const CreateReviewBody = z
  .strictObject({
    decision: Decision,
    comment: z.optional(Text(1000)).register(z.globalRegistry, { description: 'Why; required when returning' }),
    fromStatus: z.optional(DeclarationStatus).register(z.globalRegistry, {
      description:
        'The status the decision is meant for (the one you saw). When the declaration has moved on, 409 instead of a decision at the next step: a province, reviewer of two steps, cannot then recommend twice by racing the city.',
    }),
  })
  .register(z.globalRegistry, { id: 'CreateReviewRequest' });

export const ReviewParams = z.object({ id: Id, reviewId: Id });
