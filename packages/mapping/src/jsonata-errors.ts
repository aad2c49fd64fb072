/**
 * jsonata reports errors as plain objects ({ code, position, token, value, message }), thrown or,
 * with `recover: true`, collected on the expression. These helpers read them without trusting their shape.
 */
export interface JsonataErrorInfo {
  code: string;
  /** jsonata's position: the offset just AFTER the offending token (or the text length at the end). */
  position?: number;
  token?: string;
  value?: unknown;
  index?: number;
  message: string;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

export function readJsonataError(error: unknown): JsonataErrorInfo | undefined {
  const code = field(error, 'code');
  if (typeof code !== 'string') return undefined;
  const position = field(error, 'position');
  const token = field(error, 'token');
  const index = field(error, 'index');
  const message = field(error, 'message');
  const info: JsonataErrorInfo = { code, message: typeof message === 'string' ? message : code };
  if (typeof position === 'number' && Number.isFinite(position)) info.position = position;
  if (typeof token === 'string' || typeof token === 'number') info.token = String(token);
  if (typeof index === 'number') info.index = index;
  const value = field(error, 'value');
  if (value !== undefined) info.value = value;
  return info;
}

/** `expression.errors()` exists at runtime in jsonata 2 but is missing from its type definitions. */
export function recoveredErrors(expression: object): unknown[] {
  const getter = (expression as Record<string, unknown>)['errors'];
  if (typeof getter !== 'function') return [];
  const errors: unknown = getter.call(expression);
  return Array.isArray(errors) ? errors : [];
}
