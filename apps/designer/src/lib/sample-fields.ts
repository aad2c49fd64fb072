export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array' | 'any';

/** One field of a sample payload, as a tree (for the mapper's source tree) and flattened (for autocomplete). */
export interface FieldNode {
  name: string;
  /** Spec path with array markers: `line_items[].sku`. */
  path: string;
  type: FieldType;
  /** For arrays: the element type. */
  itemType?: FieldType;
  example?: unknown;
  children: FieldNode[];
}

export interface FlatField {
  /** JSONata path: arrays need no marker (`line_items.sku` maps over every item). */
  path: string;
  /** Spec path with array markers (`line_items[].sku`). */
  specPath: string;
  type: FieldType;
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 20;

function typeOf(v: unknown): FieldType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'object') return typeof v as FieldType;
  return 'any';
}

function mergeType(a: FieldType | undefined, b: FieldType): FieldType {
  if (a === undefined || a === b) return b;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  if (a === 'null') return b;
  if (b === 'null') return a;
  return 'any';
}

/** Object fields of one or more sample objects (array items are merged so every key shows up once). */
function objectFields(samples: readonly unknown[], prefix: string, depth: number): FieldNode[] {
  const byName = new Map<string, unknown[]>();
  for (const s of samples) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) continue;
    for (const [k, v] of Object.entries(s)) byName.set(k, [...(byName.get(k) ?? []), v]);
  }
  return [...byName].map(([name, values]) => fieldNode(name, prefix ? `${prefix}.${name}` : name, values, depth));
}

function fieldNode(name: string, path: string, values: readonly unknown[], depth: number): FieldNode {
  let type: FieldType | undefined;
  for (const v of values) type = mergeType(type, typeOf(v));
  const node: FieldNode = { name, path, type: type ?? 'any', children: [] };
  const example = values.find((v) => v !== null && typeof v !== 'object');
  if (example !== undefined) node.example = example;
  if (depth >= MAX_DEPTH) return node;
  if (node.type === 'object') node.children = objectFields(values, path, depth + 1);
  if (node.type === 'array') {
    const items = values.flatMap((v) => (Array.isArray(v) ? v.slice(0, MAX_ITEMS) : []));
    let itemType: FieldType | undefined;
    for (const it of items) itemType = mergeType(itemType, typeOf(it));
    node.itemType = itemType ?? 'any';
    if (node.itemType === 'object') node.children = objectFields(items, `${path}[]`, depth + 1);
  }
  return node;
}

/** The field tree of a sample payload (the mapper's source tree). */
export function fieldTree(sample: unknown): FieldNode[] {
  if (Array.isArray(sample)) {
    // JSONata maps a path over a root array by itself, so its items' fields are top-level paths.
    return objectFields(sample.slice(0, MAX_ITEMS), '', 0);
  }
  return objectFields([sample], '', 0);
}

/** Every field of a sample, flattened, for autocomplete. */
export function sampleFields(sample: unknown): FlatField[] {
  const out: FlatField[] = [];
  const walk = (nodes: readonly FieldNode[]) => {
    for (const n of nodes) {
      out.push({ path: jsonataPath(n.path), specPath: n.path, type: n.type });
      walk(n.children);
    }
  };
  walk(fieldTree(sample));
  return out;
}

/** `line_items[].sku` → `line_items.sku`; names that are not identifiers get backticks. */
export function jsonataPath(specPath: string): string {
  return specPath
    .replace(/\[\]/g, '')
    .split('.')
    .filter(Boolean)
    .map((seg) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg) ? seg : `\`${seg}\``))
    .join('.');
}
