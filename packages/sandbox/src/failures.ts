import { compileMapping, type MappingIssue, runtimeIssue } from '@tributary/mapping';
import { SandboxError, type SandboxErrorCode } from './errors.ts';
import type { IsolateFailure, LogCapture } from './isolate/protocol.ts';
import type { Limits } from './limits.ts';

/** Who ran into a limit, for messages: "The mapping ran longer…", "The code ran longer…". */
export type Subject = 'mapping' | 'code';

const label = (subject: Subject): string => (subject === 'mapping' ? 'The mapping' : 'The code');

function logDetails(logs: LogCapture | undefined): Record<string, unknown> {
  return logs === undefined ? {} : { logs: logs.logs, droppedLogLines: logs.droppedLines };
}

export function timeoutError(subject: Subject, limits: Limits, logs?: LogCapture): SandboxError {
  return new SandboxError(
    'MAPPING_TIMEOUT',
    `${label(subject)} ran longer than the time limit of ${limits.timeoutMs} ms (limits.timeoutMs) and was stopped`,
    { details: { limit: 'timeoutMs', value: limits.timeoutMs, ...logDetails(logs) } },
  );
}

export function memoryError(subject: Subject, limits: Limits, reason?: string, logs?: LogCapture): SandboxError {
  // Without a reason the isolate hit its heap limit and was killed; with one, an allocation was refused
  // inside it (a string or array over V8's maximum, jsonata's 1e7-item range cap, a stack overflow).
  const message =
    reason === undefined
      ? `${label(subject)} needed more memory than the limit of ${limits.memoryMb} MB (limits.memoryMb) and was stopped`
      : `${label(subject)} tried to allocate more memory than it may use (limit ${limits.memoryMb} MB, limits.memoryMb) and was stopped: ${reason}`;
  return new SandboxError('MAPPING_MEMORY', message, {
    details: { limit: 'memoryMb', value: limits.memoryMb, ...(reason === undefined ? {} : { reason }), ...logDetails(logs) },
  });
}

export function outputError(subject: Subject, limits: Limits, size: number | undefined, logs?: LogCapture): SandboxError {
  const measured = size === undefined ? 'is' : `is ${size} bytes of JSON,`;
  return new SandboxError(
    'MAPPING_OUTPUT_TOO_LARGE',
    `${label(subject)}'s output ${measured} over the limit of ${limits.outputBytes} bytes (limits.outputBytes)`,
    { details: { limit: 'outputBytes', value: limits.outputBytes, ...(size === undefined ? {} : { size }), ...logDetails(logs) } },
  );
}

const at = (issue: { line?: number | undefined; column?: number | undefined }): string =>
  issue.line === undefined || issue.column === undefined ? '' : ` (line ${issue.line}, column ${issue.column})`;

function positionDetails(issue: MappingIssue): Record<string, unknown> {
  const out: Record<string, unknown> = { issue };
  if (issue.line !== undefined) out['line'] = issue.line;
  if (issue.column !== undefined) out['column'] = issue.column;
  if (issue.offset !== undefined) out['offset'] = issue.offset;
  if (issue.functionName !== undefined) out['functionName'] = issue.functionName;
  return out;
}

const issueCodes: ReadonlySet<string> = new Set<SandboxErrorCode>([
  'MAPPING_SYNTAX',
  'MAPPING_RUNTIME',
  'MAPPING_ARGUMENT',
  'MAPPING_UNKNOWN_FUNCTION',
  'MAPPING_TIMEOUT',
  'MAPPING_MEMORY',
  'MAPPING_OUTPUT_TOO_LARGE',
]);

function issueCode(issue: MappingIssue): SandboxErrorCode {
  return issueCodes.has(issue.code) ? (issue.code as SandboxErrorCode) : 'MAPPING_RUNTIME';
}

// Host-side parsing only formats the error the isolate already found; it never evaluates anything.
// Very long texts fall back to jsonata's own position rather than spend host time on the repair passes.
const maxHostFormattedChars = 200_000;

function syntaxError(expression: string, failure: IsolateFailure): SandboxError {
  const compiled = expression.length <= maxHostFormattedChars ? compileMapping(expression) : undefined;
  const issues = compiled !== undefined && !compiled.ok ? compiled.errors.filter((i) => i.code === 'MAPPING_SYNTAX') : [];
  const first = issues[0] ?? { ...runtimeIssue(failure, expression), code: 'MAPPING_SYNTAX' as const };
  return new SandboxError('MAPPING_SYNTAX', `${first.message}${at(first)}`, {
    details: { ...positionDetails(first), issues: issues.length > 0 ? issues : [first], ...(failure.code === undefined ? {} : { jsonataCode: failure.code }) },
  });
}

/** The SandboxError for a mapping evaluation that the isolate answered with a failure. */
export function mappingFailure(expression: string, failure: IsolateFailure, limits: Limits): SandboxError {
  switch (failure.kind) {
    case 'memory':
      return memoryError('mapping', limits, failure.message);
    case 'stack':
      return memoryError('mapping', limits, `call stack exhausted: recursion too deep (${failure.message})`);
    case 'output':
      return outputError('mapping', limits, failure.size);
    case 'not-json':
      return new SandboxError('MAPPING_RUNTIME', failure.message, { details: {} });
    case 'input':
      return new SandboxError('SANDBOX_INTERNAL', `The isolate could not read the input: ${failure.message}`);
    case 'syntax':
      return syntaxError(expression, failure);
    default: {
      const issue = runtimeIssue(failure, expression);
      const details = positionDetails(issue);
      if (failure.code !== undefined && !issueCodes.has(failure.code)) details['jsonataCode'] = failure.code;
      if (failure.details !== undefined) details['cause'] = failure.details;
      return new SandboxError(issueCode(issue), `${issue.message}${at(issue)}`, { details });
    }
  }
}

/** The SandboxError for a code run that the isolate answered with a failure. */
export function codeFailure(failure: IsolateFailure, limits: Limits, logs: LogCapture): SandboxError {
  switch (failure.kind) {
    case 'memory':
      return memoryError('code', limits, failure.message, logs);
    case 'stack':
      return memoryError('code', limits, `call stack exhausted: recursion too deep (${failure.message})`, logs);
    case 'output':
      return outputError('code', limits, failure.size, logs);
    case 'input':
      return new SandboxError('SANDBOX_INTERNAL', `The isolate could not read the input: ${failure.message}`, { details: logDetails(logs) });
    default: {
      const prefix = failure.name === undefined || failure.message.startsWith(`${failure.name}:`) ? '' : `${failure.name}: `;
      const details: Record<string, unknown> = { ...logDetails(logs) };
      for (const key of ['name', 'line', 'column', 'stack', 'code', 'details'] as const) {
        if (failure[key] !== undefined) details[key] = failure[key];
      }
      return new SandboxError('CODE_ERROR', `${prefix}${failure.message}${at(failure)}`, { details });
    }
  }
}

/** A SyntaxError from compiling user code: "Unexpected token ';' [code.js:3:11]". */
export function codeCompileError(error: Error, filename: string): SandboxError {
  const match = new RegExp(`\\s*\\[${filename.replace('.', '\\.')}:(\\d+):(\\d+)\\]\\s*$`).exec(error.message);
  const message = match === null ? error.message : error.message.slice(0, match.index);
  const position = match === null ? {} : { line: Number(match[1]), column: Number(match[2]) };
  return new SandboxError('CODE_ERROR', `${error.name}: ${message}${at(position)}`, {
    details: { name: error.name, ...position, logs: [], droppedLogLines: 0 },
    cause: error,
  });
}
