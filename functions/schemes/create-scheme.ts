import { ulid } from 'ulid';
import { created, etag, httpHandler } from '../../shared/http/handler.ts';
import { presentScheme } from '../../shared/http/presenters.ts';
import { SchemeBody } from '../../shared/schemas/schemes.ts';
import { toSchemeDefinition } from '../../shared/services/schemes.ts';
import { createScheme, type SchemeRecord } from '../../shared/store/schemes.ts';
import { nowIso } from '../../shared/store/table.ts';

export const handler = httpHandler(
  { body: SchemeBody, roles: ['national'], idempotent: true },
  async ({ body, principal }) => {
    const now = nowIso();
    const scheme: SchemeRecord = {
      id: ulid(),
      version: 1,
      ...(await toSchemeDefinition(body)),
      createdAt: now,
      updatedAt: now,
      updatedBy: principal.clientId,
    };
    await createScheme(scheme);
    return created(`/v1/schemes/${scheme.id}`, presentScheme(scheme), { ETag: etag(scheme.version) });
  },
);
