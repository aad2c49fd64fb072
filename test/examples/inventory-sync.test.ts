// examples/inventory-sync end to end: the 5-minute delta from Business Central item changes to Shopify
// stock, and the nightly reconciliation (window 02:00–05:00) with its accuracy report.
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

/** Shopify's available quantity of a SKU at the warehouse. */
function shopifyAvailable(sku: string): number | undefined {
  const nw = world.shopify.northwind!;
  return world.shopify.state.inventoryLevels.get(levelKey(nw.variants[sku]!.inventoryItemId, nw.locationId))?.quantities.available;
}

function setShopifyAvailable(sku: string, n: number): void {
  const nw = world.shopify.northwind!;
  world.shopify.state.inventoryLevels.get(levelKey(nw.variants[sku]!.inventoryItemId, nw.locationId))!.quantities.available = n;
}

const bcItem = (sku: string) => world.bc.cronus!.items[sku]!;

describe('examples/inventory-sync: delta every 5 minutes', () => {
  it('polls every 5 minutes', async () => {
    await world.seed(delta);
    const active = await world.server.ctx.runtime.flows.active('inventory-sync');
    expect(active && scheduleFor(active)).toEqual({ cron: '*/5 * * * *', tz: 'UTC' });
  });

  it('sets Shopify stock to the inventory of each item BC changed, and skips items Shopify does not sell', async () => {
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

    expect(shopifyAvailable('TR2-SLT-10')).toBe(80);
    expect(shopifyAvailable('ASJ-NVY-M')).toBe(0); // blocked in BC: not for sale
    expect(shopifyAvailable('MCS3-CHR')).toBe(300); // unchanged in BC, not touched
    expect(outputOf(bySku.get('TR2-SLT-10')!, 'setQuantity')).toMatchObject({ changed: 1, changes: [{ sku: 'TR2-SLT-10', delta: -40, quantityAfterChange: 80 }] });
    expect(outputOf(bySku.get('OLD-DISC-1')!, 'notSoldOnline')).toEqual({ skipped: true, sku: 'OLD-DISC-1', reason: 'no Shopify variant has this SKU' });

    const watermark = await world.server.ctx.store.getState('inventory-sync', 'watermark:itemChanged');
    expect(watermark?.value).toBe(String(bcItem('OLD-DISC-1').lastModifiedDateTime));
  });

  it('maps the sample item to the expected quantities', async () => {
    const run = await world.server.ctx.runtime.testRun({ flowId: 'inventory-sync', draft: delta, payload: readExampleJson('inventory-sync/samples/item.json') });
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'toQuantity')?.output).toEqual(readExampleJson('inventory-sync/expected/quantities.json'));
    expect(shopifyAvailable('TR2-SLT-10')).toBe(96);
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
    // The delta flow stays out of the way; BC says 96 Trail Runners, 40 jackets and 300 socks, Shopify's counts drifted.
    await world.server.ctx.store.setEnabled({ id: 'inventory-sync', enabled: false });
    await world.server.ctx.runtime.syncSchedules('inventory-sync');
    await world.server.ctx.events.publish('inventory-sync');
    world.bc.update('items', String(bcItem('TR2-SLT-10').id), { inventory: 96 });
    setShopifyAvailable('TR2-SLT-10', 90);
    setShopifyAvailable('MCS3-CHR', 250);
    world.bc.update('items', String(bcItem('ASJ-NVY-M').id), { blocked: false, inventory: 40 });
    setShopifyAvailable('ASJ-NVY-M', 40);

    const first = await world.server.ctx.runtime.testRun({ flowId: 'inventory-reconcile', draft: reconcile, payload: { scheduledAt: '2026-11-23T10:00:00.000Z' } });
    expect(first.status).toBe('succeeded');
    const report = first.steps.find((s) => s.nodeId === 'report')?.output;
    expect(report).toEqual(readExampleJson('inventory-sync/expected/reconcile-report.json'));
    expect([shopifyAvailable('TR2-SLT-10'), shopifyAvailable('ASJ-NVY-M'), shopifyAvailable('MCS3-CHR')]).toEqual([96, 40, 300]);

    const second = await world.server.ctx.runtime.testRun({ flowId: 'inventory-reconcile', draft: reconcile, payload: { scheduledAt: '2026-11-23T11:00:00.000Z' } });
    expect(second.steps.find((s) => s.nodeId === 'report')?.output).toMatchObject({ totalSkus: 3, matching: 3, differing: 0, accuracy: 1, corrected: 0, differences: [] });
    expect(second.steps.some((s) => s.nodeId === 'setQuantities')).toBe(false);
  });
});
