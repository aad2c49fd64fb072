/** A step in an issue path: an object key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Writes path segments as the string form used in FlowIssue.path:
 * `['nodes', 2, 'config', 'ship to']` -> `nodes[2].config["ship to"]`.
 */
export function formatIssuePath(segments: ReadonlyArray<PathSegment>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Reads a FlowIssue.path back into segments; the inverse of formatIssuePath. Returns undefined for text it did not write. */
export function parseIssuePath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const close = findBracketEnd(path, i);
      if (close === -1) return undefined;
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else {
        const key = parseJsonString(inner);
        if (key === undefined) return undefined;
        segments.push(key);
      }
      i = close + 1;
    } else {
      if (ch === '.') {
        if (segments.length === 0) return undefined;
        i += 1;
      } else if (segments.length > 0) return undefined;
      const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(path.slice(i));
      if (!m) return undefined;
      segments.push(m[0]);
      i += m[0].length;
    }
  }
  return segments;
}

function findBracketEnd(path: string, open: number): number {
  if (path[open + 1] !== '"') return path.indexOf(']', open);
  // Walk the JSON string so a `]` inside the key does not end the segment.
  for (let j = open + 2; j < path.length; j += 1) {
    if (path[j] === '\\') j += 1;
    else if (path[j] === '"') return path[j + 1] === ']' ? j + 1 : -1;
  }
  return -1;
}

function parseJsonString(text: string): string | undefined {
  if (!text.startsWith('"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not a path this module wrote; the caller gets undefined rather than an exception.
    return undefined;
  }
  return typeof value === 'string' ? value : undefined;
}
