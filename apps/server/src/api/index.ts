import type { Express } from 'express';
import { createAttemptLimiter, createRedisAttemptLimiter } from '../auth/rate-limit.ts';
import { identify } from '../auth/authenticate.ts';
import { ensureFirstAdmin as firstAdmin, type FirstAdminResult } from '../auth/first-admin.ts';
import type { AppContext } from '../context.ts';
import { authRoutes } from './auth-routes.ts';
import { connectionRoutes } from './connections.ts';
import { createApiState, type ApiDeps } from './deps.ts';
import { flowRoutes } from './flows.ts';
import { kpiRoutes } from './kpis.ts';
import { miscRoutes } from './misc.ts';
import { buildOpenApi } from './openapi.ts';
import { ApiRoutes } from './route.ts';
import { runRoutes } from './runs.ts';
import { userRoutes } from './users.ts';

export { ApiRoutes } from './route.ts';
export type { Operation, RouteSpec } from './route.ts';

export const API_VERSION = '1.0.0';
/** Sign-in attempts allowed per IP and per e-mail in each window. */
export const LOGIN_ATTEMPTS = { max: 10, windowMs: 15 * 60 * 1000 };

/** Builds the /api/v1 router and its OpenAPI document from one route table. */
export function createApi(deps: ApiDeps, opts: { now?: () => number } = {}): ApiRoutes {
  // With Redis (the scaled mode) the counters are shared, so N server processes do not give N budgets.
  const limiter = (by: string) =>
    deps.redis && !opts.now
      ? createRedisAttemptLimiter(deps.redis, { ...LOGIN_ATTEMPTS, prefix: `tributary:sign-in:${by}` })
      : createAttemptLimiter({ ...LOGIN_ATTEMPTS, ...(opts.now ? { now: opts.now } : {}) });
  const api = createApiState(deps, { loginByIp: limiter('ip'), loginByEmail: limiter('email') });
  const routes = new ApiRoutes({ identify: (req) => identify(deps.store, req) });
  authRoutes(routes, api);
  miscRoutes(routes, api);
  flowRoutes(routes, api);
  runRoutes(routes, api);
  connectionRoutes(routes, api);
  userRoutes(routes, api);
  kpiRoutes(routes, api);
  let doc: Record<string, unknown> | null = null;
  routes.route({ method: 'get', path: '/openapi.json', auth: 'public', summary: 'This document' }, ({ res }) => {
    doc ??= buildOpenApi(routes.operations, { version: API_VERSION });
    res.setHeader('cache-control', 'no-cache');
    res.json(doc);
    return undefined;
  });
  return routes;
}

/** Mounts the REST API under /api/v1. */
export function mountApi(app: Express, ctx: AppContext): void {
  app.use('/api/v1', createApi(ctx).router);
}

/** First start: create the first admin from TRIBUTARY_ADMIN_EMAIL/PASSWORD, or print a one-time setup link. */
export async function ensureFirstAdmin(ctx: Pick<AppContext, 'store' | 'config' | 'log'>, now?: Date): Promise<FirstAdminResult> {
  return firstAdmin(ctx, now);
}
