// Starts Tributary in-process for tests (PGlite in a temp dir unless DATABASE_URL is passed in env),
// seeds flows, and reads the store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../apps/server/src/config.ts';
import { startProcess, type Running } from '../../apps/server/src/processes.ts';
import { seedFlow, type SeedConnection } from '../../apps/server/src/runtime/seed.ts';
import type { FlowDocumentInput } from '@tributary/flow';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestServer extends Running {
  url: string;
  dataDir: string;
  logs: string[];
  seed(flow: FlowDocumentInput, connections?: SeedConnection[]): Promise<{ flowId: string; version: number }>;
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, opts: { worker?: boolean; http?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-test-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'info', TRIBUTARY_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), ...env });
  const running = await startProcess(config, { mode: 'embedded', worker: opts.worker ?? true, http: opts.http ?? true, logDestination: sink, sandboxPoolSize: 2 });
  return {
    ...running,
    url: running.url ?? '',
    dataDir,
    logs,
    seed: (flow, connections) => seedFlow(running.ctx, { flow, ...(connections ? { connections } : {}) }),
    stop: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The benchmark / example flow, pointed at a test target. */
export function orderFlow(targetUrl: string, overrides: Partial<FlowDocumentInput> = {}): FlowDocumentInput {
  const doc = JSON.parse(readFileSync(path.join(repoRoot, 'examples/webhook-to-erp/flow.json'), 'utf8')) as FlowDocumentInput;
  for (const n of doc.nodes) if (n.type === 'core.httpRequest') (n.config as Record<string, unknown>)['url'] = `${targetUrl}/api/v2.0/salesOrders`;
  return { ...doc, ...overrides };
}

export function shopifyOrder(i: number): Record<string, unknown> {
  const template = JSON.parse(readFileSync(path.join(repoRoot, '../shared/fixtures/shopify/orders-create.json'), 'utf8')) as Record<string, unknown>;
  return { ...template, id: 5820458172476 + i, name: `#T${i}`, order_number: 1000 + i };
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}
