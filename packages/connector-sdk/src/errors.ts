/** Error codes a connector step can fail with; recognised by code, never by message text. */
export type ConnectorErrorCode =
  | 'AUTH_INVALID'
  | 'AUTH_FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'CONFIG_INVALID'
  | 'CONNECTION_MISSING'
  | 'STALE_EVENT'
  | 'RETRY_LATER'
  | 'PAGINATION_LIMIT'
  | 'URL_OUTSIDE_CONNECTION'
  | 'INTERNAL';

export type ErrorKind = 'user' | 'transient' | 'internal';

export interface ConnectorErrorOptions {
  kind?: ErrorKind;
  retryable?: boolean;
  /** Server-requested wait before the next attempt (Retry-After, throttle restore time). */
  retryAfterMs?: number;
  status?: number;
  details?: unknown;
  cause?: unknown;
}

const DEFAULT_KIND: Record<ConnectorErrorCode, ErrorKind> = {
  AUTH_INVALID: 'user',
  AUTH_FORBIDDEN: 'user',
  NOT_FOUND: 'user',
  CONFLICT: 'user',
  VALIDATION: 'user',
  RATE_LIMITED: 'transient',
  UPSTREAM_UNAVAILABLE: 'transient',
  UPSTREAM_ERROR: 'transient',
  NETWORK: 'transient',
  TIMEOUT: 'transient',
  CONFIG_INVALID: 'user',
  CONNECTION_MISSING: 'user',
  STALE_EVENT: 'user',
  RETRY_LATER: 'transient',
  PAGINATION_LIMIT: 'user',
  URL_OUTSIDE_CONNECTION: 'user',
  INTERNAL: 'internal',
};

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly details: unknown;

  constructor(code: ConnectorErrorCode, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.kind = options.kind ?? DEFAULT_KIND[code];
    this.retryable = options.retryable ?? this.kind === 'transient';
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.details = options.details;
  }

  toJSON(): { name: string; code: string; message: string; kind: ErrorKind; retryable: boolean; details: unknown } {
    return { name: this.name, code: this.code, message: this.message, kind: this.kind, retryable: this.retryable, details: this.details ?? null };
  }
}

/** True for a ConnectorError, also one that crossed a realm or package copy (recognised by shape, never by message). @example if (isConnectorError(err) && err.retryable) … */
export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError || (value instanceof Error && value.name === 'ConnectorError' && typeof (value as { code?: unknown }).code === 'string');
}

/**
 * Asks the engine to run this step again later instead of holding a worker (a long `core.delay`, an
 * upstream that said "come back in an hour"). Not a failure: the engine re-queues the step after
 * `retryAfterMs` without counting an attempt.
 * @example throw retryLater(3_600_000, 'waiting until 14:00 UTC')
 */
export function retryLater(retryAfterMs: number, message: string, details?: unknown): ConnectorError {
  return new ConnectorError('RETRY_LATER', message, { retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)), details });
}
