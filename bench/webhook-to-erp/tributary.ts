// Starts Tributary for the benchmark: seeds examples/webhook-to-erp/flow.json (with the load generator's
// webhook secret) and runs the requested process. Usage:
//   node tributary.ts embedded            one process: API + webhooks + worker (PGlite, local queue)
//   node tributary.ts server | worker     the scaled mode (DATABASE_URL + REDIS_URL)
import { readFileSync } from 'node:fs';
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
const stop = (): void => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
