import { inferSchema } from '@tributary/mapping';
import type { SchemaField, SchemaType } from '@tributary/mapping';

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

const MAX_ITEMS = 50;

function kind(types: readonly SchemaType[]): FieldType {
  const real = types.filter((t) => t !== 'null');
  if (real.length === 0) return types.length ? 'null' : 'any';
  return real.length === 1 ? (real[0] as FieldType) : 'any';
}

function toNode(f: SchemaField): FieldNode {
  const node: FieldNode = { name: f.name, path: f.path, type: f.array ? 'array' : kind(f.types), children: f.children.map(toNode) };
  if (f.array) node.itemType = kind(f.itemTypes ?? []);
  if (f.examples[0] !== undefined) node.example = f.examples[0];
  return node;
}

/**
 * The field tree of a sample payload (the mapper's source tree), from @tributary/mapping's
 * inferSchema. A root array is read as a list of samples: JSONata maps a path over a root array by
 * itself, so its elements' fields are top-level paths.
 */
export function fieldTree(sample: unknown): FieldNode[] {
  if (sample === undefined) return [];
  const samples = Array.isArray(sample) ? sample.slice(0, MAX_ITEMS) : [sample];
  return inferSchema(samples).children.map(toNode);
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
