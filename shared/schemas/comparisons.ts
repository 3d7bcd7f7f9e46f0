import * as z from 'zod/mini';
import { Id } from './common.ts';

export const ComparisonParams = z.object({ id: Id });
