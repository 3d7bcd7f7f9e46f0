import { created, httpHandler } from '../../shared/http/handler.ts';
import { duplicate } from '../../shared/http/errors.ts';
import { presentEnterprise } from '../../shared/http/presenters.ts';
import { CreateEnterpriseBody } from '../../shared/schemas/enterprises.ts';
import { newEnterprise } from '../../shared/services/enterprises.ts';
import { putEnterprise } from '../../shared/store/enterprises.ts';

export const handler = httpHandler(
  { body: CreateEnterpriseBody, roles: ['national', 'province', 'city'], idempotent: true },
  async ({ body, principal }) => {
    const enterprise = newEnterprise(principal, body);
    // Credit codes are public registry data: a duplicate anywhere is a 409, not a 404.
    if ((await putEnterprise(enterprise)) === 'exists') {
      throw duplicate('detail.duplicate_credit_code', { creditCode: body.creditCode });
    }
    return created(`/v1/enterprises/${enterprise.creditCode}`, presentEnterprise(enterprise));
  },
);
