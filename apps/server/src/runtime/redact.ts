/**
 * Removes known secret values from what is about to be recorded. Connectors never put secrets in
 * outputs on purpose, but a vendor may echo a token back in an error body; run history, logs and API
 * responses must still never contain it.
 */
export const REDACTED = '[redacted]';

export function redactSecrets<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  return walk(value, [...secrets].sort((a, b) => b.length - a.length)) as T;
}

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, secrets);
    return out;
  }
  return value;
}

/** Secret values worth looking for: short ones (a PIN, "1") would redact ordinary text. */
export function secretValues(secrets: Record<string, string>): string[] {
  return Object.values(secrets).filter((s) => typeof s === 'string' && s.length >= 6);
}
