// Drives the real designer through its main screens and saves them as PNGs (1440×900). Run by
// scripts/screenshots.mjs; the data is seeded here: connections, three flows, a day of order-run
// history written straight into the store (so the KPI charts have a shape), and a few live runs
// through the signed webhook (so run detail shows real step data).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { FlowDocumentInput } from '@tributary/flow';
import type { JsonValue } from '@tributary/store';
import { seedFlow } from '../../../apps/server/src/runtime/seed.ts';
import { startTarget } from '../../support/target.ts';
import { orderFlow, repoRoot, shopifyOrder, until } from '../../support/tributary.ts';
import { sendShopifyWebhook } from '../../support/webhooks.ts';
import { ADMIN, startDesignerApp, type DesignerApp } from './app.ts';
import { launchChromium, newContext, signIn } from './browser.ts';

const SECRET = 'shpss_screenshots';
const FLOW = 'webhook-to-erp';

/** A small deterministic PRNG, so every refresh seeds the same history shape. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAILURES = [
  { code: 'UPSTREAM_UNAVAILABLE', message: 'ERP answered 503 Service Unavailable (3 attempts)', ms: 7_400 },
  { code: 'VALIDATION', message: 'ERP refused the sales order: item TR2-SLT-99 does not exist', ms: 310 },
  { code: 'UPSTREAM_UNAVAILABLE', message: 'ERP answered 503 Service Unavailable (3 attempts)', ms: 7_150 },
  { code: 'TIMEOUT', message: 'ERP did not answer within 30000 ms', ms: 30_240 },
  { code: 'UPSTREAM_UNAVAILABLE', message: 'ERP answered 503 Service Unavailable (3 attempts)', ms: 7_020 },
];

/** A day of order runs of `flowId` v1 (about 3 an hour, a few failed), written straight into the store. */
async function seedHistory(app: DesignerApp, flowId: string): Promise<void> {
  const { store } = app.server.ctx;
  const rnd = random(42);
  const now = Date.now();
  const count = 72;
  const failAt = new Set([9, 23, 41, 58, 66]);
  let failure = 0;
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(now - 23.5 * 3_600_000 + (i / count) * 23 * 3_600_000 + rnd() * 600_000);
    // Busier hours in the afternoon are slower; a few runs needed retries.
    const hour = createdAt.getUTCHours();
    const base = 220 + (hour >= 13 && hour <= 17 ? 260 : 0) + rnd() * 240;
    const failed = failAt.has(i) ? FAILURES[failure++ % FAILURES.length] : undefined;
    const ms = failed?.ms ?? Math.round(rnd() < 0.08 ? base + 2500 + rnd() * 3000 : base);
    const order = JSON.parse(JSON.stringify(shopifyOrder(2000 + i))) as { [key: string]: JsonValue };
    const { run } = await store.createRun({ flowId, version: 1, status: 'running', trigger: order, triggerKind: 'webhook', createdAt, startedAt: createdAt });
    const mapMs = 3 + Math.round(rnd() * 6);
    const mapped = { externalDocumentNumber: String(order['name']), customerEmail: 'purchasing@northwind-outfitters.example' };
    const finishedAt = new Date(createdAt.getTime() + ms);
    const error = failed ? { code: failed.code, message: failed.message, kind: failed.code === 'VALIDATION' ? ('user' as const) : ('transient' as const), retryable: failed.code !== 'VALIDATION' } : null;
    await store.writeRunProgress([
      {
        run: { id: run.id, status: failed ? 'failed' : 'succeeded', finishedAt, error },
        steps: [
          { runId: run.id, nodeId: 'toSalesOrder', attempt: 1, status: 'succeeded', input: order, output: mapped, startedAt: createdAt, finishedAt: new Date(createdAt.getTime() + mapMs), durationMs: mapMs },
          {
            runId: run.id,
            nodeId: 'createSalesOrder',
            attempt: failed && failed.code !== 'VALIDATION' ? 3 : 1,
            status: failed ? 'failed' : 'succeeded',
            input: mapped,
            ...(failed ? { error } : { output: { status: 201, body: { id: `so-h${i}`, number: `SO${200000 + i}` } } }),
            startedAt: new Date(createdAt.getTime() + mapMs),
            finishedAt,
            durationMs: ms - mapMs,
          },
        ],
      },
    ]);
  }
}

/** A published but disabled schedule flow and an unpublished draft, so the flow list has some variety. */
function otherFlows(targetUrl: string): FlowDocumentInput[] {
  const stock: FlowDocumentInput = {
    schemaVersion: 1,
    id: 'erp-stock-to-shopify',
    name: 'ERP stock levels to Shopify inventory',
    trigger: 'every15min',
    nodes: [
      { id: 'every15min', type: 'core.schedule', name: 'Every 15 minutes', config: { cron: '*/15 * * * *', timezone: 'Europe/Berlin' } },
      { id: 'fetchStock', type: 'core.httpRequest', name: 'GET stock from ERP', config: { method: 'GET', url: `${targetUrl}/api/v2.0/items?$filter=inventory ne 0` } },
      { id: 'toLevels', type: 'core.map', name: 'Map to inventory levels', config: { expression: 'body.value.{ "sku": number, "available": inventory }' } },
    ],
    edges: [
      { from: 'every15min', to: 'fetchStock' },
      { from: 'fetchStock', to: 'toLevels' },
    ],
    settings: { priority: 'normal', concurrency: 4, timeoutMs: 300000 },
    layout: { every15min: { x: 0, y: 0 }, fetchStock: { x: 280, y: 0 }, toLevels: { x: 560, y: 0 } },
  };
  const customers: FlowDocumentInput = {
    schemaVersion: 1,
    id: 'shopify-customer-to-crm',
    name: 'Shopify customer to CRM contact',
    trigger: 'customerCreated',
    nodes: [
      { id: 'customerCreated', type: 'core.webhook', name: 'New customer', config: { signature: 'shopify-hmac', connection: 'shopify-webhooks', responseMode: 'async' } },
      { id: 'toContact', type: 'core.map', name: 'Map to contact', config: { expression: '{ "email": $lowercase(email), "firstName": first_name, "lastName": last_name, "company": default_address.company }' } },
    ],
    edges: [{ from: 'customerCreated', to: 'toContact' }],
    settings: { priority: 'normal', concurrency: 10, timeoutMs: 300000 },
    layout: { customerCreated: { x: 0, y: 0 }, toContact: { x: 280, y: 0 } },
  };
  return [stock, customers];
}

/** Waits until React Flow's viewport transform stops changing (fit-view animates for 300 ms). */
async function viewportSettled(page: Page): Promise<void> {
  const read = () => page.locator('.react-flow__viewport').getAttribute('style');
  let last = await read();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await read();
    if (now === last) return;
    last = now;
  }
  throw new Error('the canvas viewport kept moving');
}

async function shot(page: Page, outDir: string, name: string): Promise<string> {
  // Let charts measure themselves and transitions settle before the picture.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Seeds a workspace, signs in as the admin, and saves the main screens into `outDir`. Returns the files. */
export async function takeScreenshots(outDir: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  log('starting Tributary (and building the designer when its sources changed)…');
  const browser = await launchChromium();
  const target = await startTarget();
  const app = await startDesignerApp().catch(async (err: unknown) => {
    await Promise.all([browser.close(), target.close()]);
    throw err;
  });
  const files: string[] = [];
  try {
    for (const c of [
      { name: 'shopify-webhooks', connector: 'core', config: {}, secrets: { webhookSecret: SECRET } },
      { name: 'erp-http', connector: 'http', config: { authType: 'bearer', baseUrl: target.url }, secrets: { token: 'erp-token' } },
    ]) {
      const res = await app.api('POST', '/connections', c);
      if (res.status !== 201) throw new Error(`creating connection ${c.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const order = orderFlow(target.url);
    for (const n of order.nodes) if (n.id === 'createSalesOrder') (n.config as Record<string, unknown>)['connection'] = 'erp-http';
    await seedFlow(app.server.ctx, { flow: order });
    const [stock, customers] = otherFlows(target.url);
    if (stock) await seedFlow(app.server.ctx, { flow: stock, enable: false });
    if (customers) await app.api('POST', '/flows', { draft: customers });

    log('seeding a day of run history and sending live webhooks…');
    await seedHistory(app, FLOW);
    const live: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const res = await sendShopifyWebhook(`${app.url}/hooks/${FLOW}`, { ...shopifyOrder(i), name: `#W${1041 + i}`, order_number: 1041 + i }, { secret: SECRET });
      live.push(String(res.body['runId']));
    }
    for (const id of live) await until(async () => (await app.server.ctx.runtime.runWithSteps(id))?.status === 'succeeded', { what: `run ${id}` });

    const context = await newContext(browser, app.url);
    const page = await context.newPage();
    await signIn(page, ADMIN.email, ADMIN.password);

    log('flows');
    await page.getByTestId('flows-table').waitFor();
    files.push(await shot(page, outDir, 'flows'));

    log('runs');
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-table').waitFor();
    files.push(await shot(page, outDir, 'runs'));

    log('run detail');
    const runId = live.at(-1) ?? '';
    await page.getByTestId(`run-row-${runId}`).click();
    await page.getByTestId('run-detail').waitFor();
    // The ERP step: what the mapping produced went in, the ERP's answer came out.
    await page.getByTestId('run-step-createSalesOrder').click();
    await page.getByTestId('step-data-createSalesOrder').waitFor();
    files.push(await shot(page, outDir, 'run-detail'));

    log('canvas');
    await page.goto(`/#/flows/${FLOW}`);
    await page.getByTestId('node-createSalesOrder').waitFor();
    await page.getByTestId('test-run').click();
    await page.getByTestId('test-run-dialog').waitFor();
    await page.getByTestId('test-payload').locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(readFileSync(path.join(repoRoot, '../shared/fixtures/shopify/orders-create.json'), 'utf8'));
    await page.getByTestId('test-run-start').click();
    await page.getByTestId('node-run-createSalesOrder').waitFor();
    await page.getByTestId('node-toSalesOrder').click();
    await page.getByTestId('config-panel').waitFor();
    await page.getByTestId('tab-config').click();
    await page.getByTestId('fit-view').click();
    await viewportSettled(page);
    await page.mouse.move(640, 260); // off the toolbar, so no button shows its hover state
    files.push(await shot(page, outDir, 'canvas'));

    log('mapping editor');
    await page.getByTestId('field-toSalesOrder-expression-input-open-mapping').click();
    await page.getByTestId('mapping-editor').waitFor();
    await page.getByTestId('mapping-output').waitFor();
    files.push(await shot(page, outDir, 'mapping-editor'));
    await page.getByTestId('mapping-editor').getByRole('button', { name: 'Close' }).click();

    log('KPIs');
    await page.getByTestId('nav-kpis').click();
    await page.getByTestId('kpis').waitFor();
    await page.getByTestId('chart-order-processing').waitFor();
    files.push(await shot(page, outDir, 'kpis'));
    await context.close();
    return files;
  } finally {
    await browser.close();
    await app.stop();
    await target.close();
  }
}
