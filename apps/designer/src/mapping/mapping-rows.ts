/**
 * The mapping table's editing logic, kept apart from React so it is tested directly. Rows have the
 * shape of @tributary/mapping's MappingSpecRow: `target` and `source` are dot paths where `[]` marks
 * an array (`line_items[].sku → lines[].itemNumber` maps arrays element by element).
 */
export interface MappingRow {
  target: string;
  source?: string;
  expression?: string;
}

/** The drag payload type of a source field. */
export const SOURCE_MIME = 'application/x-tributary-source-path';

function segments(path: string): Array<{ name: string; array: boolean }> {
  return path
    .split('.')
    .filter(Boolean)
    .map((p) => (p.endsWith('[]') ? { name: p.slice(0, -2), array: true } : { name: p, array: false }));
}

/** The array prefix of a path up to and including its first `[]`: `line_items[].sku` → `line_items[]`. */
export function arrayPrefix(path: string): string | null {
  const i = path.indexOf('[]');
  return i === -1 ? null : path.slice(0, i + 2);
}

/** Drop a source field on an existing target: the row now reads that source (an expression it had is replaced). */
export function mapSourceToTarget(rows: readonly MappingRow[], source: string, target: string): MappingRow[] {
  const i = rows.findIndex((r) => r.target === target);
  const row: MappingRow = { target, source };
  if (i === -1) return [...rows, row];
  return rows.map((r, k) => (k === i ? row : r));
}

/**
 * Drop a source field on "new target": the target gets the source's own name. A field inside a
 * source array lands in the output array already built from that source array (so dropping
 * `line_items[].quantity` next to `lines[].itemNumber ← line_items[].sku` gives `lines[].quantity`),
 * else in an output array of the same name. Names already taken get a number.
 */
export function addRowFromSource(rows: readonly MappingRow[], source: string): { rows: MappingRow[]; target: string } {
  const segs = segments(source);
  const last = segs[segs.length - 1];
  if (!last) return { rows: [...rows], target: '' };
  const leaf = `${last.name}${last.array ? '[]' : ''}`;
  let parent = '';
  const srcArray = arrayPrefix(source);
  if (srcArray && srcArray !== source) {
    const sibling = rows.find((r) => r.source !== undefined && arrayPrefix(r.source) === srcArray && arrayPrefix(r.target) !== null);
    parent = sibling ? (arrayPrefix(sibling.target) ?? srcArray) : srcArray;
    parent = `${parent}.`;
  }
  const target = uniqueTarget(rows, parent, leaf);
  return { rows: [...rows, { target, source }], target };
}

function uniqueTarget(rows: readonly MappingRow[], parent: string, leaf: string): string {
  const taken = new Set(rows.map((r) => r.target));
  const candidate = `${parent}${leaf}`;
  if (!taken.has(candidate)) return candidate;
  const isArray = leaf.endsWith('[]');
  const stem = isArray ? leaf.slice(0, -2) : leaf;
  for (let n = 2; ; n++) {
    const t = `${parent}${stem}${n}${isArray ? '[]' : ''}`;
    if (!taken.has(t)) return t;
  }
}

/** A target field with no source yet (it maps to null until something is dropped on it). */
export function addTarget(rows: readonly MappingRow[], target: string): MappingRow[] {
  const t = target.trim();
  if (!t || rows.some((r) => r.target === t)) return [...rows];
  return [...rows, { target: t }];
}

export function removeRow(rows: readonly MappingRow[], target: string): MappingRow[] {
  return rows.filter((r) => r.target !== target);
}

export function renameTarget(rows: readonly MappingRow[], from: string, to: string): MappingRow[] {
  const t = to.trim();
  if (!t || t === from || rows.some((r) => r.target === t)) return [...rows];
  return rows.map((r) => (r.target === from ? { ...r, target: t } : r));
}

/** Switch a row to a JSONata expression (`undefined` switches it back to having no value). */
export function setRowExpression(rows: readonly MappingRow[], target: string, expression: string | undefined): MappingRow[] {
  return rows.map((r) => (r.target === target ? (expression === undefined ? { target } : { target, expression }) : r));
}

export function clearRowSource(rows: readonly MappingRow[], target: string): MappingRow[] {
  return rows.map((r) => (r.target === target ? { target } : r));
}

/** Whether a source can be dropped on a target: array elements may feed only array targets element-wise, or a whole value. */
export function dropHint(source: string, target: string): string | null {
  const s = arrayPrefix(source);
  const t = arrayPrefix(target);
  if (s && !t && s !== source) return `${source} is read from every element of ${s}; the target gets a list of values`;
  if (!s && t) return `${target} is built per element, but ${source} is a single value: each element gets the same value`;
  return null;
}

/** Targets to offer: the rows' targets plus known targets (e.g. from the next node) not yet present. */
export function targetList(rows: readonly MappingRow[], known: readonly string[] = []): string[] {
  const out = rows.map((r) => r.target);
  for (const k of known) if (!out.includes(k)) out.push(k);
  return out;
}
