import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
const { default: jsonata } = await import('../../mapping/node_modules/jsonata/jsonata.js' as string);
import { openStore } from '../src/index.ts';
const flow = JSON.parse(readFileSync('examples/webhook-to-erp/flow.json', 'utf8'));
const order = JSON.parse(readFileSync('../shared/fixtures/shopify/orders-create.json', 'utf8'));
const mapped = await jsonata(flow.nodes[1].config.expression).evaluate(order);
const dir = mkdtempSync(path.join(tmpdir(), 'sb-'));
let store = await openStore({ dataDir: dir, pgliteThread: 'main' });
const dir2 = mkdtempSync(path.join(tmpdir(), 'sb-'));
let store2 = await openStore({ dataDir: dir2, pgliteThread: 'main' });
if (process.env.ALTER) {
  await store2.close();
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create(path.join(dir2, 'pglite'));
  await pg.exec(process.env.ALTER);
  await pg.close();
  store2 = await openStore({ dataDir: dir2, pgliteThread: 'main' });
}
const stores = { a: store, b: store2 };
const sizes = (process.argv[2] ?? '1,4,8,16,32,64').split(',').map(Number);
let mode = process.argv[3] ?? 'all';
const modes = (process.argv[3] ?? 'all').split(',');
let seq = 0;
async function round(b: number, store = stores.a): Promise<[number, number]> {
  const inputs = Array.from({ length: b }, () => { const i = seq++; return { flowId: 'webhook-to-erp', version: 1, status: 'queued' as const, trigger: { ...order, name: `#X${i}` }, triggerKind: 'webhook', dedupeKey: `d-${i}`, priority: 0 }; });
  const c0 = process.cpuUsage();
  const made = await store.createRuns(inputs);
  const c1 = process.cpuUsage(c0);
  const now = new Date();
  const batch = made.map(({ run }) => ({
    run: { id: run.id, status: 'succeeded' as const, finishedAt: now, attempt: 1, startedAt: now },
    steps: mode === 'runonly' ? [] : [
      { runId: run.id, nodeId: 'toSalesOrder', attempt: 1, status: 'succeeded' as const, inputFrom: '$trigger', output: { ...mapped, externalDocumentNumber: run.id }, ports: null, error: null, logs: null, startedAt: now, finishedAt: now, durationMs: 1 },
      { runId: run.id, nodeId: 'createSalesOrder', attempt: 1, status: 'succeeded' as const, input: { method: 'POST', url: 'http://127.0.0.1:4010/api/v2.0/salesOrders', body: mapped }, output: { status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'so-1', number: 'SO1' } }, ports: null, error: null, logs: null, startedAt: now, finishedAt: now, durationMs: 2 },
    ],
  }));
  const c2 = process.cpuUsage();
  if (mode !== 'insertonly') await store.writeRunProgress(batch as never);
  const c3 = process.cpuUsage(c2);
  return [(c1.user + c1.system) / b, (c3.user + c3.system) / b];
}
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
if (process.env.PROF) { await round(8); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
const sums: Record<string, number[]> = {};
const ROUNDS = Number(process.env.ROUNDS ?? 4);
for (let r = 0; r < ROUNDS; r++) for (const b of sizes) for (const m of modes) for (const which of (r % 2 ? ['b', 'a'] : ['a', 'b']) as ('a' | 'b')[]) {
  mode = m;
  let ins = 0, prog = 0; const reps = Math.max(4, Math.round(400 / b));
  for (let k = 0; k < reps; k++) { const [a, p] = await round(b, stores[which]); ins += a; prog += p; }
  (sums[`${which} ${m} b=${b}`] ??= [0, 0, 0]); sums[`${which} ${m} b=${b}`]![0] += ins / reps; sums[`${which} ${m} b=${b}`]![1] += prog / reps; sums[`${which} ${m} b=${b}`]![2]++;
  if (process.env.QUIET) continue;
  console.log(`${which} ${m.padEnd(8)} b=${String(b).padStart(3)} insert ${(ins / reps).toFixed(0).padStart(5)} µs/run  progress ${(prog / reps).toFixed(0).padStart(5)} µs/run`);
}
for (const [k, [i, p, n]] of Object.entries(sums)) console.log('MEAN', k, 'insert', (i / n).toFixed(0), 'progress', (p / n).toFixed(0));
if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).writeFileSync(process.env.PROF, JSON.stringify(profile)); }
await store.close(); await store2.close(); rmSync(dir, { recursive: true }); rmSync(dir2, { recursive: true });
