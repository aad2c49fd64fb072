import {
  getNamedType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Shopify's documented calculated query cost (https://shopify.dev/docs/api/usage/rate-limits#graphql-admin-api-rate-limits):
 * scalars and enums cost 0, objects 1, connections 2 plus `first`/`last` times the cost of one node's selection,
 * every mutation field 10. The actual cost (`actualQueryCost`) counts what came back.
 */
export function requestedQueryCost(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}): number {
  const { schema, document, operation, variables } = args;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const sizeArg = (field: FieldNode): number => {
    for (const name of ['first', 'last']) {
      const a = field.arguments?.find((x) => x.name.value === name);
      if (!a) continue;
      if (a.value.kind === Kind.INT) return Number(a.value.value);
      if (a.value.kind === Kind.VARIABLE) {
        const v = variables[a.value.name.value];
        if (typeof v === 'number') return v;
      }
    }
    return 1;
  };

  const costOf = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined | null): number => {
    if (!set || !parent) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const def = parent.getFields()[sel.name.value];
        if (!def) continue;
        const named = getNamedType(def.type);
        if (isLeafType(named)) continue;
        if (named.name.endsWith('Connection')) total += 2 + sizeArg(sel) * costOf(sel.selectionSet, named);
        else total += 1 + costOf(sel.selectionSet, named);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent);
      } else {
        const frag = fragments.get(sel.name.value);
        if (frag) total += costOf(frag.selectionSet, schema.getType(frag.typeCondition.name.value));
      }
    }
    return total;
  };

  if (operation.operation === 'mutation') {
    return operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__')).length * 10;
  }
  return costOf(operation.selectionSet, schema.getQueryType());
}

/**
 * What a query actually cost, from the data it returned: Shopify charges the requested cost up front and refunds the
 * difference once it knows how many nodes each connection really had. Objects cost 1 and connections 2 plus their
 * nodes, as in the requested cost, but counted over what came back (never more than was requested).
 */
export function actualQueryCost(data: unknown, requested: number): number {
  const walk = (v: unknown): number => {
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + walk(x), 0);
    if (typeof v !== 'object' || v === null) return 0;
    const o = v as Record<string, unknown>;
    const children = Object.values(o).reduce((n: number, x) => n + walk(x), 0);
    const isConnection = 'pageInfo' in o || Array.isArray(o.nodes) || Array.isArray(o.edges);
    // `edges` wraps each node in an edge object that Shopify does not charge for.
    const edgeWrappers = Array.isArray(o.edges) ? o.edges.length : 0;
    return (isConnection ? 2 : 1) + children - edgeWrappers;
  };
  const top = typeof data === 'object' && data !== null ? Object.values(data).reduce((n: number, x) => n + walk(x), 0) : 0;
  return Math.min(requested, top);
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface LeakyBucket {
  status(): ThrottleStatus;
  /** Takes `cost` points if available; false (nothing taken) when the request must be throttled. */
  take(cost: number): boolean;
  /** Sets the points currently available (tests use it to start near exhaustion). */
  setAvailable(points: number): void;
  /** Gives back points taken for a query that cost less than requested. */
  refund(points: number): void;
}

/** Shopify's leaky bucket: `maximumAvailable` points, refilled at `restoreRate` points per second of the fake's clock. */
export function createLeakyBucket(opts: { maximumAvailable: number; restoreRate: number; now(): number }): LeakyBucket {
  let available = opts.maximumAvailable;
  let last = opts.now();
  const refill = (): void => {
    const t = opts.now();
    available = Math.min(opts.maximumAvailable, available + ((t - last) / 1000) * opts.restoreRate);
    last = t;
  };
  return {
    status() {
      refill();
      return { maximumAvailable: opts.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: opts.restoreRate };
    },
    take(cost) {
      refill();
      if (cost > available) return false;
      available -= cost;
      return true;
    },
    setAvailable(points) {
      refill();
      available = Math.max(0, Math.min(opts.maximumAvailable, points));
    },
    refund(points) {
      refill();
      available = Math.min(opts.maximumAvailable, available + Math.max(0, points));
    },
  };
}
