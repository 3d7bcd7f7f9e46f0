/** PUT /v1/institutions/{id} (national, If-Match): new fields, region or scheme assignments. */
import { updateMemberHandler } from './members.ts';

export const handler = updateMemberHandler('institution');
