import { afterEach, describe, expect, it } from 'vitest';
import {
  addPriceListPrices,
  createFulfillment,
  getOrder,
  listOrders,
  runBulkQuery,
  setInventoryQuantities,
  updateVariantPrices,
  upsertCompany,
  upsertCompanyLocation,
  upsertCustomer,
} from '../src/index.ts';
import { harness, rejection, type Harness } from './helpers.ts';

type Json = Record<string, unknown>;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(opts: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  h = await harness(opts);
  return h;
}

function mutationsSent(x: Harness, name: string): number {
  return x.fake.graphqlRequests.filter((r) => r.query.includes(`${name}(`) && /^\s*mutation/.test(r.query)).length;
}

describe('getOrder', () => {
  it('returns the order with every line item (beyond the first page), its company and money as decimal strings', async () => {
    const x = await setup();
    const nw = x.fake.northwind!;
    const lines = Array.from({ length: 130 }, (_, i) => ({ sku: ['TR2-SLT-10', 'ASJ-NVY-M', 'MCS3-CHR'][i % 3]!, quantity: 1 }));
    const order = x.fake.seed.order({ customerId: nw.customer.id, companyId: nw.company.id, companyLocationId: nw.companyLocation.id, poNumber: 'PO-77812', lineItems: lines });
    const out = (await x.run(getOrder, { id: Number(order.id.split('/').pop()) })) as Json;
    expect(out).toMatchObject({
      id: order.id,
      name: order.name,
      poNumber: 'PO-77812',
      attributes: { po_number: 'PO-77812' },
      customer: { id: nw.customer.id, email: 'purchasing@northwind-outfitters.example' },
      company: { id: nw.company.id, externalId: 'C00042', locationId: nw.companyLocation.id },
    });
    expect((out.lineItems as unknown[]).length).toBe(130);
    expect(typeof out.total).toBe('string');
  });

  it('fails with NOT_FOUND for an order Shopify does not have', async () => {
    const x = await setup();
    const err = await rejection(x.run(getOrder, { id: 'gid://shopify/Order/999999' }));
    expect([err.code, err.retryable]).toEqual(['NOT_FOUND', false]);
  });

  it('refuses an id that is neither a number nor an Order GID', async () => {
    const x = await setup();
    expect((await rejection(x.run(getOrder, { id: 'gid://shopify/Customer/1' }))).code).toBe('VALIDATION');
  });
});

describe('listOrders', () => {
  it('follows cursor pages, filters with the search query and stops at maxItems', async () => {
    const x = await setup();
    for (let i = 0; i < 7; i++) x.fake.seed.order({ email: `buyer${i}@example.com`, lineItems: [{ sku: 'MCS3-CHR', quantity: 1 }], tags: i % 2 ? ['wholesale'] : [] });
    const all = (await x.run(listOrders, { query: 'tag:wholesale', pageSize: 2 })) as { orders: Json[]; truncated: boolean };
    expect(all.orders.map((o) => o.email)).toEqual(['buyer1@example.com', 'buyer3@example.com', 'buyer5@example.com']);
    expect(all.truncated).toBe(false);
    const some = (await x.run(listOrders, { pageSize: 2, maxItems: 3 })) as { orders: Json[]; truncated: boolean };
    expect([some.orders.length, some.truncated]).toEqual([3, true]);
  });
});

describe('createFulfillment', () => {
  it('fulfils every open line with tracking, and a retry with the same tracking number creates nothing new', async () => {
    const x = await setup();
    const order = x.fake.seed.order({ customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 24 }, { sku: 'MCS3-CHR', quantity: 6 }] });
    const props = { orderId: order.id, trackingNumber: '1Z999AA10123456784', trackingCompany: 'UPS', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' };
    const first = (await x.run(createFulfillment, props)) as { created: boolean; fulfillments: Json[] };
    expect(first.created).toBe(true);
    expect(first.fulfillments[0]).toMatchObject({ status: 'SUCCESS', trackingInfo: [{ number: '1Z999AA10123456784', company: 'UPS' }] });
    const again = (await x.run(createFulfillment, props)) as { created: boolean };
    expect(again.created).toBe(false);
    expect(x.fake.state.fulfillments.size).toBe(1);
    expect(x.fake.state.orders.get(order.id)!.fulfillmentStatus).toBe('FULFILLED');
  });

  it.each([
    ['everything open', undefined],
    ['given lines', [{ sku: 'TR2-SLT-10', quantity: 24 }, { sku: 'MCS3-CHR', quantity: 6 }]],
  ])('ships %s from two locations; when the second fulfillmentCreate fails, the retry creates only the missing one', async (_what, lines) => {
    const x = await setup();
    const east = x.fake.seed.location({ name: 'Reno Warehouse' });
    const order = x.fake.seed.order({ customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 24 }, { sku: 'MCS3-CHR', quantity: 6, locationId: east.id }] });
    const props = { orderId: order.id, trackingNumber: '1Z999AA10123456784', trackingCompany: 'UPS', ...(lines ? { lines } : {}) };
    let creates = 0;
    x.fake.failNext({ kind: 'http', status: 503, when: (r) => r.query.includes('fulfillmentCreate(') && ++creates === 2 });
    expect((await rejection(x.run(createFulfillment, props))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(x.fake.state.fulfillments.size).toBe(1);
    const retry = (await x.run(createFulfillment, props)) as { created: boolean; fulfillments: Json[] };
    expect(retry.created).toBe(true);
    expect(x.fake.state.fulfillments.size).toBe(2);
    expect(x.fake.state.orders.get(order.id)!.fulfillmentStatus).toBe('FULFILLED');
    const again = (await x.run(createFulfillment, props)) as { created: boolean; fulfillments: Json[] };
    expect([again.created, again.fulfillments.length, x.fake.state.fulfillments.size]).toEqual([false, 2, 2]);
  });

  it('finds the order by name, as a Business Central shipment knows it (external document number)', async () => {
    const x = await setup();
    const order = x.fake.seed.order({ name: '#W1042', customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 24 }] });
    x.fake.seed.order({ name: '#W10420', lineItems: [{ sku: 'TR2-SLT-10', quantity: 1 }] });
    const out = (await x.run(createFulfillment, { orderName: '#W1042', trackingNumber: 'S-SHPT102001', lines: [{ sku: 'TR2-SLT-10', quantity: 24 }] })) as { created: boolean };
    expect(out.created).toBe(true);
    expect([...x.fake.state.fulfillments.values()].map((f) => f.orderId)).toEqual([order.id]);
    expect((await rejection(x.run(createFulfillment, { orderName: '#NOPE' }))).code).toBe('NOT_FOUND');
  });

  it('fulfils only the given SKUs and quantities, and refuses more than remains', async () => {
    const x = await setup();
    const order = x.fake.seed.order({ customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 24 }, { sku: 'MCS3-CHR', quantity: 6 }] });
    await x.run(createFulfillment, { orderId: order.id, trackingNumber: 'A1', lines: [{ sku: 'TR2-SLT-10', quantity: 10 }] });
    expect(x.fake.state.orders.get(order.id)!.fulfillmentStatus).toBe('PARTIALLY_FULFILLED');
    const err = await rejection(x.run(createFulfillment, { orderId: order.id, trackingNumber: 'A2', lines: [{ sku: 'TR2-SLT-10', quantity: 20 }] }));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/TR2-SLT-10: 14 of 20/);
  });
});

describe('setInventoryQuantities', () => {
  it('sets available quantities by SKU; the same call again changes nothing', async () => {
    const x = await setup();
    const props = { locationId: x.fake.northwind!.locationId, quantities: [{ sku: 'TR2-SLT-10', quantity: 96 }, { sku: 'MCS3-CHR', quantity: 250 }] };
    const first = (await x.run(setInventoryQuantities, props)) as { changed: number; changes: Json[] };
    expect(first.changes).toEqual([
      expect.objectContaining({ sku: 'TR2-SLT-10', delta: -24, quantityAfterChange: 96 }),
      expect.objectContaining({ sku: 'MCS3-CHR', delta: -50, quantityAfterChange: 250 }),
    ]);
    expect(await x.run(setInventoryQuantities, props)).toEqual({ changed: 0, changes: [] });
    const sent = x.fake.graphqlRequests.filter((r) => r.query.includes('inventorySetQuantities('));
    expect(sent.map((r) => (r.variables.input as Json).ignoreCompareQuantity)).toEqual([true, true]);
    expect(sent.map((r) => [(r.variables.input as Json).name, (r.variables.input as Json).reason])).toEqual([['available', 'correction'], ['available', 'correction']]);
  });

  it('sets on_hand from an ERP’s physical stock, so units committed to unfulfilled orders stay unsellable', async () => {
    const x = await setup();
    const { locationId } = x.fake.northwind!;
    // Shopify committed 24 of 120 to an open order (available 96); the ERP, which has not shipped it yet, still counts 120.
    x.fake.seed.order({ customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 24 }] });
    const level = () => [...x.fake.state.inventoryLevels.values()].find((l) => l.locationId === locationId && l.inventoryItemId === x.fake.northwind!.variants['TR2-SLT-10']!.inventoryItemId)!.quantities;
    expect([level().available, level().committed]).toEqual([96, 24]);
    const out = (await x.run(setInventoryQuantities, { locationId, quantityName: 'on_hand', quantities: [{ sku: 'TR2-SLT-10', quantity: 110 }] })) as { changes: Json[] };
    expect(out.changes).toEqual([expect.objectContaining({ name: 'on_hand', delta: -10, quantityAfterChange: 110 })]);
    expect([level().on_hand, level().available, level().committed]).toEqual([110, 86, 24]);
  });

  it('with compareQuantity, a stale expectation becomes VALIDATION naming the field', async () => {
    const x = await setup();
    const err = await rejection(
      x.run(setInventoryQuantities, { locationId: x.fake.northwind!.locationId, useCompareQuantity: true, quantities: [{ sku: 'TR2-SLT-10', quantity: 96, compareQuantity: 100 }] }),
    );
    expect(err.code).toBe('VALIDATION');
    expect(err.details).toMatchObject({ operation: 'inventorySetQuantities', userErrors: [{ field: 'input.quantities.0.compareQuantity', code: 'COMPARE_QUANTITY_STALE' }] });
  });

  it('names SKUs Shopify does not know before changing anything', async () => {
    const x = await setup();
    const err = await rejection(x.run(setInventoryQuantities, { locationId: x.fake.northwind!.locationId, quantities: [{ sku: 'NOPE-1', quantity: 1 }, { sku: 'TR2-SLT-10', quantity: 1 }] }));
    expect([err.code, err.details]).toEqual(['VALIDATION', { missingSkus: ['NOPE-1'], ambiguousSkus: [] }]);
    expect(mutationsSent(x, 'inventorySetQuantities')).toBe(0);
  });
});

describe('updateVariantPrices', () => {
  it('updates prices by SKU and by id with one productVariantsBulkUpdate per product', async () => {
    const x = await setup();
    const sock = x.fake.northwind!.variants['MCS3-CHR']!;
    const out = (await x.run(updateVariantPrices, { prices: [{ sku: 'TR2-SLT-10', price: '44.00', compareAtPrice: '49.00' }, { variantId: sock.id, price: 5.5 }] })) as { variants: Json[] };
    expect(out.variants.map((v) => [v.sku, v.price, v.compareAtPrice])).toEqual([
      ['TR2-SLT-10', '44.00', '49.00'],
      ['MCS3-CHR', '5.50', null],
    ]);
    expect(mutationsSent(x, 'productVariantsBulkUpdate')).toBe(2);
  });

  it('finds every SKU when Shopify\'s case-insensitive search also returns near matches beyond the first page', async () => {
    const x = await setup();
    // 25 SKUs in one search, each with two twins differing only in case and listed first: 75 matches,
    // of which the first page (first: 2 × 25) holds only near matches; the exact ones come after.
    const skus = Array.from({ length: 25 }, (_, i) => `BULK-${String(i).padStart(2, '0')}`);
    for (const sku of skus) x.fake.seed.product({ title: `twins ${sku}`, variants: [{ sku: sku.toLowerCase(), price: '1.00' }, { sku: `Bulk${sku.slice(4)}`, price: '1.00' }] });
    const { variants } = x.fake.seed.product({ title: 'Bulk', variants: skus.map((sku) => ({ sku, price: '1.00' })) });
    const out = (await x.run(updateVariantPrices, { prices: skus.map((sku) => ({ sku, price: '2.00' })) })) as { variants: Json[] };
    expect(out.variants.map((v) => v.sku)).toEqual(skus);
    expect(variants.map((v) => x.fake.state.variants.get(v.id)?.price)).toEqual(skus.map(() => '2.00'));
    const searches = x.fake.graphqlRequests.filter((r) => r.query.includes('TributaryVariantsByQuery'));
    expect(searches.length).toBeGreaterThan(1);
  });

  it('refuses a price that is not a decimal amount before calling Shopify', async () => {
    const x = await setup();
    const err = await rejection(x.run(updateVariantPrices, { prices: [{ sku: 'TR2-SLT-10', price: '44.00', compareAtPrice: null }, { sku: 'MCS3-CHR', price: 'abc' }] }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/prices\.1\.price/);
    expect(x.fake.graphqlRequests).toEqual([]);
  });
});

describe('upsertCustomer', () => {
  it('creates a customer the first time and updates the same one after', async () => {
    const x = await setup();
    const created = (await x.run(upsertCustomer, { email: 'ap@adatum.example', firstName: 'Robert', tags: ['b2b'] })) as { created: boolean; customer: Json };
    expect(created).toMatchObject({ created: true, customer: { email: 'ap@adatum.example', firstName: 'Robert', tags: ['b2b'] } });
    const updated = (await x.run(upsertCustomer, { email: 'AP@adatum.example', lastName: 'Townes' })) as { created: boolean; customer: Json };
    expect(updated).toMatchObject({ created: false, customer: { id: created.customer.id, firstName: 'Robert', lastName: 'Townes' } });
    expect([...x.fake.state.customers.values()].filter((c) => c.email?.toLowerCase() === 'ap@adatum.example')).toHaveLength(1);
  });

  it('reports Shopify’s userErrors as VALIDATION with field paths', async () => {
    const x = await setup();
    const err = await rejection(x.run(upsertCustomer, { email: 'not-an-email' }));
    expect(err.code).toBe('VALIDATION');
    expect(err.details).toMatchObject({ operation: 'customerCreate', userErrors: [{ field: 'input.email', message: 'Email is invalid' }] });
  });
});

describe('B2B companies', () => {
  it('creates a company with its location and an existing customer as contact, then updates it by external id', async () => {
    const x = await setup();
    const customer = x.fake.seed.customer({ email: 'buyer@adatum.example', firstName: 'Robert' });
    const created = (await x.run(upsertCompany, {
      externalId: 'C00020',
      name: 'Adatum Corporation',
      location: { name: 'Atlanta HQ', externalId: 'C00020-HQ', shippingAddress: { address1: '192 Market Square', city: 'Atlanta', zip: '31772', zoneCode: 'GA', countryCode: 'US' }, billingSameAsShipping: true },
      contact: { email: 'buyer@adatum.example' },
    })) as { created: boolean; company: Json };
    expect(created.created).toBe(true);
    expect(created.company).toMatchObject({ externalId: 'C00020', mainContactCustomerId: customer.id, locations: [{ name: 'Atlanta HQ', externalId: 'C00020-HQ' }] });
    const updated = (await x.run(upsertCompany, { externalId: 'C00020', name: 'Adatum Corp.', note: 'Net 30' })) as { created: boolean; company: Json };
    expect(updated).toMatchObject({ created: false, company: { id: created.company.id, name: 'Adatum Corp.', note: 'Net 30' } });
    expect([...x.fake.state.companies.values()].filter((c) => c.externalId === 'C00020')).toHaveLength(1);
  });

  it('creates a company location once and updates it on the next call', async () => {
    const x = await setup();
    const companyId = x.fake.northwind!.company.id;
    const first = (await x.run(upsertCompanyLocation, { companyId, externalId: 'C00042-W3', name: 'Warehouse 3', shippingAddress: { address1: '1 Dock Rd', city: 'Fresno', zoneCode: 'CA', zip: '93650', countryCode: 'US' } })) as { created: boolean; location: Json };
    expect(first).toMatchObject({ created: true, location: { companyId, externalId: 'C00042-W3', shippingAddress: { address1: '1 Dock Rd' }, billingAddress: { address1: '1 Dock Rd' } } });
    const second = (await x.run(upsertCompanyLocation, { companyId, externalId: 'C00042-W3', name: 'Warehouse 3 (Fresno)', phone: '+15595550100' })) as { created: boolean; location: Json };
    expect(second).toMatchObject({ created: false, location: { id: first.location.id, name: 'Warehouse 3 (Fresno)', phone: '+15595550100' } });
  });

  it('reports a taken external id as VALIDATION with the field path', async () => {
    const x = await setup();
    const other = x.fake.seed.company({ name: 'Other', externalId: 'X1' });
    const err = await rejection(x.run(upsertCompanyLocation, { companyId: other.company.id, externalId: 'C00042-W2', name: 'Clash' }));
    expect(err.code).toBe('CONFLICT');
  });
});

describe('addPriceListPrices', () => {
  it('adds fixed prices in the price list’s currency, by SKU', async () => {
    const x = await setup();
    const list = x.fake.northwind!.priceList;
    const out = (await x.run(addPriceListPrices, { priceListId: list.id, prices: [{ sku: 'TR2-SLT-10', price: '38.25' }, { sku: 'ASJ-NVY-M', price: 61, compareAtPrice: 68 }] })) as Json;
    expect(out).toMatchObject({ currency: 'USD', prices: [{ sku: 'TR2-SLT-10', price: '38.25' }, { sku: 'ASJ-NVY-M', price: '61.00', compareAtPrice: '68.00' }] });
    expect(list.prices.get(x.fake.northwind!.variants['TR2-SLT-10']!.id)).toEqual({ price: '38.25', compareAtPrice: null });
  });

  it('fails with NOT_FOUND for an unknown price list', async () => {
    const x = await setup();
    expect((await rejection(x.run(addPriceListPrices, { priceListId: 'gid://shopify/PriceList/1', prices: [{ sku: 'TR2-SLT-10', price: '1.00' }] }))).code).toBe('NOT_FOUND');
  });
});

describe('runBulkQuery', () => {
  const query = '{ orders { edges { node { id name lineItems { edges { node { sku quantity } } } } } } }';

  it('starts the operation, polls until COMPLETED and streams every JSONL object', async () => {
    const x = await setup({ bulkPollsToComplete: 3 });
    for (let i = 0; i < 40; i++) x.fake.seed.order({ customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 1 }, { sku: 'MCS3-CHR', quantity: 2 }] });
    const out = (await x.run(runBulkQuery, { query, pollIntervalSeconds: 2 })) as { status: string; count: number; items: Json[] };
    expect([out.status, out.count, out.items.length]).toEqual(['COMPLETED', 120, 120]);
    expect(out.items[1]).toEqual({ sku: 'TR2-SLT-10', quantity: 1, __parentId: out.items[0]!.id });
    expect(x.services.sleeps).toEqual([2000, 2000, 2000, 2000]);
  });

  it('returns only the count when asked, and honours maxItems when returning items', async () => {
    const x = await setup({ bulkPollsToComplete: 0 });
    for (let i = 0; i < 3; i++) x.fake.seed.order({ lineItems: [{ sku: 'TR2-SLT-10', quantity: 1 }] });
    expect(await x.run(runBulkQuery, { query, output: 'count' })).toMatchObject({ count: 6, truncated: false });
    expect(await x.run(runBulkQuery, { query, maxItems: 4 })).toMatchObject({ count: 6, truncated: true, items: expect.any(Array) });
  });

  it('reports a failed operation as a retryable upstream error', async () => {
    const x = await setup({ bulkPollsToComplete: 0 });
    x.fake.failNext({ kind: 'bulk', errorCode: 'INTERNAL_SERVER_ERROR' });
    const err = await rejection(x.run(runBulkQuery, { query }));
    expect([err.code, err.retryable]).toEqual(['UPSTREAM_UNAVAILABLE', true]);
  });

  it('picks up its own operation still running after a retry instead of starting another', async () => {
    const x = await setup({ bulkPollsToComplete: 50 });
    const first = x.run(runBulkQuery, { query, timeoutMinutes: 1, pollIntervalSeconds: 5 });
    expect((await rejection(first)).code).toBe('TIMEOUT');
    const again = (await x.run(runBulkQuery, { query, pollIntervalSeconds: 5, timeoutMinutes: 60 })) as { status: string };
    expect(again.status).toBe('COMPLETED');
    expect(mutationsSent(x, 'bulkOperationRunQuery')).toBe(1);
  });

  it('asks to run later while another bulk query occupies the shop', async () => {
    const x = await setup({ bulkPollsToComplete: 50 });
    await rejection(x.run(runBulkQuery, { query: '{ products { edges { node { id } } } }', timeoutMinutes: 1 }));
    const err = await rejection(x.run(runBulkQuery, { query }));
    expect([err.code, err.retryAfterMs]).toEqual(['RETRY_LATER', 60_000]);
  });
});
