/** PUT /v1/experts/{id} (national, If-Match): new fields, region or scheme assignments. */
import { updateMemberHandler } from './members.ts';

export const handler = updateMemberHandler('expert');
