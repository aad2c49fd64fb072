import { createHash, createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { createRegistry, type DigestBackend, type RateLimiterPort, useDigestBackend } from '@tributary/connector-sdk';
import { createLocalRateLimiter, createRedisRateLimiter } from '@tributary/connector-sdk';
import { createQueue, type QueueWorker } from '@tributary/queue';
import { createSandbox } from '@tributary/sandbox';
import { openStore } from '@tributary/store';
import { Redis } from 'ioredis';
import { ensureFirstAdmin } from './api/index.ts';
import { createApp } from './app.ts';
import { ConfigError, type Config } from './config.ts';
import type { AppContext } from './context.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { allConnectors } from './runtime/connectors.ts';
import { localFlowEvents, redisFlowEvents } from './runtime/flow-events.ts';
import { Runtime } from './runtime/runtime.ts';
import { createSecretBox, loadSecretKey, secretKeyProblem } from './secrets.ts';

const nodeDigest: DigestBackend = {
  sha256: (message) => createHash('sha256').update(message).digest(),
  // A Buffer view of the key: node:crypto takes a plain Uint8Array key by a path over twice as slow.
  hmacSha256: (key, message) => createHmac('sha256', Buffer.from(key.buffer, key.byteOffset, key.byteLength)).update(message).digest(),
};

export interface OpenOptions {
  mode: AppContext['mode'];
  /** Overrides for tests: log destination, sandbox pool size. */
  logDestination?: NodeJS.WritableStream;
  sandboxPoolSize?: number;
  fetch?: typeof fetch;
}

/** Opens the store, queue, sandbox and runtime a process needs; `closeContext` releases them in reverse. */
export async function openContext(config: Config, opts: OpenOptions): Promise<AppContext & { redis: Redis | null }> {
  const log = createLogger(config.logLevel, opts.logDestination);
  const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir, pgliteThread: config.pgliteThread });
  const queue = config.redisUrl
    ? await createQueue({ driver: 'bullmq', redisUrl: config.redisUrl, prefix: 'tributary' })
    : await createQueue({ driver: 'local' });
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : null;
  const rateLimiter: RateLimiterPort = redis ? createRedisRateLimiter(redis) : createLocalRateLimiter();
  const events = config.redisUrl ? await redisFlowEvents(config.redisUrl) : localFlowEvents();
  const sandbox = createSandbox({ poolSize: opts.sandboxPoolSize ?? Math.max(2, availableParallelism()) });
  // Webhook signatures and idempotency keys through node:crypto rather than the SDK's portable JS.
  useDigestBackend(nodeDigest);
  const registry = createRegistry(allConnectors());
  const secrets = createSecretBox(loadSecretKey({ secretKey: config.secretKey, dataDir: config.dataDir }));
  const metrics = createMetrics();
  const runtime = new Runtime({ store, queue, sandbox, registry, secrets, log, metrics, rateLimiter, events, concurrentWrites: config.databaseUrl ? 4 : 1, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  return { config, mode: opts.mode, store, queue, sandbox, registry, runtime, secrets, log, metrics, events, rateLimiter, redis };
}

export async function closeContext(ctx: AppContext & { redis: Redis | null }, opts: { drainMs?: number } = {}): Promise<void> {
  ctx.runtime.close();
  await ctx.queue.close({ drain: true, timeoutMs: opts.drainMs ?? 10_000 });
  ctx.runtime.closeConnections();
  await ctx.events.close();
  ctx.redis?.disconnect();
  await ctx.sandbox.close();
  await ctx.store.close();
}

export interface Running {
  ctx: AppContext;
  url: string | null;
  worker: QueueWorker | null;
  close(): Promise<void>;
}

function listen(ctx: AppContext): Promise<{ server: Server; url: string }> {
  const app = createApp(ctx);
  return new Promise((resolve, reject) => {
    const server = app.listen(ctx.config.port, ctx.config.host, (err?: Error) => {
      if (err) return reject(err);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : ctx.config.port;
      resolve({ server, url: `http://${ctx.config.host}:${port}` });
    });
    server.on('error', reject);
    server.keepAliveTimeout = 65_000;
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Refuses to start (ConfigError, exit 2) with a key that cannot decrypt the stored connection secrets,
 * rather than report ready and then fail every signed webhook and connector step of those connections.
 */
async function checkSecretKey(ctx: AppContext): Promise<void> {
  const problem = await secretKeyProblem(ctx);
  if (problem !== null) throw new ConfigError(problem);
}

/**
 * One process with everything (`tributary start`, the embedded default; with DATABASE_URL/REDIS_URL
 * set it uses them too), `server` (HTTP only: API, webhooks, schedules) or `worker` (runs only).
 */
export async function startProcess(config: Config, opts: OpenOptions & { worker: boolean; http: boolean; concurrency?: number }): Promise<Running> {
  const ctx = await openContext(config, opts);
  let http: { server: Server; url: string } | null = null;
  let worker: QueueWorker | null = null;
  try {
    await checkSecretKey(ctx);
    if (opts.http) await ensureFirstAdmin(ctx);
    // Before taking new work: put back whatever a crash left unfinished.
    await ctx.runtime.recoverUnfinished();
    if (opts.worker) worker = ctx.runtime.startWorker({ concurrency: opts.concurrency ?? 32 });
    if (opts.http) {
      await ctx.runtime.syncSchedules();
      if (config.redisUrl) ctx.runtime.startSweeper();
      http = await listen(ctx);
    }
  } catch (err) {
    await closeContext(ctx).catch(() => {});
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    ctx,
    url: http?.url ?? null,
    worker,
    close: () => {
      closing ??= (async () => {
        if (http) await closeServer(http.server);
        await worker?.close({ drain: true, timeoutMs: 10_000 });
        await closeContext(ctx);
      })();
      return closing;
    },
  };
}
