// In-memory ports for engine tests. The sandbox here is a test double of the *sandbox port* that resolves
// `$steps.a.b` / `$trigger.x` paths and JSON literals only: the engine's job is to call it at the right time
// with the right scope; real JSONata-in-isolate evaluation is tested in packages/sandbox.
import {
  ConnectorError,
  createRegistry,
  defineAction,
  defineConnector,
  defineTrigger,
  prop,
  routed,
  type JsonValue,
  type SandboxPort,
} from '@tributary/connector-sdk';
import type { FlowDocument, FlowDocumentInput } from '@tributary/flow';
import { flowDocumentSchema } from '@tributary/flow';
import type { EnginePorts, StepRecord } from '../src/index.ts';

export function pathSandbox(calls: string[] = []): SandboxPort {
  return {
    async evaluate({ expression, bindings }) {
      calls.push(expression);
      const text = expression.trim();
      if (text.startsWith('$')) {
        const [head, ...rest] = text.slice(1).split('.');
        let v: unknown = (bindings as Record<string, unknown>)[head!];
        for (const k of rest) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k];
        return v;
      }
      if (text === 'boom') throw Object.assign(new Error('Unknown function: $boom'), { code: 'MAPPING_RUNTIME', kind: 'user', retryable: false });
      return JSON.parse(text) as unknown;
    },
    async runCode() {
      throw new Error('not used');
    },
  };
}

export interface Probe {
  events: string[];
  failures: Map<string, number>;
}

export function testRegistry(probe: Probe) {
  const trigger = defineTrigger({ name: 'hook', label: 'Hook', description: 'test trigger', source: 'webhook', props: {} });
  const echo = defineAction({
    name: 'echo',
    label: 'Echo',
    description: 'returns its value prop, or its input',
    props: { value: prop.json({ label: 'Value' }), delayMs: prop.number({ label: 'Delay' }) },
    async run(ctx) {
      probe.events.push(`start:${ctx.run.nodeId}`);
      if (ctx.props.delayMs) await new Promise((r) => setTimeout(r, ctx.props.delayMs));
      probe.events.push(`end:${ctx.run.nodeId}`);
      return (ctx.props.value ?? ctx.input) as JsonValue;
    },
  });
  const flaky = defineAction({
    name: 'flaky',
    label: 'Flaky',
    description: 'fails with a transient error `times` times, then succeeds',
    props: { times: prop.integer({ label: 'Times', required: true }), retryAfterMs: prop.integer({ label: 'Retry-After' }), code: prop.string({ label: 'code' }) },
    async run(ctx) {
      const done = probe.failures.get(ctx.run.nodeId) ?? 0;
      probe.events.push(`attempt:${ctx.run.nodeId}:${ctx.run.attempt}:${ctx.idempotencyKey}`);
      if (done < ctx.props.times) {
        probe.failures.set(ctx.run.nodeId, done + 1);
        const opts = ctx.props.retryAfterMs === undefined ? {} : { retryAfterMs: ctx.props.retryAfterMs };
        throw new ConnectorError((ctx.props.code as 'UPSTREAM_UNAVAILABLE' | undefined) ?? 'UPSTREAM_UNAVAILABLE', 'ERP answered 503', { status: 503, ...opts });
      }
      return { ok: true, attempt: ctx.run.attempt };
    },
  });
  const reject = defineAction({
    name: 'reject',
    label: 'Reject',
    description: 'fails permanently',
    props: {},
    async run() {
      throw new ConnectorError('VALIDATION', 'customer C999 does not exist', { status: 422, details: { field: 'customerNumber' } });
    },
  });
  const branch = defineAction({
    name: 'branch',
    label: 'Branch',
    description: 'routes to the port named by `to`',
    props: { to: prop.string({ label: 'Port', required: true }) },
    outputs: ['a', 'b'],
    async run(ctx) {
      return routed(ctx.props.to, ctx.input);
    },
  });
  const needsConn = defineAction({
    name: 'needsConn',
    label: 'Needs connection',
    description: 'reads a secret from its connection',
    props: { connection: prop.connection({ label: 'Connection', connector: 't', required: true }) },
    async run(ctx) {
      return { user: ctx.connection?.config['user'] ?? null };
    },
  });
  const respond = defineAction({
    name: 'respond',
    label: 'Respond',
    description: 'sync response',
    props: { body: prop.json({ label: 'Body' }) },
    async run(ctx) {
      return { status: 200, body: (ctx.props.body ?? null) as JsonValue };
    },
  });
  const t = defineConnector({ id: 't', label: 'Test', description: 'test', auth: null, triggers: [trigger], actions: [echo, flaky, reject, branch, needsConn] });
  const core = defineConnector({ id: 'core', label: 'Core', description: 'core', auth: null, triggers: [], actions: [respond] });
  return createRegistry([t, core]);
}

export function flow(partial: Omit<FlowDocumentInput, 'schemaVersion' | 'id' | 'name' | 'trigger'> & { trigger?: string; settings?: FlowDocumentInput['settings'] }): FlowDocument {
  return flowDocumentSchema.parse({ schemaVersion: 1, id: 'flw_test', name: 'test', trigger: 'in', ...partial });
}

export function makePorts(overrides: Partial<EnginePorts> = {}, clock: { now?: number } = {}) {
  const probe: Probe = { events: [], failures: new Map() };
  const records: StepRecord[] = [];
  const sleeps: number[] = [];
  let now = clock.now ?? 1_700_000_000_000;
  const ports: EnginePorts = {
    registry: testRegistry(probe),
    sandbox: pathSandbox(),
    recorder: { recordStep: async (r) => void records.push(r) },
    connections: { resolve: async (id) => (id === 'erp-main' ? { id: 'c1', name: 'erp-main', connector: 't', config: { user: 'svc' }, secrets: { password: 's3cret' } } : null) },
    xref: { link: async (_e, ids) => ids, lookup: async () => null, get: async () => null },
    state: () => ({ get: async () => null, set: async () => {} }),
    rateLimiter: { acquire: async () => ({ waitedMs: 0 }) },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    fetch: () => Promise.reject(new Error('no network in engine tests')),
    clock: {
      now: () => (now += 1),
      sleep: async (ms, signal) => {
        signal?.throwIfAborted();
        sleeps.push(ms);
        now += ms;
      },
    },
    random: () => 0.5,
    ...overrides,
  };
  return { ports, probe, records, sleeps };
}
