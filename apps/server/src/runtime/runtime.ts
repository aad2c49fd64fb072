import { EventEmitter } from 'node:events';
import type { FlowDocument } from '@tributary/flow';
import { linkSignals, parseProps, type ConnectorRegistry, type JsonValue, type RateLimiterPort, type ResolvedConnection, type SandboxPort } from '@tributary/connector-sdk';
import { runFlow, toStepError, type EnginePorts, type RunOutcome, type StepRecord } from '@tributary/engine';
import { RetryLater, type ActiveJob, type JobQueue, type Priority, type QueueWorker } from '@tributary/queue';
import { isStoreError, UNFINISHED_RUN_STATUSES, type CreateRunInput, type CreateRunResult, type Run, type RunStatus, type Step, type Store, type StoredError, type UpdateRunInput, type UpsertStepInput } from '@tributary/store';
import type { PinoLogger } from '../logger.ts';
import { portLogger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { SecretBox } from '../secrets.ts';
import { Batcher } from './batcher.ts';
import { createHttpFetch } from './http-client.ts';
import { FlowCache, type ActiveFlow } from './flow-cache.ts';
import { redactSecrets, secretValues } from './redact.ts';
import { scheduleFor } from './schedules.ts';
import type { FlowEvents } from './flow-events.ts';

/** Sent on the flow-events channel when connections change; not a valid flow id. */
const CONNECTIONS_CHANGED = '*connections';
/** Notice prefix: `*cancelled:<runId>`, so whichever process runs it stops it. */
const RUN_CANCELLED = '*cancelled:';
/** Dedupe key prefix of runs that record a failed poll; item runs of a poll use `poll-`. */
const POLL_FAILURE_KEY = 'pollfail:';
/** Flow state naming the run of a poll trigger's current failure streak. */
const POLL_FAILING_STATE = 'pollFailing:';
/** How long one run collects the failed polls of a streak before the next failure opens another. */
const POLL_FAILURE_RUN_SPAN_MS = 60 * 60 * 1000;
/** How long a run goes before its history shows it as running. */
const RUNNING_MARK_DELAY_MS = 250;

export const PRIORITY_RANK: Record<Priority, number> = { high: 1, normal: 2, low: 3 };
const RANK_PRIORITY: Record<number, Priority> = { 1: 'high', 2: 'normal', 3: 'low' };

export interface RuntimeDeps {
  store: Store;
  queue: JobQueue;
  sandbox: SandboxPort;
  registry: ConnectorRegistry;
  secrets: SecretBox;
  log: PinoLogger;
  metrics: Metrics;
  rateLimiter: RateLimiterPort;
  events: FlowEvents;
  fetch?: typeof fetch;
  /** Group-commit flushes allowed in flight at once (1 for PGlite, a few for PostgreSQL). */
  concurrentWrites?: number;
}

export interface AcceptInput {
  flow: ActiveFlow;
  payload: JsonValue;
  triggerKind: string;
  dedupeKey?: string | undefined;
}

export interface RunWithSteps extends Run {
  steps: Step[];
}

/** Job data on the queue: the run row is the durable truth, the job only points at it. */
type JobData = { kind: 'run'; runId: string } | { kind: 'schedule'; flowId: string };

/**
 * Wires the engine to the store, the queue and the sandbox: accepts events durably, runs queued runs,
 * keeps schedules in step with enabled flows, replays, and recovers what a crash left unfinished.
 */
export class Runtime {
  readonly flows: FlowCache;
  readonly #d: RuntimeDeps;
  /** What connector steps call out with: node:http keep-alive unless the deps bring their own fetch. */
  readonly #fetch: typeof fetch;
  readonly #closeHttp: () => void = () => undefined;
  readonly #finished = new EventEmitter();
  readonly #log: PinoLogger;
  #sweep: NodeJS.Timeout | undefined;
  /** Group commit of accepted events: concurrent webhooks share one transaction. */
  readonly #accepts: Batcher<CreateRunInput, CreateRunResult>;
  /** Group commit of run progress (step records + run status) across concurrent runs. */
  readonly #progress: Batcher<{ run?: UpdateRunInput; steps?: UpsertStepInput[] }, void>;
  /** Runs this process just accepted, handed to its own worker without a read-back; taken once. */
  readonly #fresh = new Map<string, Run>();
  /** Runs this process is executing, to stop one that is cancelled. */
  readonly #inFlight = new Map<string, AbortController>();
  /**
   * Whether this process's own worker takes the jobs it enqueues: the local queue with a worker started
   * here. A server-only process, or a BullMQ queue whose jobs another process may take, would only hold
   * each accepted run (trigger payload and all) until the cap.
   */
  #runsOwnJobs = false;
  /** Decrypted connections for a short while: every webhook checks a signature with one. */
  readonly #connections = new Map<string, { at: number; value: Promise<ResolvedConnection | null> }>();

  constructor(deps: RuntimeDeps) {
    this.#d = deps;
    if (deps.fetch !== undefined) this.#fetch = deps.fetch;
    else {
      const client = createHttpFetch();
      this.#fetch = client.fetch;
      this.#closeHttp = client.close;
    }
    // PGlite is one connection: one flush at a time. PostgreSQL overlaps a few commits.
    const maxInFlight = deps.concurrentWrites ?? 1;
    this.#accepts = new Batcher((items) => deps.store.createRuns(items), { maxItems: 256, maxInFlight, gather: 'io' });
    this.#progress = new Batcher<{ run?: UpdateRunInput; steps?: UpsertStepInput[] }, void>(async (items) => {
      await deps.store.writeRunProgress(items);
      return items.map(() => undefined);
    }, { maxItems: 256, maxInFlight, gather: 'io' });
    this.#log = deps.log;
    this.#finished.setMaxListeners(0);
    this.flows = new FlowCache({ store: deps.store, registry: deps.registry });
    deps.events.subscribe((flowId) => {
      if (flowId === CONNECTIONS_CHANGED) this.#connections.clear();
      else if (flowId.startsWith(RUN_CANCELLED)) this.#stop(flowId.slice(RUN_CANCELLED.length));
      else this.flows.invalidate(flowId);
    });
  }

  /** Makes an event durable (a run row, plus a queue job) before anyone acknowledges it. */
  async accept(input: AcceptInput): Promise<{ runId: string; created: boolean }> {
    const { flow } = input;
    const priority = flow.doc.settings.priority;
    const { run, created } = await this.#accepts.add({
      flowId: flow.flowId,
      version: flow.version,
      status: 'queued',
      trigger: input.payload,
      triggerKind: input.triggerKind,
      dedupeKey: input.dedupeKey ?? null,
      priority: PRIORITY_RANK[priority],
    });
    if (!created) {
      this.#d.metrics.eventsDuplicate.inc({ flow: flow.flowId });
      return { runId: run.id, created: false };
    }
    if (this.#runsOwnJobs && this.#fresh.size < 10_000) this.#fresh.set(run.id, run);
    await this.#enqueue(run.id, flow.flowId, priority);
    this.#d.metrics.eventsAccepted.inc({ flow: flow.flowId });
    return { runId: run.id, created: true };
  }

  async #enqueue(runId: string, flowId: string, priority: Priority, delayMs?: number): Promise<void> {
    const data: JobData = { kind: 'run', runId };
    await this.#d.queue.add({ id: runId, flowId, data, priority, ...(delayMs ? { delayMs } : {}) });
  }

  /** Starts consuming the queue. */
  startWorker(opts: { concurrency: number }): QueueWorker {
    this.#runsOwnJobs = this.#d.queue.driver === 'local';
    return this.#d.queue.process((job) => this.#handle(job), { concurrency: opts.concurrency });
  }

  async #handle(job: ActiveJob): Promise<void> {
    const data = job.data as JobData;
    if (data.kind === 'schedule') {
      await this.#fireSchedule(data.flowId, job);
      return;
    }
    await this.#execute(data.runId, job.signal);
  }

  /** One slice of a run: resume from its recorded steps, record the outcome, or ask the queue to come back later. */
  async #execute(runId: string, jobSignal: AbortSignal): Promise<void> {
    // Registered before the run is read: a cancellation committed after that read reaches it here.
    const cancel = new AbortController();
    this.#inFlight.set(runId, cancel);
    const link = linkSignals([jobSignal, cancel.signal]);
    try {
      await this.#executeSlice(runId, link.signal, cancel.signal);
    } finally {
      link.dispose();
      if (this.#inFlight.get(runId) === cancel) this.#inFlight.delete(runId);
    }
  }

  async #executeSlice(runId: string, signal: AbortSignal, cancelled: AbortSignal): Promise<void> {
    const { store } = this.#d;
    // The first delivery of a run accepted here cannot have been processed before (job ids dedupe);
    // any other delivery reads the run's current state.
    const fresh = this.#fresh.get(runId);
    this.#fresh.delete(runId);
    const run = fresh ?? (await store.getRun(runId));
    if (!run || !UNFINISHED_RUN_STATUSES.includes(run.status)) return; // a redelivery of finished work
    const doc = run.version === null ? null : await this.flows.version(run.flowId, run.version);
    if (!doc) {
      await store.updateRun({ id: run.id, status: 'failed', finishedAt: new Date(), error: { code: 'FLOW_VERSION_MISSING', kind: 'internal', retryable: false, message: `flow ${run.flowId} version ${run.version} is gone` } });
      return;
    }
    const attempt = run.attempt + 1;
    // Most runs finish in milliseconds: their outcome write carries attempt and start time, and a
    // separate "running" write would only double the work. A run still going after a moment is marked
    // running so the history shows it. That mark is awaited before the outcome is written, because
    // with several group commits in flight a later batch could otherwise commit first.
    const startedAt = run.startedAt ?? new Date();
    let marked: Promise<void> = Promise.resolve();
    const markTimer = setTimeout(() => {
      marked = this.#progress.add({ run: { id: run.id, status: 'running', attempt, startedAt, ...(run.status === 'waiting' ? { error: null } : {}) } }).catch((err: unknown) => this.#log.warn({ err, runId }, 'could not mark run running'));
    }, RUNNING_MARK_DELAY_MS);
    // A fresh run has no history; only resumed, recovered or replayed runs read theirs.
    const history = run.attempt > 0 || run.replayOf ? (await store.listSteps(run.id, { full: true })).map(toRecord) : [];
    const buffer: UpsertStepInput[] = [];
    const secrets = new Set<string>();
    const outcome = await runFlow({ flow: doc, version: run.version ?? 0, runId: run.id, runKey: await this.#runKey(run), trigger: run.trigger, history, signal, test: run.test }, this.#ports(doc.id, buffer, secrets));
    clearTimeout(markTimer);
    await marked;
    if (cancelled.aborted) {
      // Cancelled while it ran (cancelRun already recorded the run): keep the record of what ran,
      // the step it stopped failed with RUN_CANCELLED.
      await this.#recordInterrupted(doc.id, outcome, buffer, secrets);
      return;
    }
    if (signal.aborted && outcome.status === 'cancelled') {
      // The worker is shutting down without waiting: keep what was done and leave the run queued for redelivery.
      await this.#progress.add({ run: { id: run.id, status: 'queued', attempt, startedAt, error: null }, steps: buffer });
      throw new Error('worker stopped before the run finished; it will be delivered again');
    }
    if (outcome.status === 'waiting') {
      const resumeAt = outcome.resumeAt ?? Date.now();
      await this.#progress.add({ run: { id: run.id, status: 'waiting', attempt, startedAt, error: redactSecrets(waitingError(buffer, resumeAt), secrets) }, steps: buffer });
      throw new RetryLater({ delayMs: Math.max(0, resumeAt - Date.now()), reason: 'step retry backoff' });
    }
    await this.#finish(run, outcome, buffer, secrets, { attempt, startedAt });
  }

  async #finish(run: Run, outcome: RunOutcome, steps: UpsertStepInput[], secrets: ReadonlySet<string>, extra: { attempt?: number; startedAt?: Date } = {}): Promise<void> {
    const status = outcome.status === 'waiting' ? 'failed' : outcome.status;
    const error = outcome.error ? redactSecrets(storedError(outcome.error), secrets) : null;
    await this.#progress.add({ run: { id: run.id, status, finishedAt: new Date(), error, ...extra }, steps });
    this.#d.metrics.runsFinished.inc({ flow: run.flowId, status });
    this.#finished.emit(run.id, outcome);
  }

  /** Replays use the original event's identity so a replayed write is recognised by its target. */
  async #runKey(run: Run): Promise<string> {
    if (run.replayOf) {
      const root = await this.#d.store.getRun(run.replayOf);
      if (root) return root.dedupeKey ?? root.id;
    }
    return run.dedupeKey ?? run.id;
  }

  /** Step records go to `buffer`, secrets cut out; each observed in the step metrics. */
  #recorder(flowId: string, buffer: UpsertStepInput[], secrets: Set<string>): EnginePorts['recorder'] {
    const { metrics } = this.#d;
    return {
      recordStep: async (raw) => {
        // Whatever a step saw of a connection's secrets (a vendor echoing a token) is cut out here.
        // An input that is exactly the trigger payload or the upstream step's recorded output is
        // stored as a reference to it (already recorded, redacted as it was then), not a second copy.
        const r = redactSecrets(raw.inputFrom === undefined ? raw : { ...raw, input: null }, secrets);
        buffer.push({
          runId: r.runId,
          nodeId: r.nodeId,
          attempt: r.attempt,
          status: r.status,
          ...(raw.inputFrom === undefined ? { input: r.input } : { inputFrom: raw.inputFrom }),
          output: r.output,
          ports: r.ports,
          error: r.error ? storedError(r.error) : null,
          logs: r.logs as unknown as JsonValue,
          startedAt: new Date(r.startedAt),
          finishedAt: new Date(r.finishedAt),
          durationMs: r.durationMs,
        });
        const type = this.flows.nodeType(flowId, r.nodeId) ?? 'unknown';
        metrics.stepDuration.observe({ node_type: type, status: r.status }, r.durationMs / 1000);
        if (r.status === 'failed' && r.error?.retryable) metrics.retries.inc({ node_type: type });
      },
    };
  }

  /**
   * Step records go to `buffer` and are written with the run's outcome in one group commit; a crash
   * before that re-runs the steps, which is safe because every write carries its idempotency key.
   */
  #ports(flowId: string, buffer: UpsertStepInput[], secrets: Set<string> = new Set()): EnginePorts {
    const { store } = this.#d;
    return {
      registry: this.#d.registry,
      sandbox: this.#d.sandbox,
      recorder: this.#recorder(flowId, buffer, secrets),
      connections: {
        resolve: async (ref) => {
          const c = await this.resolveConnection(ref);
          if (c) for (const v of secretValues(c.secrets)) secrets.add(v);
          return c;
        },
      },
      xref: {
        link: async (entity, ids) => (await store.xrefLink({ entity, ids })).ids,
        lookup: (entity, system, id, targetSystem) => store.xrefLookup({ entity, system, id, targetSystem }),
        get: async (entity, system, id) => (await store.xrefGet(entity, system, id))?.ids ?? null,
      },
      state: (fid) => ({
        get: async (key) => (await store.getState(fid, key))?.value ?? null,
        set: async (key, value) => {
          await store.setState({ flowId: fid, key, value });
        },
      }),
      rateLimiter: this.#d.rateLimiter,
      log: portLogger(this.#log.child({ flowId })),
      fetch: this.#fetch,
      clock: { now: () => Date.now(), sleep: sleep },
    };
  }

  /**
   * Connection by name or id with secrets decrypted: for connector steps and signature checks in the
   * host only. Cached for two seconds; `connectionsChanged` drops the cache on every process at once.
   */
  resolveConnection(ref: string): Promise<ResolvedConnection | null> {
    const hit = this.#connections.get(ref);
    if (hit && Date.now() - hit.at < 2000) return hit.value;
    const value = (async () => {
      const c = (await this.#d.store.getConnectionByName(ref)) ?? (await this.#d.store.getConnection(ref));
      if (!c) return null;
      return { id: c.id, name: c.name, connector: c.connector, config: c.config, secrets: c.secretCiphertext ? this.#d.secrets.decrypt(c.secretCiphertext) : {} };
    })();
    this.#connections.set(ref, { at: Date.now(), value });
    value.catch(() => this.#connections.delete(ref));
    return value;
  }

  /** Call after a connection is created, changed or deleted. */
  async connectionsChanged(): Promise<void> {
    this.#connections.clear();
    await this.#d.events.publish(CONNECTIONS_CHANGED);
  }

  /** Resolves when the run finishes (or after timeoutMs with null): for webhooks answered synchronously. */
  async waitForRun(runId: string, timeoutMs: number): Promise<{ run: Run; response: JsonValue | undefined } | null> {
    const deadline = Date.now() + timeoutMs;
    const local = new Promise<RunOutcome | null>((resolve) => {
      const t = setTimeout(() => {
        this.#finished.off(runId, on);
        resolve(null);
      }, timeoutMs);
      const on = (o: RunOutcome): void => {
        clearTimeout(t);
        resolve(o);
      };
      this.#finished.once(runId, on);
    });
    // Another process may run it (scaled mode): poll the store too.
    for (;;) {
      const outcome = await Promise.race([local, sleep(100).then(() => undefined)]);
      if (outcome === null) return null;
      const run = await this.#d.store.getRun(runId);
      if (run && run.finishedAt) {
        const response = outcome?.response ?? (await this.#responseOf(run));
        return { run, response };
      }
      if (Date.now() >= deadline) return null;
    }
  }

  async #responseOf(run: Run): Promise<JsonValue | undefined> {
    const doc = run.version === null ? null : await this.flows.version(run.flowId, run.version);
    const respond = doc?.nodes.find((n) => n.type === 'core.respond');
    if (!respond) return undefined;
    const steps = await this.#d.store.listSteps(run.id, { full: true });
    return steps.filter((s) => s.nodeId === respond.id && s.status === 'succeeded').at(-1)?.output ?? undefined;
  }

  /** Runs a draft inline with a sample event (designer test runs). Nothing is queued; connectors are real. */
  async testRun(input: { flowId: string; draft: FlowDocument; payload: JsonValue }): Promise<RunWithSteps> {
    const { store } = this.#d;
    const { run } = await store.createRun({ flowId: input.flowId, version: null, status: 'running', trigger: input.payload, triggerKind: 'test', test: true, startedAt: new Date() });
    const buffer: UpsertStepInput[] = [];
    const secrets = new Set<string>();
    const cancel = new AbortController();
    this.#inFlight.set(run.id, cancel);
    const outcome = await runFlow({ flow: input.draft, version: 0, runId: run.id, trigger: input.payload, test: true, inlineRetryMaxMs: 2000, signal: cancel.signal }, this.#ports(input.flowId, buffer, secrets)).finally(() => this.#inFlight.delete(run.id));
    if (cancel.signal.aborted) {
      await this.#recordInterrupted(input.flowId, outcome, buffer, secrets);
    } else if (outcome.status === 'waiting') {
      // Nothing resumes a test run: the step it stopped at failed here, with the cause.
      const error = pendingRetryError(buffer);
      const { nodeId: _, ...stepError } = error;
      const steps = buffer.map((s) => (s.status === 'waiting' ? { ...s, status: 'failed' as const, error: stepError } : s));
      await this.#finish(run, { ...outcome, status: 'failed', error }, steps, secrets);
    } else {
      await this.#finish(run, outcome, buffer, secrets);
    }
    return this.runWithSteps(run.id) as Promise<RunWithSteps>;
  }

  async runWithSteps(runId: string): Promise<RunWithSteps | null> {
    const run = await this.#d.store.getRun(runId);
    if (!run) return null;
    return { ...run, steps: await this.#d.store.listSteps(runId) };
  }

  /**
   * Cancels a run that has not finished (queued, running or waiting): it is recorded as cancelled at
   * once, in one guarded update, so of a cancel and a worker finishing the run exactly one decides its
   * status, and a cancelled run is never changed again (store: writeRunProgress leaves it alone).
   * Whichever process runs it is told to stop: the step in hand is aborted, steps that ran stay in the
   * history, and nothing after it runs. A queued or waiting run is simply skipped when its job comes.
   */
  async cancelRun(runId: string, by: string): Promise<Run> {
    const { store } = this.#d;
    const run = await store.getRun(runId);
    if (!run) throw new RuntimeError('RUN_NOT_FOUND', `run ${runId} does not exist`);
    const error: StoredError = { code: 'RUN_CANCELLED', kind: 'user', retryable: false, message: `cancelled by ${by}` };
    let cancelled: Run;
    try {
      cancelled = await store.updateRun({ id: runId, status: 'cancelled', finishedAt: new Date(), error, expectStatus: [...UNFINISHED_RUN_STATUSES] });
    } catch (err) {
      const details = isStoreError(err) && err.code === 'STORE_CONFLICT' ? err.details : undefined;
      const now = details && typeof details === 'object' && 'status' in details ? details['status'] : undefined;
      if (typeof now === 'string') throw notCancellable(runId, now);
      throw err;
    }
    await this.#d.events.publish(`${RUN_CANCELLED}${runId}`);
    this.#d.metrics.runsFinished.inc({ flow: run.flowId, status: 'cancelled' });
    this.#finished.emit(runId, { status: 'cancelled', error, outputs: {}, stepsRun: 0 } satisfies RunOutcome);
    return cancelled;
  }

  /** Writes the steps of a run that was cancelled while it ran, with those it cut short. */
  async #recordInterrupted(flowId: string, outcome: RunOutcome, buffer: UpsertStepInput[], secrets: Set<string>): Promise<void> {
    const recorder = this.#recorder(flowId, buffer, secrets);
    for (const rec of outcome.interrupted ?? []) await recorder.recordStep(rec);
    await this.#progress.add({ steps: buffer });
  }

  /** Stops this process's execution of a cancelled run, or its first delivery before it starts. */
  #stop(runId: string): void {
    this.#fresh.delete(runId);
    this.#inFlight.get(runId)?.abort(new RuntimeError('CONFLICT', `run ${runId} was cancelled`));
  }

  /**
   * A new run of the same event from `fromNode` (default: the step that failed), on the same or the
   * current version. Upstream steps are copied, not re-run; the idempotency key is the original event's.
   *
   * Only a finished run is replayed: one still queued or running would run a second time beside
   * itself (CONFLICT naming its status). With `resolveFailure` (a retry from the failure inbox) the
   * run must be failed and becomes resolved in the same transaction that creates the replay, so of
   * concurrent retries of one failure exactly one creates a replay and the others start nothing.
   * Replaying a succeeded or resolved run on purpose stays allowed (an analyst re-sending an event).
   */
  async replay(input: { runId: string; fromNode?: string; version?: 'same' | 'current'; resolveFailure?: boolean }): Promise<Run> {
    const { store } = this.#d;
    const original = await store.getRun(input.runId);
    if (!original) throw new RuntimeError('RUN_NOT_FOUND', `run ${input.runId} does not exist`);
    const expectStatus: RunStatus[] = input.resolveFailure ? ['failed'] : ['succeeded', 'failed', 'cancelled', 'resolved'];
    if (!expectStatus.includes(original.status)) throw notReplayable(original.id, original.status, input.resolveFailure === true);
    if (original.test || original.version === null) throw new RuntimeError('REPLAY_INVALID', 'test runs cannot be replayed; run the test again');
    if (isFailedPoll(original)) throw new RuntimeError('REPLAY_INVALID', `run ${original.id} records a poll that failed, not an event: there is nothing to replay; the next poll fetches from the watermark again (resolve this failure once the poll works)`);
    let version = original.version;
    if (input.version === 'current') {
      const flow = await store.getFlow(original.flowId);
      if (!flow || flow.currentVersion === null) throw new RuntimeError('REPLAY_INVALID', `flow ${original.flowId} has no published version`);
      version = flow.currentVersion;
    }
    const doc = await this.flows.version(original.flowId, version);
    if (!doc) throw new RuntimeError('REPLAY_INVALID', `flow ${original.flowId} version ${version} does not exist`);
    const steps = await store.listSteps(original.id, { full: true });
    const fromNode = input.fromNode ?? steps.filter((s) => s.status === 'failed').at(-1)?.nodeId;
    if (fromNode !== undefined && !doc.nodes.some((n) => n.id === fromNode)) throw new RuntimeError('REPLAY_INVALID', `node "${fromNode}" is not in version ${version}`);
    const rerun = fromNode === undefined ? new Set(doc.nodes.map((n) => n.id)) : downstreamOf(doc, fromNode);
    const root = original.replayOf ?? original.id;
    const latest = new Map<string, Step>();
    for (const s of steps) if (s.status === 'succeeded') latest.set(s.nodeId, s);
    const reused = [...latest.values()]
      .filter((s) => !rerun.has(s.nodeId))
      .map((s) => ({ nodeId: s.nodeId, attempt: 1, status: 'succeeded' as const, input: s.input, output: s.output, ports: s.ports, error: null, logs: s.logs ?? [], startedAt: s.startedAt, finishedAt: s.finishedAt, durationMs: s.durationMs, reusedFrom: original.id }));
    let run: Run;
    try {
      ({ run } = await store.createRunWithSteps({
        run: { flowId: original.flowId, version, status: 'queued', trigger: original.trigger, triggerKind: original.triggerKind, priority: original.priority, replayOf: root, replayFromNode: fromNode ?? null },
        steps: reused,
        claim: { runId: original.id, expectStatus, ...(input.resolveFailure ? { status: 'resolved' as const } : {}) },
      }));
    } catch (err) {
      // Another retry, resolve or run got there first: nothing was created.
      const details = isStoreError(err) && err.code === 'STORE_CONFLICT' ? err.details : undefined;
      const now = details && typeof details === 'object' && 'status' in details ? details['status'] : undefined;
      if (typeof now === 'string') throw notReplayable(original.id, now, input.resolveFailure === true);
      throw err;
    }
    await this.#enqueue(run.id, run.flowId, RANK_PRIORITY[run.priority] ?? 'normal');
    return run;
  }

  /** Puts every unfinished run back on the queue (job id = run id, so ones still queued are not doubled). */
  async recoverUnfinished(): Promise<number> {
    const runs = await this.#d.store.unfinishedRuns({ limit: 100_000 });
    let n = 0;
    for (const run of runs) {
      if (run.test) {
        await this.#d.store.updateRun({ id: run.id, status: 'failed', finishedAt: new Date(), error: { code: 'RUN_INTERRUPTED', kind: 'internal', retryable: false, message: 'the server stopped during this test run' } });
        continue;
      }
      await this.#enqueue(run.id, run.flowId, RANK_PRIORITY[run.priority] ?? 'normal');
      n++;
    }
    if (n > 0) this.#log.info({ runs: n }, 'recovered unfinished runs');
    return n;
  }

  /** Periodic safety net for scaled mode: a server that died between storing a run and queueing it. */
  startSweeper(intervalMs = 30_000): void {
    this.#sweep = setInterval(() => {
      this.recoverUnfinished().catch((err: unknown) => this.#log.error({ err }, 'recovery sweep failed'));
    }, intervalMs);
    this.#sweep.unref();
  }

  /** Makes the queue's schedules match the enabled flows' schedule and poll triggers. */
  async syncSchedules(flowId?: string): Promise<void> {
    const { store, queue } = this.#d;
    const flows = flowId ? [await store.getFlow(flowId)].filter((f) => f !== null) : await store.listFlows();
    const wanted = new Set<string>();
    for (const f of flows) {
      this.flows.invalidate(f.id);
      const active = await this.flows.active(f.id);
      const spec = active && scheduleFor(active);
      const id = scheduleId(f.id);
      if (spec) {
        wanted.add(id);
        await queue.upsertSchedule({ id, ...spec, job: { flowId: f.id, data: { kind: 'schedule', flowId: f.id }, priority: active.doc.settings.priority } });
      } else {
        await queue.removeSchedule(id);
      }
      if (active) await queue.setFlowConcurrency(f.id, active.doc.settings.concurrency);
    }
    if (!flowId) {
      for (const s of await queue.listSchedules()) if (s.id.startsWith('flow-') && !wanted.has(s.id)) await queue.removeSchedule(s.id);
    }
  }

  /** A schedule tick: one run per tick (deduplicated by tick time), or for poll triggers one run per new item. */
  async #fireSchedule(flowId: string, job: ActiveJob): Promise<void> {
    const active = await this.flows.active(flowId);
    if (!active) return; // disabled since the tick was queued
    const tick = job.scheduledAt ?? Date.now();
    const impl = this.#d.registry.get(active.triggerNode.type);
    if (impl?.kind === 'trigger' && impl.trigger.source === 'poll' && impl.trigger.poll) {
      await this.#poll(active, tick, job.signal);
      return;
    }
    const tz = typeof active.triggerNode.config['timezone'] === 'string' ? active.triggerNode.config['timezone'] : 'UTC';
    await this.accept({ flow: active, payload: { scheduledAt: new Date(tick).toISOString(), firedAt: new Date().toISOString(), timezone: tz }, triggerKind: 'schedule', dedupeKey: `tick-${tick}` });
  }

  /**
   * Poll triggers: fetch what changed since the watermark, make one run per item durable, then advance
   * the watermark. A poll that fails (the target or its token endpoint down, a refused credential, a
   * bad trigger config) leaves the watermark where it was, so the next tick fetches the same changes
   * again, and is recorded where admins look (see #recordPollFailure). It is not retried by the queue:
   * the connector's client already retried transient errors, and the next tick is the retry.
   */
  async #poll(active: ActiveFlow, tick: number, signal: AbortSignal): Promise<void> {
    const impl = this.#d.registry.get(active.triggerNode.type);
    if (impl?.kind !== 'trigger' || !impl.trigger.poll) return;
    const { store } = this.#d;
    const key = `watermark:${active.triggerNode.id}`;
    const watermark = (await store.getState(active.flowId, key))?.value ?? null;
    const secrets = new Set<string>();
    const startedAt = new Date();
    let result: { items: JsonValue[]; watermark: JsonValue };
    try {
      const ports = this.#ports(active.flowId, [], secrets);
      const parsed = parseProps(impl.trigger.props, active.triggerNode.config);
      if (!parsed.ok) throw new RuntimeError('TRIGGER_CONFIG_INVALID', `poll trigger config is invalid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      const connRef = Object.entries(impl.spec.props).find(([, p]) => p.type === 'connection')?.[0];
      const connection = connRef ? await ports.connections.resolve(String(active.triggerNode.config[connRef] ?? '')) : null;
      const runId = `poll-${active.flowId}-${tick}`;
      result = await impl.trigger.poll({
        ...ports,
        state: ports.state(active.flowId),
        now: () => Date.now(),
        sleep,
        props: parsed.value,
        input: null,
        scope: { trigger: null, steps: {}, vars: {}, execution: { runId, flowId: active.flowId, version: active.version, startedAt: startedAt.toISOString(), test: false } },
        connection,
        run: { runId, flowId: active.flowId, version: active.version, nodeId: active.triggerNode.id, attempt: 1, test: false },
        idempotencyKey: runId,
        signal,
        limits: {},
        watermark,
      });
    } catch (err) {
      if (signal.aborted) throw err; // the worker is stopping: the poll did not fail, it was interrupted
      await this.#recordPollFailure({ active, tick, watermark, startedAt, error: redactSecrets(storedError({ ...toStepError(err), nodeId: active.triggerNode.id }), secrets) });
      return;
    }
    for (const item of result.items) {
      await this.accept({ flow: active, payload: item, triggerKind: 'poll', dedupeKey: `poll-${itemKey(item)}` });
    }
    await store.setState({ flowId: active.flowId, key, value: result.watermark });
    await this.#endPollFailureStreak(active);
  }

  /**
   * Makes a failed poll visible: a warn log line (flow, trigger, code, message), the
   * tributary_poll_failures_total metric, and a failed run in the history and the failure inbox
   * (trigger kind poll, the trigger node as its failed step, so connection health counts it).
   *
   * One run per failure streak, not one per tick: a poll every minute failing for a night would
   * otherwise bury every other run. Later failures of the streak are added to that run as further
   * attempts of its trigger step (its error is the latest one); a run collects at most an hour of
   * them, so a long outage shows in any recent time window, and once it is resolved the next failure
   * opens a new run. The streak's run is kept in the flow state `pollFailing:<node>` until a poll succeeds.
   */
  async #recordPollFailure(input: { active: ActiveFlow; tick: number; watermark: JsonValue; startedAt: Date; error: StoredError }): Promise<void> {
    const { active, error } = input;
    const { store, metrics } = this.#d;
    const nodeId = active.triggerNode.id;
    const stateKey = `${POLL_FAILING_STATE}${nodeId}`;
    const finishedAt = new Date();
    const step = { nodeId, status: 'failed' as const, input: { watermark: input.watermark }, error, logs: [], startedAt: input.startedAt, finishedAt, durationMs: finishedAt.getTime() - input.startedAt.getTime() };
    const streak = await this.#pollFailureRun(active.flowId, stateKey);
    let run: Run | null = null;
    if (streak && finishedAt.getTime() - streak.createdAt.getTime() < POLL_FAILURE_RUN_SPAN_MS) {
      const attempt = streak.attempt + 1;
      try {
        run = await store.updateRun({ id: streak.id, error, finishedAt, attempt, expectStatus: ['failed'] });
        await store.upsertStep({ runId: streak.id, attempt, ...step });
      } catch (err) {
        if (!isStoreError(err) || err.code !== 'STORE_CONFLICT') throw err;
        run = null; // resolved since the last failure: this one opens a new run
      }
    }
    if (!run) {
      const created = await store.createRunWithSteps({
        run: { flowId: active.flowId, version: active.version, status: 'running', trigger: { poll: { scheduledAt: new Date(input.tick).toISOString(), watermark: input.watermark } }, triggerKind: 'poll', dedupeKey: `${POLL_FAILURE_KEY}${nodeId}:${input.tick}`, priority: PRIORITY_RANK[active.doc.settings.priority] },
        outcome: { status: 'failed', error, attempt: 1, finishedAt },
        steps: [{ attempt: 1, ...step }],
      });
      run = created.run;
      if (created.created) {
        await store.setState({ flowId: active.flowId, key: stateKey, value: { runId: run.id, since: finishedAt.toISOString() } });
        metrics.runsFinished.inc({ flow: active.flowId, status: 'failed' });
      }
    }
    metrics.pollFailures.inc({ flow: active.flowId, code: error.code });
    this.#log.warn({ flowId: active.flowId, trigger: nodeId, triggerType: active.triggerNode.type, code: error.code, kind: error.kind, message: error.message, runId: run.id, attempt: run.attempt }, 'poll failed; the watermark stays, the next tick polls again');
  }

  /** The run of the current failure streak of a poll trigger, while it is still failed (not resolved). */
  async #pollFailureRun(flowId: string, stateKey: string): Promise<Run | null> {
    const value = (await this.#d.store.getState(flowId, stateKey))?.value;
    const runId = value && typeof value === 'object' && !Array.isArray(value) ? value['runId'] : undefined;
    if (typeof runId !== 'string') return null;
    const run = await this.#d.store.getRun(runId);
    return run?.status === 'failed' ? run : null;
  }

  async #endPollFailureStreak(active: ActiveFlow): Promise<void> {
    const stateKey = `${POLL_FAILING_STATE}${active.triggerNode.id}`;
    const { store } = this.#d;
    const value = (await store.getState(active.flowId, stateKey))?.value;
    if (value === undefined) return;
    await store.resetState(active.flowId, stateKey);
    this.#log.info({ flowId: active.flowId, trigger: active.triggerNode.id, streak: value }, 'poll works again');
  }

  close(): void {
    if (this.#sweep) clearInterval(this.#sweep);
  }

  /** Closes the kept-alive connections of connector calls; after the queue has drained. */
  closeConnections(): void {
    this.#closeHttp();
  }
}

export type RuntimeErrorCode = 'RUN_NOT_FOUND' | 'REPLAY_INVALID' | 'CONFLICT' | 'TRIGGER_CONFIG_INVALID';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly kind = 'user' as const;
  readonly retryable = false;
  readonly details: JsonValue | undefined;
  constructor(code: RuntimeErrorCode, message: string, details?: JsonValue) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
    this.details = details;
  }
}

/** CONFLICT for a run that cannot be replayed (still queued or running) or retried (not failed) now. */
function notReplayable(runId: string, status: string, retry: boolean): RuntimeError {
  const message = retry
    ? `run ${runId} is ${status}, not failed: only a failed run is retried (it may have been retried or resolved already)`
    : `run ${runId} is ${status}: only a finished run can be replayed; wait until it has finished`;
  return new RuntimeError('CONFLICT', message, { runId, status });
}

function notCancellable(runId: string, status: string): RuntimeError {
  return new RuntimeError('CONFLICT', `run ${runId} is ${status}: only a queued, running or waiting run can be cancelled`, { runId, status });
}

/** A run recording a poll that failed before any event existed (see #recordPollFailure). */
function isFailedPoll(run: Pick<Run, 'triggerKind' | 'dedupeKey'>): boolean {
  return run.triggerKind === 'poll' && run.dedupeKey !== null && run.dedupeKey.startsWith(POLL_FAILURE_KEY);
}

export function scheduleId(flowId: string): string {
  return `flow-${flowId}`;
}

function itemKey(item: JsonValue): string {
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, JsonValue>;
    const id = o['id'] ?? o['number'] ?? o['admin_graphql_api_id'];
    const ver = o['updatedAt'] ?? o['updated_at'] ?? o['lastModifiedDateTime'] ?? '';
    if (id !== undefined && id !== null) return `${String(id)}@${String(ver)}`;
  }
  return JSON.stringify(item).slice(0, 200);
}

function downstreamOf(doc: FlowDocument, nodeId: string): Set<string> {
  const out = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    const n = stack.pop()!;
    for (const e of doc.edges) if (e.from === n && !out.has(e.to)) {
      out.add(e.to);
      stack.push(e.to);
    }
  }
  return out;
}

function toRecord(s: Step): StepRecord {
  return {
    runId: s.runId,
    nodeId: s.nodeId,
    attempt: s.attempt,
    status: s.status === 'running' ? 'failed' : s.status,
    input: s.input,
    output: s.output,
    ports: s.ports ?? (s.status === 'succeeded' ? ['out'] : []),
    error: s.error ? { ...toStepError(s.error) } : null,
    logs: [],
    startedAt: s.startedAt?.toISOString() ?? '',
    finishedAt: s.finishedAt?.toISOString() ?? '',
    durationMs: s.durationMs ?? 0,
  };
}

/**
 * Why a test run stopped where a production run would have come back later: the cause of the last
 * failed attempt (e.g. NETWORK: connect ECONNREFUSED) and its step, not a generic "retry pending".
 */
function pendingRetryError(steps: readonly UpsertStepInput[]): StoredError & { nodeId?: string } {
  const last = steps.findLast((s) => (s.status === 'failed' || s.status === 'waiting') && s.error);
  const later = 'a production run would retry this step later';
  if (!last?.error) return { code: 'RETRY_PENDING', kind: 'transient', retryable: true, message: `a step asked to run again later; ${later}` };
  const { retryInMs: _, resumeAt: __, ...details } = typeof last.error.details === 'object' && last.error.details !== null && !Array.isArray(last.error.details) ? last.error.details : {};
  return { ...last.error, details: details as JsonValue, message: `${last.error.message} (${later})`, nodeId: last.nodeId };
}

/**
 * What a waiting run shows while it waits: the cause from the step it stopped at (a vendor's 503, a
 * job not ready yet), that step's id, and when the run resumes.
 */
function waitingError(steps: readonly UpsertStepInput[], resumeAt: number): StoredError {
  const last = steps.findLast((s) => (s.status === 'failed' || s.status === 'waiting') && s.error);
  const at = new Date(resumeAt).toISOString();
  if (!last?.error) return { code: 'RETRY_LATER', kind: 'transient', retryable: true, message: 'a step asked to run again later', details: { resumeAt: at } };
  const { retryInMs: _, ...details } = isRecord(last.error.details) ? last.error.details : {};
  return { ...last.error, details: { ...details, nodeId: last.nodeId, resumeAt: at } };
}

function isRecord(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function storedError(e: { code: string; kind: 'user' | 'transient' | 'internal'; retryable: boolean; message: string; details?: unknown; nodeId?: string }): StoredError {
  const details = e.details === undefined ? (e.nodeId ? { nodeId: e.nodeId } : undefined) : e.nodeId ? { ...(typeof e.details === 'object' && e.details !== null ? e.details : { value: e.details }), nodeId: e.nodeId } : e.details;
  return { code: e.code, kind: e.kind, retryable: e.retryable, message: e.message, ...(details === undefined ? {} : { details: details as JsonValue }) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
  });
}

