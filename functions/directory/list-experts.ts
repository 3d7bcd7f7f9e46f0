/** GET /v1/experts?schemeId=&field=&divisionCode=. */
import { listMembersHandler } from './members.ts';

export const handler = listMembersHandler('expert');
