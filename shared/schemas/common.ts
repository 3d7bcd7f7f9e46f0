import * as z from 'zod/mini';
import { isValidCreditCode } from '../domain/credit-code.ts';
import { isValidDivisionCode } from '../domain/division-code.ts';
import { normalizeStandardNumber } from '../domain/standard-number.ts';
import { normalizeText } from '../domain/text.ts';

/*
 * Request schemas on zod/mini (see openapi.ts). Metadata for the OpenAPI document:
 * register() on a schema built in place; check(z.meta()) on a shared one, which
 * makes a described copy instead of changing it for every user.
 */

/** A refinement failure carrying a stable issue code (errors[].code). */
const failWith = (code: string) => ({ params: { code } });

export const CreditCode = z
  .string()
  .check(z.trim(), z.toUpperCase(), z.refine(isValidCreditCode, failWith('invalid_credit_code')))
  .register(z.globalRegistry, {
    description: '统一社会信用代码 (GB 32100-2015), 18 characters with a check character',
    example: '91350100M000100Y43',
  });

export const DivisionCode = z
  .string()
  .check(z.trim(), z.refine(isValidDivisionCode, failWith('invalid_division_code')))
  .register(z.globalRegistry, { description: 'GB/T 2260 six-digit division code', example: '330100' });

export const StandardNumber = z
  .pipe(
    z.string().check(z.maxLength(100)),
    z.transform((raw: string, ctx) => {
      const parsed = normalizeStandardNumber(raw);
      if (!parsed.ok) {
        // A mini transform's context is the parse payload: issues go straight onto it.
        ctx.issues.push({ code: 'custom', message: parsed.code, params: { code: parsed.code }, input: raw });
        return z.NEVER;
      }
      return parsed.number;
    }),
  )
  .register(z.globalRegistry, {
    description:
      'A standard number; full-width characters, dashes and spacing are normalised (GB/T1.2—2020 → GB/T 1.2-2020)',
    example: 'ISO 16358-1:2013',
  });

/** Free text people type: NFKC, trimmed, runs of spaces collapsed. */
export const Text = (max: number) =>
  z.pipe(z.pipe(z.string(), z.transform(normalizeText)), z.string().check(z.minLength(1), z.maxLength(max)));

export const Industry = Text(64).register(z.globalRegistry, { description: '业态 (industry), free text', example: '家用电器' });

export const Id = z.string().check(z.minLength(1), z.maxLength(64));

export const Role = z.enum(['national', 'province', 'city', 'enterprise', 'expert']);
export type Role = z.infer<typeof Role>;

export const Field = z.enum(['consumer', 'equipment', 'service', 'other']);

export const Limit = z
  ._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20)
  .register(z.globalRegistry, { description: 'Page size, 1-100' });

export const Cursor = z
  .optional(z.string().check(z.maxLength(2048)))
  .register(z.globalRegistry, { description: 'Opaque cursor from nextCursor' });

export const ListQuery = z.object({ limit: Limit, cursor: Cursor });
