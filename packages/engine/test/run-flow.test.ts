import { describe, expect, it } from 'vitest';
import { idempotencyKey, retryDelayMs, runFlow, TRIGGER_INPUT } from '../src/index.ts';
import { flow, makePorts, pathSandbox } from './harness.ts';

const hook = { id: 'in', type: 't.hook' };

describe('runFlow', () => {
  it('runs steps in topological order and gives each its upstream output and the $steps scope', async () => {
    const { ports, records } = makePorts();
    const doc = flow({
      nodes: [
        { id: 'last', type: 't.echo', config: { value: { $expr: '$steps.first' } } },
        hook,
        { id: 'first', type: 't.echo', config: { value: { order: { $expr: '$trigger.name' }, fixed: 1 } } },
      ],
      edges: [{ from: 'in', to: 'first' }, { from: 'first', to: 'last' }],
    });
    const out = await runFlow({ flow: doc, version: 3, runId: 'run_1', trigger: { name: '#W1042' } }, ports);
    expect(out.status).toBe('succeeded');
    expect(records.map((r) => r.nodeId)).toEqual(['first', 'last']);
    expect(out.outputs['last']).toEqual({ order: '#W1042', fixed: 1 });
    expect(records[0]).toMatchObject({ status: 'succeeded', attempt: 1, input: { name: '#W1042' }, error: null, ports: ['out'] });
  });

  it('says where an input came from when it is exactly the trigger or the one upstream output, not for a join', async () => {
    const { ports, records } = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'a', type: 't.echo', config: { value: 1 } }, { id: 'b', type: 't.echo', config: { value: 2 } }, { id: 'after', type: 't.echo', config: {} }, { id: 'join', type: 't.echo', config: {} }],
      edges: [{ from: 'in', to: 'a' }, { from: 'in', to: 'b' }, { from: 'a', to: 'after' }, { from: 'a', to: 'join' }, { from: 'b', to: 'join' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: { n: 1 } }, ports);
    expect(out.status).toBe('succeeded');
    const byNode = new Map(records.map((r) => [r.nodeId, r]));
    expect(byNode.get('a')).toMatchObject({ inputFrom: TRIGGER_INPUT, input: { n: 1 } });
    expect(byNode.get('after')).toMatchObject({ inputFrom: 'a', input: 1 });
    expect(byNode.get('join')?.inputFrom).toBeUndefined();
    expect(byNode.get('join')?.input).toEqual({ a: 1, b: 2 });
  });

  it('runs independent branches concurrently and joins them', async () => {
    const { ports, probe, records } = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'a', type: 't.echo', config: { delayMs: 30, value: 1 } }, { id: 'b', type: 't.echo', config: { delayMs: 30, value: 2 } }, { id: 'join', type: 't.echo', config: {} }],
      edges: [{ from: 'in', to: 'a' }, { from: 'in', to: 'b' }, { from: 'a', to: 'join' }, { from: 'b', to: 'join' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('succeeded');
    // both started before either finished
    expect(probe.events.slice(0, 2).sort()).toEqual(['start:a', 'start:b']);
    expect(out.outputs['join']).toEqual({ a: 1, b: 2 });
    expect(records.at(-1)?.nodeId).toBe('join');
  });

  it('retries transient failures with backoff, honouring Retry-After, and records every attempt', async () => {
    const { ports, records, sleeps, probe } = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'post', type: 't.flaky', config: { times: 2, retryAfterMs: 3000 }, retry: { attempts: 4, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000 } }],
      edges: [{ from: 'in', to: 'post' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', runKey: 'delivery-1', trigger: {} }, ports);
    expect(out.status).toBe('succeeded');
    expect(records.map((r) => [r.attempt, r.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'succeeded']]);
    expect(records[0]?.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', kind: 'transient', retryable: true });
    // Retry-After (3000) beats the jittered 750 ms of attempt 1; attempt 2's 1500 also loses to it.
    expect(sleeps).toEqual([3000, 3000]);
    // every attempt carries the same idempotency key
    const keys = new Set(probe.events.map((e) => e.split(':')[3]));
    expect(keys.size).toBe(1);
  });

  it('stops retrying after the policy runs out and fails the run with the step and code', async () => {
    const { ports, records } = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'post', type: 't.flaky', config: { times: 10 }, retry: { attempts: 3, backoff: 'fixed', initialDelayMs: 10, maxDelayMs: 10 } }],
      edges: [{ from: 'in', to: 'post' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', nodeId: 'post' });
    expect(records).toHaveLength(3);
  });

  it('ends the slice as waiting when the next retry is far off, and resumes from history without re-running finished steps', async () => {
    const first = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'prep', type: 't.echo', config: { value: 'prepared' } }, { id: 'post', type: 't.flaky', config: { times: 1 }, retry: { attempts: 5, backoff: 'exponential', initialDelayMs: 60_000, maxDelayMs: 600_000 } }],
      edges: [{ from: 'in', to: 'prep' }, { from: 'prep', to: 'post' }],
    });
    const out1 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, first.ports);
    expect(out1.status).toBe('waiting');
    expect(out1.resumeAt).toBeGreaterThan(0);
    expect(first.sleeps).toEqual([]);

    const second = makePorts({}, { now: out1.resumeAt! }); // the queue brings the run back when the backoff is over
    second.probe.failures.set('post', 1); // the target has recovered
    const out2 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {}, history: first.records }, second.ports);
    expect(out2.status).toBe('succeeded');
    expect(second.records.map((r) => [r.nodeId, r.attempt])).toEqual([['post', 2]]);
    expect(out2.outputs['post']).toEqual({ ok: true, attempt: 2 });
  });

  it('waits out the rest of a recorded backoff when the run comes back early (a restart re-queues it at once)', async () => {
    const first = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'prep', type: 't.echo', config: { value: 'prepared' } }, { id: 'post', type: 't.flaky', config: { times: 1 }, retry: { attempts: 5, backoff: 'fixed', initialDelayMs: 60_000 } }, { id: 'side', type: 't.echo', config: { value: 'side' } }],
      edges: [{ from: 'in', to: 'prep' }, { from: 'prep', to: 'post' }, { from: 'in', to: 'side' }],
    });
    const out1 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {}, history: [] }, first.ports);
    expect(out1.status).toBe('waiting');
    const failed = first.records.find((r) => r.nodeId === 'post')!;
    const retryInMs = (failed.error?.details as { retryInMs: number }).retryInMs;
    expect(retryInMs).toBeGreaterThan(10_000); // the fixed 60 s with jitter
    expect(out1.resumeAt).toBe(Date.parse(failed.finishedAt) + retryInMs);

    // Ten seconds later, after a restart: the step is not tried again; the run waits for the same moment.
    const early = makePorts({}, { now: Date.parse(failed.finishedAt) + 10_000 });
    early.probe.failures.set('post', 1);
    const out2 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {}, history: first.records.filter((r) => r.nodeId !== 'side') }, early.ports);
    expect(out2.status).toBe('waiting');
    expect(out2.resumeAt).toBe(out1.resumeAt);
    expect(early.records.map((r) => r.nodeId)).toEqual(['side']); // other branches still run
  });

  it('routes a permanent failure to the error port when the node asks for it', async () => {
    const { ports } = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'create', type: 't.reject', config: {}, onError: 'route' }, { id: 'notify', type: 't.echo', config: {} }, { id: 'after', type: 't.echo', config: {} }],
      edges: [{ from: 'in', to: 'create' }, { from: 'create', port: 'error', to: 'notify' }, { from: 'create', to: 'after' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: { n: 1 } }, ports);
    expect(out.status).toBe('succeeded');
    expect(out.outputs['notify']).toMatchObject({ error: { code: 'VALIDATION', kind: 'user', retryable: false, details: { field: 'customerNumber' } }, input: { n: 1 } });
    expect(out.outputs['after']).toBeUndefined();
  });

  it('fails the run on a permanent error without an error route, and does not retry user errors', async () => {
    const { ports, records } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'create', type: 't.reject', config: {} }, { id: 'after', type: 't.echo', config: {} }], edges: [{ from: 'in', to: 'create' }, { from: 'create', to: 'after' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out).toMatchObject({ status: 'failed', error: { code: 'VALIDATION', nodeId: 'create', message: 'customer C999 does not exist' } });
    expect(records.map((r) => r.nodeId)).toEqual(['create']);
  });

  it('continues with a null output when onError is continue', async () => {
    const { ports } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'create', type: 't.reject', config: {}, onError: 'continue' }, { id: 'after', type: 't.echo', config: { value: 'went on' } }], edges: [{ from: 'in', to: 'create' }, { from: 'create', to: 'after' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('succeeded');
    expect(out.outputs['after']).toBe('went on');
  });

  it('skips the branches a routing step did not fire, and everything below them', async () => {
    const { ports, records } = makePorts();
    const doc = flow({
      nodes: [hook, { id: 'route', type: 't.branch', config: { to: 'b' } }, { id: 'onA', type: 't.echo', config: {} }, { id: 'belowA', type: 't.echo', config: {} }, { id: 'onB', type: 't.echo', config: { value: 'b' } }],
      edges: [{ from: 'in', to: 'route' }, { from: 'route', port: 'a', to: 'onA' }, { from: 'onA', to: 'belowA' }, { from: 'route', port: 'b', to: 'onB' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('succeeded');
    expect(records.map((r) => r.nodeId).sort()).toEqual(['onB', 'route']);
  });

  it('times out a run that exceeds the flow timeout', async () => {
    const { ports, records } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'slow', type: 't.echo', config: { delayMs: 1500 } }], edges: [{ from: 'in', to: 'slow' }], settings: { timeoutMs: 1000 } });
    // The echo test action ignores the signal on purpose: the engine must still end the run.
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'RUN_TIMEOUT', nodeId: 'slow' });
    // The step it cut short is in the history, failed with the timeout; its late finish adds nothing.
    await new Promise((r) => setTimeout(r, 600));
    expect(records.map((r) => [r.nodeId, r.status, r.error?.code])).toEqual([['slow', 'failed', 'RUN_TIMEOUT']]);
    expect(records[0]).toMatchObject({ attempt: 1, inputFrom: TRIGGER_INPUT });
  });

  it('cancels a run when asked', async () => {
    const { ports, records } = makePorts();
    const ctl = new AbortController();
    const doc = flow({ nodes: [hook, { id: 'slow', type: 't.echo', config: { delayMs: 200 } }, { id: 'next', type: 't.echo', config: {} }], edges: [{ from: 'in', to: 'slow' }, { from: 'slow', to: 'next' }] });
    setTimeout(() => ctl.abort(), 20);
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {}, signal: ctl.signal }, ports);
    expect(out.status).toBe('cancelled');
    expect(out.outputs['next']).toBeUndefined();
    // The attempt in progress comes back unrecorded: the caller knows whether the stop is for good.
    expect(records).toEqual([]);
    expect(out.interrupted?.map((r) => [r.nodeId, r.attempt, r.status, r.error?.code])).toEqual([['slow', 1, 'failed', 'RUN_CANCELLED']]);
  });

  it("lets go of a finished run: a signal that outlives it (the worker's) keeps nothing of it alive", async () => {
    // AbortSignal.any([job, timeout]) with an abort listener was kept by Node until it aborted, which a
    // finished run's never does: every run's scope, trigger and step closures stayed reachable for ever.
    const { ports } = makePorts({ recorder: { recordStep: async () => {} } });
    const worker = new AbortController();
    const doc = flow({ nodes: [hook, { id: 'a', type: 't.echo', config: {} }], edges: [{ from: 'in', to: 'a' }] });
    const runOnce = async (): Promise<WeakRef<object>> => {
      const trigger = { order: '#W1042', lines: [{ sku: 'A', qty: 1 }] };
      const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger, signal: worker.signal }, ports);
      expect(out.status).toBe('succeeded');
      return new WeakRef(trigger);
    };
    const refs = [await runOnce(), await runOnce()];
    // The engine is typed without Node (DOM lib only); Node's own modules are for this test alone.
    const node = (name: string): Promise<unknown> => import(name);
    const { setFlagsFromString } = (await node('node:v8')) as { setFlagsFromString(flags: string): void };
    const { runInNewContext } = (await node('node:vm')) as { runInNewContext(code: string): unknown };
    const { getEventListeners } = (await node('node:events')) as { getEventListeners(target: EventTarget, type: string): unknown[] };
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(refs.map((r) => r.deref())).toEqual([undefined, undefined]);
    expect(getEventListeners(worker.signal, 'abort')).toHaveLength(0);
  });

  it.each([
    ['unknown node type', { id: 'x', type: 't.nope', config: {} }, 'NODE_TYPE_UNKNOWN'],
    ['config of the wrong type', { id: 'x', type: 't.flaky', config: { times: 'many' } }, 'CONFIG_INVALID'],
    ['missing connection', { id: 'x', type: 't.needsConn', config: { connection: 'gone' } }, 'CONNECTION_MISSING'],
    ['expression failure', { id: 'x', type: 't.echo', config: { value: { $expr: 'boom' } } }, 'MAPPING_RUNTIME'],
  ])('reports %s as a step failure with its code', async (_name, node, code) => {
    const { ports, records } = makePorts();
    const doc = flow({ nodes: [hook, node], edges: [{ from: 'in', to: 'x' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code, nodeId: 'x' });
    expect(records[0]).toMatchObject({ nodeId: 'x', status: 'failed', error: { code } });
  });

  it('names the config field whose expression failed', async () => {
    const { ports } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'x', type: 't.echo', config: { value: { nested: { $expr: 'boom' } } } }], edges: [{ from: 'in', to: 'x' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.error?.details).toMatchObject({ path: 'config.value.nested' });
  });

  it('hands connector steps their resolved connection', async () => {
    const { ports } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'x', type: 't.needsConn', config: { connection: 'erp-main' } }], edges: [{ from: 'in', to: 'x' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.outputs['x']).toEqual({ user: 'svc' });
  });

  it('refuses a connection of another connector than the node declares, without running the step', async () => {
    const { ports, records } = makePorts({
      connections: { resolve: async (id) => (id === 'shop' ? { id: 'c2', name: 'shop', connector: 'shopify', config: { user: 'shop-svc' }, secrets: { accessToken: 'shpat' } } : null) },
    });
    const doc = flow({ nodes: [hook, { id: 'x', type: 't.needsConn', config: { connection: 'shop' } }], edges: [{ from: 'in', to: 'x' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('failed');
    expect(out.error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false, nodeId: 'x', details: { path: 'config.connection', connector: 'shopify', expected: 't' } });
    expect(records[0]?.output).toBeNull();
  });

  it('replays from a step by reusing recorded upstream outputs', async () => {
    const { ports, records, probe } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'prep', type: 't.echo', config: { value: 'fresh' } }, { id: 'post', type: 't.echo', config: {} }], edges: [{ from: 'in', to: 'prep' }, { from: 'prep', to: 'post' }] });
    const history = [{ runId: 'old', nodeId: 'prep', attempt: 1, status: 'succeeded' as const, input: {}, output: 'recorded', ports: ['out'], error: null, logs: [], startedAt: '', finishedAt: '', durationMs: 1 }];
    const out = await runFlow({ flow: doc, version: 2, runId: 'r2', trigger: {}, history }, ports);
    expect(out.outputs['post']).toBe('recorded');
    expect(probe.events).toEqual(['start:post', 'end:post']);
    expect(records.map((r) => r.nodeId)).toEqual(['post']);
  });

  it('captures the respond step output for synchronous webhooks', async () => {
    const { ports } = makePorts();
    const doc = flow({ nodes: [hook, { id: 'reply', type: 'core.respond', config: { body: { $expr: '$trigger' } } }], edges: [{ from: 'in', to: 'reply' }] });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: { ok: 1 } }, ports);
    expect(out.response).toEqual({ status: 200, body: { ok: 1 } });
  });
});

describe('retryDelayMs', () => {
  const policy = { attempts: 8, backoff: 'exponential' as const, initialDelayMs: 1000, maxDelayMs: 10_000 };
  it.each([
    [1, 0, undefined, 500],
    [1, 1, undefined, 1000],
    [3, 1, undefined, 4000],
    [6, 1, undefined, 10_000],
    [6, 0, undefined, 5000],
    [1, 0, 30_000, 30_000],
  ])('attempt %i with random %f and Retry-After %s waits %i ms', (attempt, rnd, retryAfter, expected) => {
    expect(retryDelayMs(policy, attempt, retryAfter, () => rnd)).toBe(expected);
  });
});

describe('idempotencyKey', () => {
  it('is stable for the same event and node and differs otherwise', () => {
    const a = idempotencyKey({ flowId: 'f', nodeId: 'createSO', runKey: 'd1' });
    expect(idempotencyKey({ flowId: 'f', nodeId: 'createSO', runKey: 'd1' })).toBe(a);
    expect(idempotencyKey({ flowId: 'f', nodeId: 'createSO', runKey: 'd2' })).not.toBe(a);
    expect(idempotencyKey({ flowId: 'f', nodeId: 'other', runKey: 'd1' })).not.toBe(a);
  });
});

describe('RETRY_LATER', () => {
  const doc = flow({ nodes: [hook, { id: 'post', type: 't.flaky', config: { times: 1, retryAfterMs: 3_600_000, code: 'RETRY_LATER' } }], edges: [{ from: 'in', to: 'post' }] });

  it('ends the slice as waiting and records why and until when, without using up an attempt', async () => {
    const { ports, records } = makePorts();
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, ports);
    expect(out.status).toBe('waiting');
    expect(out.resumeAt! - ports.clock.now()).toBeGreaterThan(3_500_000);
    expect(records.map((r) => [r.nodeId, r.attempt, r.status])).toEqual([['post', 1, 'waiting']]);
    expect(records[0]?.error).toMatchObject({ code: 'RETRY_LATER', message: 'ERP answered 503', details: { resumeAt: new Date(out.resumeAt!).toISOString() } });
  });

  it('tries the step again with the same attempt number, so its record replaces the waiting one', async () => {
    const first = makePorts();
    const out1 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, first.ports);
    const second = makePorts({}, { now: out1.resumeAt! });
    second.probe.failures.set('post', 1);
    const out2 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {}, history: first.records }, second.ports);
    expect(out2.status).toBe('succeeded');
    expect(second.records.map((r) => [r.nodeId, r.attempt, r.status])).toEqual([['post', 1, 'succeeded']]);
  });

  it('waits out the rest when the run comes back before the step asked to (a restart re-queues it at once)', async () => {
    const first = makePorts();
    const out1 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {} }, first.ports);
    const early = makePorts({}, { now: out1.resumeAt! - 60_000 });
    early.probe.failures.set('post', 1);
    const out2 = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: {}, history: first.records }, early.ports);
    expect(out2).toMatchObject({ status: 'waiting', resumeAt: out1.resumeAt });
    expect(early.records).toEqual([]);
    expect(early.probe.events).toEqual([]);
  });
});

describe('simple $expr paths', () => {
  it('resolves plain variable paths in the host and sends everything else to the sandbox', async () => {
    const calls: string[] = [];
    const { ports } = makePorts({ sandbox: pathSandbox(calls) });
    const doc = flow({
      nodes: [hook, { id: 'x', type: 't.echo', config: { value: { a: { $expr: '$trigger.order.name' }, b: { $expr: '$trigger.missing.deeper' }, c: { $expr: ' $trigger.lines' }, d: { $expr: '"lit"' } } } }],
      edges: [{ from: 'in', to: 'x' }],
    });
    const out = await runFlow({ flow: doc, version: 1, runId: 'r', trigger: { order: { name: '#1' }, lines: [1, 2] } }, ports);
    expect(out.outputs['x']).toEqual({ a: '#1', b: null, c: [1, 2], d: 'lit' });
    // arrays and non-path expressions went to the sandbox; object paths did not
    expect(calls).toEqual([' $trigger.lines', '"lit"']);
  });
});
