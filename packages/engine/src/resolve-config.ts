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

async function resolveValue(value: unknown, path: string, opts: ResolveOptions): Promise<unknown> {
  if (isExpressionValue(value)) {
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
