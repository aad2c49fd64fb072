// CPU per run of the webhook → ERP flow's writes on PGlite in a data directory, by batch size: the
// run insert (`createRuns`, what a webhook waits for) and the outcome (`writeRunProgress`: the run
// update and the two step records), with the benchmark's payloads: the Shopify order fixture as the
// trigger and a sales order shaped like the shared mapping's output. PGlite runs in this thread, so `process.cpuUsage()` around a
// call is the store's whole cost of it.
//
// Two stores are measured in alternation, A and B: with `ALTER='<sql>'` B gets that SQL after its
// migrations (e.g. `ALTER='DROP INDEX runs_status_created'`) and the difference is the variant's
// effect; without it they are the same schema, and the difference is this machine's A/A noise.
//
// Usage (from the repository root, Node 24):
//   node packages/store/bench/batch-cost.ts [sizes=1,4,16,32,64] [rounds=6]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { openStore, type CreateRunInput, type RunProgress, type Store } from '../src/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sizes = (process.argv[2] ?? '1,4,16,32,64').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 6);
const order = JSON.parse(readFileSync(path.join(root, '../shared/fixtures/shopify/orders-create.json'), 'utf8')) as Record<string, unknown> & {
  line_items: Array<{ sku: string; name: string; quantity: number; price: string }>;
};
/** What the map step of examples/webhook-to-erp records as its output (same fields, same sizes). */
const mapped = {
  externalDocumentNumber: order['name'],
  customerPurchaseOrder: 'PO-77812',
  customerEmail: order['email'],
  orderDate: String(order['created_at']).slice(0, 10),
  currencyCode: order['currency'],
  paymentTermsCode: 'NET30',
  shipToAddress: { name: 'Northwind Outfitters', street: '1200 Commerce Way, Suite 400', city: 'Portland', state: 'OR', postalCode: '97209', countryCode: 'US' },
  lines: order.line_items.map((l) => ({ itemNumber: l.sku, description: l.name, quantity: l.quantity, unitPrice: Number(l.price), lineDiscountAmount: 0, taxPercent: 8.25 })),
  freightAmount: 45,
  totalAmountIncludingTax: Number(order['total_price']),
};

async function open(alter: string | undefined): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-batch-cost-'));
  let store = await openStore({ dataDir: dir, pgliteThread: 'main' });
  if (alter !== undefined) {
    await store.close();
    const pg = await PGlite.create(path.join(dir, 'pglite'));
    await pg.exec(alter);
    await pg.close();
    store = await openStore({ dataDir: dir, pgliteThread: 'main' });
  }
  return { store, dir };
}

const variants = { A: await open(undefined), B: await open(process.env['ALTER']) };
let seq = 0;

/** One batch of `size` runs: µs of CPU per run for the insert and for the outcome. */
async function batch(store: Store, size: number): Promise<[number, number]> {
  const inputs: CreateRunInput[] = Array.from({ length: size }, () => {
    const i = seq++;
    return { flowId: 'webhook-to-erp', version: 1, status: 'queued', trigger: { ...order, name: `#BC${i}` } as never, triggerKind: 'webhook', dedupeKey: `delivery-${i}`, priority: 2 };
  });
  const c0 = process.cpuUsage();
  const created = await store.createRuns(inputs);
  const insert = process.cpuUsage(c0);
  const now = new Date();
  const progress: RunProgress[] = created.map(({ run }) => ({
    run: { id: run.id, status: 'succeeded', attempt: 1, startedAt: now, finishedAt: now },
    steps: [
      { runId: run.id, nodeId: 'toSalesOrder', attempt: 1, status: 'succeeded', inputFrom: '$trigger', output: { ...mapped, externalDocumentNumber: run.id } as never, startedAt: now, finishedAt: now, durationMs: 1 },
      { runId: run.id, nodeId: 'createSalesOrder', attempt: 1, status: 'succeeded', inputFrom: 'toSalesOrder', output: { status: 201, headers: { 'content-type': 'application/json' }, body: { id: `so-${run.id}`, number: 'SO1' } }, startedAt: now, finishedAt: now, durationMs: 2 },
    ],
  }));
  const c1 = process.cpuUsage();
  await store.writeRunProgress(progress);
  const outcome = process.cpuUsage(c1);
  return [(insert.user + insert.system) / size, (outcome.user + outcome.system) / size];
}

const sums = new Map<string, { insert: number; outcome: number; n: number }>();
for (const size of sizes) for (let i = 0; i < 3; i++) await batch(variants.A.store, size), await batch(variants.B.store, size);
for (let r = 0; r < rounds; r++) {
  for (const size of sizes) {
    for (const name of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      const reps = Math.max(4, Math.round(256 / size));
      const sum = sums.get(`${name} ${size}`) ?? { insert: 0, outcome: 0, n: 0 };
      for (let k = 0; k < reps; k++) {
        const [insert, outcome] = await batch(variants[name].store, size);
        sum.insert += insert;
        sum.outcome += outcome;
        sum.n++;
      }
      sums.set(`${name} ${size}`, sum);
    }
  }
}
console.log(`CPU µs per run, mean of ${rounds} rounds${process.env['ALTER'] ? `; B: ${process.env['ALTER']}` : '; A and B the same schema (A/A)'}`);
console.log('runs/batch | A insert | A outcome | B insert | B outcome');
for (const size of sizes) {
  const a = sums.get(`A ${size}`)!;
  const b = sums.get(`B ${size}`)!;
  const f = (x: number, n: number): string => (x / n).toFixed(0).padStart(8);
  console.log(`${String(size).padStart(10)} | ${f(a.insert, a.n)} | ${f(a.outcome, a.n)}  | ${f(b.insert, b.n)} | ${f(b.outcome, b.n)}`);
}
for (const { store, dir } of Object.values(variants)) {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
