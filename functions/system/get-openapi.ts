import { httpHandler } from '../../shared/http/handler.ts';
import { buildOpenApiDocument } from '../../shared/schemas/openapi.ts';

let document: string | undefined;

export const handler = httpHandler({}, () => {
  // Built once per container: the route table does not change at run time.
  document ??= JSON.stringify(buildOpenApiDocument());
  return {
    status: 200,
    text: document,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
  };
});
