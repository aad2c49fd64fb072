import { compileMapping } from './compile.ts';
import { type MappingIssue, MappingError } from './errors.ts';
import type { LookupTables } from './library/types.ts';
import { parseSample } from './json-sample.ts';
import { runtimeIssue } from './runtime-errors.ts';

export interface PreviewOptions {
  tables?: LookupTables;
  /** Variables for the mapping (`{ vars: … }` is `$vars`). */
  bindings?: Record<string, unknown>;
  /** Evaluation time limit (default 2000 ms) so a runaway mapping cannot freeze the designer. */
  timeoutMs?: number;
  /** Extra function names the host provides. */
  knownFunctions?: readonly string[];
}

export type PreviewResult = { ok: true; output: unknown } | { ok: false; errors: MappingIssue[] };

const defaultTimeoutMs = 2000;

/**
 * Runs a mapping on a sample in the current JavaScript context, for the designer's live preview
 * (production runs evaluate inside the sandbox isolate). The sample may be a value or JSON text.
 * The output is plain JSON (what the sandbox would return); `undefined` when the mapping produced nothing.
 *
 * @example
 * await preview('{ "po": note_attributes[name="po_number"].value }', orderJson);
 * // { ok: true, output: { po: 'PO-77812' } }
 */
export async function preview(mappingText: string, sample: unknown, options: PreviewOptions = {}): Promise<PreviewResult> {
  let input = sample;
  if (typeof sample === 'string') {
    const parsed = parseSample(sample);
    if (!parsed.ok) return { ok: false, errors: [parsed.issue] };
    input = parsed.value;
  }
  const compiled = compileMapping(mappingText, {
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    ...(options.knownFunctions === undefined ? {} : { knownFunctions: options.knownFunctions }),
  });
  if (!compiled.ok) return compiled;
  try {
    const evaluateOptions = {
      ...(options.tables === undefined ? {} : { tables: options.tables }),
      ...(options.bindings === undefined ? {} : { bindings: options.bindings }),
    };
    const output = await compiled.mapping.evaluate(input, evaluateOptions);
    if (output === undefined) return { ok: true, output: undefined };
    const json = toJsonText(output);
    if (json === undefined) return { ok: false, errors: [{ code: 'MAPPING_RUNTIME', message: 'The mapping produced a function instead of data' }] };
    return { ok: true, output: JSON.parse(json) as unknown };
  } catch (error) {
    if (error instanceof MappingError && isIssue(error.details['issue'])) return { ok: false, errors: [error.details['issue']] };
    return { ok: false, errors: [runtimeIssue(error, mappingText)] };
  }
}

/** jsonata represents functions as objects marked `_jsonata_function` / `_jsonata_lambda`. */
function isFunctionValue(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const marks = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return marks._jsonata_function === true || marks._jsonata_lambda === true;
}

/** JSON text of a mapping result, or undefined when it contains a function (which no system can receive). */
function toJsonText(output: unknown): string | undefined {
  let hasFunction = false;
  const json = JSON.stringify(output, (_key, value: unknown) => {
    if (isFunctionValue(value)) {
      hasFunction = true;
      return undefined;
    }
    return value;
  });
  return hasFunction ? undefined : json;
}

function isIssue(value: unknown): value is MappingIssue {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
