import { GraphQLError } from 'graphql';

export type Obj = Record<string, unknown>;

/** Shopify caps `first`/`last` at 250 per connection. */
export const MAX_PAGE_SIZE = 250;

function encodeCursor(id: string): string {
  const tail = id.slice(id.lastIndexOf('/') + 1);
  return Buffer.from(JSON.stringify({ last_id: /^\d+$/.test(tail) ? Number(tail) : tail, last_value: id })).toString('base64');
}

function decodeCursor(cursor: string): string {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (typeof v === 'object' && v !== null && typeof (v as { last_value?: unknown }).last_value === 'string') return (v as { last_value: string }).last_value;
  } catch {
    // Falls through to the same error as a well-formed cursor for a record that does not exist.
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
}

function intArg(args: Obj, name: string): number | null {
  const v = args[name];
  return typeof v === 'number' ? v : null;
}

/**
 * A Relay connection over `items` in the order given, honouring first/after/last/before/reverse like Shopify:
 * one of first or last is required outside bulk operations, and neither may exceed 250.
 */
export function connection<T>(items: readonly T[], args: Obj, opts: { id(item: T): string; view(item: T): unknown; bulk: boolean }): Obj {
  const first = intArg(args, 'first');
  const last = intArg(args, 'last');
  if (!opts.bulk) {
    if (first === null && last === null) throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
    for (const [n, v] of [['first', first], ['last', last]] as const) {
      if (v !== null && v > MAX_PAGE_SIZE) throw new GraphQLError(`The '${n}' argument must be at most ${MAX_PAGE_SIZE}`, { extensions: { code: 'BAD_REQUEST' } });
    }
  }
  const list = args.reverse === true ? [...items].reverse() : [...items];
  let start = 0;
  let end = list.length;
  if (typeof args.after === 'string') {
    const id = decodeCursor(args.after);
    const i = list.findIndex((x) => opts.id(x) === id);
    start = i === -1 ? list.length : i + 1;
  }
  if (typeof args.before === 'string') {
    const id = decodeCursor(args.before);
    const i = list.findIndex((x) => opts.id(x) === id);
    if (i !== -1) end = i;
  }
  const window = list.slice(start, Math.max(start, end));
  let from = 0;
  let to = window.length;
  if (first !== null) to = Math.min(to, Math.max(0, first));
  if (last !== null && to - from > last) from = to - last;
  const page = window.slice(from, to);
  const hasNextPage = to < window.length || end < list.length;
  const hasPreviousPage = from > 0 || start > 0;
  const edges = page.map((item) => ({ cursor: encodeCursor(opts.id(item)), node: opts.view(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A plain list field with an optional `first` cap (e.g. `Order.fulfillments(first:)`). */
export function firstOf<T>(items: readonly T[], args: Obj): T[] {
  const first = intArg(args, 'first');
  return first === null ? [...items] : items.slice(0, first);
}
