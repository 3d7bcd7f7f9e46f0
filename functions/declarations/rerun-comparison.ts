/** POST /v1/declarations/{id}/comparisons: compare again against the scheme's latest version. */
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { httpHandler } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { DeclarationParams } from '../../shared/schemas/declarations.ts';
import { requestRerun } from '../../shared/services/comparisons.ts';
import { getDeclaration } from '../../shared/store/declarations.ts';

export const handler = httpHandler(
  { params: DeclarationParams, roles: ['national', 'province', 'city'], idempotent: true },
  async ({ params, principal }) => {
    const declaration = await getDeclaration(params.id);
    if (!declaration || !canSeeEnterpriseRecord(principal, declaration)) throw notFound('declaration');
    const comparison = await requestRerun(declaration, principal);
    return {
      status: 202,
      body: { comparisonId: comparison.id },
      headers: { Location: `/v1/comparisons/${comparison.id}` },
    };
  },
);
