import { canSeeDivision } from '../../shared/domain/territory.ts';
import { created, httpHandler } from '../../shared/http/handler.ts';
import { duplicate, invalidField } from '../../shared/http/errors.ts';
import { presentEnterprise } from '../../shared/http/presenters.ts';
import { CreateEnterpriseBody } from '../../shared/schemas/enterprises.ts';
import { type EnterpriseRecord, putEnterprise } from '../../shared/store/enterprises.ts';
import { nowIso } from '../../shared/store/table.ts';

export const handler = httpHandler(
  { body: CreateEnterpriseBody, roles: ['national', 'province', 'city'], idempotent: true },
  async ({ body, principal }) => {
    if (!canSeeDivision(principal, body.divisionCode)) throw invalidField(['divisionCode'], 'not_in_territory');
    const enterprise: EnterpriseRecord = {
      creditCode: body.creditCode,
      name: body.name,
      divisionCode: body.divisionCode,
      industry: body.industry,
      tags: body.tags ?? [],
      createdAt: nowIso(),
      createdBy: principal.clientId,
    };
    // Credit codes are public registry data: a duplicate anywhere is a 409, not a 404.
    if ((await putEnterprise(enterprise)) === 'exists') {
      throw duplicate('detail.duplicate_credit_code', { creditCode: body.creditCode });
    }
    return created(`/v1/enterprises/${enterprise.creditCode}`, presentEnterprise(enterprise));
  },
);
