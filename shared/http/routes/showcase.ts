/** The public showcase of an enterprise (成果展示). */
import { ShowcaseParams } from '../../schemas/showcase.ts';
import { EnterpriseShowcase } from '../../schemas/showcase.docs.ts';
import { inInformationStack } from './information-stack.ts';
import { json, type Route } from './types.ts';

export const showcaseRoutes: Route[] = inInformationStack([
  {
    operationId: 'getPublicEnterprise',
    method: 'GET',
    path: '/v1/public/enterprises/{creditCode}',
    handler: 'showcase/get-public-enterprise',
    auth: 'none',
    tag: 'public',
    summary: 'An enterprise’s accepted results and forerunner titles (no token)',
    description:
      '404 for an enterprise with nothing accepted and on no forerunner list: participation itself is not public. Cacheable for a minute.',
    request: { params: ShowcaseParams },
    responses: { 200: json('The showcase', EnterpriseShowcase) },
    errors: [404, 422],
  },
]);
