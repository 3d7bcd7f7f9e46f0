import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { presentEnterprise } from '../../shared/http/presenters.ts';
import { EnterpriseParams } from '../../shared/schemas/enterprises.ts';
import { getEnterprise } from '../../shared/store/enterprises.ts';

export const handler = httpHandler(
  { params: EnterpriseParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal }) => {
    const enterprise = await getEnterprise(params.creditCode);
    if (!enterprise || !canSeeEnterpriseRecord(principal, enterprise)) throw notFound('enterprise');
    return ok(presentEnterprise(enterprise));
  },
);
