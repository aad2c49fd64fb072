import type { Request } from 'express';
import { type NodeTypeSpec, validateFlow, type FlowIssue } from '@tributary/flow';
import { checkExpression } from '@tributary/mapping';
import type { JsonValue } from '@tributary/store';
import type { Principal } from '../auth/authenticate.ts';
import type { AttemptLimiter } from '../auth/rate-limit.ts';
import type { AppContext } from '../context.ts';

/** The parts of the process context the API uses. */
export type ApiDeps = Pick<AppContext, 'config' | 'store' | 'registry' | 'runtime' | 'secrets' | 'log' | 'events' | 'redis'>;

/** What route modules share: the deps plus per-app state (rate limiters, the catalog map). */
export interface Api extends ApiDeps {
  loginByIp: AttemptLimiter;
  loginByEmail: AttemptLimiter;
  catalog: ReadonlyMap<string, NodeTypeSpec>;
  /** Every issue of a draft against the installed node types, with JSONata syntax checked. */
  validate(draft: unknown): FlowIssue[];
  audit(input: { req: Request; actor: Principal | string; action: string; targetType?: string; targetId?: string; details?: JsonValue }): Promise<void>;
}

export function createApiState(deps: ApiDeps, limiters: { loginByIp: AttemptLimiter; loginByEmail: AttemptLimiter }): Api {
  const catalog = new Map(deps.registry.catalog().map((s) => [s.type, s]));
  return {
    ...deps,
    ...limiters,
    catalog,
    validate: (draft) => validateFlow(draft, catalog, { checkExpression }),
    audit: async ({ req, actor, action, targetType, targetId, details }) => {
      await deps.store.appendAudit({
        actor: typeof actor === 'string' ? actor : actor.user.id,
        action,
        targetType: targetType ?? null,
        targetId: targetId ?? null,
        details: { ...(typeof actor === 'string' ? {} : { by: actor.user.email, via: actor.via }), ...(details && typeof details === 'object' && !Array.isArray(details) ? details : details === undefined ? {} : { value: details }) },
        ip: req.ip ?? null,
      });
    },
  };
}
