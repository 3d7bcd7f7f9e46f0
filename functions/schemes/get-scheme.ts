import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentScheme } from '../../shared/http/presenters.ts';
import { SchemeParams } from '../../shared/schemas/schemes.ts';
import { getScheme } from '../../shared/store/schemes.ts';

export const handler = httpHandler(
  { params: SchemeParams, roles: ['national', 'province', 'city', 'enterprise', 'expert'] },
  async ({ params }) => {
    const scheme = await getScheme(params.id);
    if (!scheme) throw notFound('scheme');
    return ok(presentScheme(scheme), { ETag: etag(scheme.version) });
  },
);
