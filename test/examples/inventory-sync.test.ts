// examples/inventory-sync end to end: the 5-minute delta from Business Central item changes to Shopify
// stock, and the nightly reconciliation (window 02:00–05:00) with its accuracy report. Both set Shopify's
// on_hand from BC's physical stock, so units committed to unfulfilled Shopify orders are never sold twice.
import type { FlowDocument } from '@tributary/flow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleFor } from '../../apps/server/src/runtime/schedules.ts';
import { readExampleFlow, readExampleJson, withShopifyLocation, withTriggerConfig } from '../../examples/index.ts';
import { levelKey } from '../fakes/shopify/state.ts';
import { until } from '../support/tributary.ts';
import { finishedRun, outputOf, runsOf, startExampleWorld, type ExampleWorld } from './support.ts';

let world: ExampleWorld;
let delta: FlowDocument;
let reconcile: FlowDocument;

beforeAll(async () => {
  world = await startExampleWorld();
  const location = world.shopify.northwind!.locationId;
  delta = withShopifyLocation(readExampleFlow('inventory-sync/flow.json'), location);
  const nightly = withShopifyLocation(readExampleFlow('inventory-sync/reconcile.flow.json'), location);
  // Check the fake's bulk operation every second rather than every 2 seconds.
  reconcile = { ...nightly, nodes: nightly.nodes.map((n) => (n.id === 'shopifyStock' ? { ...n, config: { ...n.config, pollIntervalSeconds: 1 } } : n)) };
}, 30_000);
afterAll(async () => {
  await world?.stop();
});

/** Shopify's inventory quantities of a SKU at the warehouse (on_hand, available, committed…), live. */
function shopifyLevel(sku: string): Record<string, number> {
  const nw = world.shopify.northwind!;
  const level = world.shopify.state.inventoryLevels.get(levelKey(nw.variants[sku]!.inventoryItemId, nw.locationId));
  if (!level) throw new Error(`${sku} is not stocked at the warehouse`);
  return level.quantities;
}

/** Stock drifted in Shopify (a count, a write-off): on_hand changes and available with it, as in Shopify. */
function setShopifyOnHand(sku: string, n: number): void {
  const q = shopifyLevel(sku);
  q.available = (q.available ?? 0) + n - (q.on_hand ?? 0);
  q.on_hand = n;
}

/** An order placed in Shopify and not fulfilled yet: Shopify commits its units (available down, committed up). */
function placeShopifyOrder(sku: string, quantity: number): void {
  world.shopify.seed.order({ customerId: world.shopify.northwind!.customer.id, lineItems: [{ sku, quantity }] });
}

const bcItem = (sku: string) => world.bc.cronus!.items[sku]!;

describe('examples/inventory-sync: delta every 5 minutes', () => {
  it('polls every 5 minutes', async () => {
    await world.seed(delta);
    const active = await world.server.ctx.runtime.flows.active('inventory-sync');
    expect(active && scheduleFor(active)).toEqual({ cron: '*/5 * * * *', tz: 'UTC' });
  });

  it('sets Shopify on hand to the inventory of each item BC changed, and skips items Shopify does not sell', async () => {
    world.bc.update('items', String(bcItem('TR2-SLT-10').id), { inventory: 80 });
    world.bc.update('items', String(bcItem('ASJ-NVY-M').id), { blocked: true });
    world.bc.update('items', String(bcItem('OLD-DISC-1').id), { inventory: 5 }); // in BC only
    await world.seed(withTriggerConfig(delta, { cron: '* * * * * *' }));

    const runs = await until(async () => {
      const r = await runsOf(world.server, 'inventory-sync');
      return r.length >= 3 && r.every((x) => x.status === 'succeeded' || x.status === 'failed') ? r : undefined;
    }, { what: 'three finished runs' });
    expect(runs).toHaveLength(3);
    const bySku = new Map<string, Awaited<ReturnType<typeof finishedRun>>>();
    for (const r of runs) bySku.set((r.trigger as { number: string }).number, await finishedRun(world.server, r.id));

    // No open orders yet, so available follows on_hand.
    expect(shopifyLevel('TR2-SLT-10')).toMatchObject({ on_hand: 80, available: 80 });
    expect(shopifyLevel('ASJ-NVY-M')).toMatchObject({ on_hand: 0, available: 0 }); // blocked in BC: not for sale
    expect(shopifyLevel('MCS3-CHR')).toMatchObject({ on_hand: 300, available: 300 }); // unchanged in BC, not touched
    expect(outputOf(bySku.get('TR2-SLT-10')!, 'setQuantity')).toMatchObject({ changed: 1, changes: [{ name: 'on_hand', sku: 'TR2-SLT-10', delta: -40, quantityAfterChange: 80 }] });
    expect(outputOf(bySku.get('OLD-DISC-1')!, 'notSoldOnline')).toEqual({ skipped: true, sku: 'OLD-DISC-1', reason: 'no Shopify variant has this SKU' });

    const watermark = await world.server.ctx.store.getState('inventory-sync', 'watermark:itemChanged');
    expect(watermark?.value).toBe(String(bcItem('OLD-DISC-1').lastModifiedDateTime));
  });

  it('maps the sample item to the expected quantities', async () => {
    const run = await world.server.ctx.runtime.testRun({ flowId: 'inventory-sync', draft: delta, payload: readExampleJson('inventory-sync/samples/item.json') });
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'toQuantity')?.output).toEqual(readExampleJson('inventory-sync/expected/quantities.json'));
    expect(shopifyLevel('TR2-SLT-10')).toMatchObject({ on_hand: 96, available: 96 });
  });

  it('does not oversell: units committed to an unfulfilled Shopify order stay unsellable when BC stock changes', async () => {
    // Shopify sold 24 Trail Runners that are not shipped yet; BC, which has not shipped them either, still counts
    // them in its inventory, and a goods receipt of 34 brings that to 130. (The delta polls every second since the second test.)
    setShopifyOnHand('TR2-SLT-10', 96);
    placeShopifyOrder('TR2-SLT-10', 24);
    expect(shopifyLevel('TR2-SLT-10')).toMatchObject({ on_hand: 96, committed: 24, available: 72 });
    world.bc.update('items', String(bcItem('TR2-SLT-10').id), { inventory: 130 });

    const run = await until(async () => {
      const r = (await runsOf(world.server, 'inventory-sync')).find((x) => {
        const item = x.trigger as { number: string; inventory: number };
        return item.number === 'TR2-SLT-10' && item.inventory === 130;
      });
      return r && (r.status === 'succeeded' || r.status === 'failed') ? r : undefined;
    }, { what: 'the run for the received Trail Runners' });
    expect(run.status).toBe('succeeded');
    // Sellable is what is in the building (BC's count) less what open orders already hold. Shopify's own on_hand is
    // not the yardstick: setting available moves on_hand with it, so available ≤ on_hand − committed always holds there.
    const q = shopifyLevel('TR2-SLT-10');
    expect(q.available).toBeLessThanOrEqual(Number(bcItem('TR2-SLT-10').inventory) - (q.committed ?? 0));
    expect(q).toMatchObject({ on_hand: 130, committed: 24, available: 106 });
    expect(outputOf(await finishedRun(world.server, run.id), 'setQuantity')).toMatchObject({ changes: [{ name: 'on_hand', sku: 'TR2-SLT-10', delta: 34, quantityAfterChange: 130 }] });
  });
});

describe('examples/inventory-sync: nightly reconciliation', () => {
  it('is scheduled hourly inside the 02:00–05:00 window, Pacific time', async () => {
    await world.seed(reconcile);
    const active = await world.server.ctx.runtime.flows.active('inventory-reconcile');
    const spec = { cron: '0 * * * *', tz: 'America/Los_Angeles', window: { start: '02:00', end: '05:00' } };
    expect(active && scheduleFor(active)).toEqual(spec);
    expect(await world.server.ctx.queue.listSchedules()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'flow-inventory-reconcile', ...spec })]));
  });

  it('sets the SKUs that differ and reports how many matched; a second run finds everything matching', async () => {
    // The delta flow stays out of the way; BC says 96 Trail Runners, 40 jackets and 300 socks. Shopify's on-hand
    // counts drifted for the Trail Runners and socks; the jackets' count is right, but 5 are committed to an open
    // order, so Shopify's available (35) is rightly below BC's count and must not be "corrected" up to it.
    await world.server.ctx.store.setEnabled({ id: 'inventory-sync', enabled: false });
    await world.server.ctx.runtime.syncSchedules('inventory-sync');
    await world.server.ctx.events.publish('inventory-sync');
    world.bc.update('items', String(bcItem('TR2-SLT-10').id), { inventory: 96 });
    setShopifyOnHand('TR2-SLT-10', 90);
    setShopifyOnHand('MCS3-CHR', 250);
    world.bc.update('items', String(bcItem('ASJ-NVY-M').id), { blocked: false, inventory: 40 });
    setShopifyOnHand('ASJ-NVY-M', 40);
    placeShopifyOrder('ASJ-NVY-M', 5);

    const first = await world.server.ctx.runtime.testRun({ flowId: 'inventory-reconcile', draft: reconcile, payload: { scheduledAt: '2026-11-23T10:00:00.000Z' } });
    expect(first.status).toBe('succeeded');
    const report = first.steps.find((s) => s.nodeId === 'report')?.output;
    expect(report).toEqual(readExampleJson('inventory-sync/expected/reconcile-report.json'));
    // On hand is BC's count again; what open orders hold (24 Trail Runners from the delta test, 5 jackets) stays unsellable.
    const stock = (sku: string) => { const q = shopifyLevel(sku); return [q.on_hand, q.committed, q.available]; };
    expect([stock('TR2-SLT-10'), stock('ASJ-NVY-M'), stock('MCS3-CHR')]).toEqual([[96, 24, 72], [40, 5, 35], [300, 0, 300]]);

    const second = await world.server.ctx.runtime.testRun({ flowId: 'inventory-reconcile', draft: reconcile, payload: { scheduledAt: '2026-11-23T11:00:00.000Z' } });
    expect(second.steps.find((s) => s.nodeId === 'report')?.output).toMatchObject({ totalSkus: 3, matching: 3, differing: 0, accuracy: 1, corrected: 0, differences: [] });
    expect(second.steps.some((s) => s.nodeId === 'setQuantities')).toBe(false);
  });
});
