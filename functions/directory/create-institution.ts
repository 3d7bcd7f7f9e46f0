/** POST /v1/institutions (national). */
import { createMemberHandler } from './members.ts';

export const handler = createMemberHandler('institution');
