import { etag, httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound, preconditionFailed, preconditionRequired } from '../../shared/http/errors.ts';
import { presentScheme } from '../../shared/http/presenters.ts';
import { header } from '../../shared/http/request.ts';
import { SchemeBody, SchemeParams } from '../../shared/schemas/schemes.ts';
import { toSchemeDefinition } from '../../shared/services/schemes.ts';
import { getScheme, saveSchemeVersion, type SchemeRecord } from '../../shared/store/schemes.ts';
import { nowIso } from '../../shared/store/table.ts';

/** `"3"`, `W/"3"` or `3` → 3. */
function versionFromIfMatch(value: string): number | undefined {
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

export const handler = httpHandler(
  { params: SchemeParams, body: SchemeBody, roles: ['national'] },
  async ({ params, body, principal, event }) => {
    const ifMatch = header(event, 'if-match');
    if (!ifMatch) throw preconditionRequired();
    const current = await getScheme(params.id);
    if (!current) throw notFound('scheme');
    const expected = versionFromIfMatch(ifMatch);
    if (expected !== current.version) throw preconditionFailed();
    const next: SchemeRecord = {
      ...(await toSchemeDefinition(body)),
      id: current.id,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: nowIso(),
      updatedBy: principal.clientId,
    };
    if ((await saveSchemeVersion(next, current.version)) === 'stale') throw preconditionFailed();
    return ok(presentScheme(next), { ETag: etag(next.version) });
  },
);
