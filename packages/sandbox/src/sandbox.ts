import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { decodeCodeEnvelope, decodeEvaluateEnvelope, decodeLogs } from './envelope.ts';
import { SandboxError, type SandboxErrorCode } from './errors.ts';
import { codeCompileError, codeFailure, mappingFailure, memoryError, timeoutError } from './failures.ts';
import { type CallOutcome, type EvaluateCall, IsolateSlot } from './isolate-slot.ts';
import { codeFilename, type LogLine } from './isolate/protocol.ts';
import { defaultLimits, type Limits, parseLimits, resolveLimits } from './limits.ts';
import { IsolatePool } from './pool.ts';
import { runtimeImage } from './runtime-image.ts';

export type { LogLine } from './isolate/protocol.ts';

export interface EvaluateRequest {
  /** JSONata text: a mapping or a `$expr` config value. */
  expression: string;
  /** The document the expression reads as `$`. Must be JSON (undefined is allowed: no input). */
  input: unknown;
  /** Variables, e.g. `{ trigger, steps, vars, execution }` read as `$trigger`…; a leading `$` in a key is ignored. */
  bindings?: Record<string, unknown>;
  /** Lookup tables for `$lookup("table", key)`: table name -> key -> value. */
  tables?: Record<string, unknown>;
  limits?: Partial<Limits>;
}

export interface CodeRequest {
  /** Body of an async function with parameters `input` and `context`; `return` gives the result. */
  code: string;
  input: unknown;
  context: unknown;
  limits?: Partial<Limits>;
}

export interface CodeResult {
  result: unknown;
  /** console output, capped; a final `warn` line says how many lines were dropped. */
  logs: LogLine[];
}

export interface SandboxOptions {
  /** Warm isolates for the default heap size (and the cap per other heap size). Default: CPU count. */
  poolSize?: number;
  /** Limits for calls that do not set their own. */
  defaults?: Partial<Limits>;
  /** Caps on the console output kept per code run. Default 1000 lines, 64 KB (UTF-8). */
  logs?: { maxLines?: number; maxBytes?: number };
  /** Compiled expressions kept per isolate (LRU by text). Default 128; 0 disables the cache. */
  expressionCacheSize?: number;
  /** Build the runtime and start the warm isolates now (default) rather than at the first call. */
  warm?: boolean;
  /**
   * Mapping evaluations of an expression seen to take under a tenth of this many milliseconds (default
   * 20) run on the calling thread, stopped at this budget: that saves the ~60 µs of thread hand-offs an
   * off-thread call costs, which is most of the price of a small mapping. One that overruns is re-run off
   * the thread with the rest of its time limit, and stays there for a minute. 0 runs every evaluation
   * off the thread.
   */
  syncBudgetMs?: number;
}

export interface SandboxStats {
  poolSize: number;
  defaults: Limits;
  closed: boolean;
  /** Live isolates over all heap sizes, and how many are running a call / idle / starting. */
  isolates: number;
  busy: number;
  idle: number;
  starting: number;
  /** Calls waiting for a free isolate. */
  queued: number;
  created: number;
  /** Isolates thrown away after a timeout, a memory kill or a boundary failure (and replaced). */
  retired: number;
  evaluations: number;
  /** Evaluations run on the calling thread (see `syncBudgetMs`), and sync runs that overran the budget. */
  syncEvaluations: number;
  syncOverruns: number;
  codeRuns: number;
  failures: Partial<Record<SandboxErrorCode, number>>;
  /** Set once the runtime image is built: bundle and snapshot sizes and build times. */
  runtime?: { bundleBytes: number; bundleMs: number; snapshotBytes: number; snapshotMs: number };
}

export interface Sandbox {
  /** Evaluates a JSONata expression in an isolate. Resolves to the JSON result (undefined when nothing matched). */
  evaluate(request: EvaluateRequest): Promise<unknown>;
  /** Runs a code node's JavaScript in a fresh isolate context. */
  runCode(request: CodeRequest): Promise<CodeResult>;
  /** Resolves when the runtime is built and the default pool is warm. */
  ready(): Promise<void>;
  stats(): SandboxStats;
  /** Refuses new calls, lets running ones finish, disposes every isolate. */
  close(): Promise<void>;
}

const optionsSchema = z
  .object({
    poolSize: z.number().int().min(1).max(256).optional(),
    defaults: z.unknown().optional(),
    logs: z.object({ maxLines: z.number().int().min(0).optional(), maxBytes: z.number().int().min(0).optional() }).strict().optional(),
    expressionCacheSize: z.number().int().min(0).max(100_000).optional(),
    warm: z.boolean().optional(),
    syncBudgetMs: z.number().min(0).max(1000).optional(),
  })
  .strict();

const evaluateSchema = z.object({
  expression: z.string(),
  input: z.unknown(),
  bindings: z.record(z.string(), z.unknown()).optional(),
  tables: z.record(z.string(), z.unknown()).optional(),
  limits: z.unknown().optional(),
});

const codeSchema = z.object({
  code: z.string(),
  input: z.unknown(),
  context: z.unknown(),
  limits: z.unknown().optional(),
});

function invalid(what: string, error: z.ZodError): SandboxError {
  const issues = error.issues.map((i) => ({ path: [what, ...i.path.map(String)].join('.'), message: i.message }));
  return new SandboxError('SANDBOX_INVALID_REQUEST', `Invalid ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
}

/** JSON text of a value crossing into the isolate; undefined stays undefined. */
function toJson(value: unknown, what: string): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new SandboxError('SANDBOX_INVALID_REQUEST', `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
      details: { field: what },
      cause: error,
    });
  }
}

/** Isolates of other heap sizes are kept this long after their last call. */
const idleRetentionMs = 30_000;

/** Inputs larger than this (JSON characters) are not evaluated on the calling thread: parsing alone takes long. */
const syncMaxInputChars = 256 * 1024;

/**
 * What the sandbox knows of each expression's speed, for the sync path: an expression is run on the
 * calling thread only once an off-thread evaluation of it finished within the budget (its first
 * evaluation compiles it and runs cold), and goes back off the thread for a minute when a sync run
 * overruns and its re-run off the thread is slow too, or when it recursed too deep for the synchronous
 * jsonata. Bounded by count: the least recently learnt entry goes first.
 */
class ExpressionSpeeds {
  /** Expression -> time (performance.now) until which it runs off the thread; 0 when it is fast. */
  private readonly entries = new Map<string, number>();
  private static readonly slowForMs = 60_000;
  private static readonly maxEntries = 2000;

  fast(expression: string, now: number): boolean {
    const slowUntil = this.entries.get(expression);
    return slowUntil !== undefined && slowUntil <= now;
  }

  /** An off-thread evaluation took `ms`: within the budget, the expression may run on the calling thread. */
  measured(expression: string, ms: number, budgetMs: number, now: number): void {
    const slowUntil = this.entries.get(expression);
    if (ms > budgetMs || (slowUntil !== undefined && slowUntil > now)) return;
    this.set(expression, 0);
  }

  overran(expression: string, now: number): void {
    this.set(expression, now + ExpressionSpeeds.slowForMs);
  }

  private set(expression: string, value: number): void {
    this.entries.delete(expression);
    this.entries.set(expression, value);
    if (this.entries.size > ExpressionSpeeds.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}

class IsolateSandbox implements Sandbox {
  private readonly poolSize: number;
  private readonly defaults: Limits;
  private readonly maxLogLines: number;
  private readonly maxLogBytes: number;
  private readonly cacheSize: number;
  private readonly syncBudgetMs: number;
  private readonly speeds = new ExpressionSpeeds();
  private readonly pools = new Map<number, IsolatePool>();
  private readonly failures: Partial<Record<SandboxErrorCode, number>> = {};
  private readonly trimTimer: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readyPromise: Promise<void> | undefined;
  private runtimeInfo: SandboxStats['runtime'];
  private counts = { evaluations: 0, syncEvaluations: 0, syncOverruns: 0, codeRuns: 0, createdInClosedPools: 0, retiredInClosedPools: 0 };
  private closed = false;

  constructor(options: SandboxOptions) {
    this.poolSize = options.poolSize ?? availableParallelism();
    this.defaults = resolveLimits(defaultLimits, parseLimits(options.defaults, 'defaults'));
    this.maxLogLines = options.logs?.maxLines ?? 1000;
    this.maxLogBytes = options.logs?.maxBytes ?? 64 * 1024;
    this.cacheSize = options.expressionCacheSize ?? 128;
    this.syncBudgetMs = options.syncBudgetMs ?? 20;
    this.trimTimer = setInterval(() => this.trimIdle(), idleRetentionMs / 2);
    this.trimTimer.unref();
    if (options.warm !== false) this.ready().catch(() => undefined); // a failure resurfaces at the first call
  }

  ready(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    this.readyPromise ??= this.poolFor(this.defaults.memoryMb).warm();
    const pending = this.readyPromise;
    pending.catch(() => {
      if (this.readyPromise === pending) this.readyPromise = undefined;
    });
    return pending;
  }

  async evaluate(request: EvaluateRequest): Promise<unknown> {
    return this.track(this.doEvaluate(request));
  }

  async runCode(request: CodeRequest): Promise<CodeResult> {
    return this.track(this.doRunCode(request));
  }

  stats(): SandboxStats {
    const totals = { isolates: 0, busy: 0, idle: 0, starting: 0, queued: 0, created: this.counts.createdInClosedPools, retired: this.counts.retiredInClosedPools };
    for (const pool of this.pools.values()) {
      const s = pool.stats;
      totals.isolates += s.isolates;
      totals.busy += s.busy;
      totals.idle += s.idle;
      totals.starting += s.starting;
      totals.queued += s.queued;
      totals.created += pool.counters.created;
      totals.retired += pool.counters.retired;
    }
    const stats: SandboxStats = {
      poolSize: this.poolSize,
      defaults: { ...this.defaults },
      closed: this.closed,
      ...totals,
      evaluations: this.counts.evaluations,
      syncEvaluations: this.counts.syncEvaluations,
      syncOverruns: this.counts.syncOverruns,
      codeRuns: this.counts.codeRuns,
      failures: { ...this.failures },
    };
    if (this.runtimeInfo !== undefined) stats.runtime = { ...this.runtimeInfo };
    return stats;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.trimTimer);
    for (const pool of this.pools.values()) pool.close(this.closedError());
    await Promise.allSettled([...this.inFlight]);
  }

  private closedError(): SandboxError {
    return new SandboxError('SANDBOX_CLOSED', 'The sandbox is closed; the call was not run');
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } catch (error) {
      const code: SandboxErrorCode = error instanceof SandboxError ? error.code : 'SANDBOX_INTERNAL';
      this.failures[code] = (this.failures[code] ?? 0) + 1;
      if (error instanceof SandboxError) throw error;
      throw new SandboxError('SANDBOX_INTERNAL', `The sandbox failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      this.inFlight.delete(work);
    }
  }

  private async doEvaluate(request: EvaluateRequest): Promise<unknown> {
    if (this.closed) throw this.closedError();
    const parsed = evaluateSchema.safeParse(request);
    if (!parsed.success) throw invalid('request', parsed.error);
    const limits = resolveLimits(this.defaults, parseLimits(parsed.data.limits, 'limits'));
    const bindings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parsed.data.bindings ?? {})) bindings[key.startsWith('$') ? key.slice(1) : key] = value;
    if (parsed.data.tables !== undefined) bindings['tables'] = parsed.data.tables;
    // A map right after the trigger has the trigger payload as its input and as `$trigger`: send it once.
    const input: unknown = request.input;
    const inputAs = typeof input === 'object' && input !== null ? Object.keys(bindings).find((key) => bindings[key] === input) : undefined;
    if (inputAs !== undefined) delete bindings[inputAs];
    const call: EvaluateCall = {
      expression: parsed.data.expression,
      inputJson: toJson(input, 'input'),
      bindingsJson: toJson(bindings, 'bindings'),
      inputAs,
      outputBytes: limits.outputBytes,
      cacheSize: this.cacheSize,
      timeoutMs: limits.timeoutMs,
    };
    this.counts.evaluations++;
    const sync = this.evaluateOnThisThread(call, limits);
    const outcome = typeof sync === 'object' ? sync : await this.evaluateOffThread(call, limits, sync === 'overran');
    if (outcome.status !== 'done') return this.limitOrFailure(outcome, 'mapping', limits);
    const envelope = decodeEvaluateEnvelope(outcome.text);
    if (envelope === undefined) throw new SandboxError('SANDBOX_INTERNAL', 'The isolate answered with malformed JSON');
    if (!envelope.ok) throw mappingFailure(call.expression, envelope.error, limits);
    return envelope.result;
  }

  /**
   * The sync path (see `syncBudgetMs`): an idle isolate evaluates the call on this thread, stopped at the
   * budget. 'off' when the call should go off the thread instead: no idle isolate, a large input, an
   * expression known to be slow, or one that recursed too deep for the synchronous jsonata; 'overran'
   * when it just ran past the budget — `call.timeoutMs` is then lowered to what is left of the limit.
   */
  private evaluateOnThisThread(call: EvaluateCall, limits: Limits): CallOutcome | 'off' | 'overran' {
    if (this.syncBudgetMs === 0) return 'off';
    if ((call.inputJson?.length ?? 0) + (call.bindingsJson?.length ?? 0) > syncMaxInputChars) return 'off';
    const started = performance.now();
    if (!this.speeds.fast(call.expression, started)) return 'off';
    const pool = this.poolFor(limits.memoryMb);
    const slot = pool.tryAcquire();
    if (slot === undefined) return 'off';
    const budget = Math.min(this.syncBudgetMs, limits.timeoutMs);
    let outcome: ReturnType<IsolateSlot['evaluateSync']>;
    this.counts.syncEvaluations++;
    try {
      outcome = slot.evaluateSync({ ...call, timeoutMs: budget });
    } finally {
      pool.release(slot);
    }
    if (outcome.status === 'timeout' && budget >= limits.timeoutMs) return outcome;
    if (outcome.status === 'deep') {
      // Upstream jsonata, off the thread.
      this.speeds.overran(call.expression, started);
      return 'off';
    }
    if (outcome.status === 'timeout') {
      // Off the thread with what is left of the limit; whether it stays there the re-run decides.
      this.counts.syncOverruns++;
      call.timeoutMs = Math.max(1, Math.round(limits.timeoutMs - (performance.now() - started)));
      return 'overran';
    }
    return outcome;
  }

  /**
   * An evaluation on an isolate's own thread; its duration tells whether the expression may run sync next
   * time. After a sync overrun, a re-run within the budget says the overrun was the machine (a pause, a
   * busy core), not the expression, which then stays on the calling thread; one over the budget sends it
   * off for a while. (The re-run may land on a new isolate that compiles the expression first, so it is
   * held to the budget itself, not to the tenth of it that first admits an expression.)
   */
  private evaluateOffThread(call: EvaluateCall, limits: Limits, afterOverrun: boolean): Promise<CallOutcome> {
    return this.withSlot(limits.memoryMb, async (slot) => {
      const started = performance.now();
      const outcome = await slot.evaluate(call);
      if (this.syncBudgetMs > 0) {
        const now = performance.now();
        const withinBudget = outcome.status === 'done' && now - started <= this.syncBudgetMs;
        if (afterOverrun && !withinBudget) this.speeds.overran(call.expression, now);
        else if (outcome.status === 'done') this.speeds.measured(call.expression, now - started, this.syncBudgetMs / 10, now);
      }
      return outcome;
    });
  }

  private async doRunCode(request: CodeRequest): Promise<CodeResult> {
    if (this.closed) throw this.closedError();
    const parsed = codeSchema.safeParse(request);
    if (!parsed.success) throw invalid('request', parsed.error);
    const limits = resolveLimits(this.defaults, parseLimits(parsed.data.limits, 'limits'));
    const call = {
      code: parsed.data.code,
      inputJson: toJson(request.input, 'input'),
      contextJson: toJson(request.context, 'context'),
      outputBytes: limits.outputBytes,
      maxLogLines: this.maxLogLines,
      maxLogBytes: this.maxLogBytes,
      timeoutMs: limits.timeoutMs,
    };
    this.counts.codeRuns++;
    const outcome = await this.withSlot(limits.memoryMb, (slot) => slot.runCode(call));
    if (outcome.status === 'failed' && outcome.error instanceof Error && outcome.error.name === 'SyntaxError') {
      throw codeCompileError(outcome.error, codeFilename);
    }
    if (outcome.status !== 'done') return this.limitOrFailure(outcome, 'code', limits);
    const envelope = decodeCodeEnvelope(outcome.text);
    if (envelope === undefined) {
      throw new SandboxError('CODE_ERROR', 'The code run answered with malformed output (did the code replace JSON or the console?)');
    }
    const logs = withDroppedNotice(envelope.logs, envelope.droppedLines);
    if (!envelope.ok) throw codeFailure(envelope.error, limits, { logs, droppedLines: envelope.droppedLines });
    return { result: envelope.result, logs };
  }

  private limitOrFailure(outcome: Exclude<CallOutcome, { status: 'done' }>, subject: 'mapping' | 'code', limits: Limits): never {
    switch (outcome.status) {
      case 'timeout': {
        const logs = decodeLogs(outcome.logs);
        throw timeoutError(subject, limits, logs === undefined ? undefined : { logs: withDroppedNotice(logs.logs, logs.droppedLines), droppedLines: logs.droppedLines });
      }
      case 'memory':
        throw memoryError(subject, limits);
      case 'failed': {
        const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        throw new SandboxError(subject === 'code' ? 'CODE_ERROR' : 'SANDBOX_INTERNAL', message, { cause: outcome.error });
      }
    }
  }

  private poolFor(memoryMb: number): IsolatePool {
    let pool = this.pools.get(memoryMb);
    if (pool === undefined) {
      pool = new IsolatePool({
        size: this.poolSize,
        memoryMb,
        create: async (mb) => {
          const image = await runtimeImage();
          this.runtimeInfo ??= { bundleBytes: image.bundleBytes, bundleMs: image.bundleMs, snapshotBytes: image.snapshotBytes, snapshotMs: image.snapshotMs };
          return IsolateSlot.create(image, mb);
        },
      });
      this.pools.set(memoryMb, pool);
    }
    return pool;
  }

  private async withSlot(memoryMb: number, use: (slot: IsolateSlot) => Promise<CallOutcome>): Promise<CallOutcome> {
    const pool = this.poolFor(memoryMb);
    let slot: IsolateSlot;
    try {
      slot = await pool.acquire();
    } catch (error) {
      if (this.closed) throw this.closedError();
      throw new SandboxError('SANDBOX_INTERNAL', `Could not start an isolate: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    try {
      return await use(slot);
    } catch (error) {
      // Failing to even reach the isolate (e.g. creating a context) leaves it in an unknown state.
      slot.dispose();
      throw error;
    } finally {
      pool.release(slot);
    }
  }

  private trimIdle(): void {
    const before = Date.now() - idleRetentionMs;
    for (const [memoryMb, pool] of this.pools) {
      if (memoryMb === this.defaults.memoryMb) continue;
      pool.trimIdle(before);
      if (pool.empty) {
        this.counts.createdInClosedPools += pool.counters.created;
        this.counts.retiredInClosedPools += pool.counters.retired;
        this.pools.delete(memoryMb);
      }
    }
  }
}

function withDroppedNotice(logs: LogLine[], dropped: number): LogLine[] {
  if (dropped === 0) return logs;
  return [...logs, { level: 'warn', message: `… ${dropped} more console line(s) dropped: the log cap was reached`, at: new Date().toISOString() }];
}

/**
 * Creates a sandbox: a pool of isolated-vm isolates preloaded with jsonata and the mapping library.
 *
 * @example
 * const sandbox = createSandbox({ poolSize: 4, defaults: { timeoutMs: 500 } });
 * await sandbox.evaluate({ expression: '$sum(items.price)', input: { items: [{ price: 2 }, { price: 3 }] } }); // 5
 * await sandbox.runCode({ code: 'console.log(input.n); return input.n * 2', input: { n: 21 }, context: {} });
 * // { result: 42, logs: [{ level: 'info', message: '21', at: '…' }] }
 * await sandbox.close();
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw invalid('options', parsed.error);
  return new IsolateSandbox(options);
}
