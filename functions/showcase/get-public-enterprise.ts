/** GET /v1/public/enterprises/{creditCode}: an enterprise's accepted results and forerunner titles; no token. */
import { httpHandler, ok } from '../../shared/http/handler.ts';
import { notFound } from '../../shared/http/errors.ts';
import { ShowcaseParams } from '../../shared/schemas/showcase.ts';
import { enterpriseShowcase } from '../../shared/services/showcase.ts';

/** Acceptances and lists change rarely: a minute of caching is harmless. */
const MAX_AGE_SECONDS = 60;

export const handler = httpHandler({ params: ShowcaseParams }, async ({ params }) => {
  const showcase = await enterpriseShowcase(params.creditCode, new Date());
  // Nothing public (or no such enterprise): nothing to show, and participation is not revealed.
  if (!showcase) throw notFound('enterprise');
  return ok(showcase, { 'Cache-Control': `public, max-age=${MAX_AGE_SECONDS}` });
});
