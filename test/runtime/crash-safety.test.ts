// kill -9 in the middle of a burst of signed webhooks, in both modes. Like Shopify, the sender retries
// every delivery it got no acknowledgement for, with the same X-Shopify-Webhook-Id. Afterwards every
// order must have run exactly once and reached the ERP exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '@tributary/store';
import { flushRedis, freshDatabase } from '../support/scaled.ts';
import { spawnTributary, type Child } from '../support/processes.ts';
import { startTarget, type Target } from '../support/target.ts';
import { shopifyOrder, until } from '../support/tributary.ts';
import { sendShopifyWebhook } from '../support/webhooks.ts';

const SECRET = 'crash-secret';
const TOTAL = 500;
const KEY = Buffer.alloc(32, 9).toString('base64');

interface Delivery {
  i: number;
  webhookId: string;
  runId?: string;
}

/** Sends every delivery not yet acknowledged, `concurrency` at a time; stops early once `stopAfter` are acknowledged in this pass. */
async function burst(url: () => string, deliveries: Delivery[], opts: { concurrency: number; onAck?: (acked: number) => void }): Promise<void> {
  const todo = deliveries.filter((d) => !d.runId);
  let next = 0;
  let acked = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < todo.length) {
        const d = todo[next++]!;
        try {
          const res = await sendShopifyWebhook(`${url()}/hooks/webhook-to-erp`, shopifyOrder(d.i), { secret: SECRET, webhookId: d.webhookId });
          if (res.status === 202 || res.status === 200) {
            d.runId = String(res.body['runId']);
            opts.onAck?.(++acked);
          }
        } catch {
          // connection refused or reset: the process is down; the sender will retry later
        }
      }
    }),
  );
}

function assertExactlyOnce(target: Target, deliveries: Delivery[]): void {
  const byName = new Map<string, number>();
  for (const o of target.orders) {
    const name = (o.body as { externalDocumentNumber: string }).externalDocumentNumber;
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  const missing = deliveries.filter((d) => !byName.has(`#T${d.i}`)).map((d) => d.i);
  const doubled = [...byName].filter(([, n]) => n > 1);
  expect(missing).toEqual([]);
  expect(doubled).toEqual([]);
  expect(target.orders).toHaveLength(deliveries.length);
}

let children: Child[] = [];
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of children) await c.kill('SIGKILL');
  for (const f of cleanup.reverse()) await f();
  children = [];
  cleanup = [];
});

describe('crash safety', () => {
  it('embedded: kill -9 mid-burst, restart, every acknowledged order runs and reaches the ERP exactly once', async () => {
    const target = await startTarget();
    cleanup.push(() => target.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-crash-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { PORT: '0', TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: KEY, SEED_TARGET: target.url, SEED_SECRET: SECRET };
    let child = await spawnTributary('embedded', env);
    children.push(child);
    const deliveries: Delivery[] = Array.from({ length: TOTAL }, (_, i) => ({ i, webhookId: `crash-e-${i}` }));
    let killed = false;
    await burst(() => child.url, deliveries, {
      concurrency: 16,
      onAck: (n) => {
        if (n === 200 && !killed) {
          killed = true;
          child.proc.kill('SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    const ackedBeforeCrash = deliveries.filter((d) => d.runId).map((d) => ({ ...d }));
    expect(ackedBeforeCrash.length).toBeGreaterThanOrEqual(200);
    expect(ackedBeforeCrash.length).toBeLessThan(TOTAL);

    child = await spawnTributary('embedded', env);
    children.push(child);
    await burst(() => child.url, deliveries, { concurrency: 16 });
    expect(deliveries.every((d) => d.runId)).toBe(true);
    // A delivery acknowledged before the crash keeps its run when the sender retries it.
    for (const d of ackedBeforeCrash) expect(deliveries[d.i]!.runId).toBe(d.runId);
    await until(async () => target.orders.length >= TOTAL, { timeoutMs: 120_000, what: 'every order at the ERP' });
    await new Promise((r) => setTimeout(r, 500));
    assertExactlyOnce(target, deliveries);
    await child.kill('SIGTERM');

    const store = await openStore({ dataDir });
    try {
      const runs = new Map<string, string>();
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof store.listRuns>> = await store.listRuns({ flowId: 'webhook-to-erp', limit: 500, cursor });
        for (const r of page.items) runs.set(r.id, r.status);
        cursor = page.nextCursor;
      } while (cursor);
      expect(runs.size).toBe(TOTAL);
      expect([...runs.values()].every((s) => s === 'succeeded')).toBe(true);
      for (const d of deliveries) expect(runs.get(d.runId!)).toBe('succeeded');
    } finally {
      await store.close();
    }
  }, 240_000);

  it('scaled: one server and two workers; kill -9 a worker mid-burst; every order runs and reaches the ERP exactly once', async () => {
    const db = `tributary_crash_${process.pid}`;
    cleanup.push(freshDatabase(db));
    const redisUrl = 'redis://127.0.0.1:6379/3';
    flushRedis(3);
    cleanup.push(() => flushRedis(3));
    const target = await startTarget();
    cleanup.push(() => target.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-crash-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { PORT: '0', TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_SECRET_KEY: KEY, DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, REDIS_URL: redisUrl, SEED_TARGET: target.url, SEED_SECRET: SECRET, WORKER_CONCURRENCY: '8' };
    const server = await spawnTributary('server', env);
    children.push(server);
    const w1 = await spawnTributary('worker', env);
    const w2 = await spawnTributary('worker', env);
    children.push(w1, w2);
    const deliveries: Delivery[] = Array.from({ length: TOTAL }, (_, i) => ({ i, webhookId: `crash-s-${i}` }));
    let killed = false;
    await burst(() => server.url, deliveries, {
      concurrency: 16,
      onAck: (n) => {
        if (n === 200 && !killed) {
          killed = true;
          w1.proc.kill('SIGKILL');
        }
      },
    });
    expect(deliveries.every((d) => d.runId)).toBe(true);
    const w3 = await spawnTributary('worker', env);
    children.push(w3);
    await until(async () => target.orders.length >= TOTAL, { timeoutMs: 120_000, what: 'every order at the ERP' });
    await new Promise((r) => setTimeout(r, 500));
    assertExactlyOnce(target, deliveries);

    const store = await openStore({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${db}` });
    try {
      // The ERP can see the last orders a moment before their runs' outcomes are committed — and the
      // killed worker may have posted an order but not recorded its run: that run is taken over only
      // once its lock expires and a stalled-job check finds it (lockDurationMs 30 s + stalledIntervalMs
      // 15 s), then re-run against the ERP's idempotency. Allow for that.
      const counts = await until(async () => {
        const c = await store.countRunsByStatus({ flowId: 'webhook-to-erp' });
        return c.succeeded === TOTAL ? c : undefined;
      }, { timeoutMs: 75_000, what: 'every run recorded as succeeded' }).catch(async () => store.countRunsByStatus({ flowId: 'webhook-to-erp' }));
      expect(counts.succeeded).toBe(TOTAL);
      expect(counts.queued + counts.running + counts.waiting + counts.failed).toBe(0);
    } finally {
      await store.close();
    }
  }, 240_000);
});
