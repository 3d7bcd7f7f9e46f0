import { ulid } from 'ulid';
import { created, httpHandler } from '../../shared/http/handler.ts';
import { duplicate } from '../../shared/http/errors.ts';
import { presentStandard } from '../../shared/http/presenters.ts';
import { CreateStandardBody } from '../../shared/schemas/standards.ts';
import { putStandard, type StandardRecord } from '../../shared/store/standards.ts';
import { nowIso } from '../../shared/store/table.ts';

export const handler = httpHandler(
  { body: CreateStandardBody, roles: ['national'], idempotent: true },
  async ({ body, principal }) => {
    const standard: StandardRecord = {
      id: ulid(),
      number: body.number,
      title: body.title,
      titleEn: body.titleEn,
      aliases: body.aliases ?? [],
      org: body.org,
      kind: body.kind,
      adoption: body.adoption,
      createdAt: nowIso(),
      createdBy: principal.clientId,
    };
    if ((await putStandard(standard)) === 'exists') {
      throw duplicate('detail.duplicate_standard', { number: standard.number });
    }
    return created(`/v1/standards/${standard.id}`, presentStandard(standard));
  },
);
