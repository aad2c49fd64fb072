/** What crosses the queue: job payloads are JSON and nothing else. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Returns the path of the first value that would not survive JSON.stringify / JSON.parse unchanged
 * (undefined, functions, NaN, Dates, class instances, cycles), or null when `value` is plain JSON.
 */
export function findNonJson(value: unknown, path: string = '$', seen: Set<object> = new Set()): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : path;
    case 'object':
      break;
    default:
      return path;
  }
  if (seen.has(value)) return path;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const bad = findNonJson(value[i], `${path}[${i}]`, seen);
        if (bad !== null) return bad;
      }
      return null;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return path;
    for (const [key, child] of Object.entries(value)) {
      const bad = findNonJson(child, `${path}.${key}`, seen);
      if (bad !== null) return bad;
    }
    return null;
  } finally {
    seen.delete(value);
  }
}

export function isJsonValue(value: unknown): value is JsonValue {
  return findNonJson(value) === null;
}

/** Size of a value once serialised, in UTF-8 bytes. */
export function jsonByteLength(value: JsonValue): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}
