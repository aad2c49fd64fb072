// Mapping benchmark: the reference Shopify order -> ERP sales order mapping, evaluated by plain jsonata
// in the host and by @tributary/sandbox in isolates, in the same process and run.
//
//   bench/mapping/run.sh [--seconds 0.5] [--rounds 12] [--json]
//
// Prints throughput of each, the sandbox/host ratios, and cold first-evaluation latencies. Fixtures are
// read from ../shared/fixtures relative to the repository root (override with FIXTURES_DIR).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { registerLibrary } from '../../packages/mapping/src/library/index.ts';
import { buildRuntimeBundle, synchronousJsonataSource } from '../../packages/sandbox/src/bundle.ts';
import { createSandbox } from '../../packages/sandbox/src/index.ts';
import { runtimeImage } from '../../packages/sandbox/src/runtime-image.ts';

// bench/ is not a workspace package: take jsonata and isolated-vm from the sandbox's dependencies.
const requireFromSandbox = createRequire(new URL('../../packages/sandbox/package.json', import.meta.url));
const jsonata = requireFromSandbox('jsonata');
const ivm = requireFromSandbox('isolated-vm');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const seconds = option('seconds', 0.5);
const rounds = option('rounds', 12);
const asJson = args.includes('--json');

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixturesDir = process.env.FIXTURES_DIR ?? `${repoRoot}../shared/fixtures`;
const mappingText = readFileSync(`${fixturesDir}/mappings/shopify-order-to-erp-sales-order.jsonata`, 'utf8');
const order = JSON.parse(readFileSync(`${fixturesDir}/shopify/orders-create.json`, 'utf8'));

// --- cold child: one fresh process, createSandbox -> first result (bundle + snapshot + isolate + eval)
if (args.includes('--cold-child')) {
  const started = performance.now();
  const sandbox = createSandbox({ poolSize: 1, warm: false });
  await sandbox.evaluate({ expression: mappingText, input: order });
  const total = performance.now() - started;
  const runtime = sandbox.stats().runtime;
  await sandbox.close();
  process.stdout.write(JSON.stringify({ total, bundleMs: runtime?.bundleMs, snapshotMs: runtime?.snapshotMs }));
  process.exit(0);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** CPU time of the whole process (every thread, isolates included) per operation, in µs, by variant. */
const cpuPerOp = {};

/** Runs `op` with `concurrency` in flight for `durationSeconds`; returns operations per second. */
async function throughput(op, concurrency, durationSeconds = seconds, warmMs = 50, label = undefined) {
  const warmUntil = performance.now() + warmMs;
  while (performance.now() < warmUntil) await op();
  let done = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await op();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  if (label !== undefined) {
    const cpu = process.cpuUsage(cpuBefore);
    (cpuPerOp[label] ??= []).push((cpu.user + cpu.system) / done);
  }
  return done / elapsed;
}

// The synchronous jsonata build the sandbox evaluates with (packages/sandbox/src/bundle.ts), loaded in
// the host too: sandbox against it is the cost of isolation alone, like for like.
const syncModule = { exports: {} };
new Function('module', 'exports', await synchronousJsonataSource())(syncModule, syncModule.exports);
const jsonataSync = syncModule.exports;

// Results must agree before anything is timed.
const hostExpression = registerLibrary(jsonata(mappingText));
const hostSyncExpression = registerLibrary(jsonataSync(mappingText));
if (JSON.stringify(hostSyncExpression.evaluate(order)) !== JSON.stringify(await hostExpression.evaluate(order))) throw new Error('synchronous and upstream jsonata results differ');
const expected = JSON.parse(JSON.stringify(await hostExpression.evaluate(order)));
const poolSize = availableParallelism();
const sandbox = createSandbox({ poolSize });
await sandbox.ready();
const sandboxed = await sandbox.evaluate({ expression: mappingText, input: order });
if (JSON.stringify(sandboxed) !== JSON.stringify(expected)) throw new Error('sandbox and host results differ');

// A typical `$expr` config value: tiny, reading the run scope, so the per-call cost dominates.
const exprText = '$trigger.name & "-" & $string($steps.toSalesOrder.total)';
const scope = { trigger: order, steps: { toSalesOrder: { total: 1840 } } };
const hostExpr = registerLibrary(jsonata(exprText));
const orderJson = JSON.stringify(order);
const ops = {
  host: () => hostExpression.evaluate(order),
  hostSync: async () => hostSyncExpression.evaluate(order),
  // What a step does without a sandbox too: the input arrives as JSON (a queued event, a recorded step
  // output) and the output is stored as JSON.
  hostJson: async () => JSON.stringify(await hostExpression.evaluate(JSON.parse(orderJson))),
  sandbox: () => sandbox.evaluate({ expression: mappingText, input: order }),
  hostExpr: () => hostExpr.evaluate({}, scope),
  sandboxExpr: () => sandbox.evaluate({ expression: exprText, input: {}, bindings: scope }),
};
for (const op of Object.values(ops)) await throughput(op, poolSize * 2, 1, 0);

// Rounds interleave host and sandbox so that load from other processes hits both alike; the ratios
// are taken per round and their median reported.
const loadBefore = loadavg()[0];
const measured = { host: [], hostSync: [], ratioPooledToHostSync: [], hostJson: [], sequential: [], pooled: [], ratioSequential: [], ratioPooled: [], ratioSequentialToHostJson: [], hostExpr: [], sandboxExpr: [], ratioExpr: [] };
for (let round = 0; round < rounds; round++) {
  const host = await throughput(ops.host, 1, seconds, 50, 'host');
  const hostJson = await throughput(ops.hostJson, 1, seconds, 50, 'hostJson');
  const sequential = await throughput(ops.sandbox, 1, seconds, 50, 'sandbox');
  const pooled = await throughput(ops.sandbox, poolSize * 2, seconds, 50, 'sandboxPooled');
  const hostSync = await throughput(ops.hostSync, 1, seconds, 50, 'hostSync');
  measured.host.push(host);
  measured.hostSync.push(hostSync);
  measured.ratioPooledToHostSync.push(pooled / hostSync);
  measured.hostJson.push(hostJson);
  measured.ratioSequentialToHostJson.push(sequential / hostJson);
  measured.sequential.push(sequential);
  measured.pooled.push(pooled);
  measured.ratioSequential.push(sequential / host);
  measured.ratioPooled.push(pooled / host);
  const hostExprOps = await throughput(ops.hostExpr, 1, seconds, 50, 'exprHost');
  const sandboxExprOps = await throughput(ops.sandboxExpr, 1, seconds, 50, 'exprSandbox');
  measured.hostExpr.push(hostExprOps);
  measured.sandboxExpr.push(sandboxExprOps);
  measured.ratioExpr.push(sandboxExprOps / hostExprOps);
}

// --- the rejected design: a fresh context (from the snapshot) for every evaluation, so no compile cache
const image = await runtimeImage();
const freshIsolate = new ivm.Isolate({ memoryLimit: 64, snapshot: image.snapshot });
const inputJson = JSON.stringify(order);
const freshContextOp = async () => {
  const context = await freshIsolate.createContext();
  const entry = await context.global.get('__tributary_evaluate', { reference: true });
  await entry.apply(undefined, [mappingText, inputJson, '{}', 5e6, 0], { result: { promise: true, copy: true } });
  entry.release();
  context.release();
};
const freshContext = await throughput(freshContextOp, 1, 2);
freshIsolate.dispose();

// --- compile cost: a new expression text each time (cache miss) on a warm isolate
let unique = 0;
const uncached = await throughput(() => sandbox.evaluate({ expression: `${mappingText}\n/* ${unique++} */`, input: order }), 1, 2);
const sandboxStats = sandbox.stats();
await sandbox.close();

// --- cold first evaluation with the runtime image built: new isolate from the snapshot -> first result
const isolateCold = [];
for (let i = 0; i < 15; i++) {
  const started = performance.now();
  const fresh = createSandbox({ poolSize: 1, warm: false });
  await fresh.evaluate({ expression: mappingText, input: order });
  isolateCold.push(performance.now() - started);
  await fresh.close();
}

// --- snapshot vs script: the same bundle evaluated per isolate instead of restored from the snapshot
const bundle = await buildRuntimeBundle();
const scriptCold = [];
const snapshotCold = [];
for (let i = 0; i < 10; i++) {
  let started = performance.now();
  const viaScript = new ivm.Isolate({ memoryLimit: 64 });
  const script = await viaScript.compileScript(bundle.code);
  const scriptContext = await viaScript.createContext();
  await script.run(scriptContext);
  const scriptEntry = await scriptContext.global.get('__tributary_evaluate', { reference: true });
  await scriptEntry.apply(undefined, [mappingText, inputJson, '{}', 5e6, 8], { result: { promise: true, copy: true } });
  scriptCold.push(performance.now() - started);
  viaScript.dispose();

  started = performance.now();
  const viaSnapshot = new ivm.Isolate({ memoryLimit: 64, snapshot: image.snapshot });
  const snapshotContext = await viaSnapshot.createContext();
  const snapshotEntry = await snapshotContext.global.get('__tributary_evaluate', { reference: true });
  await snapshotEntry.apply(undefined, [mappingText, inputJson, '{}', 5e6, 8], { result: { promise: true, copy: true } });
  snapshotCold.push(performance.now() - started);
  viaSnapshot.dispose();
}

// --- process cold: a new Node process, createSandbox -> first result (esbuild + snapshot + isolate)
const processCold = [];
for (let i = 0; i < 3; i++) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child'], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`cold child failed: ${child.stderr}`);
  processCold.push(JSON.parse(child.stdout));
}

const host = median(measured.host);
const result = {
  node: process.version,
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
  poolSize,
  seconds,
  rounds,
  loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) },
  opsPerSecond: {
    hostJsonata: Math.round(host),
    hostJsonataJsonInOut: Math.round(median(measured.hostJson)),
    hostSynchronousJsonata: Math.round(median(measured.hostSync)),
    sandboxSequential: Math.round(median(measured.sequential)),
    sandboxPooled: Math.round(median(measured.pooled)),
    freshContextPerEvaluation: Math.round(freshContext),
    sandboxUncachedCompile: Math.round(uncached),
    exprHost: Math.round(median(measured.hostExpr)),
    exprSandbox: Math.round(median(measured.sandboxExpr)),
  },
  ratioToHost: {
    sandboxSequential: Number(median(measured.ratioSequential).toFixed(2)),
    sandboxSequentialToHostJsonInOut: Number(median(measured.ratioSequentialToHostJson).toFixed(2)),
    sandboxPooled: Number(median(measured.ratioPooled).toFixed(2)),
    sandboxPooledToHostSynchronous: Number(median(measured.ratioPooledToHostSync).toFixed(2)),
    freshContextPerEvaluation: Number((freshContext / host).toFixed(2)),
    sandboxUncachedCompile: Number((uncached / host).toFixed(2)),
    exprSandbox: Number(median(measured.ratioExpr).toFixed(2)),
  },
  sandbox: { evaluations: sandboxStats.evaluations, onCallingThread: sandboxStats.syncEvaluations, syncOverruns: sandboxStats.syncOverruns, retiredIsolates: sandboxStats.retired },
  cpuMicrosecondsPerEvaluation: Object.fromEntries(Object.entries(cpuPerOp).map(([k, v]) => [k, Math.round(median(v))])),
  coldMs: {
    isolateFirstEvaluation: { median: Number(median(isolateCold).toFixed(1)), p90: Number(percentile(isolateCold, 90).toFixed(1)) },
    snapshotIsolate: Number(median(snapshotCold).toFixed(1)),
    scriptIsolate: Number(median(scriptCold).toFixed(1)),
    processFirstEvaluation: Number(median(processCold.map((c) => c.total)).toFixed(1)),
    processBundleEsbuild: Number(median(processCold.map((c) => c.bundleMs)).toFixed(1)),
    processSnapshot: Number(median(processCold.map((c) => c.snapshotMs)).toFixed(1)),
  },
};

if (asJson) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const o = result.opsPerSecond;
  const r = result.ratioToHost;
  const c = result.coldMs;
  console.log(`Node ${result.node}, ${result.cpus}, pool ${poolSize}, ${rounds} rounds of ${seconds}s (medians)`);
  console.log(`load average (1 min) before ${result.loadAverage1m.before}, after ${result.loadAverage1m.after}`);
  console.log('');
  console.log('throughput (evaluations/s)                       ops/s   vs host');
  console.log(`  host jsonata (compiled once, 1 in flight)   ${String(o.hostJsonata).padStart(8)}     1.00`);
  console.log(`  host jsonata, JSON input parsed + output serialised ${String(o.hostJsonataJsonInOut).padStart(0)}  (sandbox 1 in flight: ${r.sandboxSequentialToHostJsonInOut.toFixed(2)} of it)`);
  console.log(`  sandbox, 1 in flight                        ${String(o.sandboxSequential).padStart(8)}     ${r.sandboxSequential.toFixed(2)}`);
  console.log(`  sandbox, ${String(poolSize * 2).padEnd(2)} in flight on ${poolSize} isolates        ${String(o.sandboxPooled).padStart(8)}     ${r.sandboxPooled.toFixed(2)}`);
  console.log(`  host, the sandbox's synchronous jsonata build ${String(o.hostSynchronousJsonata).padStart(6)}     (sandbox ${poolSize * 2} in flight: ${r.sandboxPooledToHostSynchronous.toFixed(2)} of it, the cost of isolation alone)`);
  console.log(`  sandbox, new expression text every call     ${String(o.sandboxUncachedCompile).padStart(8)}     ${r.sandboxUncachedCompile.toFixed(2)}`);
  console.log(`  rejected: fresh context per evaluation      ${String(o.freshContextPerEvaluation).padStart(8)}     ${r.freshContextPerEvaluation.toFixed(2)}`);
  console.log(`  $expr "${exprText}", with the order as $trigger:`);
  console.log(`    host jsonata                              ${String(o.exprHost).padStart(8)}     1.00`);
  console.log(`    sandbox, 1 in flight                      ${String(o.exprSandbox).padStart(8)}     ${r.exprSandbox.toFixed(2)}`);
  const cpu = result.cpuMicrosecondsPerEvaluation;
  const sb = result.sandbox;
  console.log(`  (${sb.evaluations} sandboxed evaluations, ${sb.onCallingThread} of them on the calling thread; ${sb.syncOverruns} overran the sync budget; ${sb.retiredIsolates} isolates retired)`);
  console.log('');
  console.log('CPU per evaluation, all threads (µs): the throughput ratio a CPU-bound worker can reach');
  console.log(`  mapping: host ${cpu.host} (${cpu.hostJson} with JSON in/out, ${cpu.hostSync} synchronous build), sandbox ${cpu.sandbox} (1 in flight), ${cpu.sandboxPooled} (pooled) -> ratio ${(cpu.host / cpu.sandboxPooled).toFixed(2)}`);
  console.log(`  $expr:   host ${cpu.exprHost}, sandbox ${cpu.exprSandbox} -> ratio ${(cpu.exprHost / cpu.exprSandbox).toFixed(2)}`);
  console.log('');
  console.log('cold first evaluation (ms)');
  console.log(`  new isolate from the snapshot -> result     median ${c.isolateFirstEvaluation.median}, p90 ${c.isolateFirstEvaluation.p90}`);
  console.log(`  bare isolate: snapshot ${c.snapshotIsolate} vs evaluating the bundle script ${c.scriptIsolate}`);
  console.log(`  new process: createSandbox -> result        ${c.processFirstEvaluation} (esbuild ${c.processBundleEsbuild}, snapshot ${c.processSnapshot})`);
}
