import { DEFAULT_PORT, ERROR_PORT, type FlowDocument, type FlowNode } from '@tributary/flow';
import { isRouted, linkSignals, parseProps, type JsonValue, type LogLine, type PropDefs, type ResolvedConnection, type Scope } from '@tributary/connector-sdk';
import { EngineError, toStepError, type StepError } from './errors.ts';
import { type EnginePorts, type StepRecord, TRIGGER_INPUT } from './ports.ts';
import { resolveConfig } from './resolve-config.ts';
import { DEFAULT_HOST_RETRY, DEFAULT_ISOLATE_RETRY, retryDelayMs } from './retry.ts';
import { idempotencyKey } from './idempotency.ts';

export interface RunRequest {
  flow: FlowDocument;
  version: number;
  runId: string;
  /** The source event's identity (webhook delivery id…); keys idempotency so a replay never writes twice. */
  runKey?: string;
  trigger: JsonValue;
  vars?: Record<string, JsonValue>;
  /** Steps already recorded for this run (resume after a delayed retry or a crash) or copied by a replay. */
  history?: readonly StepRecord[];
  signal?: AbortSignal;
  test?: boolean;
  /** Retry waits up to this long happen in place; longer ones end this slice as `waiting` so a worker is not held. */
  inlineRetryMaxMs?: number;
  /** Steps running at once when branches are independent. */
  maxParallel?: number;
}

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'waiting';

export interface RunOutcome {
  status: RunStatus;
  error?: StepError & { nodeId?: string };
  /** With `waiting`: when to run the next slice (epoch ms). */
  resumeAt?: number;
  /** Output of every step that succeeded, by node id (the trigger's is the event). */
  outputs: Record<string, JsonValue>;
  /** Output of a respond step, for a webhook answered synchronously. */
  response?: JsonValue;
  stepsRun: number;
  /**
   * With `cancelled`: the attempts that were in progress when the run was stopped, as failed records
   * (error RUN_CANCELLED) not yet recorded. The caller records them when the run was cancelled for
   * good, and leaves them out when it was only interrupted (a worker shutting down delivers it again).
   */
  interrupted?: StepRecord[];
}

type NodeState =
  | { s: 'pending' }
  | { s: 'running' }
  | { s: 'done'; output: JsonValue; ports: readonly string[] }
  | { s: 'skipped' }
  | { s: 'failed' }
  | { s: 'waiting'; resumeAt: number };

const RESPOND_TYPE = 'core.respond';

/** Runs one flow version for one trigger event: steps in topological order, independent branches concurrently. */
export async function runFlow(req: RunRequest, ports: EnginePorts): Promise<RunOutcome> {
  const { flow } = req;
  const random = ports.random ?? Math.random;
  const nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  const trigger = nodes.get(flow.trigger);
  if (!trigger) throw new EngineError('FLOW_INVALID', `flow "${flow.id}" names trigger "${flow.trigger}" but has no such node`);
  const incoming = new Map<string, Array<{ from: string; port: string }>>();
  for (const n of flow.nodes) incoming.set(n.id, []);
  for (const e of flow.edges) incoming.get(e.to)?.push({ from: e.from, port: e.port ?? DEFAULT_PORT });

  const state = new Map<string, NodeState>();
  const attempts = new Map<string, number>();
  for (const n of flow.nodes) state.set(n.id, { s: 'pending' });
  state.set(trigger.id, { s: 'done', output: req.trigger, ports: [DEFAULT_PORT] });
  const latest = new Map<string, StepRecord>();
  for (const rec of req.history ?? []) {
    if (!nodes.has(rec.nodeId) || rec.nodeId === trigger.id) continue;
    // A waiting record holds the number its next try will have: asking to run later used no attempt up.
    attempts.set(rec.nodeId, Math.max(attempts.get(rec.nodeId) ?? 0, rec.status === 'waiting' ? rec.attempt - 1 : rec.attempt));
    if (rec.attempt >= (latest.get(rec.nodeId)?.attempt ?? 0)) latest.set(rec.nodeId, rec);
    if (rec.status === 'succeeded' || (rec.status === 'failed' && rec.ports.length > 0)) {
      state.set(rec.nodeId, { s: 'done', output: rec.output, ports: rec.ports });
    } else if (rec.status === 'skipped') state.set(rec.nodeId, { s: 'skipped' });
  }
  // A step whose last attempt failed with a retry scheduled (`retryInMs`) waits out what is left of that
  // backoff, however the run came back early: a restart that re-queues unfinished runs at once, a
  // recovery sweep, a redelivery. The queue's own delay normally brings it back when the time is up.
  for (const [nodeId, rec] of latest) {
    if (state.get(nodeId)?.s !== 'pending') continue;
    const resumeAt = scheduledRetryAt(rec);
    if (resumeAt !== undefined && resumeAt > ports.clock.now()) state.set(nodeId, { s: 'waiting', resumeAt });
  }

  const startedAt = ports.clock.now();
  const link = linkSignals([req.signal], {
    ms: flow.settings.timeoutMs,
    reason: () => new EngineError('RUN_TIMEOUT', `run exceeded the flow's timeout of ${flow.settings.timeoutMs} ms`, { kind: 'transient', retryable: false }),
  });
  const signal = link.signal;
  const scope: Scope = {
    trigger: req.trigger,
    steps: {},
    vars: req.vars ?? {},
    execution: { runId: req.runId, flowId: flow.id, version: req.version, startedAt: new Date(startedAt).toISOString(), test: req.test === true },
  };
  const outputs: Record<string, JsonValue> = {};
  let response: JsonValue | undefined;
  let failure: (StepError & { nodeId?: string }) | undefined;
  let stepsRun = 0;
  const refreshOutputs = (): void => {
    for (const [id, st] of state) if (st.s === 'done') outputs[id] = scope.steps[id] = st.output;
  };
  refreshOutputs();

  const inputOf = (nodeId: string): JsonValue => {
    const active = (incoming.get(nodeId) ?? []).filter((e) => firedOn(state.get(e.from), e.port));
    if (active.length === 1) return (state.get(active[0]!.from) as { output: JsonValue }).output;
    const merged: Record<string, JsonValue> = {};
    for (const e of active) merged[e.from] = (state.get(e.from) as { output: JsonValue }).output;
    return merged;
  };

  // After a timeout or cancellation the run is over: a step that ignored the signal and finishes late
  // must not add to the history of a run that already ended.
  let closed = false;
  // A step's input is usually the very output of the one step before it (or the trigger payload):
  // say so, and the recorder can store a reference instead of a second copy.
  const inputSource = (nodeId: string, input: JsonValue | null): string | undefined => {
    const active = (incoming.get(nodeId) ?? []).filter((e) => firedOn(state.get(e.from), e.port));
    if (active.length !== 1) return undefined;
    const from = active[0]!.from;
    const upstream = state.get(from);
    if (upstream?.s !== 'done' || upstream.output !== input) return undefined;
    return from === trigger.id ? TRIGGER_INPUT : from;
  };
  // Attempts in progress (started, not yet recorded): what a timeout or a cancellation interrupted.
  const inProgress = new Map<string, { attempt: number; t0: number; input: JsonValue; logs: LogLine[] }>();
  const record = async (rec: StepRecord): Promise<void> => {
    if (closed) return;
    inProgress.delete(rec.nodeId);
    const inputFrom = inputSource(rec.nodeId, rec.input);
    await ports.recorder.recordStep(inputFrom === undefined ? rec : { ...rec, inputFrom });
  };

  const execute = async (node: FlowNode): Promise<void> => {
    const input = inputOf(node.id);
    if (node.disabled) {
      state.set(node.id, { s: 'done', output: input, ports: [DEFAULT_PORT] });
      return;
    }
    const impl = ports.registry.get(node.type);
    if (!impl || impl.kind !== 'action') {
      const err: StepError = { code: 'NODE_TYPE_UNKNOWN', kind: 'user', retryable: false, message: `node "${node.id}" has type "${node.type}", which this server does not know` };
      await finishFailure(node, input, err, (attempts.get(node.id) ?? 0) + 1, ports.clock.now(), []);
      return;
    }
    const policy = node.retry ?? (impl.spec.runsIn === 'isolate' ? DEFAULT_ISOLATE_RETRY : DEFAULT_HOST_RETRY);
    for (;;) {
      const attempt = (attempts.get(node.id) ?? 0) + 1;
      attempts.set(node.id, attempt);
      const t0 = ports.clock.now();
      const logs: LogLine[] = [];
      inProgress.set(node.id, { attempt, t0, input, logs });
      try {
        signal.throwIfAborted();
        const limits = node.limits ?? {};
        const config = await resolveConfig(node.config, impl.spec.props, { sandbox: ports.sandbox, scope, input, limits });
        const parsed = parseProps(impl.action.props as PropDefs, config);
        if (!parsed.ok) {
          throw new EngineError('CONFIG_INVALID', `node "${node.id}": ${parsed.issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`, { details: parsed.issues });
        }
        const connection = await connectionFor(impl.spec.props, parsed.value as Record<string, unknown>);
        const stepLog = childLogger(ports, logs, { runId: req.runId, flowId: flow.id, nodeId: node.id });
        const result = await impl.action.run({
          props: parsed.value,
          input,
          scope,
          connection,
          run: { runId: req.runId, flowId: flow.id, version: req.version, nodeId: node.id, attempt, test: req.test === true },
          idempotencyKey: idempotencyKey({ flowId: flow.id, nodeId: node.id, runKey: req.runKey ?? req.runId }),
          signal,
          limits,
          sandbox: ports.sandbox,
          xref: ports.xref,
          state: ports.state(flow.id),
          rateLimiter: ports.rateLimiter,
          log: stepLog,
          fetch: ports.fetch,
          now: () => ports.clock.now(),
          sleep: (ms, s) => ports.clock.sleep(ms, s ?? signal),
        });
        const out = isRouted(result) ? { output: result.output, ports: [...result.ports] } : { output: result, ports: [DEFAULT_PORT] };
        const t1 = ports.clock.now();
        stepsRun++;
        await record({ runId: req.runId, nodeId: node.id, attempt, status: 'succeeded', input, output: out.output, ports: out.ports, error: null, logs, startedAt: iso(t0), finishedAt: iso(t1), durationMs: t1 - t0 });
        state.set(node.id, { s: 'done', output: out.output, ports: out.ports });
        outputs[node.id] = scope.steps[node.id] = out.output;
        if (node.type === RESPOND_TYPE) response = out.output;
        return;
      } catch (thrown) {
        stepsRun++;
        const aborted = signal.aborted;
        const err = aborted ? toStepError(signal.reason) : toStepError(thrown);
        const retryAfterMs = err.retryAfterMs;
        delete err.retryAfterMs;
        if (!aborted && err.code === 'RETRY_LATER') {
          // The step asked to run again later (a long delay, a polled job not ready): no attempt is used
          // up. The history shows why the run is waiting and until when; the next try has the same
          // attempt number, so its record replaces this one.
          const t1 = ports.clock.now();
          const resumeAt = t1 + (retryAfterMs ?? 1000);
          await record({ runId: req.runId, nodeId: node.id, attempt, status: 'waiting', input, output: null, ports: [], error: { ...err, details: { ...asObject(err.details), resumeAt: iso(resumeAt) } }, logs, startedAt: iso(t0), finishedAt: iso(t1), durationMs: t1 - t0 });
          attempts.set(node.id, attempt - 1);
          state.set(node.id, { s: 'waiting', resumeAt });
          return;
        }
        if (!aborted && err.retryable && attempt < policy.attempts) {
          const delay = retryDelayMs(policy, attempt, retryAfterMs, random);
          const t1 = ports.clock.now();
          await record({ runId: req.runId, nodeId: node.id, attempt, status: 'failed', input, output: null, ports: [], error: { ...err, details: { ...(asObject(err.details)), retryInMs: delay } }, logs, startedAt: iso(t0), finishedAt: iso(t1), durationMs: t1 - t0 });
          if (delay <= (req.inlineRetryMaxMs ?? 5000)) {
            try {
              await ports.clock.sleep(delay, signal);
            } catch {
              await finishFailure(node, input, toStepError(signal.reason), attempt, ports.clock.now(), logs, true);
              return;
            }
            continue;
          }
          state.set(node.id, { s: 'waiting', resumeAt: t1 + delay });
          return;
        }
        await finishFailure(node, input, err, attempt, t0, logs);
        return;
      }
    }
  };

  /** A permanent failure: follow the error port if wired, continue with null, or fail the run. */
  const finishFailure = async (node: FlowNode, input: JsonValue, err: StepError, attempt: number, t0: number, logs: LogLine[], recorded = false): Promise<void> => {
    const t1 = ports.clock.now();
    const route = node.onError === 'route' && !signal.aborted;
    const cont = node.onError === 'continue' && !signal.aborted;
    const firedPorts = route ? [ERROR_PORT] : cont ? [DEFAULT_PORT] : [];
    const output: JsonValue = route ? { error: { ...err, details: (err.details ?? null) as JsonValue }, input } : null;
    if (!recorded) await record({ runId: req.runId, nodeId: node.id, attempt, status: 'failed', input, output: route ? output : null, ports: firedPorts, error: err, logs, startedAt: iso(t0), finishedAt: iso(t1), durationMs: t1 - t0 });
    if (route || cont) {
      state.set(node.id, { s: 'done', output, ports: firedPorts });
      outputs[node.id] = scope.steps[node.id] = output;
    } else {
      state.set(node.id, { s: 'failed' });
      failure ??= { ...err, nodeId: node.id };
    }
  };

  const connectionFor = async (props: Record<string, { type: string; connector?: string }>, values: Record<string, unknown>): Promise<ResolvedConnection | null> => {
    const key = Object.keys(props).find((k) => props[k]?.type === 'connection');
    if (!key) return null;
    const ref = values[key];
    if (typeof ref !== 'string' || ref === '') return null;
    const conn = await ports.connections.resolve(ref);
    if (!conn) throw new EngineError('CONNECTION_MISSING', `connection "${ref}" does not exist`, { details: { path: `config.${key}` } });
    // A node only gets connections of the kind it declares: an HTTP Request step handed a Shopify
    // connection would otherwise put that store's token on whatever URL the step names.
    const wanted = props[key]?.connector;
    if (wanted !== undefined && conn.connector !== wanted) {
      throw new EngineError('CONFIG_INVALID', `connection "${ref}" is a ${conn.connector} connection; this field takes ${wanted} connections`, {
        details: { path: `config.${key}`, connection: ref, connector: conn.connector, expected: wanted },
      });
    }
    return conn;
  };

  const maxParallel = Math.max(1, req.maxParallel ?? 8);
  const running = new Map<string, Promise<void>>();
  const aborted = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    for (;;) {
      if (!failure && !signal.aborted) {
        for (const node of flow.nodes) {
          if (running.size >= maxParallel) break;
          if (state.get(node.id)?.s !== 'pending') continue;
          const preds = incoming.get(node.id) ?? [];
          if (!preds.every((e) => isResolved(state.get(e.from)))) continue;
          if (!preds.some((e) => firedOn(state.get(e.from), e.port))) {
            state.set(node.id, { s: 'skipped' });
            continue;
          }
          state.set(node.id, { s: 'running' });
          const p = execute(node)
            .catch((err: unknown) => {
              // Recording failed (store down): the step's outcome is unknown, so the run must not claim one.
              failure ??= { ...toStepError(err), nodeId: node.id };
              state.set(node.id, { s: 'failed' });
            })
            .finally(() => running.delete(node.id));
          running.set(node.id, p);
        }
      }
      if (running.size === 0 || signal.aborted) break;
      await Promise.race([...running.values(), aborted]);
    }
  } finally {
    link.dispose();
    if (signal.aborted) closed = true;
  }

  if (signal.aborted) {
    const cancelled = !link.timedOut;
    const err = cancelled ? { ...toStepError(signal.reason), code: 'RUN_CANCELLED', message: 'run was cancelled' } : toStepError(signal.reason);
    const t1 = ports.clock.now();
    const interrupted = [...inProgress].map(([nodeId, a]): StepRecord => {
      const rec: StepRecord = { runId: req.runId, nodeId, attempt: a.attempt, status: 'failed', input: a.input, output: null, ports: [], error: err, logs: a.logs, startedAt: iso(a.t0), finishedAt: iso(t1), durationMs: t1 - a.t0 };
      const from = inputSource(nodeId, a.input);
      return from === undefined ? rec : { ...rec, inputFrom: from };
    });
    const at = interrupted[0]?.nodeId;
    if (cancelled) return { status: 'cancelled', error: err, outputs, stepsRun, interrupted, ...(response !== undefined ? { response } : {}) };
    // A timeout ends the run for good: the steps it cut short are in its history as failed with it.
    for (const rec of interrupted) await ports.recorder.recordStep(rec);
    return { status: 'failed', error: at === undefined ? err : { ...err, nodeId: at }, outputs, stepsRun, ...(response !== undefined ? { response } : {}) };
  }
  if (failure) return { status: 'failed', error: failure, outputs, stepsRun, ...(response !== undefined ? { response } : {}) };
  const waits = [...state.values()].filter((s): s is { s: 'waiting'; resumeAt: number } => s.s === 'waiting');
  if (waits.length > 0) return { status: 'waiting', resumeAt: Math.min(...waits.map((w) => w.resumeAt)), outputs, stepsRun };
  return { status: 'succeeded', outputs, stepsRun, ...(response !== undefined ? { response } : {}) };
}

/** When the retry that a failed attempt scheduled is due (its finish time plus `retryInMs`), if it scheduled one. */
function scheduledRetryAt(rec: StepRecord): number | undefined {
  const details = rec.error?.details;
  if (rec.status === 'waiting') {
    const resumeAt = typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>)['resumeAt'] : undefined;
    return typeof resumeAt === 'string' && Number.isFinite(Date.parse(resumeAt)) ? Date.parse(resumeAt) : undefined;
  }
  if (rec.status !== 'failed' || rec.ports.length > 0) return undefined;
  const retryInMs = typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>)['retryInMs'] : undefined;
  const finishedAt = Date.parse(rec.finishedAt);
  return typeof retryInMs === 'number' && Number.isFinite(finishedAt) ? finishedAt + retryInMs : undefined;
}

function isResolved(st: NodeState | undefined): boolean {
  return st !== undefined && (st.s === 'done' || st.s === 'skipped' || st.s === 'failed');
}

function firedOn(st: NodeState | undefined, port: string): boolean {
  return st?.s === 'done' && st.ports.includes(port);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function asObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : v === undefined || v === null ? {} : { value: v };
}

function childLogger(ports: EnginePorts, logs: LogLine[], fields: Record<string, string>): EnginePorts['log'] {
  const at = (level: LogLine['level']) => (message: string, extra?: Record<string, unknown>): void => {
    if (logs.length < 1000) logs.push({ level, message, at: new Date(ports.clock.now()).toISOString() });
    ports.log[level](message, { ...fields, ...extra });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
