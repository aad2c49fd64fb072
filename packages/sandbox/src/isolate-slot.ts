import ivm from 'isolated-vm';
import { codeFilename, type MappingArgs, runtimeGlobals } from './isolate/protocol.ts';
import type { RuntimeImage } from './runtime-image.ts';

type EntryPoint = (...args: Array<string | number | undefined>) => Promise<string>;
type NowEntry = (...args: Array<string | number | undefined>) => string | undefined;

/**
 * How one call into an isolate ended, from the host's point of view:
 * - done: the runtime answered with envelope JSON text
 * - timeout: the wall-time limit ran out (the isolate is disposed; `logs` is what a code run had logged)
 * - memory: the isolate hit its heap limit and isolated-vm disposed it
 * - failed: anything else went wrong at the boundary (compile error of user code, disposed isolate…)
 */
export type CallOutcome =
  | { status: 'done'; text: string }
  | { status: 'timeout'; logs?: string }
  | { status: 'memory' }
  | { status: 'failed'; error: unknown };

/** A synchronous evaluation can also end needing the asynchronous jsonata (it recursed too deep for the synchronous one). */
export type SyncCallOutcome = CallOutcome | { status: 'deep' };

export interface EvaluateCall {
  expression: string;
  inputJson: string | undefined;
  bindingsJson: string | undefined;
  /** The binding that is the input itself, left out of `bindingsJson` (see isolate/evaluate.ts). */
  inputAs: string | undefined;
  outputBytes: number;
  cacheSize: number;
  timeoutMs: number;
}

/** A call's arguments in the order the isolate's entry points take them. */
function mappingArgs(call: EvaluateCall): MappingArgs {
  return [call.expression, call.inputJson, call.bindingsJson, call.outputBytes, call.cacheSize, call.inputAs];
}

export interface CodeCall {
  code: string;
  inputJson: string | undefined;
  contextJson: string | undefined;
  outputBytes: number;
  maxLogLines: number;
  maxLogBytes: number;
  timeoutMs: number;
}

/**
 * isolated-vm's `timeout` stops running JavaScript but not a wait on a promise that never settles
 * (`await new Promise(() => {})`); this host timer disposes the isolate shortly after the limit.
 */
const hostGraceMs = (timeoutMs: number): number => Math.max(50, Math.min(1000, timeoutMs * 0.1));

/**
 * One warm isolate: started from the runtime snapshot, with one long-lived mapping context. Serves one
 * call at a time (the pool guarantees it). Code runs get a fresh context each, released afterwards.
 */
export class IsolateSlot {
  readonly memoryMb: number;
  readonly createdAt: number;
  lastUsedAt: number;
  calls = 0;
  private readonly isolate: ivm.Isolate;
  private readonly mappingContext: ivm.Context;
  private readonly evaluateEntry: ivm.Reference<EntryPoint>;
  private readonly nowEntry: ivm.Reference<NowEntry>;
  private disposedByHost = false;

  private constructor(
    memoryMb: number,
    isolate: ivm.Isolate,
    mappingContext: ivm.Context,
    entries: { evaluate: ivm.Reference<EntryPoint>; now: ivm.Reference<NowEntry> },
  ) {
    this.memoryMb = memoryMb;
    this.isolate = isolate;
    this.mappingContext = mappingContext;
    this.evaluateEntry = entries.evaluate;
    this.nowEntry = entries.now;
    this.createdAt = Date.now();
    this.lastUsedAt = this.createdAt;
  }

  static async create(image: RuntimeImage, memoryMb: number): Promise<IsolateSlot> {
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb, snapshot: image.snapshot });
    try {
      const context = await isolate.createContext();
      const evaluate: ivm.Reference<EntryPoint> = await context.global.get(runtimeGlobals.evaluate, { reference: true });
      const now: ivm.Reference<NowEntry> = await context.global.get(runtimeGlobals.evaluateNow, { reference: true });
      return new IsolateSlot(memoryMb, isolate, context, { evaluate, now });
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /** False once the isolate is gone (disposed after a limit, or by close). */
  get alive(): boolean {
    return !this.isolate.isDisposed;
  }

  heapUsedBytes(): number | undefined {
    if (!this.alive) return undefined;
    return this.isolate.getHeapStatisticsSync().used_heap_size;
  }

  dispose(): void {
    this.disposedByHost = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  async evaluate(call: EvaluateCall): Promise<CallOutcome> {
    return this.guarded(call.timeoutMs, undefined, () =>
      this.evaluateEntry.apply(
        undefined,
        mappingArgs(call),
        { result: { promise: true, copy: true }, timeout: call.timeoutMs },
      ),
    );
  }

  /**
   * Evaluates on the calling thread with `applySync`: about 3 µs at the boundary where `apply` costs some
   * 60 µs of thread hand-offs, but the event loop waits meanwhile, so the sandbox only takes this path
   * with a short time limit (its sync budget). The runtime evaluates with the synchronous jsonata build;
   * `deep` means the expression recursed too deep for it and needs `evaluate` (see isolate/evaluate.ts).
   */
  evaluateSync(call: EvaluateCall): SyncCallOutcome {
    this.calls++;
    this.lastUsedAt = Date.now();
    try {
      const text = this.nowEntry.applySync(undefined, mappingArgs(call), {
        timeout: call.timeoutMs,
        result: { copy: true },
      });
      if (text === undefined) return { status: 'deep' };
      if (typeof text !== 'string') return { status: 'failed', error: new Error(`the isolate runtime answered ${typeof text}, not JSON text`) };
      return { status: 'done', text };
    } catch (error) {
      if (this.isolate.isDisposed && !this.disposedByHost) return { status: 'memory' };
      if (isIsolateTimeout(error)) {
        // Cut off at an arbitrary point: retire the isolate rather than trust its mapping context.
        this.dispose();
        return { status: 'timeout' };
      }
      return { status: 'failed', error };
    } finally {
      this.lastUsedAt = Date.now();
    }
  }

  async runCode(call: CodeCall): Promise<CallOutcome> {
    const context = await this.isolate.createContext();
    try {
      // Compiled as a closure in the fresh context: user line 1 is the closure's second line, hence
      // lineOffset -1, so positions in errors are the user's own.
      const source = `return ${runtimeGlobals.runCode}(async function (input, context) {\n${call.code}\n}, $0, $1, $2, $3, $4);`;
      return await this.guarded(call.timeoutMs, context, () =>
        context.evalClosure(source, [call.inputJson, call.contextJson, call.outputBytes, call.maxLogLines, call.maxLogBytes], {
          filename: codeFilename,
          lineOffset: -1,
          timeout: call.timeoutMs,
          arguments: { copy: true },
          result: { promise: true, copy: true },
        }),
      );
    } finally {
      if (!this.isolate.isDisposed) context.release();
    }
  }

  private async guarded(timeoutMs: number, codeContext: ivm.Context | undefined, call: () => Promise<unknown>): Promise<CallOutcome> {
    this.calls++;
    this.lastUsedAt = Date.now();
    let hostTimedOut = false;
    const timer = setTimeout(() => {
      hostTimedOut = true;
      this.dispose();
    }, timeoutMs + hostGraceMs(timeoutMs));
    try {
      const value = await call();
      if (typeof value !== 'string') return { status: 'failed', error: new Error(`the isolate runtime answered ${typeof value}, not JSON text`) };
      return { status: 'done', text: value };
    } catch (error) {
      if (hostTimedOut) return { status: 'timeout' };
      if (this.isolate.isDisposed && !this.disposedByHost) return { status: 'memory' };
      if (isIsolateTimeout(error)) {
        // The run was terminated mid-way: read what a code run logged, then retire the isolate rather
        // than trust a context whose code was cut off at an arbitrary point.
        const logs = codeContext === undefined ? undefined : await this.readLogs(codeContext);
        this.dispose();
        return logs === undefined ? { status: 'timeout' } : { status: 'timeout', logs };
      }
      return { status: 'failed', error };
    } finally {
      clearTimeout(timer);
      this.lastUsedAt = Date.now();
    }
  }

  private async readLogs(context: ivm.Context): Promise<string | undefined> {
    try {
      const text: unknown = await context.evalClosure(`return ${runtimeGlobals.logs}();`, [], { timeout: 50, result: { copy: true } });
      return typeof text === 'string' ? text : undefined;
    } catch {
      return undefined; // the code removed or broke the accessor: no logs, the timeout still stands
    }
  }
}

/** isolated-vm reports its `timeout` as an Error with this text and offers no code for it. */
function isIsolateTimeout(error: unknown): boolean {
  return error instanceof Error && /execution timed out/i.test(error.message);
}
