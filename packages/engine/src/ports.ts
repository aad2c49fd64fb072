import type {
  ConnectorRegistry,
  JsonValue,
  Logger,
  LogLine,
  RateLimiterPort,
  ResolvedConnection,
  SandboxPort,
  StatePort,
  XrefPort,
} from '@tributary/connector-sdk';
import type { StepError } from './errors.ts';

/** One attempt of one node in one run, as recorded in the run history. */
export interface StepRecord {
  runId: string;
  nodeId: string;
  attempt: number;
  /** `waiting`: the step asked to run again later (RETRY_LATER); `error` says why, `details.resumeAt` until when. */
  status: 'succeeded' | 'failed' | 'skipped' | 'waiting';
  input: JsonValue | null;
  output: JsonValue | null;
  /** Output ports the step fired (`out`, `error`, a branch case…); empty for a filter that stopped. */
  ports: string[];
  error: StepError | null;
  logs: LogLine[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Set when a replay copied this record from an earlier run instead of running the step. */
  reusedFrom?: string;
  /**
   * Set when `input` is exactly the output of the one step upstream (its node id) or the trigger
   * payload (TRIGGER_INPUT): a recorder may store this reference instead of a copy of `input`.
   */
  inputFrom?: string;
}

/** `StepRecord.inputFrom` for an input that is the run's trigger payload. */
export { TRIGGER_INPUT } from '@tributary/flow';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Everything the engine touches outside itself; the server wires real ones, tests in-memory ones. */
export interface EnginePorts {
  registry: ConnectorRegistry;
  sandbox: SandboxPort;
  recorder: { recordStep(record: StepRecord): Promise<void> };
  connections: { resolve(idOrName: string): Promise<ResolvedConnection | null> };
  xref: XrefPort;
  state(flowId: string): StatePort;
  rateLimiter: RateLimiterPort;
  log: Logger;
  fetch: typeof fetch;
  clock: Clock;
  /** For jitter; injectable so tests are deterministic. */
  random?: () => number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
