/** Building OData v4 `$filter` expressions safely: literals as Business Central expects them. */

/** A string literal: single quotes, an embedded quote doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DateTimeOffset literal: unquoted ISO 8601 in UTC (quoting it is a type error on the service). */
export function odataDateTime(value: string | number | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a time: ${String(value)}`);
  return d.toISOString();
}

/** `a and b and c`, skipping empty parts. */
export function and(...parts: Array<string | undefined | null | false>): string | undefined {
  const p = parts.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return p.length ? p.map((x) => (p.length > 1 && /\sor\s/i.test(x) ? `(${x})` : x)).join(' and ') : undefined;
}
