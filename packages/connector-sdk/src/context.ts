import type { JsonObject, JsonValue } from './json.ts';

/** Where a step runs in the world: identifies the run and the attempt. */
export interface RunInfo {
  runId: string;
  flowId: string;
  version: number;
  nodeId: string;
  attempt: number;
  /** True for test runs from the designer: connectors must still be real, but the UI marks them. */
  test: boolean;
}

/** The run context expressions see as `$trigger`, `$steps`, `$vars`, `$execution`. */
export interface Scope {
  trigger: JsonValue;
  steps: Record<string, JsonValue>;
  vars: Record<string, JsonValue>;
  execution: { runId: string; flowId: string; version: number; startedAt: string; test: boolean };
}

/** A connection with its secrets decrypted by the host; never handed to an isolate, never logged. */
export interface ResolvedConnection {
  id: string;
  name: string;
  connector: string;
  config: JsonObject;
  secrets: Record<string, string>;
}

export interface EvaluationLimits {
  timeoutMs: number;
  memoryMb: number;
  outputBytes: number;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  at: string;
}

/** The isolate sandbox as steps see it: JSON in, JSON out. */
export interface SandboxPort {
  evaluate(req: { expression: string; input: unknown; bindings?: Record<string, unknown>; tables?: Record<string, unknown>; limits?: Partial<EvaluationLimits> }): Promise<unknown>;
  runCode(req: { code: string; input: unknown; context: unknown; limits?: Partial<EvaluationLimits> }): Promise<{ result: unknown; logs: LogLine[] }>;
}

/** Cross-reference ids: one entity's ids across systems (shopify 7390114553916 ↔ erp C00042 ↔ crm 98765). */
export interface XrefPort {
  link(entity: string, ids: Record<string, string>): Promise<Record<string, string>>;
  lookup(entity: string, system: string, id: string, targetSystem: string): Promise<string | null>;
  get(entity: string, system: string, id: string): Promise<Record<string, string> | null>;
}

/** Per-flow durable state, e.g. a polling trigger's watermark. */
export interface StatePort {
  get(key: string): Promise<JsonValue | null>;
  set(key: string, value: JsonValue): Promise<void>;
}

/** Rate limit shared by every worker using a connection (Redis in scaled mode). Resolves after waiting for a slot. */
export interface RateLimiterPort {
  acquire(key: string, limit: { perSecond: number; burst?: number }, signal?: AbortSignal): Promise<{ waitedMs: number }>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything the host offers a step besides its props. */
export interface StepServices {
  sandbox: SandboxPort;
  xref: XrefPort;
  state: StatePort;
  rateLimiter: RateLimiterPort;
  log: Logger;
  /** Injected so tests and fakes can route requests; defaults to the global fetch. */
  fetch: typeof fetch;
  /** Monotonic-enough wall clock and sleep, injectable for tests. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ActionContext<P> extends StepServices {
  props: P;
  /** The output of the upstream step (the trigger's event for the first step). */
  input: JsonValue;
  scope: Scope;
  connection: ResolvedConnection | null;
  run: RunInfo;
  /** Stable across retries and replays of this step for this event: send it with every write. */
  idempotencyKey: string;
  signal: AbortSignal;
  /** Per-node evaluation limits for steps that use the sandbox. */
  limits: Partial<EvaluationLimits>;
}

const ROUTE = Symbol.for('tributary.route');

/** A step result that chooses which output ports fire (branch, filter). */
export interface Routed {
  readonly [ROUTE]: true;
  readonly ports: readonly string[];
  readonly output: JsonValue;
}

/**
 * Returns `output` on the given ports only; steps downstream of the other ports are skipped.
 * An empty list fires nothing (a filter that said no); the run still succeeds.
 * @example return total > 1000 ? routed('large', ctx.input) : routed('default', ctx.input);
 */
export function routed(ports: string | readonly string[], output: JsonValue): Routed {
  return { [ROUTE]: true, ports: typeof ports === 'string' ? [ports] : ports, output };
}

export function isRouted(value: unknown): value is Routed {
  return typeof value === 'object' && value !== null && (value as { [ROUTE]?: unknown })[ROUTE] === true;
}

export type StepResult = JsonValue | Routed;
