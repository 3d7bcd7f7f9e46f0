/** GET /v1/schemes/{id}/forerunner-lists/{listId}: one list with its state now. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { ForerunnerListParams } from '../../shared/schemas/stats.ts';
import { presentForerunnerList } from '../../shared/services/forerunners.ts';
import { getForerunnerList } from '../../shared/store/forerunner-lists.ts';

export const handler = httpHandler(
  { params: ForerunnerListParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params }) => {
    const list = await getForerunnerList(params.id, params.listId);
    if (!list) throw notFound('forerunner list');
    return ok(presentForerunnerList(list, new Date()));
  },
);
