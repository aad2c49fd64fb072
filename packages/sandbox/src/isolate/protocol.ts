// The JSON protocol between the host and the runtime inside each isolate. Only JSON text, strings and
// numbers cross; these types describe the JSON. Imported by both sides (the runtime is bundled).

/** Names of the runtime's entry points on the isolate's global object. */
export const runtimeGlobals = {
  evaluate: '__tributary_evaluate',
  evaluateNow: '__tributary_evaluateNow',
  runCode: '__tributary_runCode',
  logs: '__tributary_logs',
} as const;

/**
 * What the host passes to either mapping entry point (`evaluate`, `evaluateNow`), in order.
 * `bindingsJson` is an object of variables (`trigger` is read as `$trigger`); lookup tables travel in it
 * as `tables`, which the library's `$lookup` reads. `inputAs` names a variable that is the input itself
 * (a map right after the trigger gets the trigger payload as both `$` and `$trigger`): the host sends
 * that payload once and it is bound to both.
 */
export type MappingArgs = [
  text: string,
  inputJson: string | undefined,
  bindingsJson: string | undefined,
  outputBytes: number,
  cacheSize: number,
  inputAs?: string,
];

/**
 * Why an evaluation or code run failed, as seen inside the isolate:
 * - syntax: the mapping does not parse (code S0xxx, position)
 * - runtime: jsonata or a library function threw (code, position, token, details)
 * - memory: an allocation was refused (string or array too long, jsonata's range limit)
 * - stack: the call stack overflowed
 * - output: the JSON result is over the output limit (size)
 * - not-json: the result is a function, cyclic, or a BigInt
 * - input: the input or bindings JSON could not be read
 * - code: user code threw (name, message, line, column)
 */
export type FailureKind = 'syntax' | 'runtime' | 'memory' | 'stack' | 'output' | 'not-json' | 'input' | 'code';

export interface IsolateFailure {
  kind: FailureKind;
  message: string;
  code?: string;
  position?: number;
  token?: string;
  value?: unknown;
  details?: Record<string, unknown>;
  size?: number;
  name?: string;
  line?: number;
  column?: number;
  stack?: string;
}

export type EvaluateEnvelope = { ok: true; result?: unknown } | { ok: false; error: IsolateFailure };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One console line of a code run. Same shape as connector-sdk's `LogLine`. */
export interface LogLine {
  level: LogLevel;
  message: string;
  /** ISO 8601 time the line was written. */
  at: string;
}

export interface LogCapture {
  logs: LogLine[];
  /** Lines not kept because a cap was reached. */
  droppedLines: number;
}

export type CodeEnvelope = LogCapture & ({ ok: true; result?: unknown } | { ok: false; error: IsolateFailure });

/** Name the user's code is compiled under, so positions in errors and stacks can be found. */
export const codeFilename = 'code.js';
