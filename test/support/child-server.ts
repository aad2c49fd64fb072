// A Tributary process for tests that need to kill -9 it: `node child-server.ts <embedded|server|worker>`.
// With SEED_TARGET set, seeds the order flow pointed at that target (idempotent), then prints "ready <url>".
import { loadConfig } from '../../apps/server/src/config.ts';
import { startProcess } from '../../apps/server/src/processes.ts';
import { seedFlow } from '../../apps/server/src/runtime/seed.ts';
import { orderFlow } from './tributary.ts';

const role = process.argv[2] ?? 'embedded';
const running = await startProcess(loadConfig(), {
  mode: role === 'embedded' ? 'embedded' : role === 'server' ? 'server' : 'worker',
  worker: role !== 'server',
  http: role !== 'worker',
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 16),
  sandboxPoolSize: 2,
});
if (process.env.SEED_TARGET && role !== 'worker') {
  await seedFlow(running.ctx, {
    flow: orderFlow(process.env.SEED_TARGET, process.env.SEED_FLOW_RETRY ? {} : {}),
    connections: [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: process.env.SEED_SECRET ?? 'secret' } }],
  });
}
process.stdout.write(`ready ${running.url ?? 'worker'}\n`);
const stop = (): void => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
