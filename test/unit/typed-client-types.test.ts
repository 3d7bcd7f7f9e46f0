/** The committed client types are what `npm run generate:client` makes from the current document. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, clientTypesSource } from '../../infra/scripts/generate-client.ts';

describe('shared/client/api-types.ts', () => {
  it('is up to date with the OpenAPI document (run `npm run generate:client` after changing routes or schemas)', async () => {
    const committed = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    const generated = await clientTypesSource();
    expect(committed === generated, 'shared/client/api-types.ts is stale: run `npm run generate:client`').toBe(true);
  });
});
