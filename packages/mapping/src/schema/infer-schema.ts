/** JSON value kinds, in the order they are listed in `types`. */
export const schemaTypes = ['string', 'number', 'boolean', 'null', 'object', 'array'] as const;
export type SchemaType = (typeof schemaTypes)[number];

/** One field of an inferred schema; the root field has path "" and name "". */
export interface SchemaField {
  /** Dot path as used by mapping spec sources: `shipping_address.city`, `line_items[].sku`. */
  path: string;
  name: string;
  /** Kinds of value seen for the field, e.g. ['string', 'null']. */
  types: SchemaType[];
  /** Missing in at least one sample (or, inside arrays, in at least one element) that has its parent. */
  optional: boolean;
  /** The field held an array in at least one sample. */
  array: boolean;
  /** For arrays: kinds of the elements. */
  itemTypes?: SchemaType[];
  /** Up to 3 distinct example values (strings cut at 100 characters); for arrays, from the elements. */
  examples: Array<string | number | boolean>;
  /** Fields of the object, or of the array's object elements, merged over every sample and element. */
  children: SchemaField[];
}

const maxExamples = 3;
const maxExampleLength = 100;

interface Observed {
  name: string;
  types: Set<SchemaType>;
  itemTypes: Set<SchemaType>;
  examples: Array<string | number | boolean>;
  /** Number of objects observed at this field (directly or as array elements): the denominator for optional children. */
  objects: number;
  /** Number of times this field was present in a parent object. */
  present: number;
  children: Map<string, Observed>;
}

function observed(name: string): Observed {
  return { name, types: new Set(), itemTypes: new Set(), examples: [], objects: 0, present: 0, children: new Map() };
}

function typeOf(value: unknown): SchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

function addExample(node: Observed, value: unknown): void {
  if (node.examples.length >= maxExamples) return;
  let example: string | number | boolean;
  if (typeof value === 'string') example = value.length > maxExampleLength ? `${value.slice(0, maxExampleLength)}…` : value;
  else if (typeof value === 'number' || typeof value === 'boolean') example = value;
  else return;
  if (!node.examples.includes(example)) node.examples.push(example);
}

function observeObject(node: Observed, value: Record<string, unknown>): void {
  node.objects++;
  for (const [key, child] of Object.entries(value)) {
    let childNode = node.children.get(key);
    if (childNode === undefined) {
      childNode = observed(key);
      node.children.set(key, childNode);
    }
    childNode.present++;
    observe(childNode, child);
  }
}

function observe(node: Observed, value: unknown): void {
  const type = typeOf(value);
  node.types.add(type);
  if (type === 'object') observeObject(node, value as Record<string, unknown>);
  else if (Array.isArray(value)) {
    for (const item of value) {
      const itemType = typeOf(item);
      node.itemTypes.add(itemType);
      if (itemType === 'object') observeObject(node, item as Record<string, unknown>);
      else addExample(node, item);
    }
  } else addExample(node, value);
}

const ordered = (types: Set<SchemaType>): SchemaType[] => schemaTypes.filter((t) => types.has(t));

function toField(node: Observed, path: string, optional: boolean): SchemaField {
  const array = node.types.has('array');
  const prefix = path === '' ? (array ? '[].' : '') : `${path}${array ? '[]' : ''}.`;
  const field: SchemaField = {
    path,
    name: node.name,
    types: ordered(node.types),
    optional,
    array,
    examples: node.examples,
    children: [...node.children.values()].map((child) => toField(child, `${prefix}${child.name}`, child.present < node.objects)),
  };
  if (array) field.itemTypes = ordered(node.itemTypes);
  return field;
}

/**
 * Infers the field tree of sample payloads (e.g. a few recorded webhook bodies), for the mapping
 * designer's source tree and autocomplete. Samples are merged: a field missing from some sample is
 * `optional`; arrays of objects are merged element by element, so `line_items[].sku` covers every line.
 *
 * @example
 * inferSchema([{ id: 1, tags: ['a'] }, { id: 2, note: null }]).children
 * // [{ path: 'id', types: ['number'], optional: false, … }, { path: 'tags', array: true, optional: true, … },
 * //  { path: 'note', types: ['null'], optional: true, … }]
 */
export function inferSchema(samples: readonly unknown[]): SchemaField {
  const root = observed('');
  for (const sample of samples) observe(root, sample);
  return toField(root, '', false);
}

/**
 * Every path of a schema tree, depth first in field order, for autocomplete:
 * `['id', 'line_items', 'line_items[].sku', …]`. The root itself is not listed.
 */
export function flattenPaths(tree: SchemaField): string[] {
  return tree.children.flatMap((child) => [child.path, ...flattenPaths(child)]);
}
