import * as z from 'zod/mini';
import { CreditCode } from './common.ts';

export const ShowcaseParams = z.object({ creditCode: CreditCode });
