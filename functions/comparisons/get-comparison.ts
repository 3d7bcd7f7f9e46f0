import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from '../../shared/aws/clients.ts';
import { config } from '../../shared/config/env.ts';
import { canSeeEnterpriseRecord } from '../../shared/domain/territory.ts';
import { translate } from '../../shared/i18n/messages.ts';
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { ComparisonParams } from '../../shared/schemas/comparisons.ts';
import { getComparison } from '../../shared/store/comparisons.ts';
import { reportFor } from '../../shared/services/reports.ts';

/** Report links live for five minutes. */
const URL_SECONDS = 300;

const sign = (key: string) =>
  getSignedUrl(s3Client(), new GetObjectCommand({ Bucket: config().reportsBucket, Key: key }), { expiresIn: URL_SECONDS });

export const handler = httpHandler(
  { params: ComparisonParams, roles: ['national', 'province', 'city', 'enterprise'] },
  async ({ params, principal, language }) => {
    const comparison = await getComparison(params.id);
    if (!comparison || !canSeeEnterpriseRecord(principal, comparison)) throw notFound('comparison');
    // Batch rows' reports are rendered on first request (shared/services/reports.ts).
    const keys = await reportFor(comparison, language);
    return ok(
      {
        id: comparison.id,
        declarationId: comparison.declarationId,
        schemeVersion: comparison.schemeVersion,
        status: comparison.status,
        ...(comparison.error
          ? { error: { code: comparison.error.code, message: translate(`comparison_error.${comparison.error.code}`, language) } }
          : {}),
        ...(comparison.result
          ? {
              result: {
                ...comparison.result,
                indicators: comparison.result.indicators.map(({ core: _core, ...indicator }) => indicator),
              },
            }
          : {}),
        ...(keys ? { report: { html: await sign(keys.html), json: await sign(keys.json), language } } : {}),
        createdAt: comparison.createdAt,
        ...(comparison.completedAt ? { completedAt: comparison.completedAt } : {}),
      },
      // Running comparisons change; finished ones do not, but their links expire.
      { 'Cache-Control': 'private, no-store', 'Content-Language': language === 'en' ? 'en' : 'zh-CN' },
    );
  },
);
