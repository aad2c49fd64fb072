// examples/order-to-erp end to end: a signed Shopify orders/create webhook through the real server into
// the Business Central fake, with the customer cross-reference, duplicate deliveries and a replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExampleFlow, readExampleJson } from '../../examples/index.ts';
import type { WebhookDelivery } from '../fakes/shopify/index.ts';
import { finishedRun, outputOf, runsOf, startExampleWorld, succeededNodes, WEBHOOK_SECRET, type ExampleWorld } from './support.ts';

type Order = Record<string, unknown> & { id: number; name: string };

let world: ExampleWorld;
let hook: string;
const order = readExampleJson<Order>('order-to-erp/samples/orders-create.json');
const secondOrder = readExampleJson<Order>('order-to-erp/samples/orders-create-same-customer.json');

beforeAll(async () => {
  // An empty company with the shop's three items, so the first order has to create its customer.
  world = await startExampleWorld({ bcSeed: 'empty' });
  world.bc.insert('items', { number: 'TR2-SLT-10', displayName: 'Trail Runner 2 - Slate / 10', type: 'Inventory', inventory: 120, unitPrice: 42.5 });
  world.bc.insert('items', { number: 'ASJ-NVY-M', displayName: 'Alpine Shell Jacket - Navy / M', type: 'Inventory', inventory: 40, unitPrice: 68 });
  world.bc.insert('items', { number: 'MCS3-CHR', displayName: 'Merino Crew Sock 3-Pack - Charcoal', type: 'Inventory', inventory: 300, unitPrice: 5 });
  await world.seed(readExampleFlow('order-to-erp/flow.json'));
  hook = `${world.server.url}/hooks/order-to-erp`;
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

function runIdOf(d: WebhookDelivery): string {
  return String((JSON.parse(d.responseBody) as { runId: unknown }).runId);
}

const customerRequests = (): number => world.bc.requests.filter((r) => /\/customers/.test(r.path)).length;

describe('examples/order-to-erp', () => {
  let first: WebhookDelivery;

  it('turns the fixture order into one new BC customer, linked by xref, and one sales order with its lines', async () => {
    first = await world.shopify.sendWebhook(hook, 'orders/create', order, WEBHOOK_SECRET);
    expect(first.status).toBe(202);
    const run = await finishedRun(world.server, runIdOf(first));
    expect(run.priority).toBe(1); // orders run before everything else
    expect(succeededNodes(run)).toEqual(['lookupCustomer', 'customerLinked', 'findOrCreateCustomer', 'linkCustomer', 'toSalesOrder', 'createSalesOrder']);

    const customers = world.bc.rows('customers');
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject(readExampleJson<Record<string, unknown>>('order-to-erp/expected/customer.json'));
    expect(outputOf(run, 'toSalesOrder')).toEqual(readExampleJson('order-to-erp/expected/sales-order.json'));

    const orders = world.bc.rows('salesOrders');
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ externalDocumentNumber: '#W1042', customerNumber: customers[0]!.number, orderDate: '2026-11-20', shipToCity: 'San Leandro' });
    const lines = world.bc.rows('salesOrderLines').filter((l) => l.documentId === orders[0]!.id);
    expect(lines.map((l) => [l.lineObjectNumber, l.quantity, l.unitPrice])).toEqual([['TR2-SLT-10', 24, 42.5], ['ASJ-NVY-M', 12, 68], ['MCS3-CHR', 6, 5]]);

    const link = await world.server.ctx.store.xrefGet('customer', 'shopify', '7390114553916');
    expect(link?.ids).toEqual({ shopify: '7390114553916', erp: customers[0]!.number });
  });

  it('answers a redelivery of the same webhook with 200 duplicate and runs nothing again', async () => {
    const runsBefore = (await runsOf(world.server, 'order-to-erp')).length;
    const again = await world.shopify.redeliver(first);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.responseBody)).toEqual({ runId: runIdOf(first), duplicate: true });
    expect(await runsOf(world.server, 'order-to-erp')).toHaveLength(runsBefore);
    expect(world.bc.rows('salesOrders')).toHaveLength(1);
  });

  it('reuses the xref for a second order from the same customer: no customer lookup or creation in BC', async () => {
    const before = customerRequests();
    const d = await world.shopify.sendWebhook(hook, 'orders/create', secondOrder, WEBHOOK_SECRET);
    expect(d.status).toBe(202);
    const run = await finishedRun(world.server, runIdOf(d));
    expect(succeededNodes(run)).toEqual(['lookupCustomer', 'customerLinked', 'toSalesOrder', 'createSalesOrder']);
    expect(outputOf(run, 'lookupCustomer')).toEqual({ found: true, id: world.bc.rows('customers')[0]!.number });
    expect(customerRequests()).toBe(before);
    expect(world.bc.rows('customers')).toHaveLength(1);
    expect(world.bc.rows('salesOrders').map((o) => o.externalDocumentNumber)).toEqual(['#W1042', '#W1043']);
  });

  it('replaying the first run finds its sales order instead of creating a second one', async () => {
    const replay = await world.server.ctx.runtime.replay({ runId: runIdOf(first) });
    const run = await finishedRun(world.server, replay.id);
    expect(outputOf(run, 'createSalesOrder')).toMatchObject({ created: false, salesOrder: { externalDocumentNumber: '#W1042' } });
    expect(world.bc.rows('salesOrders')).toHaveLength(2);
    expect(world.bc.rows('customers')).toHaveLength(1);
  });
});
