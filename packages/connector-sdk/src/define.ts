import type { NodeKind, NodeTypeSpec } from '@tributary/flow';
import type { ActionContext, ResolvedConnection, StepResult } from './context.ts';
import type { JsonObject, JsonValue } from './json.ts';
import { prop, propSpecs, type PropDefs, type PropValues } from './props.ts';

export type AuthKind = 'none' | 'apiToken' | 'oauth2ClientCredentials' | 'basic' | 'hmacWebhook';

export interface AuthSpec {
  kind: AuthKind;
  /** Non-secret connection settings (shop domain, tenant id, API version). */
  props: PropDefs;
  /** Secret fields: stored encrypted, write-only through the API, never in an isolate. */
  secrets: PropDefs;
  /** Per-connection rate limit the runtime respects across all workers. */
  rateLimit?: { perSecond: number; burst?: number };
  /**
   * How requests carry the credentials (header name, prefix, token endpoint…), as plain JSON so the
   * designer can show it; `requestAuthFor(spec)` turns it into behaviour. Built by the `auth.*` helpers.
   */
  settings?: JsonObject;
}

export interface ActionDefinition<P extends PropDefs = PropDefs> {
  name: string;
  label: string;
  description: string;
  props: P;
  kind?: Exclude<NodeKind, 'trigger'>;
  /** Palette group for this node; defaults to the connector's group. */
  group?: string;
  /** Extra output ports besides `out` (or instead of it, for branch-like nodes). */
  outputs?: string[];
  outputsFrom?: string;
  runsIn?: 'isolate' | 'host';
  /** Whether the action changes the other system, and whether repeating it is harmless. */
  write?: boolean;
  idempotent?: boolean;
  sampleOutput?: JsonValue;
  /** Props that parse, used by the contract test kit. */
  exampleProps?: Record<string, unknown>;
  needsConnection?: boolean;
  run(ctx: ActionContext<PropValues<P>>): Promise<StepResult>;
}

export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  rawBody: Uint8Array;
  body: JsonValue;
}

/** What a webhook trigger makes of a verified request. */
export interface TriggerEvent {
  payload: JsonValue;
  /** Delivery id used to drop duplicate deliveries. */
  deliveryId?: string;
  /** When the source says the event happened (for stale-retry detection). */
  occurredAt?: string;
  topic?: string;
}

/** Outcome of checking a webhook request's signature; the runtime stores nothing unless `ok`. */
export type WebhookVerification = { ok: true } | { ok: false; reason: 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'SECRET_MISSING'; message: string };

export interface TriggerDefinition<P extends PropDefs = PropDefs> {
  name: string;
  label: string;
  description: string;
  source: 'webhook' | 'schedule' | 'poll' | 'manual';
  /** Palette group for this node; defaults to the connector's group. */
  group?: string;
  props: P;
  signature?: 'shopify-hmac' | 'hmac-sha256' | 'none';
  sampleOutput?: JsonValue;
  exampleProps?: Record<string, unknown>;
  needsConnection?: boolean;
  /**
   * Webhook triggers whose scheme depends on config (core.webhook): checks the raw request before
   * anything is stored. Without it the runtime applies `signature` with the connection's secret
   * (see `verifyTriggerRequest`).
   */
  verify?(req: WebhookRequest, opts: { props: PropValues<P>; connection: ResolvedConnection | null }): WebhookVerification;
  /** Webhook triggers: turns a verified request into an event (default: the body, no delivery id). */
  parse?(req: WebhookRequest, props: PropValues<P>): TriggerEvent;
  /** Poll triggers: fetch what changed since the watermark; the runtime advances it only after success. */
  poll?(ctx: ActionContext<PropValues<P>> & { watermark: JsonValue | null }): Promise<{ items: JsonValue[]; watermark: JsonValue }>;
}

export interface ConnectorDefinition {
  id: string;
  label: string;
  description: string;
  /** Palette group; defaults to the label. */
  group?: string;
  auth: AuthSpec | null;
  actions: ReadonlyArray<ActionDefinition<PropDefs>>;
  triggers: ReadonlyArray<TriggerDefinition<PropDefs>>;
  icon?: string;
  docsUrl?: string;
}

export interface Connector extends ConnectorDefinition {
  /** Catalog entries for every action and trigger, as plain JSON. */
  nodeTypes(): NodeTypeSpec[];
}

/** Declares an action; the identity function that gives `run(ctx)` its typed props. @example
 * defineAction({ name: 'getOrder', label: 'Get order', description: '…', props: { id: prop.string({ label: 'Order id', required: true }) },
 *   async run(ctx) { return client(ctx).getOrder(ctx.props.id); } })
 */
export function defineAction<P extends PropDefs>(def: ActionDefinition<P>): ActionDefinition<P> {
  return def;
}

/** Declares a trigger. @example
 * defineTrigger({ name: 'orderCreated', label: 'Order created', description: '…', source: 'webhook', signature: 'shopify-hmac',
 *   props: {}, parse: (req) => ({ payload: req.body, deliveryId: headerValue(req.headers, 'x-shopify-webhook-id') }) })
 */
export function defineTrigger<P extends PropDefs>(def: TriggerDefinition<P>): TriggerDefinition<P> {
  if (def.source !== 'poll') return def;
  // The runtime polls on the trigger's `cron` (or `intervalMinutes`) in `timezone`: every poll trigger
  // takes them, so the designer offers them and validation does not call them unknown.
  return { ...def, props: { ...POLL_SCHEDULE_PROPS, ...def.props } as P };
}

/** When a poll trigger polls; what `scheduleFor` in the server reads (default every 5 minutes, UTC). */
export const POLL_SCHEDULE_PROPS = {
  cron: prop.cron({ label: 'Poll schedule (cron)', placeholder: '*/5 * * * *', description: 'When to poll: minute hour day-of-month month day-of-week. Default: every 5 minutes' }),
  timezone: prop.timezone({ label: 'Time zone', default: 'UTC' }),
  intervalMinutes: prop.integer({ label: 'Or every N minutes', min: 1, max: 1440, advanced: true, description: 'Used when no cron is set' }),
};

/** Declares a connector; `nodeTypes()` is its catalog as plain JSON. @example
 * export const shopify = defineConnector({ id: 'shopify', label: 'Shopify', description: '…', auth: auth.apiToken({ header: 'X-Shopify-Access-Token', prefix: '' }),
 *   actions: [getOrder], triggers: [orderCreated] });
 */
export function defineConnector(def: ConnectorDefinition): Connector {
  const group = def.group ?? def.label;
  const nodeTypes = (): NodeTypeSpec[] => [
    ...def.triggers.map((t): NodeTypeSpec => ({
      type: `${def.id}.${t.name}`,
      connector: def.id,
      kind: 'trigger',
      label: t.label,
      description: t.description,
      group: t.group ?? group,
      outputs: ['out'],
      props: propSpecs(t.props),
      runsIn: 'host',
      trigger: { source: t.source, signature: t.signature ?? 'none' },
      ...(t.sampleOutput !== undefined ? { sampleOutput: t.sampleOutput } : {}),
      ...(def.icon ? { icon: def.icon } : {}),
    })),
    ...def.actions.map((a): NodeTypeSpec => ({
      type: `${def.id}.${a.name}`,
      connector: def.id,
      kind: a.kind ?? 'action',
      label: a.label,
      description: a.description,
      group: a.group ?? group,
      outputs: a.outputs ?? ['out'],
      ...(a.outputsFrom ? { outputsFrom: a.outputsFrom } : {}),
      props: propSpecs(a.props),
      runsIn: a.runsIn ?? 'host',
      ...(a.sampleOutput !== undefined ? { sampleOutput: a.sampleOutput } : {}),
      ...(def.icon ? { icon: def.icon } : {}),
    })),
  ];
  return { ...def, nodeTypes };
}
