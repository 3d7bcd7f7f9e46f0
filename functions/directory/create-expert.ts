/** POST /v1/experts (national). */
import { createMemberHandler } from './members.ts';

export const handler = createMemberHandler('expert');
