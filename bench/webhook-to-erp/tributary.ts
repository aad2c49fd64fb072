// Starts Tributary for the benchmark: seeds examples/webhook-to-erp/flow.json (with the load generator's
// webhook secret) and runs the requested process. Usage:
//   node tributary.ts embedded            one process: API + webhooks + worker (PGlite, local queue)
//   node tributary.ts server | worker     the scaled mode (DATABASE_URL + REDIS_URL)
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../apps/server/src/config.ts';
import { startProcess } from '../../apps/server/src/processes.ts';
import { seedFlow } from '../../apps/server/src/runtime/seed.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const role = process.argv[2] ?? 'embedded';
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const config = loadConfig();
const running = await startProcess(config, {
  mode: role === 'embedded' ? 'embedded' : role === 'server' ? 'server' : 'worker',
  worker: role !== 'server',
  http: role !== 'worker',
  concurrency,
});
if (role !== 'worker') {
  const flow = JSON.parse(readFileSync(path.join(here, '../../examples/webhook-to-erp/flow.json'), 'utf8'));
  await seedFlow(running.ctx, { flow, connections: [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: process.env.BENCH_SECRET ?? 'bench-secret' } }] });
  console.log(`ready ${running.url}`);
} else console.log('ready worker');
// BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the steady state, from ready to SIGINT/SIGTERM
// (--cpu-prof would also take in start-up: migrations, PGlite's first start, the sandbox snapshot).
const profile = process.env.BENCH_PROFILE ? await startProfile(process.env.BENCH_PROFILE) : undefined;
const stop = (): void =>
  void (profile ?? Promise.resolve)()
    .then(() => {
      const s = running.ctx.sandbox.stats();
      console.log(`sandbox: ${s.evaluations} evaluations (${s.syncEvaluations} on the event loop, ${s.syncOverruns} overruns), ${s.codeRuns} code runs`);
    })
    .then(() => running.close())
    .then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile: taken } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(taken));
    session.disconnect();
  };
}
