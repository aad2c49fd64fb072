/**
 * The one error type of @tributary/queue. Callers recognise errors by `code`, never by message text.
 */

export type QueueErrorCode =
  | 'QUEUE_UNAVAILABLE'
  | 'QUEUE_CLOSED'
  | 'QUEUE_INVALID_JOB'
  | 'QUEUE_PAYLOAD_TOO_LARGE'
  | 'QUEUE_INVALID_SCHEDULE'
  | 'QUEUE_INVALID_ARGUMENT'
  | 'QUEUE_PERSISTENCE_FAILED'
  | 'QUEUE_CORRUPT_JOB'
  | 'QUEUE_INTERNAL';

export type QueueErrorKind = 'user' | 'transient' | 'internal';

export type QueueErrorDetails = Readonly<Record<string, unknown>>;

export interface QueueErrorOptions {
  code: QueueErrorCode;
  message: string;
  kind?: QueueErrorKind;
  retryable?: boolean;
  details?: QueueErrorDetails;
  cause?: unknown;
}

const DEFAULTS: Readonly<Record<QueueErrorCode, { kind: QueueErrorKind; retryable: boolean }>> = {
  QUEUE_UNAVAILABLE: { kind: 'transient', retryable: true },
  QUEUE_CLOSED: { kind: 'internal', retryable: false },
  QUEUE_INVALID_JOB: { kind: 'user', retryable: false },
  QUEUE_PAYLOAD_TOO_LARGE: { kind: 'user', retryable: false },
  QUEUE_INVALID_SCHEDULE: { kind: 'user', retryable: false },
  QUEUE_INVALID_ARGUMENT: { kind: 'user', retryable: false },
  QUEUE_PERSISTENCE_FAILED: { kind: 'transient', retryable: true },
  QUEUE_CORRUPT_JOB: { kind: 'internal', retryable: false },
  QUEUE_INTERNAL: { kind: 'internal', retryable: false },
};

export class QueueError extends Error {
  override readonly name = 'QueueError';
  readonly code: QueueErrorCode;
  readonly kind: QueueErrorKind;
  readonly retryable: boolean;
  readonly details: QueueErrorDetails;

  constructor(options: QueueErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    const defaults = DEFAULTS[options.code];
    this.code = options.code;
    this.kind = options.kind ?? defaults.kind;
    this.retryable = options.retryable ?? defaults.retryable;
    this.details = options.details ?? {};
  }

  /** The shape errors take when they cross a boundary (HTTP, queue, logs). */
  toJSON(): { name: string; code: QueueErrorCode; message: string; details: QueueErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isQueueError(value: unknown): value is QueueError {
  return value instanceof QueueError;
}

/** A handler error as it is reported in `job-failed` events: plain JSON, recognised by `code` when it has one. */
export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  details?: unknown;
}

function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = prop(error, 'code');
    const details = prop(error, 'details');
    return {
      name: error.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: error.message,
      ...(details === undefined ? {} : { details }),
    };
  }
  return { name: 'Error', message: String(error) };
}

/** Wraps an infrastructure failure (Redis down, persistence failing) so callers can answer 503 and retry. */
export function unavailable(error: unknown, context: string): QueueError {
  if (error instanceof QueueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new QueueError({ code: 'QUEUE_UNAVAILABLE', message: `${context}: ${message}`, cause: error });
}
