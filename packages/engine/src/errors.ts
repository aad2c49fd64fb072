import type { ErrorKind } from '@tributary/connector-sdk';

export type EngineErrorCode =
  | 'RUN_TIMEOUT'
  | 'RUN_CANCELLED'
  | 'NODE_TYPE_UNKNOWN'
  | 'CONFIG_INVALID'
  | 'CONNECTION_MISSING'
  | 'EXPRESSION_FAILED'
  | 'FLOW_INVALID'
  | 'REPLAY_INVALID'
  | 'INTERNAL';

/** How a step failure is recorded and how it crosses every boundary. */
export interface StepError {
  code: string;
  kind: ErrorKind;
  retryable: boolean;
  message: string;
  details?: unknown;
}

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly details: unknown;
  constructor(code: EngineErrorCode, message: string, options: { kind?: ErrorKind; retryable?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.kind = options.kind ?? 'user';
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

interface ErrorLike {
  code?: unknown;
  kind?: unknown;
  retryable?: unknown;
  message?: unknown;
  details?: unknown;
  retryAfterMs?: unknown;
}

const KINDS = new Set(['user', 'transient', 'internal']);

/** Turns anything thrown by a step into a recordable StepError; errors are recognised by code, never by message. */
export function toStepError(err: unknown): StepError & { retryAfterMs?: number } {
  if (typeof err === 'object' && err !== null) {
    const e = err as ErrorLike;
    if (typeof e.code === 'string' && typeof e.kind === 'string' && KINDS.has(e.kind)) {
      const out: StepError & { retryAfterMs?: number } = {
        code: e.code,
        kind: e.kind as ErrorKind,
        retryable: e.retryable === true,
        message: typeof e.message === 'string' ? e.message : e.code,
      };
      if (e.details !== undefined && e.details !== null) out.details = jsonSafe(e.details);
      if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) out.retryAfterMs = e.retryAfterMs;
      return out;
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', kind: 'internal', retryable: false, message };
}

function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}
