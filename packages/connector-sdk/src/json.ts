/** What crosses every boundary (isolate, queue, HTTP, canvas node data). */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Checks that a value produced by user code, a vendor or the sandbox is plain JSON and returns it typed.
 * `undefined` (JSONata's "no match") becomes `null`; functions, symbols, bigints, non-finite numbers and
 * cycles are refused so nothing that cannot cross a boundary is ever recorded as a step output.
 * @example return toJsonValue((await client.get('orders/1')).body);
 */
export function toJsonValue(value: unknown, path = '$'): JsonValue {
  const seen = new Set<object>();
  const walk = (v: unknown, at: string): JsonValue => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TypeError(`${at} is ${v}, which is not JSON`);
      return v;
    }
    if (typeof v !== 'object') throw new TypeError(`${at} is a ${typeof v}, which is not JSON`);
    if (seen.has(v)) throw new TypeError(`${at} refers to itself (a cycle), which is not JSON`);
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
      if (v instanceof Date) return v.toISOString();
      const out: { [key: string]: JsonValue } = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        out[k] = walk(x, `${at}.${k}`);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return walk(value, path);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
