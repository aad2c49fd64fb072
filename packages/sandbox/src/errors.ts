/**
 * Error codes of @tributary/sandbox. The list is closed: the engine, the API and the designer recognise
 * a sandbox failure by its code, never by message text.
 *
 * MAPPING_* codes are shared with @tributary/mapping (same meaning, same code in the designer's preview
 * and in production). The resource codes (TIMEOUT, MEMORY, OUTPUT_TOO_LARGE) also apply to code nodes:
 * a limit is a limit whatever ran into it.
 */
export const sandboxErrorCodes = [
  'MAPPING_TIMEOUT',
  'MAPPING_MEMORY',
  'MAPPING_OUTPUT_TOO_LARGE',
  'MAPPING_SYNTAX',
  'MAPPING_RUNTIME',
  'MAPPING_ARGUMENT',
  'MAPPING_UNKNOWN_FUNCTION',
  'CODE_ERROR',
  'SANDBOX_INVALID_REQUEST',
  'SANDBOX_CLOSED',
  'SANDBOX_INTERNAL',
] as const;

export type SandboxErrorCode = (typeof sandboxErrorCodes)[number];

export type SandboxErrorKind = 'user' | 'transient' | 'internal';

/** What a SandboxError looks like once it has crossed a boundary (queue, HTTP, run history). */
export interface SerializedSandboxError {
  name: 'SandboxError';
  code: SandboxErrorCode;
  message: string;
  details: Record<string, unknown>;
}

const classification: Record<SandboxErrorCode, { kind: SandboxErrorKind; retryable: boolean }> = {
  // The same mapping or code on the same input fails the same way again: the analyst has to fix it.
  MAPPING_TIMEOUT: { kind: 'user', retryable: false },
  MAPPING_MEMORY: { kind: 'user', retryable: false },
  MAPPING_OUTPUT_TOO_LARGE: { kind: 'user', retryable: false },
  MAPPING_SYNTAX: { kind: 'user', retryable: false },
  MAPPING_RUNTIME: { kind: 'user', retryable: false },
  MAPPING_ARGUMENT: { kind: 'user', retryable: false },
  MAPPING_UNKNOWN_FUNCTION: { kind: 'user', retryable: false },
  CODE_ERROR: { kind: 'user', retryable: false },
  // Bad limits or a non-JSON input: a configuration or programming error, not a transient condition.
  SANDBOX_INVALID_REQUEST: { kind: 'user', retryable: false },
  // The process is shutting down; another worker can run the step.
  SANDBOX_CLOSED: { kind: 'transient', retryable: true },
  SANDBOX_INTERNAL: { kind: 'internal', retryable: false },
};

export interface SandboxErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type of @tributary/sandbox. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  readonly code: SandboxErrorCode;
  readonly kind: SandboxErrorKind;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: SandboxErrorCode, message: string, options: SandboxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = classification[code].kind;
    this.retryable = classification[code].retryable;
    this.details = options.details ?? {};
  }

  toJSON(): SerializedSandboxError {
    return { name: 'SandboxError', code: this.code, message: this.message, details: this.details };
  }
}

export function isSandboxErrorCode(value: unknown): value is SandboxErrorCode {
  return typeof value === 'string' && (sandboxErrorCodes as readonly string[]).includes(value);
}

export function isSandboxError(value: unknown): value is SandboxError {
  return value instanceof SandboxError;
}
