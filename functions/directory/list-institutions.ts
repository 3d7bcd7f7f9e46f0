/** GET /v1/institutions?schemeId=&field=&divisionCode=. */
import { listMembersHandler } from './members.ts';

export const handler = listMembersHandler('institution');
