import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.ts';
import { createHttpClient } from './http.ts';
import { collect, paginateCursor, paginateLinkHeader, paginateOData, paginateOffset, parseLinkHeader } from './pagination.ts';
import { startFakeServer, type LocalFakeServer } from './testing/fake-server.ts';
import { createTestServices } from './testing/services.ts';

const servers: LocalFakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ITEMS = Array.from({ length: 23 }, (_, i) => ({ id: i + 1 }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof ConnectorError) return err.code;
    throw err;
  }
}

describe('parseLinkHeader', () => {
  it.each([
    ['<https://s.myshopify.com/admin/api/2024-07/products.json?page_info=abc&limit=10>; rel="next"', { next: 'https://s.myshopify.com/admin/api/2024-07/products.json?page_info=abc&limit=10' }],
    ['<https://x/p?a=1>; rel="previous", <https://x/p?a=3>; rel="next"', { previous: 'https://x/p?a=1', next: 'https://x/p?a=3' }],
    ['<https://x/p?a=3>; rel=next; title="x, y"', { next: 'https://x/p?a=3' }],
    ['<https://x/last>; rel="last first"', { last: 'https://x/last', first: 'https://x/last' }],
    ['', {}],
    ['garbage', {}],
  ])('%s', (header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });
});

describe('paginateLinkHeader', () => {
  async function linkServer(pageSize: number) {
    const server = await startFakeServer([
      {
        method: 'GET',
        path: '/products.json',
        respond: (r) => {
          const page = Number(r.query.get('page') ?? '1');
          const slice = ITEMS.slice((page - 1) * pageSize, page * pageSize);
          const more = page * pageSize < ITEMS.length;
          // Relative links are allowed and resolved against the current page.
          return { json: { products: slice }, headers: more ? { link: `</products.json?page=${page + 1}&limit=${pageSize}>; rel="next"` } : ({} as Record<string, string>) };
        },
      },
    ]);
    servers.push(server);
    return server;
  }

  it('follows rel="next" to the end', async () => {
    const server = await linkServer(10);
    const client = createHttpClient({ baseUrl: server.url, connection: null, services: createTestServices() });
    const got = await collect(paginateLinkHeader(client, { path: 'products.json', query: { limit: 10 }, items: (b) => (b as { products: unknown[] }).products }));
    expect(got).toEqual(ITEMS);
    expect(server.requests()).toHaveLength(3);
  });

  it('stops with PAGINATION_LIMIT instead of fetching past maxPages', async () => {
    const server = await linkServer(5);
    const client = createHttpClient({ baseUrl: server.url, connection: null, services: createTestServices() });
    expect(await codeOf(collect(paginateLinkHeader(client, { path: 'products.json', items: (b) => (b as { products: unknown[] }).products, maxPages: 2 })))).toBe('PAGINATION_LIMIT');
    expect(server.requests()).toHaveLength(2);
  });

  it('refuses a next link to another origin (credentials stay with the vendor)', async () => {
    const server = await startFakeServer([{ method: 'GET', path: '/p', respond: () => ({ json: [], headers: { link: '<https://evil.example.com/p?page=2>; rel="next"' } }) }]);
    servers.push(server);
    const client = createHttpClient({ baseUrl: server.url, connection: null, services: createTestServices() });
    expect(await codeOf(collect(paginateLinkHeader(client, { path: 'p' })))).toBe('UPSTREAM_ERROR');
  });

  it('detects a server that links a page to itself', async () => {
    const server = await startFakeServer([{ method: 'GET', path: '/p', respond: () => ({ json: [1], headers: { link: '</p>; rel="next"' } }) }]);
    servers.push(server);
    const client = createHttpClient({ baseUrl: server.url, connection: null, services: createTestServices() });
    expect(await codeOf(collect(paginateLinkHeader(client, { path: 'p' })))).toBe('UPSTREAM_ERROR');
    expect(server.requests()).toHaveLength(1);
  });
});

describe('paginateOData', () => {
  it('follows @odata.nextLink (absolute or relative) until it is absent', async () => {
    const server = await startFakeServer([
      {
        method: 'GET',
        path: '/odata/customers',
        respond: (r) => {
          const skip = Number(r.query.get('$skip') ?? '0');
          const value = ITEMS.slice(skip, skip + 10);
          const next = skip + 10 < ITEMS.length ? (skip === 0 ? `${r.url.split('?')[0]}?$skip=10` : `customers?$skip=${skip + 10}`) : undefined;
          return { json: { '@odata.context': 'x', value, ...(next ? { '@odata.nextLink': next } : {}) } };
        },
      },
    ]);
    servers.push(server);
    const client = createHttpClient({ baseUrl: server.url, connection: null, services: createTestServices() });
    expect(await collect(paginateOData(client, { path: 'odata/customers' }))).toEqual(ITEMS);
    expect(server.requests().map((r) => r.path)).toEqual(['/odata/customers', '/odata/customers', '/odata/customers']);
  });
});

describe('paginateCursor', () => {
  const pageOf = (after: string | null) => {
    const start = after === null ? 0 : Number(after);
    const items = ITEMS.slice(start, start + 10);
    const end = start + items.length;
    return { items, pageInfo: { hasNextPage: end < ITEMS.length, endCursor: String(end) } };
  };
  it('follows endCursor while hasNextPage', async () => {
    const cursors: Array<string | null> = [];
    const got = await collect(paginateCursor({ fetchPage: async (c) => (cursors.push(c), pageOf(c)) }));
    expect(got).toEqual(ITEMS);
    expect(cursors).toEqual([null, '10', '20']);
  });
  it('stops at a repeated cursor', async () => {
    expect(await codeOf(collect(paginateCursor({ fetchPage: async () => ({ items: [1], pageInfo: { hasNextPage: true, endCursor: 'same' } }) })))).toBe('UPSTREAM_ERROR');
  });
  it('honours maxPages', async () => {
    expect(await codeOf(collect(paginateCursor({ maxPages: 2, fetchPage: async (c) => pageOf(c) })))).toBe('PAGINATION_LIMIT');
  });
});

describe('paginateOffset', () => {
  it('stops at a short page', async () => {
    const offsets: number[] = [];
    const got = await collect(paginateOffset({ limit: 10, fetchPage: async (offset, limit) => (offsets.push(offset), ITEMS.slice(offset, offset + limit)) }));
    expect(got).toEqual(ITEMS);
    expect(offsets).toEqual([0, 10, 20]);
  });
  it('stops when the reported total is reached (no extra empty request)', async () => {
    const offsets: number[] = [];
    const twenty = ITEMS.slice(0, 20);
    const got = await collect(paginateOffset({ limit: 10, fetchPage: async (offset, limit) => (offsets.push(offset), { items: twenty.slice(offset, offset + limit), total: 20 }) }));
    expect(got).toHaveLength(20);
    expect(offsets).toEqual([0, 10]);
  });
  it('collect can stop early', async () => {
    let pages = 0;
    const got = await collect(paginateOffset({ limit: 10, fetchPage: async (offset, limit) => (pages++, ITEMS.slice(offset, offset + limit)) }), { maxItems: 5 });
    expect(got).toHaveLength(5);
    expect(pages).toBe(1);
  });
});
