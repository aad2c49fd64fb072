import { MappingError } from '../errors.ts';
import { indentContinuation } from './indent.ts';
import { type PathSegment, jsonataPath, parsePath, startsWith } from './paths.ts';
import type { MappingSpec, MappingSpecRow } from './types.ts';

type SpecNode = ObjectNode | ArrayNode | ValueNode;
interface ObjectNode {
  kind: 'object';
  fields: Map<string, SpecNode>;
}
interface ArrayNode {
  kind: 'array';
  /** From a `lines[]` row. */
  source?: PathSegment[];
  element: ObjectNode;
}
interface ValueNode {
  kind: 'value';
  row: MappingSpecRow;
}

const indentUnit = '  ';

function specError(index: number, row: MappingSpecRow, problem: string): MappingError {
  return new MappingError('MAPPING_SYNTAX', `Row ${index + 1} (target "${row.target}"): ${problem}`, { details: { row: index, target: row.target } });
}

function buildTree(rows: readonly MappingSpecRow[]): ObjectNode {
  const root: ObjectNode = { kind: 'object', fields: new Map() };
  rows.forEach((row, index) => {
    const target = parsePath(row.target);
    if (target === undefined) throw specError(index, row, 'the target must be a dot path such as "shipToAddress.city" or "lines[].itemNumber"');
    if (row.source !== undefined && parsePath(row.source) === undefined) {
      throw specError(index, row, `the source "${row.source}" must be a dot path such as "shipping_address.city" or "line_items[].sku"`);
    }
    let object = root;
    target.forEach((segment, i) => {
      const last = i === target.length - 1;
      const existing = object.fields.get(segment.name);
      if (segment.array) {
        if (existing !== undefined && existing.kind !== 'array') throw specError(index, row, `"${segment.name}" is mapped both as an array and as a single value`);
        const array: ArrayNode = existing ?? { kind: 'array', element: { kind: 'object', fields: new Map() } };
        object.fields.set(segment.name, array);
        if (last) {
          const source = row.source === undefined ? undefined : parsePath(row.source);
          if (source === undefined || row.expression !== undefined) throw specError(index, row, 'a row for a whole array needs a source array such as "line_items[]" and no expression');
          array.source = source.map((s, k) => (k === source.length - 1 ? { ...s, array: true } : s));
        }
        object = array.element;
        return;
      }
      if (last) {
        if (existing !== undefined) throw specError(index, row, existing.kind === 'value' ? 'the target is mapped twice' : `"${segment.name}" already has fields mapped inside it`);
        object.fields.set(segment.name, { kind: 'value', row });
        return;
      }
      if (existing !== undefined && existing.kind !== 'object') throw specError(index, row, `"${segment.name}" is mapped both as an object and as a ${existing.kind === 'array' ? 'array' : 'single value'}`);
      const child: ObjectNode = existing ?? { kind: 'object', fields: new Map() };
      object.fields.set(segment.name, child);
      object = child;
    });
  });
  return root;
}

/** Sources of every row under a node, in row order. */
function sourcesUnder(node: SpecNode): PathSegment[][] {
  if (node.kind === 'value') {
    const source = node.row.expression === undefined && node.row.source !== undefined ? parsePath(node.row.source) : undefined;
    return source === undefined ? [] : [source];
  }
  if (node.kind === 'array') return [...(node.source === undefined ? [] : [node.source]), ...sourcesUnder(node.element)];
  return [...node.fields.values()].flatMap(sourcesUnder);
}

/** The input array an output array iterates: given by a `lines[]` row, else the first `[]` of the first source below it. */
function arraySource(name: string, node: ArrayNode, context: PathSegment[]): PathSegment[] {
  if (node.source !== undefined) return node.source;
  for (const source of sourcesUnder(node.element)) {
    const rest = startsWith(source, context) ? source.slice(context.length) : undefined;
    const k = rest?.findIndex((s) => s.array) ?? -1;
    if (rest !== undefined && k !== -1) return [...context, ...rest.slice(0, k + 1)];
  }
  throw new MappingError(
    'MAPPING_SYNTAX',
    `The array "${name}[]" has no source array: give one of its rows a source such as "line_items[].sku", or add a row { target: "${name}[]", source: "line_items[]" }`,
    { details: { target: `${name}[]` } },
  );
}

/** A source path as seen from inside the array elements being built (`context`), or from the root via `$$`. */
function sourceExpression(source: PathSegment[], context: PathSegment[]): string {
  if (context.length === 0) return jsonataPath(source);
  if (startsWith(source, context)) {
    const rest = source.slice(context.length);
    return rest.length === 0 ? '$' : jsonataPath(rest);
  }
  return `$$.${jsonataPath(source)}`;
}


function valueText(row: MappingSpecRow, context: PathSegment[], indent: string): string {
  if (row.expression !== undefined) return indentContinuation(row.expression.trim(), indent);
  if (row.source !== undefined) return sourceExpression(parsePath(row.source) ?? [], context);
  return 'null';
}

function emitObject(node: ObjectNode, indent: string, context: PathSegment[]): string {
  if (node.fields.size === 0) return '{}';
  const inner = indent + indentUnit;
  const fields = [...node.fields].map(([name, child]) => `${inner}${JSON.stringify(name)}: ${emitNode(name, child, inner, context)}`);
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

function emitNode(name: string, node: SpecNode, indent: string, context: PathSegment[]): string {
  if (node.kind === 'value') return valueText(node.row, context, indent);
  if (node.kind === 'object') return emitObject(node, indent, context);
  const source = arraySource(name, node, context);
  const relative = source.slice(context.length);
  const last = relative.at(-1);
  // Written without the final "[]": the surrounding [ … ] already keeps a one-element result an array.
  const path = jsonataPath(last === undefined ? [] : [...relative.slice(0, -1), { ...last, array: false }]);
  const base = context.length > 0 && !startsWith(source, context) ? `$$.${path}` : path;
  return `[${base}.${emitObject(node.element, indent, source)}]`;
}

/**
 * Compiles a field-mapping spec to one readable JSONata expression: nested objects for dotted
 * targets, `"lines": [line_items.{ … }]` for array rows, and a `( $name := …; { … } )` block when the
 * spec has variables. Throws MappingError (MAPPING_SYNTAX, naming the row) for a spec that cannot be
 * compiled, such as a target mapped twice.
 *
 * @example
 * specToJsonata({ rows: [{ target: 'lines[].itemNumber', source: 'line_items[].sku' }] });
 * // {
 * //   "lines": [line_items.{
 * //     "itemNumber": sku
 * //   }]
 * // }
 */
export function specToJsonata(spec: MappingSpec): string {
  const body = emitObject(buildTree(spec.rows), spec.variables?.length ? indentUnit : '', []);
  if (!spec.variables?.length) return body;
  const variables = spec.variables.map((v, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) {
      throw new MappingError('MAPPING_SYNTAX', `Variable ${i + 1}: "${v.name}" is not a valid variable name (letters, digits and _)`, { details: { variable: i } });
    }
    return `${indentUnit}$${v.name} := ${indentContinuation(v.expression.trim(), indentUnit)};`;
  });
  return `(\n${variables.join('\n')}\n${indentUnit}${body}\n)`;
}
