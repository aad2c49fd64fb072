import type { ExpressionValue, PropSpec } from '@tributary/flow';

/** A fixed value as the JSONata expression that yields it, so switching to fx keeps what was typed. */
export function toExpression(value: unknown): ExpressionValue {
  if (value === undefined || value === '') return { $expr: '' };
  return { $expr: JSON.stringify(value) };
}

/**
 * Back from an expression to a fixed value: kept when the expression is itself a literal of the
 * field's type (`"abc"`, `42`, `true`, a JSON object), cleared otherwise — a computed value has no
 * fixed equivalent.
 */
export function fromExpression(text: string, spec: PropSpec): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  switch (spec.type) {
    case 'string':
    case 'text':
    case 'cron':
    case 'timezone':
      return typeof parsed === 'string' ? parsed : undefined;
    case 'number':
      return typeof parsed === 'number' ? parsed : undefined;
    case 'integer':
      return typeof parsed === 'number' && Number.isInteger(parsed) ? parsed : undefined;
    case 'boolean':
      return typeof parsed === 'boolean' ? parsed : undefined;
    case 'select':
      return spec.options?.some((o) => o.value === parsed) ? parsed : undefined;
    case 'multiselect':
      return Array.isArray(parsed) ? parsed : undefined;
    default:
      return parsed;
  }
}
