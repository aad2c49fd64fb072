/**
 * Issue and error codes of @tributary/flow. The list is closed: the designer, the API and the CLI
 * recognise a flow problem by its code, never by message text.
 */
export const flowIssueCodes = [
  'FLOW_SCHEMA',
  'FLOW_UNSUPPORTED_VERSION',
  'FLOW_DUPLICATE_NODE_ID',
  'FLOW_EDGE_UNKNOWN_NODE',
  'FLOW_EDGE_UNKNOWN_PORT',
  'FLOW_DUPLICATE_EDGE',
  'FLOW_CYCLE',
  'FLOW_NO_TRIGGER',
  'FLOW_MULTIPLE_TRIGGERS',
  'FLOW_TRIGGER_MISMATCH',
  'FLOW_EDGE_INTO_TRIGGER',
  'FLOW_UNREACHABLE_NODE',
  'FLOW_UNKNOWN_NODE_TYPE',
  'FLOW_CONFIG_REQUIRED',
  'FLOW_CONFIG_TYPE',
  'FLOW_CONFIG_UNKNOWN',
  'FLOW_EXPRESSION_SYNTAX',
  'FLOW_LAYOUT_UNKNOWN_NODE',
] as const;

/** What a single validation finding is about. */
export type FlowIssueCode = (typeof flowIssueCodes)[number];

/**
 * Codes a thrown FlowError can carry: any issue code, plus FLOW_INVALID for "this document has
 * validation errors" (the issues are in `details.issues`).
 */
export type FlowErrorCode = FlowIssueCode | 'FLOW_INVALID';

export type FlowIssueSeverity = 'error' | 'warning';

/**
 * One problem found in a flow document.
 *
 * `path` is a string in JavaScript accessor form rooted at the document: `nodes[2].config.order`,
 * `edges[0].port`, `layout.orderCreated`, `trigger`; keys that are not plain identifiers are written
 * in brackets as JSON strings (`config["ship to"]`); the document itself is `""`. See
 * `formatIssuePath` / `parseIssuePath`.
 *
 * Everything validateFlow returns has `severity` set; an issue built elsewhere without one counts
 * as an error. Warnings never make a flow invalid.
 */
export interface FlowIssue {
  code: FlowIssueCode;
  path: string;
  message: string;
  severity?: FlowIssueSeverity;
  /** The node the issue is about (for edges: the node whose port or id is wrong). */
  nodeId?: string;
  /** The edge the issue is about, as its index in `edges`. */
  edgeIndex?: number;
  /** FLOW_EXPRESSION_SYNTAX: 1-based line and column and 0-based offset into the expression text. */
  line?: number;
  column?: number;
  offset?: number;
  /** FLOW_CYCLE: the node ids around the cycle, in edge order, first node not repeated. */
  cycle?: string[];
}

/** True when any issue is an error (warnings alone leave a flow valid). */
export function hasErrors(issues: readonly FlowIssue[]): boolean {
  return issues.some((i) => (i.severity ?? 'error') === 'error');
}

export type FlowErrorKind = 'user' | 'transient' | 'internal';

export interface SerializedFlowError {
  name: 'FlowError';
  code: FlowErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export interface FlowErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of @tributary/flow. Every flow problem is the author's to fix and fails the
 * same way every time, so the kind is always `user` and nothing is retryable.
 */
export class FlowError extends Error {
  override readonly name = 'FlowError';
  readonly code: FlowErrorCode;
  readonly kind: FlowErrorKind;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: FlowErrorCode, message: string, options: FlowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = 'user';
    this.retryable = false;
    this.details = options.details ?? {};
  }

  toJSON(): SerializedFlowError {
    return { name: 'FlowError', code: this.code, message: this.message, details: this.details };
  }
}

export function isFlowIssueCode(value: unknown): value is FlowIssueCode {
  return typeof value === 'string' && (flowIssueCodes as readonly string[]).includes(value);
}

export function isFlowError(value: unknown): value is FlowError {
  return value instanceof FlowError;
}
