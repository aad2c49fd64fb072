/**
 * Error codes of the mapping layer. The list is closed and shared: the sandbox package raises
 * MAPPING_TIMEOUT, MAPPING_MEMORY and MAPPING_OUTPUT_TOO_LARGE, but callers recognise every mapping
 * failure by one of these codes, never by message text.
 */
export const mappingErrorCodes = [
  'MAPPING_SYNTAX',
  'MAPPING_UNKNOWN_FUNCTION',
  'MAPPING_ARGUMENT',
  'MAPPING_RUNTIME',
  'MAPPING_SAMPLE_INVALID',
  'MAPPING_TIMEOUT',
  'MAPPING_MEMORY',
  'MAPPING_OUTPUT_TOO_LARGE',
] as const;

export type MappingErrorCode = (typeof mappingErrorCodes)[number];

export type MappingErrorKind = 'user' | 'transient' | 'internal';

/**
 * One problem found in a mapping, its sample or its evaluation, ready to show next to the editor.
 * `line` and `column` are 1-based; `offset` is the 0-based character index into the mapping text
 * (or into the sample text for MAPPING_SAMPLE_INVALID).
 */
export interface MappingIssue {
  code: MappingErrorCode;
  message: string;
  line?: number;
  column?: number;
  offset?: number;
  functionName?: string;
}

/** What a MappingError looks like once it has crossed a boundary (isolate, queue, HTTP). */
export interface SerializedMappingError {
  name: 'MappingError';
  code: MappingErrorCode;
  message: string;
  details: Record<string, unknown>;
}

// Every mapping failure is the analyst's to fix: running the same mapping on the same input fails
// the same way, so nothing here is retryable.
const kindByCode: Record<MappingErrorCode, MappingErrorKind> = {
  MAPPING_SYNTAX: 'user',
  MAPPING_UNKNOWN_FUNCTION: 'user',
  MAPPING_ARGUMENT: 'user',
  MAPPING_RUNTIME: 'user',
  MAPPING_SAMPLE_INVALID: 'user',
  MAPPING_TIMEOUT: 'user',
  MAPPING_MEMORY: 'user',
  MAPPING_OUTPUT_TOO_LARGE: 'user',
};

export interface MappingErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type of @tributary/mapping. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  readonly code: MappingErrorCode;
  readonly kind: MappingErrorKind;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: MappingErrorCode, message: string, options: MappingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = kindByCode[code];
    this.retryable = false;
    this.details = options.details ?? {};
  }

  toJSON(): SerializedMappingError {
    return { name: 'MappingError', code: this.code, message: this.message, details: this.details };
  }
}

export function isMappingErrorCode(value: unknown): value is MappingErrorCode {
  return typeof value === 'string' && (mappingErrorCodes as readonly string[]).includes(value);
}

export function isMappingError(value: unknown): value is MappingError {
  return value instanceof MappingError;
}
