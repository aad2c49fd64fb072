/** One step of a dot path: a field name, optionally marked `[]` as an array. */
export interface PathSegment {
  name: string;
  array: boolean;
}

/** Splits "line_items[].sku" into segments; undefined when a segment is empty ("a..b", "a.", "[]"). */
export function parsePath(path: string): PathSegment[] | undefined {
  if (path.trim() === '') return undefined;
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const array = part.endsWith('[]');
    const name = array ? part.slice(0, -2) : part;
    if (name === '' || name.includes('[') || name.includes(']')) return undefined;
    segments.push({ name, array });
  }
  return segments;
}

export function formatPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => `${s.name}${s.array ? '[]' : ''}`).join('.');
}

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const reserved = new Set(['true', 'false', 'null', 'and', 'or', 'in', 'function']);

/** A field name as JSONata path syntax: plain when possible, else in backticks. */
export function jsonataName(name: string): string {
  return plainName.test(name) && !reserved.has(name) ? name : `\`${name}\``;
}

/** Segments as a JSONata path: `line_items[].sku`, `` `ship to`.city ``. */
export function jsonataPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => `${jsonataName(s.name)}${s.array ? '[]' : ''}`).join('.');
}

export function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => p.name === path[i]?.name && p.array === path[i]?.array);
}

export function isReservedName(name: string): boolean {
  return reserved.has(name);
}
