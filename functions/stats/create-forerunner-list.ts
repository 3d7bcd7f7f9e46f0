/** POST /v1/schemes/{id}/forerunner-lists: snapshot the accepted forerunners under public notice (national). */
import { created, httpHandler } from '../../shared/http/handler.ts';
import { SchemeParams } from '../../shared/schemas/schemes.ts';
import { CreateForerunnerListBody } from '../../shared/schemas/stats.ts';
import { createForerunnerList, presentForerunnerList } from '../../shared/services/forerunners.ts';

export const handler = httpHandler(
  { params: SchemeParams, body: CreateForerunnerListBody, roles: ['national'], idempotent: true },
  async ({ params, body, principal }) => {
    const list = await createForerunnerList(principal, params.id, body.noticeDays);
    return created(`/v1/schemes/${params.id}/forerunner-lists/${list.id}`, presentForerunnerList(list, new Date()));
  },
);
