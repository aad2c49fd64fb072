import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeShopify, type FakeShopify } from './shopify/index.ts';

type Json = Record<string, unknown>;

let fake: FakeShopify | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(opts: Parameters<typeof startFakeShopify>[0] = {}): Promise<FakeShopify> {
  fake = await startFakeShopify(opts);
  return fake;
}

async function gql(f: FakeShopify, query: string, variables: Json = {}, token = f.accessToken): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${f.url}/admin/api/2025-01/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const data = (b: Json): Json => b.data as Json;
const cost = (b: Json): { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } =>
  (b.extensions as Json).cost as never;

describe('fake Shopify Admin GraphQL API', () => {
  it('rejects a wrong access token with 401 and Shopify’s error text', async () => {
    const f = await start();
    const r = await gql(f, '{ shop { name } }', {}, 'shpat_wrong');
    expect(r).toEqual({ status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } });
  });

  it.each([
    ['an unknown field', '{ shop { nameX } }'],
    ['a missing required argument', '{ order { id } }'],
    ['a wrong argument type', '{ orders(first: "ten") { nodes { id } } }'],
    ['a syntax error', '{ shop { name }'],
  ])('answers 200 with errors (and no data) for %s, as the official schema dictates', async (_what, query) => {
    const f = await start();
    const r = await gql(f, query);
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect((r.body.errors as unknown[]).length).toBeGreaterThan(0);
    expect(cost(r.body).throttleStatus.maximumAvailable).toBe(2000);
  });

  it('pages orders with cursors and filters them with the search syntax', async () => {
    const f = await start();
    const { customer } = f.northwind!;
    for (let i = 0; i < 5; i++) f.seed.order({ customerId: customer.id, lineItems: [{ sku: 'MCS3-CHR', quantity: 1 }], updatedAt: `2025-01-1${i}T10:00:00Z`, createdAt: `2025-01-1${i}T09:00:00Z` });
    const q = 'query($after: String, $q: String) { orders(first: 2, after: $after, query: $q, sortKey: UPDATED_AT) { nodes { name updatedAt } pageInfo { hasNextPage endCursor } } }';
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await gql(f, q, { after, q: "updated_at:>='2025-01-12T00:00:00Z'" });
      const orders = data(r.body).orders as { nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
      names.push(...orders.nodes.map((n) => n.name));
      if (!orders.pageInfo.hasNextPage) break;
      after = orders.pageInfo.endCursor;
    }
    expect(names).toEqual(['#1003', '#1004', '#1005']);
  });

  it('requires first or last on connections', async () => {
    const f = await start();
    const r = await gql(f, '{ orders { nodes { id } } }');
    expect((r.body.errors as Array<{ message: string }>)[0]!.message).toMatch(/first or last/);
  });

  it('reports cost on every response and throttles when the bucket is empty, refilling with the clock', async () => {
    let clock = Date.parse('2025-01-15T10:00:00Z');
    const f = await start({ maximumAvailable: 100, restoreRate: 10, now: () => clock });
    const q = '{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { id } } } } }';
    const first = await gql(f, q);
    const c = cost(first.body);
    expect(c.requestedQueryCost).toBeGreaterThan(50);
    // Taken in full up front, then refunded down to what the (short) result actually cost.
    expect(c.actualQueryCost).toBeLessThan(c.requestedQueryCost);
    expect(c.throttleStatus.currentlyAvailable).toBe(100 - c.actualQueryCost!);
    // A bucket holding less than the requested cost throttles, however little the query would actually cost.
    f.setAvailable(c.requestedQueryCost - 1);
    const second = await gql(f, q);
    expect(second.status).toBe(200);
    expect((second.body.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('THROTTLED');
    expect(cost(second.body).actualQueryCost).toBeNull();
    clock += Math.ceil(((c.requestedQueryCost - cost(second.body).throttleStatus.currentlyAvailable) / 10) * 1000);
    const third = await gql(f, q);
    expect(third.body.errors).toBeUndefined();
  });

  it('refuses a single query costing more than 1000 points (MAX_COST_EXCEEDED)', async () => {
    const f = await start();
    const r = await gql(f, '{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }');
    expect((r.body.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('MAX_COST_EXCEEDED');
  });

  it('inventorySetQuantities checks compareQuantity and reports nothing changed on a repeat', async () => {
    const f = await start();
    const v = f.northwind!.variants['TR2-SLT-10']!;
    const m = `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
      inventoryAdjustmentGroup { changes { name delta quantityAfterChange } } userErrors { field message code } } }`;
    const input = (extra: Json): Json => ({ name: 'available', reason: 'correction', quantities: [{ inventoryItemId: v.inventoryItemId, locationId: f.northwind!.locationId, quantity: 90, ...extra }] });
    const stale = await gql(f, m, { input: input({ compareQuantity: 7 }) });
    expect((data(stale.body).inventorySetQuantities as Json).userErrors).toEqual([
      { field: ['input', 'quantities', '0', 'compareQuantity'], message: expect.any(String), code: 'COMPARE_QUANTITY_STALE' },
    ]);
    const ok = await gql(f, m, { input: input({ compareQuantity: 120 }) });
    expect((data(ok.body).inventorySetQuantities as Json).inventoryAdjustmentGroup).toEqual({
      changes: [
        { name: 'available', delta: -30, quantityAfterChange: 90 },
        { name: 'on_hand', delta: -30, quantityAfterChange: 90 },
      ],
    });
    const again = await gql(f, m, { input: { ...input({}), ignoreCompareQuantity: true } });
    expect(data(again.body).inventorySetQuantities).toEqual({ inventoryAdjustmentGroup: null, userErrors: [] });
  });

  it('fulfillmentCreate closes the fulfillment order and marks the order fulfilled', async () => {
    const f = await start();
    const order = f.seed.order({ customerId: f.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 2 }] });
    const fo = [...f.state.fulfillmentOrders.values()].find((x) => x.orderId === order.id)!;
    const m = `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id status trackingInfo { number company url } } userErrors { field message } } }`;
    const r = await gql(f, m, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }], trackingInfo: { number: '1Z999', company: 'UPS', url: 'https://ups.example/1Z999' } } });
    expect((data(r.body).fulfillmentCreate as Json).userErrors).toEqual([]);
    expect(fo.status).toBe('CLOSED');
    expect(f.state.orders.get(order.id)!.fulfillmentStatus).toBe('FULFILLED');
    const again = await gql(f, m, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] } });
    expect(((data(again.body).fulfillmentCreate as Json).userErrors as unknown[]).length).toBe(1);
  });

  it('runs a bulk query to completion and serves JSONL with __parentId lines', async () => {
    const f = await start({ bulkPollsToComplete: 1 });
    const order = f.seed.order({ customerId: f.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 2 }, { sku: 'MCS3-CHR', quantity: 4 }] });
    const run = await gql(f, `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { message } } }`, {
      q: '{ orders { edges { node { id name lineItems { edges { node { sku quantity } } } } } } }',
    });
    const id = ((data(run.body).bulkOperationRunQuery as Json).bulkOperation as Json).id as string;
    const statuses: string[] = [];
    let url: string | null = null;
    for (let i = 0; i < 5 && !url; i++) {
      const r = await gql(f, 'query($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }', { id });
      const node = data(r.body).node as { status: string; url: string | null };
      statuses.push(node.status);
      url = node.url;
    }
    expect(statuses).toEqual(['RUNNING', 'COMPLETED']);
    const lines = (await (await fetch(url!)).text()).trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines).toEqual([
      { id: order.id, name: order.name },
      { sku: 'TR2-SLT-10', quantity: 2, __parentId: order.id },
      { sku: 'MCS3-CHR', quantity: 4, __parentId: order.id },
    ]);
  });

  it('rejects an invalid bulk query with userErrors', async () => {
    const f = await start();
    const r = await gql(f, `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { nope } } } }") { bulkOperation { id } userErrors { field code } } }`);
    expect(data(r.body).bulkOperationRunQuery).toEqual({ bulkOperation: null, userErrors: [{ field: ['query'], code: 'INVALID' }] });
  });

  it('signs webhooks with HMAC-SHA256 over the raw body and sends the documented headers; a redelivery repeats them', async () => {
    const f = await start();
    const seen: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/shopify`;
      const d = await f.sendWebhook(url, 'orders/create', { id: 1, name: '#1001' }, 'app-secret');
      await f.redeliver(d);
      expect(seen).toHaveLength(2);
      const h = seen[0]!.headers;
      expect(h['x-shopify-hmac-sha256']).toBe(createHmac('sha256', 'app-secret').update(seen[0]!.body).digest('base64'));
      expect(h).toMatchObject({ 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'northwind.myshopify.com', 'x-shopify-api-version': '2025-01' });
      for (const name of ['x-shopify-webhook-id', 'x-shopify-event-id', 'x-shopify-triggered-at']) expect(h[name]).toBeTruthy();
      expect(seen[1]!.headers['x-shopify-webhook-id']).toBe(h['x-shopify-webhook-id']);
      expect(seen[1]!.body).toBe(seen[0]!.body);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });

  it('simulates outages: 503, refused connections, then recovery', async () => {
    const f = await start();
    await f.setOutage('503');
    expect((await gql(f, '{ shop { name } }')).status).toBe(503);
    await f.setOutage('refuse');
    await expect(gql(f, '{ shop { name } }')).rejects.toThrow();
    await f.setOutage('none');
    expect(data((await gql(f, '{ shop { name } }')).body)).toEqual({ shop: { name: 'Northwind Supply' } });
  });

  it('fails the next request on demand (HTTP status, THROTTLED, dropped connection)', async () => {
    const f = await start();
    f.failNext({ kind: 'http', status: 429, retryAfter: 2 });
    f.failNext({ kind: 'throttled' });
    const a = await fetch(`${f.url}/admin/api/2025-01/graphql.json`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': f.accessToken }, body: '{"query":"{ shop { name } }"}' });
    expect([a.status, a.headers.get('retry-after')]).toEqual([429, '2']);
    const b = await gql(f, '{ shop { name } }');
    expect((b.body.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe('THROTTLED');
    f.failNext({ kind: 'network' });
    await expect(gql(f, '{ shop { name } }')).rejects.toThrow();
    expect((await gql(f, '{ shop { name } }')).status).toBe(200);
  });
});
