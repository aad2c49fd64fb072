import { isExpressionValue, type PropSpec } from '@tributary/flow';
import type { EvaluationLimits, JsonValue, SandboxPort, Scope } from '@tributary/connector-sdk';

/** Props whose text is code or a mapping the node evaluates itself; `{ $expr }` is not resolved inside them. */
const RAW_TYPES = new Set<PropSpec['type']>(['jsonata', 'code', 'mapping']);

export interface ResolveOptions {
  sandbox: SandboxPort;
  scope: Scope;
  input: JsonValue;
  limits: Partial<EvaluationLimits>;
}

/** Replaces every `{ "$expr": … }` in a node's config (nested too) by its value, evaluated in the isolate. */
export async function resolveConfig(config: Record<string, unknown>, props: Record<string, PropSpec>, opts: ResolveOptions): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const spec = props[key];
    out[key] = spec && RAW_TYPES.has(spec.type) ? value : await resolveValue(value, `config.${key}`, opts);
  }
  return out;
}

const SIMPLE_PATH = /^\s*\$(trigger|steps|vars|execution)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;

/**
 * `$steps.toSalesOrder`, `$trigger.name`: a plain variable path through objects is a lookup in data the
 * host already holds, not user code, so it skips the isolate round trip. Anything else (arrays, whose
 * paths JSONata maps over, functions, operators) goes to the sandbox.
 */
function lookupSimplePath(text: string, scope: Scope): { hit: true; value: unknown } | { hit: false } {
  const m = SIMPLE_PATH.exec(text);
  if (!m) return { hit: false };
  let v: unknown = scope[m[1] as keyof Scope];
  for (const key of m[2] ? m[2].slice(1).split('.') : []) {
    if (v === undefined || v === null) return { hit: true, value: null };
    if (typeof v !== 'object' || Array.isArray(v)) return { hit: false };
    v = Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  if (Array.isArray(v)) return { hit: false }; // JSONata flattens singletons and sequences; let it decide
  return { hit: true, value: v === undefined ? null : v };
}

async function resolveValue(value: unknown, path: string, opts: ResolveOptions): Promise<unknown> {
  if (isExpressionValue(value)) {
    const fast = lookupSimplePath(value.$expr, opts.scope);
    if (fast.hit) return fast.value;
    try {
      const r = await opts.sandbox.evaluate({
        expression: value.$expr,
        input: opts.input,
        bindings: { trigger: opts.scope.trigger, steps: opts.scope.steps, vars: opts.scope.vars, execution: opts.scope.execution },
        limits: opts.limits,
      });
      return r === undefined ? null : r;
    } catch (err) {
      // Keep the sandbox's code (MAPPING_*); say which field failed.
      if (typeof err === 'object' && err !== null) {
        const e = err as { details?: unknown; message?: unknown };
        const details = typeof e.details === 'object' && e.details !== null ? e.details : {};
        Object.assign(err, { details: { ...details, path }, message: `${path}: ${String(e.message)}` });
      }
      throw err;
    }
  }
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => resolveValue(v, `${path}[${i}]`, opts)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveValue(v, `${path}.${k}`, opts);
    return out;
  }
  return value;
}
