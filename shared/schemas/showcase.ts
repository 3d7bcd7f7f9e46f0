import * as z from 'zod';
import { CreditCode } from './common.ts';

export const ShowcaseParams = z.object({ creditCode: CreditCode });
