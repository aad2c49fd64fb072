import { z } from 'zod';
import type { PropOption, PropSpec } from '@tributary/flow';

/**
 * A typed prop: JSON metadata the designer renders (`spec`) plus the zod schema that parses the
 * configured value at run time (`schema`). The value type flows into an action's `run(ctx)`.
 */
export interface PropDef<T> {
  readonly spec: PropSpec;
  readonly schema: z.ZodType<T>;
}

interface BaseOptions<R extends boolean> {
  label: string;
  description?: string;
  required?: R;
  placeholder?: string;
  advanced?: boolean;
  allowExpression?: boolean;
}

type Value<T, R extends boolean> = R extends true ? T : T | undefined;
/** A prop is always present at run time when it is required or has a default. */
type Present<R extends boolean, D> = R extends true ? true : [D] extends [undefined] ? false : true;

function make<T, R extends boolean>(type: PropSpec['type'], o: BaseOptions<boolean> & Partial<PropSpec> & { schema?: unknown }, schema: z.ZodType<T>): PropDef<Value<T, R>> {
  // The zod schema stays out of the spec: the spec is JSON the designer receives.
  const { schema: _schema, ...meta } = o;
  const spec: PropSpec = { ...meta, type, required: o.required === true };
  const s = o.required === true ? schema : schema.optional();
  const withDefault = o.default !== undefined ? (s as z.ZodType<T>).default(o.default as never) : s;
  return { spec, schema: withDefault as unknown as z.ZodType<Value<T, R>> };
}

/** Builders for typed props. @example `{ shop: prop.string({ label: 'Shop domain', required: true }) }` */
export const prop = {
  string: <R extends boolean = false, D extends string | undefined = undefined>(o: BaseOptions<R> & { default?: D; min?: number; max?: number }) =>
    make<string, Present<R, D>>('string', o, z.string()),
  text: <R extends boolean = false, D extends string | undefined = undefined>(o: BaseOptions<R> & { default?: D }) => make<string, Present<R, D>>('text', o, z.string()),
  number: <R extends boolean = false, D extends number | undefined = undefined>(o: BaseOptions<R> & { default?: D; min?: number; max?: number }) =>
    make<number, Present<R, D>>('number', o, z.number().min(o.min ?? -Infinity).max(o.max ?? Infinity)),
  integer: <R extends boolean = false, D extends number | undefined = undefined>(o: BaseOptions<R> & { default?: D; min?: number; max?: number }) =>
    make<number, Present<R, D>>('integer', o, z.number().int().min(o.min ?? Number.MIN_SAFE_INTEGER).max(o.max ?? Number.MAX_SAFE_INTEGER)),
  boolean: <R extends boolean = false, D extends boolean | undefined = undefined>(o: BaseOptions<R> & { default?: D }) => make<boolean, Present<R, D>>('boolean', o, z.boolean()),
  select: <const V extends string, R extends boolean = false, D extends V | undefined = undefined>(o: BaseOptions<R> & { options: ReadonlyArray<{ value: V; label: string }>; default?: D }) =>
    make<V, Present<R, D>>('select', { ...o, options: o.options as unknown as PropOption[] }, z.enum(o.options.map((x) => x.value) as [V, ...V[]]) as unknown as z.ZodType<V>),
  json: <R extends boolean = false>(o: BaseOptions<R> & { default?: unknown }) => make<unknown, R>('json', o, z.unknown()),
  object: <T, R extends boolean = false>(o: BaseOptions<R> & { schema?: z.ZodType<T>; default?: T }) =>
    make<T, R>('object', o, (o.schema ?? z.record(z.string(), z.unknown())) as z.ZodType<T>),
  array: <T, R extends boolean = false>(o: BaseOptions<R> & { schema?: z.ZodType<T[]>; default?: T[] }) =>
    make<T[], R>('array', o, (o.schema ?? z.array(z.unknown())) as z.ZodType<T[]>),
  /** An identifier: text, or an integer taken as its decimal text (Shopify ids arrive as numbers). */
  id: <R extends boolean = false>(o: BaseOptions<R>) =>
    make<string, R>('string', o, z.union([z.string().min(1), z.number().int().transform((n) => String(n))]) as unknown as z.ZodType<string>),
  connection: <R extends boolean = false>(o: BaseOptions<R> & { connector: string }) =>
    make<string, R>('connection', { ...o, allowExpression: false }, z.string().min(1)),
  /** A JSONata expression kept as text (evaluated by the node itself, not before it runs). */
  jsonata: <R extends boolean = false, D extends string | undefined = undefined>(o: BaseOptions<R> & { default?: D }) =>
    make<string, Present<R, D>>('jsonata', { ...o, allowExpression: false }, z.string()),
  /** JavaScript source for the code node. */
  code: <R extends boolean = false, D extends string | undefined = undefined>(o: BaseOptions<R> & { default?: D }) =>
    make<string, Present<R, D>>('code', { ...o, allowExpression: false }, z.string()),
  cron: <R extends boolean = false, D extends string | undefined = undefined>(o: BaseOptions<R> & { default?: D }) => make<string, Present<R, D>>('cron', o, z.string().min(1)),
  timezone: <R extends boolean = false, D extends string | undefined = undefined>(o: BaseOptions<R> & { default?: D }) =>
    make<string, Present<R, D>>('timezone', o, z.string().min(1)),
};

export type PropDefs = Record<string, PropDef<unknown>>;
export type PropValues<P extends PropDefs> = { [K in keyof P]: P[K] extends PropDef<infer T> ? T : never };

/**
 * Parses configured values against prop definitions, reporting every problem with its field.
 * @example
 * const r = parseProps(action.props, config);
 * if (!r.ok) throw new ConnectorError('CONFIG_INVALID', r.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
 */
// Building a zod object compiles it; prop definitions are static, so build each once.
const objectSchemas = new WeakMap<PropDefs, z.ZodType>();

function objectSchemaOf(defs: PropDefs): z.ZodType {
  let schema = objectSchemas.get(defs);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, d] of Object.entries(defs)) shape[k] = d.schema;
    schema = z.object(shape).passthrough();
    objectSchemas.set(defs, schema);
  }
  return schema;
}

export function parseProps<P extends PropDefs>(defs: P, values: Record<string, unknown>): { ok: true; value: PropValues<P> } | { ok: false; issues: Array<{ path: string; message: string }> } {
  const r = objectSchemaOf(defs).safeParse(values);
  if (r.success) return { ok: true, value: r.data as PropValues<P> };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
}

export function propSpecs(defs: PropDefs): Record<string, PropSpec> {
  return Object.fromEntries(Object.entries(defs).map(([k, d]) => [k, d.spec]));
}
