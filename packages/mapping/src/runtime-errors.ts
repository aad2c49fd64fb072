import { type MappingIssue, isMappingErrorCode } from './errors.ts';
import { knownFunctionNames, suggestFunction } from './functions.ts';
import { readJsonataError } from './jsonata-errors.ts';
import { tokenize } from './lexer.ts';
import { positionAt } from './position.ts';

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Start of the code an evaluation error is about. jsonata reports the offset just after a token; for
 * a function call that token is the "(" and the analyst wants the function name highlighted.
 */
function errorStart(text: string, position: number): number {
  const tokens = tokenize(text).filter((t) => t.type !== 'comment');
  const index = tokens.findIndex((t) => t.end === position);
  const token = tokens[index];
  if (token === undefined) return Math.min(position, text.length);
  const previous = tokens[index - 1];
  if (token.text === '(' && previous?.type === 'variable') return previous.start;
  return token.start;
}

export interface RuntimeIssueOptions {
  /** Extra function names the host binds, for the "unknown function" check. */
  knownFunctions?: readonly string[];
}

/**
 * Turns anything an evaluation threw — a library MappingError, a jsonata error object, or such an
 * error serialised out of the sandbox isolate as `{ code, message, details, position, token }` — into a
 * MappingIssue with a position in `text`.
 */
export function runtimeIssue(error: unknown, text: string, options: RuntimeIssueOptions = {}): MappingIssue {
  const rawPosition = field(error, 'position') ?? field(field(error, 'details'), 'position');
  const position = typeof rawPosition === 'number' && rawPosition > 0 ? rawPosition : undefined;
  const located = position === undefined ? {} : positionAt(text, errorStart(text, position));
  const code = field(error, 'code');
  const message = field(error, 'message');
  const token = field(error, 'token');
  if (isMappingErrorCode(code)) {
    const fn = field(field(error, 'details'), 'functionName');
    const issue: MappingIssue = { code, message: typeof message === 'string' ? message : code, ...located };
    if (typeof fn === 'string') issue.functionName = fn;
    else if (typeof token === 'string') issue.functionName = token;
    return issue;
  }
  const info = readJsonataError(error);
  if (info === undefined) {
    return { code: 'MAPPING_RUNTIME', message: error instanceof Error ? error.message : String(error), ...located };
  }
  const name = info.token;
  switch (info.code) {
    case 'T1005':
    case 'T1006':
    case 'T1007':
    case 'T1008': {
      if (name !== undefined && info.code !== 'T1005' && info.code !== 'T1007') {
        const suggestion = suggestFunction(name, knownFunctionNames(options.knownFunctions));
        return {
          code: 'MAPPING_UNKNOWN_FUNCTION',
          message: `Unknown function $${name}${suggestion === undefined ? '' : `; did you mean $${suggestion}?`}`,
          functionName: name,
          ...located,
        };
      }
      return {
        code: 'MAPPING_UNKNOWN_FUNCTION',
        message: name === undefined ? 'Attempted to call something that is not a function' : `"${name}" is not a function; did you mean $${name}?`,
        ...located,
      };
    }
    case 'T0410':
    case 'T0411':
    case 'T0412': {
      const issue: MappingIssue = {
        code: 'MAPPING_ARGUMENT',
        message:
          name === undefined
            ? info.message
            : `$${name}: argument ${info.index ?? '?'} has the wrong type${info.code === 'T0412' ? ' (it must be an array of a single type)' : ''}`,
        ...located,
      };
      if (name !== undefined) issue.functionName = name;
      return issue;
    }
    case 'D1012':
      return { code: 'MAPPING_TIMEOUT', message: `The mapping took longer than ${String(info.value)} ms and was stopped; check for a loop that never ends`, ...located };
    case 'D1011':
      return { code: 'MAPPING_RUNTIME', message: 'The mapping nests function calls too deeply (a recursive function that never stops?)', ...located };
    case 'S0500':
      return { code: 'MAPPING_SYNTAX', message: 'The mapping has syntax errors', ...located };
    default:
      return { code: 'MAPPING_RUNTIME', message: info.message, ...located };
  }
}
