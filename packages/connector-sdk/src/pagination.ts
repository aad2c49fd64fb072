import { ConnectorError } from './errors.ts';
import type { HttpClient, Query } from './http.ts';

/** Default ceiling on pages per listing: a guard against servers that never stop, not a business limit. */
export const DEFAULT_MAX_PAGES = 100;

export interface PaginationGuard {
  /** Throw PAGINATION_LIMIT instead of fetching page `maxPages + 1`. Default 100. */
  maxPages?: number;
}

function tooMany(maxPages: number): ConnectorError {
  return new ConnectorError('PAGINATION_LIMIT', `stopped after ${maxPages} pages; raise maxPages or narrow the query`, { details: { maxPages } });
}

function loop(what: string): ConnectorError {
  return new ConnectorError('UPSTREAM_ERROR', `the server returned the same ${what} twice; stopping to avoid an endless listing`, { kind: 'internal', retryable: false });
}

/**
 * GraphQL-style cursor pagination (`pageInfo { hasNextPage endCursor }`, Shopify Admin API).
 * @example
 * for await (const order of paginateCursor({ fetchPage: async (after) => {
 *   const { body } = await client.post('graphql.json', { query, variables: { after } });
 *   return { items: body.data.orders.nodes, pageInfo: body.data.orders.pageInfo };
 * } })) { … }
 */
export async function* paginateCursor<T>(
  opts: PaginationGuard & {
    fetchPage(cursor: string | null): Promise<{ items: readonly T[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }>;
    startCursor?: string | null;
  },
): AsyncGenerator<T, void, undefined> {
  const max = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let cursor = opts.startCursor ?? null;
  for (let page = 1; ; page++) {
    if (page > max) throw tooMany(max);
    const { items, pageInfo } = await opts.fetchPage(cursor);
    yield* items;
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) return;
    if (seen.has(pageInfo.endCursor)) throw loop('cursor');
    seen.add(pageInfo.endCursor);
    cursor = pageInfo.endCursor;
  }
}

/** Parses an RFC 8288 `Link` header into `{ rel: url }`. @example parseLinkHeader('<https://x/p?page=2>; rel="next"').next */
export function parseLinkHeader(value: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2]);
    const rels = rel?.[1] ?? rel?.[2];
    if (!rels) continue;
    for (const r of rels.trim().split(/\s+/)) out[r.toLowerCase()] = m[1];
  }
  return out;
}

/** A next-page link may be relative; it must stay on the same origin so credentials never go elsewhere. */
function nextUrl(link: string, current: string): string {
  const next = new URL(link, current);
  if (next.origin !== new URL(current).origin) {
    throw new ConnectorError('UPSTREAM_ERROR', `refusing to follow a next-page link to another origin (${next.origin})`, { kind: 'internal', retryable: false });
  }
  return next.toString();
}

function arrayItems<T>(body: unknown, where: string): T[] {
  if (!Array.isArray(body)) throw new ConnectorError('UPSTREAM_ERROR', `expected a list from ${where}`, { kind: 'internal', retryable: false });
  return body as T[];
}

/**
 * `Link: <…>; rel="next"` pagination (Shopify REST, GitHub). `items` picks the list out of each body
 * (default: the body is the list).
 * @example for await (const p of paginateLinkHeader(client, { path: 'products.json', query: { limit: 250 }, items: (b) => b.products })) …
 */
export async function* paginateLinkHeader<T>(
  client: HttpClient,
  opts: PaginationGuard & { path: string; query?: Query; headers?: Record<string, string>; items?: (body: unknown) => readonly T[] },
): AsyncGenerator<T, void, undefined> {
  const max = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let url = client.url(opts.path, opts.query);
  for (let page = 1; ; page++) {
    if (page > max) throw tooMany(max);
    seen.add(url);
    const res = await client.get(url, opts.headers ? { headers: opts.headers } : {});
    yield* opts.items ? opts.items(res.body) : arrayItems<T>(res.body, opts.path);
    const next = parseLinkHeader(res.headers['link'])['next'];
    if (!next) return;
    url = nextUrl(next, url);
    if (seen.has(url)) throw loop('next link');
  }
}

/**
 * Offset/limit pagination. Stops at a short or empty page, or when `total` is reached.
 * @example for await (const c of paginateOffset({ limit: 100, fetchPage: async (offset, limit) => (await client.get('customers', { query: { offset, limit } })).body.items })) …
 */
export async function* paginateOffset<T>(
  opts: PaginationGuard & { limit: number; start?: number; fetchPage(offset: number, limit: number): Promise<readonly T[] | { items: readonly T[]; total?: number }> },
): AsyncGenerator<T, void, undefined> {
  if (!(opts.limit >= 1)) throw new ConnectorError('CONFIG_INVALID', `page size must be at least 1, got ${opts.limit}`);
  const max = opts.maxPages ?? DEFAULT_MAX_PAGES;
  let offset = opts.start ?? 0;
  for (let page = 1; ; page++) {
    if (page > max) throw tooMany(max);
    const r = await opts.fetchPage(offset, opts.limit);
    const items = Array.isArray(r) ? (r as readonly T[]) : (r as { items: readonly T[] }).items;
    const total = Array.isArray(r) ? undefined : (r as { total?: number }).total;
    yield* items;
    offset += items.length;
    if (items.length < opts.limit || (total !== undefined && offset >= total)) return;
  }
}

/**
 * OData v4 paging: items in `value`, the next page in `@odata.nextLink` (Dynamics 365, Business Central, SAP).
 * @example for await (const customer of paginateOData(client, { path: 'companies(1)/customers', query: { $top: 200 } })) …
 */
export async function* paginateOData<T>(
  client: HttpClient,
  opts: PaginationGuard & { path: string; query?: Query; headers?: Record<string, string> },
): AsyncGenerator<T, void, undefined> {
  const max = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let url = client.url(opts.path, opts.query);
  for (let page = 1; ; page++) {
    if (page > max) throw tooMany(max);
    seen.add(url);
    const res = await client.get(url, opts.headers ? { headers: opts.headers } : {});
    const body = res.body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
    yield* arrayItems<T>(body?.value, `${opts.path} (OData "value")`);
    const next = body?.['@odata.nextLink'];
    if (typeof next !== 'string' || next === '') return;
    url = nextUrl(next, url);
    if (seen.has(url)) throw loop('@odata.nextLink');
  }
}

/** Drains a listing into an array, optionally stopping after `maxItems`. @example const all = await collect(paginateOData(client, { path: 'customers' })); */
export async function collect<T>(items: AsyncIterable<T>, opts: { maxItems?: number } = {}): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (opts.maxItems !== undefined && out.length >= opts.maxItems) break;
  }
  return out;
}
