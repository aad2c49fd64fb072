import { afterEach, describe, expect, it } from 'vitest';
import { listOrders, MAX_THROTTLE_ATTEMPTS, waitForCostMs } from '../src/index.ts';
import { harness, rejection, type Harness } from './helpers.ts';

describe('waitForCostMs (leaky-bucket arithmetic)', () => {
  const status = { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 };
  it.each([
    ['nothing observed yet', undefined, 500, 0, 0],
    ['enough points now', { status, observedAt: 0 }, 100, 0, 0],
    ['400 points short at 50/s', { status, observedAt: 0 }, 500, 0, 8000],
    ['refilled while time passed', { status, observedAt: 0 }, 500, 4000, 4000],
    ['refill capped at the bucket size', { status, observedAt: 0 }, 900, 60_000, 0],
    ['cost above the bucket waits only for a full bucket', { status, observedAt: 0 }, 5000, 0, 18_000],
  ])('%s', (_what, snapshot, cost, now, expected) => {
    expect(waitForCostMs(snapshot, cost, now)).toBe(expected);
  });
});

describe('cost-based throttling against the fake bucket', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const seedOrders = (x: Harness): void => {
    for (let i = 0; i < 5; i++) x.fake.seed.order({ customerId: x.fake.northwind!.customer.id, lineItems: [{ sku: 'MCS3-CHR', quantity: 1 }] });
  };
  const thrown = (x: Harness): number => x.fake.graphqlRequests.length;

  it('waits before a query that would not fit, so Shopify never has to throttle it', async () => {
    h = await harness({ maximumAvailable: 120, restoreRate: 10 });
    seedOrders(h);
    await h.run(listOrders, { pageSize: 5 });
    const afterFirst = h.fake.throttleStatus().currentlyAvailable;
    await h.run(listOrders, { pageSize: 5 });
    // The bucket must hold the query's requested cost; it waited exactly long enough for the bucket to refill that far.
    const requested = h.fake.graphqlRequests[0]!.cost!.requested;
    expect(h.services.sleeps).toEqual([Math.ceil(((requested - afterFirst) / 10) * 1000)]);
    expect(thrown(h)).toBe(2);
  });

  it('waits for the requested cost, not the (refunded) actual cost, so a page with few results is not throttled next time', async () => {
    h = await harness({ maximumAvailable: 1000, restoreRate: 50 });
    seedOrders(h);
    await h.run(listOrders, { pageSize: 50 });
    const { requested, actual } = h.fake.graphqlRequests[0]!.cost!;
    expect(actual).toBeLessThan(requested / 4);
    // The next call leaves fewer points than the query requests (but more than it actually costs) and says so.
    h.fake.setAvailable(requested);
    await h.run(listOrders, { pageSize: 50 });
    await h.run(listOrders, { pageSize: 50 });
    expect(h.fake.graphqlRequests.map((r) => (r.cost!.actual === null ? 'THROTTLED' : 'ok'))).toEqual(['ok', 'ok', 'ok']);
  });

  it('retries a THROTTLED answer after the restore time the response implies', async () => {
    h = await harness({ restoreRate: 10 });
    seedOrders(h);
    h.fake.setAvailable(10);
    const out = (await h.run(listOrders, { pageSize: 5 })) as { orders: unknown[] };
    expect(out.orders).toHaveLength(5);
    expect(h.fake.graphqlRequests).toHaveLength(2);
    expect(h.services.sleeps).toHaveLength(1);
    expect(h.services.sleeps[0]).toBeGreaterThan(5000);
  });

  it(`gives up after ${MAX_THROTTLE_ATTEMPTS} THROTTLED answers with a retryable RATE_LIMITED`, async () => {
    h = await harness();
    h.fake.failNext({ kind: 'throttled' }, MAX_THROTTLE_ATTEMPTS);
    const err = await rejection(h.run(listOrders, {}));
    expect([err.code, err.retryable]).toEqual(['RATE_LIMITED', true]);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(h.fake.graphqlRequests).toHaveLength(MAX_THROTTLE_ATTEMPTS);
  });

  it('keeps throttle state per connection: another connection is not slowed by this one', async () => {
    h = await harness({ maximumAvailable: 120, restoreRate: 10 });
    seedOrders(h);
    await h.run(listOrders, { pageSize: 5 });
    const { runAction } = await import('@tributary/connector-sdk/testing');
    const { sampleConnectionConfig } = await import('../src/index.ts');
    h.fake.setAvailable(120);
    await runAction(listOrders, { props: { pageSize: 5 }, connection: sampleConnectionConfig(h.fake.url, { id: 'another-connection' }), services: h.services });
    expect(h.services.sleeps).toEqual([]);
  });
});
