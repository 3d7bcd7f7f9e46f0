/**
 * `npm run generate:client`: TypeScript types of the API, generated with
 * openapi-typescript from the same OpenAPI document /openapi.json serves, into
 * shared/client/api-types.ts (committed; a test checks it is up to date).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../shared/schemas/openapi.ts';

export const CLIENT_TYPES_FILE = resolve(import.meta.dirname, '../../shared/client/api-types.ts');

export async function clientTypesSource(): Promise<string> {
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as Parameters<typeof openapiTS>[0];
  const ast = await openapiTS(document, { alphabetize: true });
  return `${COMMENT_HEADER.replace(' */', ' * Regenerate with `npm run generate:client` after changing routes or schemas.\n */')}${astToString(ast)}`;
}

if (import.meta.main) {
  writeFileSync(CLIENT_TYPES_FILE, await clientTypesSource());
  console.log(`wrote ${CLIENT_TYPES_FILE}`);
}
