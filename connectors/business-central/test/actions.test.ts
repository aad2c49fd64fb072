import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesOrder, findCustomer, findOrCreateCustomer, getSalesOrder, listItems, listSalesShipments, sampleConnectionConfig, updateCustomer } from '../src/index.ts';
import { harness, rejection, type Harness } from './helpers.ts';

type Json = Record<string, unknown>;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(...args: Parameters<typeof harness>): Promise<Harness> {
  h = await harness(...args);
  return h;
}

/** The ERP sales order the reference mapping makes of the Shopify B2B fixture (../shared/fixtures/mappings). */
const mappedOrder = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/mapped-sales-order.json'), 'utf8')) as Json;

describe('customers', () => {
  it('finds a customer by email whatever its case, and says so when there is none', async () => {
    const x = await setup();
    expect(await x.run(findCustomer, { email: 'PURCHASING@northwind-outfitters.example' })).toMatchObject({ found: true, customer: { number: 'C00010', etag: expect.stringMatching(/^W\/"/) } });
    expect(await x.run(findCustomer, { email: "o'brien@nowhere.example" })).toEqual({ found: false, customer: null });
  });

  it('findOrCreateCustomer creates once, then finds the same customer', async () => {
    const x = await setup();
    const props = { email: 'ap@fabrikam.example', customer: { displayName: 'Fabrikam Inc.', city: 'Redmond', state: 'WA', country: 'US' } };
    const first = (await x.run(findOrCreateCustomer, props)) as { created: boolean; customer: Json };
    expect(first).toMatchObject({ created: true, customer: { displayName: 'Fabrikam Inc.', email: 'ap@fabrikam.example', number: 'C00030' } });
    const second = (await x.run(findOrCreateCustomer, props)) as { created: boolean; customer: Json };
    expect(second).toMatchObject({ created: false, customer: { id: first.customer.id } });
    expect(x.fake.rows('customers').filter((c) => c.email === 'ap@fabrikam.example')).toHaveLength(1);
  });

  it('findOrCreateCustomer recovers a create whose answer was lost after it committed', async () => {
    const x = await setup();
    x.fake.failNext({ mode: 'drop-after-commit', method: 'POST', path: /\/customers$/ });
    const out = (await x.run(findOrCreateCustomer, { email: 'ap@fabrikam.example', customer: { displayName: 'Fabrikam Inc.' } })) as { created: boolean };
    expect(out.created).toBe(true);
    expect(x.fake.rows('customers').filter((c) => c.email === 'ap@fabrikam.example')).toHaveLength(1);
  });

  it('updateCustomer patches with If-Match, sends only what changed, and is a no-op the second time', async () => {
    const x = await setup();
    const first = (await x.run(updateCustomer, { number: 'C00020', changes: { phoneNumber: '+1 404-555-0100', creditLimit: 75000 } })) as { changed: boolean; customer: Json };
    expect(first).toMatchObject({ changed: true, customer: { phoneNumber: '+1 404-555-0100', creditLimit: 75000 } });
    const patch = x.fake.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.headers['if-match']).toMatch(/^W\/"/);
    expect(JSON.parse(patch.body)).toEqual({ phoneNumber: '+1 404-555-0100', creditLimit: 75000 });
    expect(await x.run(updateCustomer, { number: 'C00020', changes: { phoneNumber: '+1 404-555-0100' } })).toMatchObject({ changed: false });
    expect(x.fake.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('updateCustomer with a stale ETag fails as CONFLICT with BC’s code, and changes nothing', async () => {
    const x = await setup();
    const { customer } = (await x.run(findCustomer, { number: 'C00020' })) as { customer: Json };
    x.fake.update('customers', customer.id as string, { city: 'Savannah' });
    const err = await rejection(x.run(updateCustomer, { number: 'C00020', etag: customer.etag, changes: { phoneNumber: 'x' } }));
    expect([err.code, err.retryable, err.details.odataCode]).toEqual(['CONFLICT', false, 'Request_EntityChanged']);
    expect(x.fake.rows('customers').find((c) => c.number === 'C00020')!.phoneNumber).toBe('');
  });

  it('rejects fields Business Central does not have before sending anything', async () => {
    const x = await setup();
    const err = await rejection(x.run(updateCustomer, { number: 'C00020', changes: { colour: 'blue' } }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(x.fake.requests).toHaveLength(0);
  });
});

describe('createSalesOrder', () => {
  const order = { externalDocumentNumber: '#W1042', customerNumber: 'C00010', orderDate: '2026-11-20', lines: [{ itemNumber: 'TR2-SLT-10', quantity: 24, unitPrice: 42.5, lineDiscountAmount: 51 }, { itemNumber: 'MCS3-CHR', quantity: 6 }] };

  it('creates the order and its lines in one deep insert (one POST)', async () => {
    const x = await setup();
    const out = (await x.run(createSalesOrder, { order })) as { created: boolean; salesOrder: Json };
    expect(out.created).toBe(true);
    expect(out.salesOrder).toMatchObject({ externalDocumentNumber: '#W1042', customerNumber: 'C00010', orderDate: '2026-11-20', totalAmountExcludingTax: 999 });
    expect((out.salesOrder.salesOrderLines as Json[]).map((l) => [l.lineObjectNumber, l.quantity, l.amountExcludingTax])).toEqual([
      ['TR2-SLT-10', 24, 969],
      ['MCS3-CHR', 6, 30],
    ]);
    expect(x.fake.requests.filter((r) => r.method === 'POST' && r.path.includes('/salesOrders'))).toHaveLength(1);
  });

  it('called twice, makes exactly one order and returns it the second time', async () => {
    const x = await setup();
    const a = (await x.run(createSalesOrder, { order })) as { created: boolean; salesOrder: Json };
    const b = (await x.run(createSalesOrder, { order })) as { created: boolean; salesOrder: Json };
    expect([a.created, b.created, b.salesOrder.id]).toEqual([true, false, a.salesOrder.id]);
    expect(x.fake.rows('salesOrders')).toHaveLength(1);
  });

  it.each([
    ['the connection drops after the order committed', { mode: 'drop-after-commit' as const }, {}],
    ['the answer never comes (timeout after commit)', { mode: 'timeout-after-commit' as const }, { timeoutMs: 1000 }],
  ])('when %s, this call and a retry leave exactly one order', async (_what, failure, conn) => {
    const x = await setup({}, conn);
    x.fake.failNext({ ...failure, method: 'POST', path: /\/salesOrders$/ });
    const first = (await x.run(createSalesOrder, { order })) as { created: boolean; salesOrder: Json };
    expect(first.created).toBe(true);
    const retry = (await x.run(createSalesOrder, { order })) as { created: boolean; salesOrder: Json };
    expect([retry.created, retry.salesOrder.id]).toEqual([false, first.salesOrder.id]);
    expect(x.fake.rows('salesOrders')).toHaveLength(1);
    expect(x.fake.rows('salesOrderLines')).toHaveLength(2);
  });

  it('a replay after BC posted the order (shipped and invoiced, so BC deleted it) creates no second order', async () => {
    const x = await setup();
    const first = (await x.run(createSalesOrder, { order })) as { salesOrder: Json };
    x.fake.shipSalesOrder(first.salesOrder.number as string, { invoice: true });
    expect(x.fake.rows('salesOrders')).toHaveLength(0);
    const replay = (await x.run(createSalesOrder, { order })) as { created: boolean; salesOrder: Json | null; posted: Json };
    expect(x.fake.rows('salesOrders')).toHaveLength(0);
    expect(replay).toMatchObject({ created: false, salesOrder: null, posted: { orderNumber: first.salesOrder.number, shipments: [expect.objectContaining({ externalDocumentNumber: '#W1042' })] } });
  });

  it('takes the reference mapping’s output: customer by email, ship-to address, discounts; reports what it did not send', async () => {
    const x = await setup();
    const out = (await x.run(createSalesOrder, { order: mappedOrder })) as { created: boolean; salesOrder: Json; ignored: string[] };
    expect(out.salesOrder).toMatchObject({ externalDocumentNumber: '#W1042', customerNumber: 'C00010', orderDate: '2026-11-20', shipToName: 'Northwind Outfitters - Warehouse 2', shipToAddressLine1: '88 Industrial Way', shipToCity: 'San Leandro', shipToPostCode: '94577' });
    expect((out.salesOrder.salesOrderLines as Json[]).map((l) => l.discountAmount)).toEqual([51, 40.8, 0.3]);
    expect(out.ignored).toEqual(['freightAmount']);
    const withFreight = (await x.run(createSalesOrder, { order: { ...mappedOrder, externalDocumentNumber: '#W1043' }, freightAccountNumber: '6610' })) as { ignored: string[]; salesOrder: Json };
    expect(withFreight.ignored).toEqual([]);
    expect((withFreight.salesOrder.salesOrderLines as Json[]).at(-1)).toMatchObject({ lineType: 'Account', lineObjectNumber: '6610', quantity: 1, unitPrice: 48 });
  });

  it.each([
    ['an unknown item', { ...order, lines: [{ itemNumber: 'NOPE', quantity: 1 }] }, 'VALIDATION', 'Internal_RecordNotFound'],
    ['a blocked item', { ...order, lines: [{ itemNumber: 'OLD-DISC-1', quantity: 1 }] }, 'VALIDATION', 'Application_DialogException'],
    ['an unknown customer', { ...order, customerNumber: 'C99999' }, 'VALIDATION', 'Internal_RecordNotFound'],
  ])('fails on %s with Business Central’s code, leaving no order', async (_what, o, code, odataCode) => {
    const x = await setup();
    const err = await rejection(x.run(createSalesOrder, { order: o }));
    expect([err.code, err.details.odataCode]).toEqual([code, odataCode]);
    expect(x.fake.rows('salesOrders')).toHaveLength(0);
  });

  it('refuses a DateTime orderDate (API v2.0 wants a date) before calling BC', async () => {
    const x = await setup();
    const err = await rejection(x.run(createSalesOrder, { order: { ...order, orderDate: '2026-11-20T09:14:27-05:00' } }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/order\.orderDate/);
    expect(x.fake.requests).toHaveLength(0);
  });
});

describe('getSalesOrder', () => {
  it('finds the order by id, number or external document number, with lines; NOT_FOUND otherwise', async () => {
    const x = await setup();
    const { salesOrder } = (await x.run(createSalesOrder, { order: { externalDocumentNumber: '#W7', customerNumber: 'C00020', lines: [{ itemNumber: 'ASJ-NVY-M', quantity: 2 }] } })) as { salesOrder: Json };
    for (const props of [{ id: salesOrder.id }, { number: salesOrder.number }, { externalDocumentNumber: '#W7' }]) {
      expect(await x.run(getSalesOrder, props)).toMatchObject({ id: salesOrder.id, salesOrderLines: [{ lineObjectNumber: 'ASJ-NVY-M', quantity: 2 }] });
    }
    expect((await rejection(x.run(getSalesOrder, { externalDocumentNumber: '#nope' }))).code).toBe('NOT_FOUND');
    expect((await rejection(x.run(getSalesOrder, { id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
  });
});

describe('listItems and listSalesShipments (delta reads)', () => {
  it('reads every page via @odata.nextLink and only items changed after the watermark', async () => {
    const x = await setup({ pageSize: 2 });
    const all = (await x.run(listItems, {})) as { items: Json[]; watermark: string };
    expect(all.items.map((i) => i.number)).toEqual(['ASJ-NVY-M', 'MCS3-CHR', 'TR2-SLT-10']);
    expect(x.fake.requests.filter((r) => r.path.includes('/items')).length).toBe(2);
    x.services.advance(60_000);
    x.fake.update('items', x.fake.cronus!.items['MCS3-CHR']!.id as string, { inventory: 250 });
    const delta = (await x.run(listItems, { changedAfter: all.watermark })) as { items: Json[]; watermark: string };
    expect(delta.items.map((i) => [i.number, i.inventory])).toEqual([['MCS3-CHR', 250]]);
    expect(Date.parse(delta.watermark)).toBeGreaterThan(Date.parse(all.watermark));
    const filter = new URL(x.fake.requests.at(-1)!.path, 'http://x').searchParams.get('$filter');
    expect(filter).toBe(`lastModifiedDateTime gt ${new Date(all.watermark).toISOString()} and blocked eq false`);
  });

  it('lists shipments with their lines once an order ships', async () => {
    const x = await setup();
    const { salesOrder } = (await x.run(createSalesOrder, { order: { externalDocumentNumber: '#W1042', customerNumber: 'C00010', lines: [{ itemNumber: 'TR2-SLT-10', quantity: 24 }] } })) as { salesOrder: Json };
    expect(await x.run(listSalesShipments, {})).toMatchObject({ shipments: [] });
    x.services.advance(60_000);
    x.fake.shipSalesOrder(salesOrder.number as string);
    const out = (await x.run(listSalesShipments, { externalDocumentNumber: '#W1042' })) as { shipments: Json[] };
    expect(out.shipments).toEqual([expect.objectContaining({ orderNumber: salesOrder.number, externalDocumentNumber: '#W1042', salesShipmentLines: [expect.objectContaining({ lineObjectNumber: 'TR2-SLT-10', quantity: 24 })] })]);
  });
});

describe('auth, limits and outages', () => {
  it('gets one token and reuses it until it is about to expire', async () => {
    const x = await setup({ tokenTtlSeconds: 3600 });
    await x.run(listItems, {});
    await x.run(findCustomer, { number: 'C00010' });
    expect(x.tokenRequests()).toBe(1);
    x.services.advance(3600_000);
    await x.run(listItems, {});
    expect(x.tokenRequests()).toBe(2);
  });

  it('a wrong client secret is AUTH_INVALID with the AADSTS text', async () => {
    const x = await setup();
    const { runAction } = await import('@tributary/connector-sdk/testing');
    const wrong = sampleConnectionConfig(x.fake.url, { id: 'bc-wrong', clientSecret: 'nope' });
    const err = await rejection(runAction(listItems, { props: {}, connection: wrong, services: x.services }));
    expect([err.code, err.retryable]).toEqual(['AUTH_INVALID', false]);
    expect(err.message).toMatch(/AADSTS7000215/);
  });

  it.each([
    ['429 with a long Retry-After', async (x: Harness) => x.fake.failNext({ status: 429, retryAfter: 30 }), 'RATE_LIMITED', 30_000],
    ['503 outage', async (x: Harness) => x.fake.setOutage('503'), 'UPSTREAM_UNAVAILABLE', undefined],
    ['refused connections', async (x: Harness) => x.fake.setOutage('refuse'), 'NETWORK', undefined],
  ])('%s becomes a retryable %s', async (_what, break_, code, retryAfterMs) => {
    const x = await setup();
    await x.run(findCustomer, { number: 'C00010' }); // token cached before the trouble starts
    await break_(x);
    const err = await rejection(x.run(listItems, {}));
    expect([err.code, err.retryable]).toEqual([code, true]);
    if (retryAfterMs !== undefined) expect(err.retryAfterMs).toBe(retryAfterMs);
    await x.fake.setOutage('none');
  });

  it('a short 429 on a read is waited out in-request', async () => {
    const x = await setup();
    x.fake.failNext({ status: 429, retryAfter: 1 });
    expect(await x.run(listItems, {})).toMatchObject({ items: expect.any(Array) });
    expect(x.services.sleeps).toContain(1000);
  });
});
