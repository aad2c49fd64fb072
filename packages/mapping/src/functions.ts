import type jsonata from 'jsonata';
import { libraryFunctionNames } from './library/index.ts';

/** Functions built into jsonata 2 (bound in its static frame, plus $now and $millis per expression). */
export const jsonataFunctionNames: readonly string[] = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase',
  'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber', 'formatBase',
  'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean',
  'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge',
  'reverse', 'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone', 'now', 'millis',
];

/** A call of a function by name: `$name(…)`, `$name(?, …)` or `… ~> $name`. */
export interface FunctionCall {
  name: string;
  /** Offset of the `$` of the name. */
  offset: number;
}

function isNode(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Offset of `$name` from a variable node, whose jsonata position is the end of the name. */
function variableStart(node: Record<string, unknown>, name: string): number {
  const position = typeof node['position'] === 'number' ? node['position'] : name.length + 1;
  return Math.max(0, position - name.length - 1);
}

/**
 * Walks a jsonata AST and collects (a) every function called by `$name` and (b) every name the
 * expression itself binds with `:=` or as a lambda parameter, which may hold a function.
 */
export function collectFunctionUse(ast: jsonata.ExprNode): { calls: FunctionCall[]; bound: Set<string> } {
  const calls: FunctionCall[] = [];
  const bound = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (!isNode(value) || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const type = value['type'];
    if (type === 'function' || type === 'partial') {
      const procedure = value['procedure'];
      if (isNode(procedure) && procedure['type'] === 'variable' && typeof procedure['value'] === 'string' && procedure['value'] !== '') {
        calls.push({ name: procedure['value'], offset: variableStart(procedure, procedure['value']) });
      }
    }
    if (type === 'apply') {
      const rhs = value['rhs'];
      if (isNode(rhs) && rhs['type'] === 'variable' && typeof rhs['value'] === 'string' && rhs['value'] !== '') {
        calls.push({ name: rhs['value'], offset: variableStart(rhs, rhs['value']) });
      }
    }
    if (type === 'bind') {
      const lhs = value['lhs'];
      if (isNode(lhs) && typeof lhs['value'] === 'string') bound.add(lhs['value']);
    }
    if (type === 'lambda' && Array.isArray(value['arguments'])) {
      for (const arg of value['arguments']) if (isNode(arg) && typeof arg['value'] === 'string') bound.add(arg['value']);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'position' && key !== 'value') visit(child);
    }
  };
  visit(ast);
  return { calls, bound };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a.charAt(i - 1).toLowerCase() === b.charAt(j - 1).toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known function name, if it is close enough to be a likely typo. */
export function suggestFunction(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

export function knownFunctionNames(extra: readonly string[] = []): Set<string> {
  return new Set([...jsonataFunctionNames, ...libraryFunctionNames, ...extra]);
}
