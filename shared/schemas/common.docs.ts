/** Only for the OpenAPI document (see openapi.ts): no function imports this module. */
import * as z from 'zod';

export const Timestamp = z.iso.datetime().meta({ description: 'ISO 8601 UTC time' });

export const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({ items: z.array(item), nextCursor: z.string().nullable() })
    .meta({ id, description: 'One page; only nextCursor: null ends the list' });

export const ProblemIssue = z
  .object({
    path: z.string().meta({ example: 'indicators.2.unit' }),
    code: z.string().meta({ example: 'invalid_credit_code' }),
    message: z.string(),
  })
  .meta({ id: 'ProblemIssue' });

export const Problem = z
  .object({
    type: z.string().meta({ example: '/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(ProblemIssue).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
