import { parseProps, type JsonValue, type TriggerDefinition, type PropDefs } from '@tributary/connector-sdk';
import { createTestContext } from '@tributary/connector-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesOrder, itemsChanged, salesShipmentsCreated } from '../src/index.ts';
import { harness, type Harness } from './helpers.ts';

type Json = Record<string, unknown>;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function poll(x: Harness, trigger: TriggerDefinition<PropDefs>, watermark: JsonValue | null, props: Record<string, unknown> = {}): Promise<{ items: Json[]; watermark: JsonValue }> {
  const parsed = parseProps(trigger.props, props);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const ctx = createTestContext({ props: parsed.value, services: x.services, connection: x.connection });
  return (await trigger.poll!({ ...ctx, watermark })) as { items: Json[]; watermark: JsonValue };
}

describe('itemsChanged (polling trigger)', () => {
  it('first poll reads the look-back window; later polls only what changed after the watermark', async () => {
    const x = (h = await harness());
    // Seeded items changed a day before the harness clock (2025-01-15T10:00Z); a 48-hour look-back sees them.
    const first = await poll(x, itemsChanged as TriggerDefinition<PropDefs>, null, { initialLookbackHours: 48 });
    expect(first.items.map((i) => i.number).sort()).toEqual(['ASJ-NVY-M', 'MCS3-CHR', 'OLD-DISC-1', 'TR2-SLT-10']);
    expect(await poll(x, itemsChanged as TriggerDefinition<PropDefs>, first.watermark)).toEqual({ items: [], watermark: first.watermark });

    x.services.advance(5 * 60_000);
    x.fake.update('items', x.fake.cronus!.items['TR2-SLT-10']!.id as string, { inventory: 96 });
    const next = await poll(x, itemsChanged as TriggerDefinition<PropDefs>, first.watermark);
    expect(next.items.map((i) => [i.number, i.inventory])).toEqual([['TR2-SLT-10', 96]]);
    expect(next.watermark).toBe('2025-01-15T10:05:00.000Z');
  });

  it('with a 24-hour default look-back, a first poll sees nothing older', async () => {
    const x = (h = await harness());
    const out = await poll(x, itemsChanged as TriggerDefinition<PropDefs>, null);
    expect(out.items).toEqual([]);
    expect(out.watermark).toBe('2025-01-14T10:00:00.000Z');
  });

  it('stops at maxItems without splitting rows that share a timestamp, so nothing is skipped', async () => {
    const x = (h = await harness({ seed: 'empty' }));
    // A at 10:01, B and C in the same millisecond at 10:02, D at 10:03.
    for (const [number, step] of [['A', 60_000], ['B', 60_000], ['C', 0], ['D', 60_000]] as const) {
      x.services.advance(step);
      x.fake.insert('items', { number, displayName: number });
    }
    const first = await poll(x, itemsChanged as TriggerDefinition<PropDefs>, null, { maxItems: 2 });
    expect(first.items.map((i) => i.number)).toEqual(['A', 'B', 'C']);
    const rest = await poll(x, itemsChanged as TriggerDefinition<PropDefs>, first.watermark, { maxItems: 2 });
    expect(rest.items.map((i) => i.number)).toEqual(['D']);
  });
});

describe('salesShipmentsCreated (polling trigger)', () => {
  it('emits each posted shipment once, with lines and the external document number', async () => {
    const x = (h = await harness());
    const { runAction } = await import('@tributary/connector-sdk/testing');
    const { salesOrder } = (await runAction(createSalesOrder, {
      props: { order: { externalDocumentNumber: '#W1042', customerNumber: 'C00010', lines: [{ itemNumber: 'TR2-SLT-10', quantity: 24 }, { itemNumber: 'MCS3-CHR', quantity: 6 }] } },
      connection: x.connection,
      services: x.services,
    })) as { salesOrder: Json };
    const empty = await poll(x, salesShipmentsCreated as TriggerDefinition<PropDefs>, null);
    expect(empty.items).toEqual([]);
    x.services.advance(60_000);
    x.fake.shipSalesOrder(salesOrder.number as string, { lines: [{ lineObjectNumber: 'TR2-SLT-10', quantity: 10 }] });
    const one = await poll(x, salesShipmentsCreated as TriggerDefinition<PropDefs>, empty.watermark);
    expect(one.items).toEqual([expect.objectContaining({ externalDocumentNumber: '#W1042', orderNumber: salesOrder.number, salesShipmentLines: [expect.objectContaining({ lineObjectNumber: 'TR2-SLT-10', quantity: 10 })] })]);
    x.services.advance(60_000);
    x.fake.shipSalesOrder(salesOrder.number as string);
    const two = await poll(x, salesShipmentsCreated as TriggerDefinition<PropDefs>, one.watermark);
    expect(two.items.map((s) => (s.salesShipmentLines as Json[]).map((l) => [l.lineObjectNumber, l.quantity]))).toEqual([
      [
        ['TR2-SLT-10', 14],
        ['MCS3-CHR', 6],
      ],
    ]);
  });
});
