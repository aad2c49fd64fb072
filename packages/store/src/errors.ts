/**
 * The one error type of @tributary/store. Callers recognise errors by `code`, never by message text.
 */

export type StoreErrorCode =
  | 'STORE_CONFLICT'
  | 'STORE_NOT_FOUND'
  | 'STORE_DUPLICATE'
  | 'STORE_INVALID_INPUT'
  | 'STORE_UNAVAILABLE'
  | 'STORE_MIGRATION_FAILED'
  | 'STORE_CLOSED'
  | 'STORE_INTERNAL';

export type StoreErrorKind = 'user' | 'transient' | 'internal';

export type StoreErrorDetails = Readonly<Record<string, unknown>>;

export interface StoreErrorOptions {
  code: StoreErrorCode;
  message: string;
  kind?: StoreErrorKind;
  retryable?: boolean;
  details?: StoreErrorDetails;
  cause?: unknown;
}

const DEFAULTS: Readonly<Record<StoreErrorCode, { kind: StoreErrorKind; retryable: boolean }>> = {
  STORE_CONFLICT: { kind: 'user', retryable: false },
  STORE_NOT_FOUND: { kind: 'user', retryable: false },
  STORE_DUPLICATE: { kind: 'user', retryable: false },
  STORE_INVALID_INPUT: { kind: 'user', retryable: false },
  STORE_UNAVAILABLE: { kind: 'transient', retryable: true },
  STORE_MIGRATION_FAILED: { kind: 'internal', retryable: false },
  STORE_CLOSED: { kind: 'internal', retryable: false },
  STORE_INTERNAL: { kind: 'internal', retryable: false },
};

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly kind: StoreErrorKind;
  readonly retryable: boolean;
  readonly details: StoreErrorDetails;

  constructor(options: StoreErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    const defaults = DEFAULTS[options.code];
    this.code = options.code;
    this.kind = options.kind ?? defaults.kind;
    this.retryable = options.retryable ?? defaults.retryable;
    this.details = options.details ?? {};
  }

  /** The shape errors take when they cross a boundary (HTTP, queue, logs). */
  toJSON(): { name: string; code: StoreErrorCode; message: string; details: StoreErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreError;
}

/** Unique indexes and constraints, named after the field a caller would have to change. */
const UNIQUE_FIELDS: Readonly<Record<string, string>> = {
  flows_pkey: 'id',
  flow_versions_pkey: 'version',
  runs_pkey: 'id',
  runs_flow_dedupe: 'dedupeKey',
  connections_pkey: 'id',
  connections_name_key: 'name',
  users_pkey: 'id',
  users_email_lower: 'email',
  sessions_pkey: 'id',
  api_tokens_pkey: 'id',
  api_tokens_token_hash_key: 'tokenHash',
  audit_pkey: 'id',
};

const FOREIGN_KEYS: Readonly<Record<string, string>> = {
  steps_run_id_fkey: 'runId',
  blobs_run_id_fkey: 'runId',
  flow_versions_flow_id_fkey: 'flowId',
  sessions_user_id_fkey: 'userId',
  api_tokens_user_id_fkey: 'userId',
};

/** Error codes from node's socket layer that mean "the database is not reachable right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

function stringProp(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v: unknown = Reflect.get(value, key);
  return typeof v === 'string' ? v : undefined;
}

function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}

/**
 * Translates a driver error (node-postgres, PGlite, socket) into a StoreError.
 * SQLSTATE codes are the contract here, never message text — except node-postgres's own
 * "Connection terminated" errors, which carry no code at all.
 */
export function toStoreError(error: unknown, context?: string): StoreError {
  if (error instanceof StoreError) return error;
  const sqlState = stringProp(error, 'code');
  const constraint = stringProp(error, 'constraint');
  const table = stringProp(error, 'table');
  const column = stringProp(error, 'column');
  const prefix = context === undefined ? '' : `${context}: `;
  const message = messageOf(error);

  if (sqlState === '23505') {
    const field = (constraint !== undefined ? UNIQUE_FIELDS[constraint] : undefined) ?? constraint ?? 'unknown';
    return new StoreError({
      code: 'STORE_DUPLICATE',
      message: `${prefix}${field} is already taken`,
      details: { field, table },
      cause: error,
    });
  }
  if (sqlState === '23503') {
    const field = (constraint !== undefined ? FOREIGN_KEYS[constraint] : undefined) ?? constraint ?? 'unknown';
    return new StoreError({
      code: 'STORE_NOT_FOUND',
      message: `${prefix}the record referenced by ${field} does not exist`,
      details: { field, table },
      cause: error,
    });
  }
  if (sqlState === '23502' || sqlState === '23514' || (sqlState !== undefined && sqlState.startsWith('22'))) {
    return new StoreError({
      code: 'STORE_INVALID_INPUT',
      message: `${prefix}${message}`,
      details: { field: column ?? constraint, table, sqlState },
      cause: error,
    });
  }
  if (sqlState === '40001' || sqlState === '40P01' || sqlState === '55P03') {
    return new StoreError({
      code: 'STORE_CONFLICT',
      kind: 'transient',
      retryable: true,
      message: `${prefix}concurrent update, try again: ${message}`,
      details: { sqlState },
      cause: error,
    });
  }
  if (sqlState !== undefined && (sqlState.startsWith('28') || sqlState === '3D000')) {
    // Wrong credentials or no such database: the server answered, but waiting will not help.
    return new StoreError({
      code: 'STORE_UNAVAILABLE',
      kind: 'internal',
      retryable: false,
      message: `${prefix}cannot connect to the database: ${message}`,
      details: { sqlState },
      cause: error,
    });
  }
  const unavailable =
    (sqlState !== undefined &&
      (sqlState.startsWith('08') || sqlState === '57P01' || sqlState === '57P02' || sqlState === '57P03' || sqlState === '53300')) ||
    (sqlState !== undefined && NETWORK_CODES.has(sqlState)) ||
    (sqlState === undefined && /connection terminated|timeout exceeded when trying to connect/i.test(message));
  if (unavailable) {
    return new StoreError({
      code: 'STORE_UNAVAILABLE',
      message: `${prefix}database unavailable: ${message}`,
      details: sqlState === undefined ? {} : { sqlState },
      cause: error,
    });
  }
  return new StoreError({
    code: 'STORE_INTERNAL',
    message: `${prefix}${message}`,
    details: sqlState === undefined ? {} : { sqlState },
    cause: error,
  });
}
