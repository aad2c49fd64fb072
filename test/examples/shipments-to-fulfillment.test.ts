// examples/shipments-to-fulfillment end to end: shipments posted in the Business Central fake reach the
// Shopify fake as fulfillments with carrier and tracking number, through the runtime's poll schedule.
import type { FlowDocument } from '@tributary/flow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleFor } from '../../apps/server/src/runtime/schedules.ts';
import { readExampleFlow, readExampleJson, withTriggerConfig } from '../../examples/index.ts';
import { until } from '../support/tributary.ts';
import { createBcSalesOrder, outputOf, runsOf, startExampleWorld, finishedRun, type ExampleWorld } from './support.ts';

const FLOW = 'shipments-to-fulfillment';
let world: ExampleWorld;
let flow: FlowDocument;

beforeAll(async () => {
  world = await startExampleWorld();
  flow = readExampleFlow(`${FLOW}/flow.json`);
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

const fulfillments = () => [...world.shopify.state.fulfillments.values()];

describe('examples/shipments-to-fulfillment', () => {
  it('polls every 5 minutes (the runtime default for a poll trigger without cron)', async () => {
    await world.seed(flow);
    const active = await world.server.ctx.runtime.flows.active(FLOW);
    expect(active && scheduleFor(active)).toEqual({ cron: '*/5 * * * *', tz: 'UTC' });
  });

  it('turns each new BC shipment into a Shopify fulfillment with carrier and tracking; the watermark advances; later ticks add nothing', async () => {
    const nw = world.shopify.northwind!;
    const customer = String(world.bc.cronus!.customers.northwind.number);
    // Two Shopify orders and their BC sales orders (external document number = Shopify order name).
    const w1042 = world.shopify.seed.order({ name: '#W1042', customerId: nw.customer.id, lineItems: [{ sku: 'TR2-SLT-10', quantity: 24 }, { sku: 'ASJ-NVY-M', quantity: 12 }] });
    const w1043 = world.shopify.seed.order({ name: '#W1043', customerId: nw.customer.id, lineItems: [{ sku: 'MCS3-CHR', quantity: 6 }] });
    const so1042 = await createBcSalesOrder(world.bc, { externalDocumentNumber: '#W1042', customerNumber: customer, lines: [{ itemNumber: 'TR2-SLT-10', quantity: 24 }, { itemNumber: 'ASJ-NVY-M', quantity: 12 }] });
    const so1043 = await createBcSalesOrder(world.bc, { externalDocumentNumber: '#W1043', customerNumber: customer, lines: [{ itemNumber: 'MCS3-CHR', quantity: 6 }] });
    // #W1042 ships partly. Its company publishes the shipment's package tracking number and shipping agent
    // (Sales Shipment Header fields a BC API extension exposes; API v2.0 alone has neither).
    const partial = world.bc.shipSalesOrder(so1042.id, { lines: [{ lineObjectNumber: 'TR2-SLT-10', quantity: 10 }] });
    Object.assign(partial, { packageTrackingNo: '1Z999AA10123456784', shippingAgentCode: 'UPS' });
    // #W1043 ships in full from a company without the extension: the shipment number is the tracking reference.
    const full = world.bc.shipSalesOrder(so1043.id);

    // Poll every second instead of every 5 minutes.
    await world.seed(withTriggerConfig(flow, { cron: '* * * * * *' }));
    await until(async () => fulfillments().length >= 2, { what: 'two fulfillments in Shopify', timeoutMs: 20_000 });
    const runs = await until(async () => {
      const r = await runsOf(world.server, FLOW);
      return r.length === 2 ? r : undefined;
    }, { what: 'two poll runs' });
    for (const r of runs) await finishedRun(world.server, r.id);

    const byOrder = new Map(fulfillments().map((f) => [f.orderId, f]));
    expect(byOrder.get(w1042.id)?.trackingInfo).toEqual([{ number: '1Z999AA10123456784', company: 'UPS', url: null }]);
    const lineOf = (orderId: string, sku: string) => world.shopify.state.orders.get(orderId)!.lineItems.find((l) => l.sku === sku)!.id;
    expect(byOrder.get(w1042.id)?.lines).toEqual([{ lineItemId: lineOf(w1042.id, 'TR2-SLT-10'), quantity: 10 }]);
    expect(byOrder.get(w1043.id)?.trackingInfo).toEqual([{ number: String(full.number), company: 'UPS', url: null }]);
    expect(byOrder.get(w1043.id)?.lines).toEqual([{ lineItemId: lineOf(w1043.id, 'MCS3-CHR'), quantity: 6 }]);
    const run1042 = await finishedRun(world.server, runs.find((r) => (r.trigger as { number: string }).number === partial.number)!.id);
    expect(outputOf(run1042, 'toFulfillment')).toEqual(readExampleJson('shipments-to-fulfillment/expected/fulfillment.json'));

    // The watermark is the newest shipment read; later ticks find nothing after it.
    const state = world.server.ctx.store;
    const watermark = await state.getState(FLOW, 'watermark:shipmentPosted');
    expect(watermark?.value).toBe(String(full.lastModifiedDateTime));
    const nextTick = async (after: Date): Promise<Date> =>
      until(async () => {
        const s = await state.getState(FLOW, 'watermark:shipmentPosted');
        return s && s.updatedAt > after ? s.updatedAt : undefined;
      }, { what: 'another poll tick' });
    await nextTick(await nextTick(watermark!.updatedAt));
    expect(await runsOf(world.server, FLOW)).toHaveLength(2);
    expect(fulfillments()).toHaveLength(2);
    expect((await state.getState(FLOW, 'watermark:shipmentPosted'))?.value).toBe(watermark?.value);
  });

  it('maps the sample shipment to the expected fulfillment in a test run (and finds the fulfillment it already made)', async () => {
    const run = await world.server.ctx.runtime.testRun({ flowId: FLOW, draft: flow, payload: readExampleJson('shipments-to-fulfillment/samples/sales-shipment.json') });
    expect(run.status).toBe('succeeded');
    const out = (nodeId: string) => run.steps.find((s) => s.nodeId === nodeId)?.output;
    expect(out('toFulfillment')).toEqual(readExampleJson('shipments-to-fulfillment/expected/fulfillment.json'));
    expect(out('createFulfillment')).toMatchObject({ created: false, fulfillments: [{ trackingInfo: [{ number: '1Z999AA10123456784' }] }] });
    expect(fulfillments()).toHaveLength(2);
  });

  it('replaying a shipment run finds the fulfillment with that tracking number instead of shipping twice', async () => {
    const [first] = await runsOf(world.server, FLOW);
    const replay = await world.server.ctx.runtime.replay({ runId: first!.id });
    const run = await finishedRun(world.server, replay.id);
    expect(outputOf(run, 'createFulfillment')).toMatchObject({ created: false });
    expect(fulfillments()).toHaveLength(2);
  });
});
