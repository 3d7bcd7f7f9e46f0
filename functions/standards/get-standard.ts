import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentStandard } from '../../shared/http/presenters.ts';
import { StandardParams } from '../../shared/schemas/standards.ts';
import { getStandard } from '../../shared/store/standards.ts';

export const handler = httpHandler(
  { params: StandardParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params }) => {
    const standard = await getStandard(params.id);
    if (!standard) throw notFound('standard');
    return ok(presentStandard(standard));
  },
);
