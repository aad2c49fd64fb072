import jsonata from 'jsonata';
import { type MappingIssue, MappingError } from './errors.ts';
import { collectFunctionUse, knownFunctionNames, suggestFunction } from './functions.ts';
import { registerLibrary } from './library/index.ts';
import type { LookupTables } from './library/types.ts';
import { positionAt } from './position.ts';
import { runtimeIssue } from './runtime-errors.ts';
import { byPosition, checkSyntax } from './syntax.ts';

export interface CompileOptions {
  /** Functions the host binds besides jsonata's and the library's (names without `$`). */
  knownFunctions?: readonly string[];
  /** Stop evaluation after this many milliseconds (MAPPING_TIMEOUT). Off when not given. */
  timeoutMs?: number;
  /** Maximum depth of nested function calls (recursion guard). */
  maxDepth?: number;
}

export interface EvaluateOptions {
  /** Lookup tables for `$lookup("name", …)`. */
  tables?: LookupTables;
  /** Variables visible to the mapping, e.g. `{ trigger: … }` is read as `$trigger`. */
  bindings?: Record<string, unknown>;
}

/** A mapping that compiled without issues. */
export interface CompiledMapping {
  readonly text: string;
  /** Names (without `$`) of every function the mapping calls by name. */
  readonly functionNames: readonly string[];
  /**
   * Evaluates the mapping on an input with the function library. Rejects with a MappingError whose
   * `details.issue` is the MappingIssue (code, message, line, column, offset).
   */
  evaluate(input: unknown, options?: EvaluateOptions): Promise<unknown>;
}

export type CompileResult = { ok: true; mapping: CompiledMapping } | { ok: false; errors: MappingIssue[] };

/** Calls of functions that are neither jsonata's, the library's, host-known nor bound in the mapping itself. */
function unknownFunctionIssues(
  ast: jsonata.ExprNode,
  text: string,
  known: Set<string>,
  toOriginal: (offset: number) => number,
): MappingIssue[] {
  const { calls, bound } = collectFunctionUse(ast);
  return calls
    .filter((call) => !known.has(call.name) && !bound.has(call.name))
    .map((call) => {
      const suggestion = suggestFunction(call.name, known);
      return {
        code: 'MAPPING_UNKNOWN_FUNCTION' as const,
        message: `Unknown function $${call.name}: it is neither a JSONata function nor in the Tributary function library${suggestion === undefined ? '' : `; did you mean $${suggestion}?`}`,
        functionName: call.name,
        ...positionAt(text, toOriginal(call.offset)),
      };
    });
}

/** Every problem with a mapping text that can be found without running it. */
function staticIssues(text: string, options: CompileOptions): { issues: MappingIssue[]; functionNames: string[] } {
  const { issues, repaired } = checkSyntax(text);
  const known = knownFunctionNames(options.knownFunctions);
  const unknown = repaired === undefined ? [] : unknownFunctionIssues(repaired.expression.ast(), text, known, repaired.toOriginal);
  const functionNames = repaired === undefined ? [] : [...new Set(collectFunctionUse(repaired.expression.ast()).calls.map((c) => c.name))];
  return { issues: byPosition([...issues, ...unknown]), functionNames };
}

/**
 * Compiles a JSONata mapping. On failure returns EVERY syntax error and every call of an unknown
 * function, each with a position (see syntax.ts for how positions are reported).
 *
 * @example
 * const result = compileMapping('{ "name": $uppercase(name) }');
 * if (result.ok) await result.mapping.evaluate({ name: 'ada' }); // { name: 'ADA' }
 */
export function compileMapping(text: string, options: CompileOptions = {}): CompileResult {
  const { issues, functionNames } = staticIssues(text, options);
  if (issues.length > 0) return { ok: false, errors: issues };
  const limits: { timeout?: number; stack?: number } = {};
  if (options.timeoutMs !== undefined) limits.timeout = options.timeoutMs;
  if (options.maxDepth !== undefined) limits.stack = options.maxDepth;
  const expression = registerLibrary(jsonata(text, limits));
  const mapping: CompiledMapping = {
    text,
    functionNames,
    async evaluate(input, evaluateOptions = {}) {
      const bindings: Record<string, unknown> = { ...evaluateOptions.bindings };
      if (evaluateOptions.tables !== undefined) bindings['tables'] = evaluateOptions.tables;
      try {
        return await expression.evaluate(input, bindings);
      } catch (error) {
        const issue = runtimeIssue(error, text, options.knownFunctions === undefined ? {} : { knownFunctions: options.knownFunctions });
        throw new MappingError(issue.code, issue.message, { details: { issue }, cause: error });
      }
    },
  };
  return { ok: true, mapping };
}

/** An issue as packages/flow's validateFlow expects from its expression checker. */
export interface ExpressionProblem {
  message: string;
  line: number;
  column: number;
  offset: number;
}

/**
 * The expression checker handed to packages/flow's `validateFlow`: syntax errors and unknown
 * functions of one `$expr` text, positions 1-based line/column and 0-based offset. Empty if fine.
 */
export function checkExpression(text: string): ExpressionProblem[] {
  return createExpressionChecker()(text);
}

/** checkExpression for a host that binds extra functions (names without `$`) into flow expressions. */
export function createExpressionChecker(options: { knownFunctions?: readonly string[] } = {}): (text: string) => ExpressionProblem[] {
  const compileOptions: CompileOptions = options.knownFunctions === undefined ? {} : { knownFunctions: options.knownFunctions };
  return (text) =>
    staticIssues(text, compileOptions).issues.map((issue) => ({
      message: issue.message,
      line: issue.line ?? 1,
      column: issue.column ?? 1,
      offset: issue.offset ?? 0,
    }));
}
