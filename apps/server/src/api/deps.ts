import type { Request } from 'express';
import { parseProps, verifyTriggerRequest, type ResolvedConnection } from '@tributary/connector-sdk';
import { formatIssuePath, type FlowIssueSeverity, type NodeTypeSpec, validateFlow, type FlowIssue } from '@tributary/flow';
import { checkExpression } from '@tributary/mapping';
import type { JsonValue } from '@tributary/store';
import type { Principal } from '../auth/authenticate.ts';
import type { AttemptLimiter } from '../auth/rate-limit.ts';
import type { AppContext } from '../context.ts';

/**
 * Problems with the connections a flow names, found against this server's connections (not the
 * document alone, so they live here rather than in packages/flow):
 * - `FLOW_CONNECTION_UNKNOWN`: no connection has that name or id;
 * - `FLOW_CONNECTION_MISMATCH`: the connection belongs to another connector than the field takes;
 * - `FLOW_WEBHOOK_SECRET_MISSING`: a webhook trigger checks a signature but has no secret to check it
 *   with, so every delivery would be refused (401 SECRET_MISSING).
 */
export type ConnectionIssueCode = 'FLOW_CONNECTION_UNKNOWN' | 'FLOW_CONNECTION_MISMATCH' | 'FLOW_WEBHOOK_SECRET_MISSING';

export interface ConnectionIssue {
  code: ConnectionIssueCode;
  path: string;
  message: string;
  severity: FlowIssueSeverity;
  nodeId?: string;
}

/** What /validate, publish and enable report: document issues and connection issues. */
export type ValidationIssue = FlowIssue | ConnectionIssue;

/** True when an issue blocks (an issue without a severity counts as an error, as in packages/flow). */
export function hasBlockingIssues(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => (i.severity ?? 'error') === 'error');
}

/** The parts of the process context the API uses. */
export type ApiDeps = Pick<AppContext, 'config' | 'store' | 'registry' | 'runtime' | 'secrets' | 'log' | 'events' | 'redis'>;

/** What route modules share: the deps plus per-app state (rate limiters, the catalog map). */
export interface Api extends ApiDeps {
  loginByIp: AttemptLimiter;
  loginByEmail: AttemptLimiter;
  catalog: ReadonlyMap<string, NodeTypeSpec>;
  /** Every issue of a draft against the installed node types, with JSONata syntax checked. */
  validate(draft: unknown): FlowIssue[];
  /**
   * The connections a flow names, checked against the stored ones. `severity` is `warning` while
   * drafting (validate, test runs: an admin may create the connection later) and `error` for anything
   * that makes a version live (publish, rollback, enable).
   */
  checkConnections(doc: unknown, opts: { severity: FlowIssueSeverity }): Promise<ConnectionIssue[]>;
  audit(input: { req: Request; actor: Principal | string; action: string; targetType?: string; targetId?: string; details?: JsonValue }): Promise<void>;
}

export function createApiState(deps: ApiDeps, limiters: { loginByIp: AttemptLimiter; loginByEmail: AttemptLimiter }): Api {
  const catalog = new Map(deps.registry.catalog().map((s) => [s.type, s]));
  return {
    ...deps,
    ...limiters,
    catalog,
    validate: (draft) => validateFlow(draft, catalog, { checkExpression }),
    checkConnections: (doc, opts) => checkConnections({ doc, catalog, deps, severity: opts.severity }),
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NO_REQUEST = { headers: {}, rawBody: new Uint8Array(0), body: null };

async function checkConnections(o: { doc: unknown; catalog: ReadonlyMap<string, NodeTypeSpec>; deps: ApiDeps; severity: FlowIssueSeverity }): Promise<ConnectionIssue[]> {
  const issues: ConnectionIssue[] = [];
  const nodes = isRecord(o.doc) && Array.isArray(o.doc['nodes']) ? o.doc['nodes'] : [];
  for (const [index, node] of nodes.entries()) {
    // Anything malformed here is the document validation's to report.
    if (!isRecord(node) || typeof node['type'] !== 'string') continue;
    const spec = o.catalog.get(node['type']);
    if (!spec) continue;
    const config = isRecord(node['config']) ? node['config'] : {};
    const nodeId = typeof node['id'] === 'string' ? node['id'] : undefined;
    const add = (code: ConnectionIssueCode, segments: Array<string | number>, message: string): void => {
      issues.push({ code, path: formatIssuePath(['nodes', index, ...segments]), message, severity: o.severity, ...(nodeId !== undefined ? { nodeId } : {}) });
    };
    const key = Object.keys(spec.props).find((k) => spec.props[k]?.type === 'connection');
    const ref = key !== undefined && typeof config[key] === 'string' && config[key] !== '' ? config[key] : undefined;
    let connection: ResolvedConnection | null = null;
    if (key !== undefined && ref !== undefined) {
      connection = await o.deps.runtime.resolveConnection(ref);
      const expected = spec.props[key]?.connector;
      if (connection === null) {
        add('FLOW_CONNECTION_UNKNOWN', ['config', key], `connection "${ref}" does not exist${expected ? `; create a ${expected} connection with that name (admins, under Connections) or pick another` : ''}`);
      } else if (expected !== undefined && connection.connector !== expected) {
        add('FLOW_CONNECTION_MISMATCH', ['config', key], `connection "${ref}" is a ${connection.connector} connection; ${spec.type} takes ${expected} connections`);
        connection = null;
      }
    }
    // A webhook trigger whose signature check has no secret refuses every delivery: ask the trigger
    // itself, with the same connection the intake would use, and an empty request.
    const impl = o.deps.registry.get(spec.type);
    if (impl?.kind !== 'trigger' || impl.trigger.source !== 'webhook') continue;
    const props = parseProps(impl.trigger.props, config);
    if (!props.ok) continue;
    const verdict = verifyTriggerRequest(impl.trigger, NO_REQUEST, { props: props.value, connection });
    if (!verdict.ok && verdict.reason === 'SECRET_MISSING') {
      const why = ref === undefined ? 'no connection with a webhook secret is selected' : connection === null ? `connection "${ref}" cannot be used` : `connection "${ref}" has no webhook secret`;
      add('FLOW_WEBHOOK_SECRET_MISSING', key !== undefined ? ['config', key] : ['config'], `${spec.type} checks webhook signatures, but ${why}; every delivery would be refused (401 SECRET_MISSING)`);
    }
  }
  return issues;
}
