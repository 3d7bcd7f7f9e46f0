import * as z from 'zod';
import { Id } from './common.ts';

export const ComparisonParams = z.object({ id: Id });
