/** GET /v1/experts/{id}. */
import { getMemberHandler } from './members.ts';

export const handler = getMemberHandler('expert');
