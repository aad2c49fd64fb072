// A running Tributary (in-process, temp data dir) with the Shopify and Business Central fakes and the
// example connections, for the example flows' end-to-end tests.
import type { FlowDocument } from '@tributary/flow';
import { exampleConnections } from '../../apps/server/src/demo/connections.ts';
import { startFakeBusinessCentral, type FakeBusinessCentral } from '../fakes/business-central/index.ts';
import { startFakeShopify, type FakeShopify } from '../fakes/shopify/index.ts';
import { startTestServer, until, type TestServer } from '../support/tributary.ts';

export const WEBHOOK_SECRET = 'shpss_examples_secret';

export interface ExampleWorld {
  server: TestServer;
  shopify: FakeShopify;
  bc: FakeBusinessCentral;
  seed(flow: FlowDocument): Promise<{ flowId: string; version: number }>;
  stop(): Promise<void>;
}

export async function startExampleWorld(opts: { bcSeed?: 'cronus' | 'empty' } = {}): Promise<ExampleWorld> {
  const shopify = await startFakeShopify();
  const bc = await startFakeBusinessCentral({ seed: opts.bcSeed ?? 'cronus' });
  const server = await startTestServer();
  const connections = exampleConnections({ shopify, businessCentral: bc, webhookSecret: WEBHOOK_SECRET });
  return {
    server,
    shopify,
    bc,
    seed: (flow) => server.seed(flow, connections),
    stop: async () => {
      await server.stop();
      await shopify.close();
      await bc.close();
    },
  };
}

type RunWithSteps = NonNullable<Awaited<ReturnType<TestServer['ctx']['runtime']['runWithSteps']>>>;

/** Waits for a run to finish; fails with its step errors when it did not succeed. */
export async function finishedRun(server: TestServer, runId: string, opts: { timeoutMs?: number } = {}): Promise<RunWithSteps> {
  const run = await until(async () => {
    const r = await server.ctx.runtime.runWithSteps(runId);
    return r && r.finishedAt ? r : undefined;
  }, { what: `run ${runId} to finish`, timeoutMs: opts.timeoutMs ?? 20_000 });
  if (run.status !== 'succeeded') {
    const errors = run.steps.filter((s) => s.error).map((s) => `${s.nodeId}: ${s.error?.code} ${s.error?.message}`);
    throw new Error(`run ${runId} ${run.status}: ${run.error?.code} ${run.error?.message}\n${errors.join('\n')}`);
  }
  return run;
}

/** The latest successful output of a node in a run. */
export function outputOf(run: RunWithSteps, nodeId: string): unknown {
  return run.steps.filter((s) => s.nodeId === nodeId && s.status === 'succeeded').at(-1)?.output;
}

/** Node ids of the steps that succeeded, in order. */
export function succeededNodes(run: RunWithSteps): string[] {
  return run.steps.filter((s) => s.status === 'succeeded').map((s) => s.nodeId);
}

/** Every run of a flow, oldest first. */
export async function runsOf(server: TestServer, flowId: string): Promise<Array<{ id: string; status: string; triggerKind: string; trigger: unknown }>> {
  const out: Array<{ id: string; status: string; triggerKind: string; trigger: unknown; createdAt: Date }> = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<TestServer['ctx']['store']['listRuns']>> = await server.ctx.store.listRuns({ flowId, limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** A sales order created in the Business Central fake through its API (token, then one deep insert), as BC users would enter it. */
export async function createBcSalesOrder(bc: FakeBusinessCentral, order: { externalDocumentNumber: string; customerNumber: string; lines: Array<{ itemNumber: string; quantity: number }> }): Promise<{ id: string; number: string }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: bc.clientId, client_secret: bc.clientSecret, scope: 'https://api.businesscentral.dynamics.com/.default' });
  const tokenRes = await fetch(bc.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const res = await fetch(`${bc.companyUrl}/salesOrders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      externalDocumentNumber: order.externalDocumentNumber,
      customerNumber: order.customerNumber,
      salesOrderLines: order.lines.map((l, i) => ({ sequence: (i + 1) * 10000, lineType: 'Item', lineObjectNumber: l.itemNumber, quantity: l.quantity })),
    }),
  });
  if (res.status !== 201) throw new Error(`fake Business Central refused the sales order: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; number: string };
}
