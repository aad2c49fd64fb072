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

/** Adds where in a list a failure happened, keeping the original error (its code, kind, retryable). */
export function atIndex(err: unknown, index: number, what: string): unknown {
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const e = err as { message: unknown; details?: unknown };
    const details = typeof e.details === 'object' && e.details !== null ? e.details : {};
    try {
      Object.assign(err, { message: `${what} ${index}: ${String(e.message)}`, details: { ...details, index } });
    } catch {
      // A frozen error keeps its own message; the cause chain still says what failed.
    }
  }
  return err;
}
