import { createTestContext } from '@tributary/connector-sdk/testing';
import { parseProps, type JsonValue } from '@tributary/connector-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { ordersUpdatedSince, updatedSinceQuery } from '../src/index.ts';
import { harness, type Harness } from './helpers.ts';

type Order = { name: string; updatedAt: string; lineItems: unknown[] };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function poll(x: Harness, watermark: JsonValue | null, props: Record<string, unknown> = {}): Promise<{ items: Order[]; watermark: JsonValue }> {
  const parsed = parseProps(ordersUpdatedSince.props, props);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const ctx = createTestContext({ props: parsed.value, services: x.services, connection: x.connection });
  return (await ordersUpdatedSince.poll!({ ...ctx, watermark })) as { items: Order[]; watermark: JsonValue };
}

describe('ordersUpdatedSince (polling trigger)', () => {
  it('builds Shopify’s updated_at filter, quoted, with extra terms', () => {
    expect(updatedSinceQuery('2025-01-15T09:55:00Z', ' tag:wholesale ')).toBe("updated_at:>='2025-01-15T09:55:00Z' tag:wholesale");
  });

  it('first poll looks back from now; the watermark becomes the newest updatedAt; the next poll re-reads only the overlap', async () => {
    const x = (h = await harness());
    // The harness clock stands at 2025-01-15T10:00:00Z.
    const seed = (updatedAt: string, lines = 1) => x.fake.seed.order({ lineItems: Array.from({ length: lines }, () => ({ sku: 'MCS3-CHR', quantity: 1 })), createdAt: updatedAt, updatedAt });
    seed('2025-01-13T08:00:00Z');
    seed('2025-01-14T12:00:00Z', 40);
    seed('2025-01-15T09:58:00Z');
    const first = await poll(x, null);
    expect(first.items.map((o) => o.updatedAt)).toEqual(['2025-01-14T12:00:00Z', '2025-01-15T09:58:00Z']);
    expect(first.items[0]!.lineItems).toHaveLength(40);
    expect(first.watermark).toBe('2025-01-15T09:58:00Z');

    seed('2025-01-15T10:30:00Z');
    const second = await poll(x, first.watermark);
    expect(second.items.map((o) => o.updatedAt)).toEqual(['2025-01-15T09:58:00Z', '2025-01-15T10:30:00Z']);
    expect(second.watermark).toBe('2025-01-15T10:30:00Z');
    const sent = x.fake.graphqlRequests.filter((r) => r.query.includes('TributaryOrdersWithLines')).map((r) => r.variables.query);
    expect(sent.at(-1)).toBe("updated_at:>='2025-01-15T09:53:00Z'");
  });

  it('keeps the watermark when nothing changed, and never moves it backwards', async () => {
    const x = (h = await harness());
    const out = await poll(x, '2025-01-15T09:00:00Z');
    expect(out).toEqual({ items: [], watermark: '2025-01-15T09:00:00Z' });
  });

  it('stops at maxItems with the watermark at the last order returned, so the next poll continues from there', async () => {
    const x = (h = await harness());
    for (let i = 0; i < 8; i++) x.fake.seed.order({ lineItems: [{ sku: 'MCS3-CHR', quantity: 1 }], updatedAt: `2025-01-15T0${i}:00:00Z` });
    const first = await poll(x, null, { maxItems: 6 });
    expect(first.items).toHaveLength(6);
    expect(first.watermark).toBe('2025-01-15T05:00:00Z');
    const next = await poll(x, first.watermark, { maxItems: 6, overlapMinutes: 0 });
    expect(next.items.map((o) => o.updatedAt)).toEqual(['2025-01-15T05:00:00Z', '2025-01-15T06:00:00Z', '2025-01-15T07:00:00Z']);
  });

  it('applies the extra filter', async () => {
    const x = (h = await harness());
    x.fake.seed.order({ lineItems: [{ sku: 'MCS3-CHR', quantity: 1 }], tags: ['wholesale'], updatedAt: '2025-01-15T09:00:00Z' });
    x.fake.seed.order({ lineItems: [{ sku: 'MCS3-CHR', quantity: 1 }], tags: ['retail'], updatedAt: '2025-01-15T09:10:00Z' });
    const out = await poll(x, null, { query: 'tag:wholesale' });
    expect(out.items.map((o) => o.updatedAt)).toEqual(['2025-01-15T09:00:00Z']);
  });
});
