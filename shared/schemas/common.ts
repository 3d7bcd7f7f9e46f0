import * as z from 'zod';
import { isValidCreditCode } from '../domain/credit-code.ts';
import { isValidDivisionCode } from '../domain/division-code.ts';
import { normalizeStandardNumber } from '../domain/standard-number.ts';
import { normalizeText } from '../domain/text.ts';

/** A refinement failure carrying a stable issue code (errors[].code). */
const failWith = (code: string) => ({ params: { code } });

export const CreditCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isValidCreditCode, failWith('invalid_credit_code'))
  .meta({
    description: '统一社会信用代码 (GB 32100-2015), 18 characters with a check character',
    example: '91350100M000100Y43',
  });

export const DivisionCode = z
  .string()
  .trim()
  .refine(isValidDivisionCode, failWith('invalid_division_code'))
  .meta({ description: 'GB/T 2260 six-digit division code', example: '330100' });

export const StandardNumber = z
  .string()
  .max(100)
  .transform((raw, ctx) => {
    const parsed = normalizeStandardNumber(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.code, params: { code: parsed.code } });
      return z.NEVER;
    }
    return parsed.number;
  })
  .meta({
    description:
      'A standard number; full-width characters, dashes and spacing are normalised (GB/T1.2—2020 → GB/T 1.2-2020)',
    example: 'ISO 16358-1:2013',
  });

/** Free text people type: NFKC, trimmed, runs of spaces collapsed. */
export const Text = (max: number) =>
  z
    .string()
    .transform(normalizeText)
    .pipe(z.string().min(1).max(max));

export const Industry = Text(64).meta({ description: '业态 (industry), free text', example: '家用电器' });

export const Id = z.string().min(1).max(64);

export const Role = z.enum(['national', 'province', 'city', 'enterprise', 'expert']);
export type Role = z.infer<typeof Role>;

export const Field = z.enum(['consumer', 'equipment', 'service', 'other']);

export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .meta({ description: 'Page size, 1-100' });

export const Cursor = z.string().max(2048).optional().meta({ description: 'Opaque cursor from nextCursor' });

export const ListQuery = z.object({ limit: Limit, cursor: Cursor });
