import type { ActionContext, JsonValue } from '@tributary/connector-sdk';

/** The run context expressions and code see as `$trigger`, `$steps`, `$vars`, `$execution`. */
export function scopeBindings(ctx: Pick<ActionContext<unknown>, 'scope'>): { trigger: JsonValue; steps: Record<string, JsonValue>; vars: Record<string, JsonValue>; execution: ActionContext<unknown>['scope']['execution'] } {
  return { trigger: ctx.scope.trigger, steps: ctx.scope.steps, vars: ctx.scope.vars, execution: ctx.scope.execution };
}

/**
 * JSONata's `$boolean` rules, so a condition means the same in the host as in an expression:
 * empty string, 0, null, empty array/object, functions and "no match" are false; an array is true
 * when any member is.
 */
export function jsonataTruthy(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.some(jsonataTruthy);
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return false;
}

/**
 * Says where a failure happened (which case, which item) while keeping the original error and so its
 * code, kind and retryable flag: the engine decides retries by code, never by message.
 */
export function annotate(err: unknown, prefix: string, details: Record<string, unknown>): unknown {
  if (typeof err !== 'object' || err === null || !('message' in err)) return err;
  const e = err as { message: unknown; details?: unknown };
  const existing = typeof e.details === 'object' && e.details !== null ? e.details : {};
  try {
    Object.assign(err, { message: `${prefix}: ${String(e.message)}`, details: { ...existing, ...details } });
  } catch {
    // A frozen error keeps its own message.
  }
  return err;
}
