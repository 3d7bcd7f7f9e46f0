/**
 * The route table: the single list of operations. CDK builds API Gateway
 * resources and one function per route from it, the local runtime dispatches
 * with it, and the OpenAPI document is generated from it. Each capability keeps
 * its routes in routes/<capability>.ts.
 */
import { batchRoutes } from './routes/batches.ts';
import { clientRoutes } from './routes/clients.ts';
import { comparisonRoutes } from './routes/comparisons.ts';
import { foundationRoutes } from './routes/foundation.ts';
import { materialRoutes } from './routes/materials.ts';
import { directoryRoutes } from './routes/directory.ts';
import { noticeRoutes } from './routes/notices.ts';
import { searchRoutes } from './routes/search.ts';
import { showcaseRoutes } from './routes/showcase.ts';
import { threadRoutes } from './routes/threads.ts';
import { publicRoutes } from './routes/public.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { statsRoutes } from './routes/stats.ts';
import type { Route } from './routes/types.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export type { HttpMethod, Route, RouteResponse } from './routes/types.ts';

export const routes: Route[] = [...foundationRoutes, ...clientRoutes, ...comparisonRoutes, ...materialRoutes, ...webhookRoutes, ...noticeRoutes, ...threadRoutes, ...directoryRoutes, ...searchRoutes, ...showcaseRoutes, ...batchRoutes, ...reviewRoutes, ...statsRoutes, ...publicRoutes];

/** Functions that are not routes: the authorizer and event consumers. */
export const authorizerHandler = 'auth/authorize';

