/** GET /v1/institutions/{id}. */
import { getMemberHandler } from './members.ts';

export const handler = getMemberHandler('institution');
