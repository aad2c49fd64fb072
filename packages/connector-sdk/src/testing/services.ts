import type { ActionContext, EvaluationLimits, Logger, ResolvedConnection, RunInfo, SandboxPort, Scope, StatePort, StepServices, XrefPort } from '../context.ts';
import type { ActionDefinition } from '../define.ts';
import { ConnectorError } from '../errors.ts';
import type { JsonValue } from '../json.ts';
import { parseProps, type PropDefs, type PropValues } from '../props.ts';
import { createLocalRateLimiter, type TokenBucketLimiter } from '../rate-limit.ts';
import type { StepResult } from '../context.ts';

export interface CapturedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** Step services held in memory, plus handles for assertions. */
export interface TestServices extends StepServices {
  rateLimiter: TokenBucketLimiter;
  /** Every log call, in order. */
  logs: CapturedLog[];
  /** The state port's contents. */
  stateData: Map<string, JsonValue>;
  /** Every `sleep` requested, in ms (sleeps return at once and move the clock). */
  sleeps: number[];
  /** Moves the fake clock forward. */
  advance(ms: number): void;
}

export interface TestServicesOptions {
  /** The sandbox to use; by default one that refuses, so host-side tests never run user code outside an isolate. */
  sandbox?: SandboxPort;
  /** Defaults to the global fetch (tests talk to local servers, never the internet). */
  fetch?: typeof fetch;
  /** Start of the fake clock, epoch ms; defaults to the real time when created. */
  startAt?: number;
}

/** A sandbox stand-in that throws on use: a host-side test must never evaluate user code outside the isolate. */
export function refusingSandbox(): SandboxPort {
  const refuse = (): never => {
    throw new ConnectorError('INTERNAL', 'no sandbox in these test services: pass createTestServices({ sandbox }) with a real @tributary/sandbox (or a clearly named test double)');
  };
  return { evaluate: async () => refuse(), runCode: async () => refuse() };
}

/** Cross-reference ids in memory; `link` merges into the record any given id already belongs to. */
export function createMemoryXref(): XrefPort & { records(entity: string): Array<Record<string, string>> } {
  const byEntity = new Map<string, Array<Record<string, string>>>();
  const find = (entity: string, system: string, id: string): Record<string, string> | undefined => (byEntity.get(entity) ?? []).find((r) => r[system] === id);
  return {
    async link(entity, ids) {
      const list = byEntity.get(entity) ?? [];
      byEntity.set(entity, list);
      const matches = [...new Set(Object.entries(ids).map(([s, id]) => find(entity, s, id)).filter((r): r is Record<string, string> => r !== undefined))];
      if (matches.length > 1) throw new ConnectorError('CONFLICT', `these ids belong to ${matches.length} different ${entity} records`, { details: { entity, ids } });
      const target = matches[0] ?? {};
      for (const [s, id] of Object.entries(ids)) {
        if (target[s] !== undefined && target[s] !== id) {
          throw new ConnectorError('CONFLICT', `${entity} is already linked to ${s} ${target[s]}, not ${id}`, { details: { entity, system: s, existing: target[s], given: id } });
        }
        target[s] = id;
      }
      if (matches.length === 0) list.push(target);
      return { ...target };
    },
    async lookup(entity, system, id, targetSystem) {
      return find(entity, system, id)?.[targetSystem] ?? null;
    },
    async get(entity, system, id) {
      const r = find(entity, system, id);
      return r ? { ...r } : null;
    },
    records: (entity) => (byEntity.get(entity) ?? []).map((r) => ({ ...r })),
  };
}

/**
 * In-memory services for connector tests: xref, state, a local rate limiter, captured logs, a fake
 * clock whose sleeps return at once, and a sandbox that refuses unless one is passed in.
 * @example
 * const services = createTestServices();
 * const out = await runAction(getOrder, { props: { id: '1' }, services, connection });
 * expect(services.logs).toEqual([]);
 */
export function createTestServices(options: TestServicesOptions = {}): TestServices {
  let clock = options.startAt ?? Date.now();
  const logs: CapturedLog[] = [];
  const stateData = new Map<string, JsonValue>();
  const sleeps: number[] = [];
  const now = (): number => clock;
  const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    sleeps.push(ms);
    clock += ms;
  };
  const logAt =
    (level: CapturedLog['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  const log: Logger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };
  const state: StatePort = {
    get: async (key) => (stateData.has(key) ? structuredClone(stateData.get(key) as JsonValue) : null),
    set: async (key, value) => void stateData.set(key, structuredClone(value)),
  };
  return {
    sandbox: options.sandbox ?? refusingSandbox(),
    xref: createMemoryXref(),
    state,
    rateLimiter: createLocalRateLimiter({ now, sleep }),
    log,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now,
    sleep,
    logs,
    stateData,
    sleeps,
    advance: (ms) => void (clock += ms),
  };
}

export interface TestContextOptions<P> {
  props: P;
  services?: TestServices;
  input?: JsonValue;
  scope?: Partial<Scope>;
  connection?: ResolvedConnection | null;
  run?: Partial<RunInfo>;
  idempotencyKey?: string;
  signal?: AbortSignal;
  limits?: Partial<EvaluationLimits>;
}

/** A full ActionContext over test services; the scope defaults to `{ trigger: input }`. */
export function createTestContext<P>(opts: TestContextOptions<P>): ActionContext<P> & { services: TestServices } {
  const services = opts.services ?? createTestServices();
  const run: RunInfo = { runId: 'run_test', flowId: 'flw_test', version: 1, nodeId: 'step', attempt: 1, test: true, ...(opts.run ?? {}) };
  const input = opts.input ?? null;
  const scope: Scope = {
    trigger: input,
    steps: {},
    vars: {},
    execution: { runId: run.runId, flowId: run.flowId, version: run.version, startedAt: new Date(services.now()).toISOString(), test: run.test },
    ...(opts.scope ?? {}),
  };
  return {
    ...services,
    services,
    props: opts.props,
    input,
    scope,
    connection: opts.connection ?? null,
    run,
    idempotencyKey: opts.idempotencyKey ?? `idk_${run.flowId}_${run.nodeId}`,
    signal: opts.signal ?? new AbortController().signal,
    limits: opts.limits ?? {},
  };
}

/**
 * Parses raw props like the engine does (every issue reported with its field) and runs the action.
 * @example const out = await runAction(coreMap, { props: { expression: '$.a' }, input: { a: 1 }, services });
 */
export async function runAction<P extends PropDefs>(action: ActionDefinition<P>, opts: Omit<TestContextOptions<unknown>, 'props'> & { props: Record<string, unknown> }): Promise<StepResult> {
  const parsed = parseProps(action.props, opts.props);
  if (!parsed.ok) {
    throw new ConnectorError('CONFIG_INVALID', `invalid props for ${action.name}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues: parsed.issues } });
  }
  const ctx = createTestContext<PropValues<P>>({ ...opts, props: parsed.value });
  return action.run(ctx);
}
