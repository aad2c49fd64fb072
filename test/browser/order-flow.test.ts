// An admin builds the Shopify-order-to-ERP flow in the real designer with the mouse, publishes and
// enables it, a signed Shopify webhook runs it, and the run shows up with its step data — while the
// ERP-like target receives the sales order the mapping made.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTarget, type Target } from '../support/target.ts';
import { repoRoot, until } from '../support/tributary.ts';
import { sendShopifyWebhook } from '../support/webhooks.ts';
import { ADMIN, startDesignerApp, type DesignerApp } from './support/app.ts';
import { launchChromium, newContext, signIn, trackPageErrors } from './support/browser.ts';
import { connectHandles, dropFromPalette, editorText, typeIntoEditor } from './support/canvas.ts';

// expect.poll waits for what the page shows; 1 s (the default) is short on a busy CI machine.
vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

const SECRET = 'shpss_browser_secret';
const orderText = readFileSync(path.join(repoRoot, '../shared/fixtures/shopify/orders-create.json'), 'utf8');
const order = JSON.parse(orderText) as { name: string; email: string; line_items: Array<{ sku: string }> };

let app: DesignerApp;
let target: Target;
let browser: Browser;

beforeAll(async () => {
  // The browser first: without Chromium the file fails at once, before a server is started.
  browser = await launchChromium();
  [app, target] = await Promise.all([startDesignerApp(), startTarget()]);
  const conn = await app.api('POST', '/connections', { name: 'shopify-webhooks', connector: 'core', config: {}, secrets: { webhookSecret: SECRET } });
  expect(conn.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await target?.close();
});

/** Drags a source field of the mapper's sample onto a target row. */
async function mapField(page: Page, source: string, targetField: string): Promise<void> {
  await page.getByTestId(`source-field-${source}`).dragTo(page.getByTestId(`target-field-${targetField}`));
  await expect.poll(() => page.getByTestId(`target-source-${targetField}`).textContent()).toBe(source);
}

async function addTarget(page: Page, name: string): Promise<void> {
  await page.getByTestId('target-new-name').fill(name);
  await page.getByTestId('target-add').click();
  await page.getByTestId(`target-field-${name}`).waitFor();
}

describe('building the Shopify order → ERP flow in the designer', () => {
  it('drag, connect, map, publish, enable; a signed webhook runs it and the run shows each step', async () => {
    const context = await newContext(browser, app.url);
    const page = await context.newPage();
    const pageErrors = trackPageErrors(page);
    await signIn(page, ADMIN.email, ADMIN.password);

    // A new, empty flow.
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-name').fill('Shopify order to ERP sales order');
    await page.getByTestId('create-flow').click();
    const editor = page.getByTestId('flow-editor');
    await editor.waitFor();
    const flowId = (await editor.getAttribute('data-flow-id')) ?? '';
    expect(flowId).toMatch(/^flw_/);
    expect(await page.locator('.react-flow__node').count()).toBe(0);

    // Trigger: a webhook checking Shopify's HMAC with the secret held by a connection.
    await dropFromPalette(page, 'core.webhook', { x: 140, y: 160 });
    await page.getByTestId('node-webhook1').waitFor();
    await expect.poll(() => page.getByTestId('config-panel').getAttribute('data-node-id')).toBe('webhook1');
    await page.getByTestId('field-webhook1-signature-input').selectOption({ label: 'Shopify HMAC (X-Shopify-Hmac-Sha256)' });
    await page.getByTestId('field-webhook1-connection-input').selectOption('shopify-webhooks');

    // A map node, then the HTTP request posting its output to the ERP.
    await dropFromPalette(page, 'core.map', { x: 440, y: 160 });
    await page.getByTestId('node-map1').waitFor();
    await dropFromPalette(page, 'core.httpRequest', { x: 740, y: 160 });
    await page.getByTestId('node-httpRequest').waitFor();
    await expect.poll(() => page.getByTestId('config-panel').getAttribute('data-node-id')).toBe('httpRequest');
    await page.getByTestId('field-httpRequest-method-input').selectOption({ label: 'POST' });
    await page.getByTestId('field-httpRequest-url-input').fill(`${target.url}/api/v2.0/salesOrders`);
    await page.getByTestId('field-httpRequest-body-fx').click();
    await typeIntoEditor(page, page.getByTestId('field-httpRequest-body-expr'), '$steps.map1');

    await connectHandles(page, 'handle-webhook1-out', 'handle-map1-in');
    await connectHandles(page, 'handle-map1-out', 'handle-httpRequest-in');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // The mapper: paste the Shopify order as the sample, then drag source fields onto target fields.
    await page.getByTestId('node-map1').click();
    await expect.poll(() => page.getByTestId('config-panel').getAttribute('data-node-id')).toBe('map1');
    await page.getByTestId('field-map1-expression-input-open-mapping').click();
    const mapper = page.getByTestId('mapping-editor');
    await mapper.waitFor();
    await page.getByTestId('sample-mode-paste').click();
    await typeIntoEditor(page, page.getByTestId('sample-json'), orderText);
    await page.getByTestId('source-field-line_items[].sku').waitFor();

    await addTarget(page, 'externalDocumentNumber');
    await mapField(page, 'name', 'externalDocumentNumber');
    await addTarget(page, 'customerEmail');
    await mapField(page, 'email', 'customerEmail');
    await addTarget(page, 'lines[].itemNumber');
    await mapField(page, 'line_items[].sku', 'lines[].itemNumber');

    // The live preview shows what the ERP will get.
    const preview = page.getByTestId('mapping-output');
    // (it re-runs 300 ms after the last change: wait for the last mapped field)
    await expect.poll(() => preview.textContent()).toContain(order.line_items[0]?.sku ?? 'no sku');
    expect(await preview.textContent()).toContain(order.name);
    expect(await preview.textContent()).toContain(order.email);
    await mapper.getByRole('button', { name: 'Close' }).click();
    await mapper.waitFor({ state: 'detached' });
    expect(await editorText(page.getByTestId('field-map1-expression-input'))).toContain('externalDocumentNumber');

    // No problems left: save, publish v1, enable (through the confirmation).
    await expect.poll(() => page.getByTestId('problems-error-count').textContent()).toBe('0 errors');
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-confirm').click();
    await expect.poll(() => page.getByTestId('versions-link').textContent()).toBe('Versions (v1)');
    const toggle = page.getByTestId(`enable-toggle-${flowId}`);
    await toggle.click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');

    // Shopify calls the flow's webhook.
    const res = await sendShopifyWebhook(`${app.url}/hooks/${flowId}`, JSON.parse(orderText), { secret: SECRET });
    expect(res.status).toBe(202);
    const runId = String(res.body['runId']);
    await until(async () => (await app.server.ctx.runtime.runWithSteps(runId))?.status === 'succeeded', { what: 'the run to succeed', timeoutMs: 20_000 });

    // The ERP got the mapped sales order.
    expect(target.orders).toHaveLength(1);
    expect(target.orders[0]?.body).toEqual({ externalDocumentNumber: order.name, customerEmail: order.email, lines: order.line_items.map((l) => ({ itemNumber: l.sku })) });

    // Runs → the run → its map step's input and output.
    await page.getByTestId('nav-runs').click();
    const row = page.getByTestId(`run-row-${runId}`);
    await row.waitFor();
    expect(await row.locator('.pill').first().textContent()).toBe('succeeded');
    await row.click();
    await page.getByTestId('run-detail').waitFor();
    expect(await page.locator('[data-testid="run-detail"] h1 .pill').textContent()).toBe('succeeded');
    expect(await page.getByTestId('run-step-httpRequest').getAttribute('data-status')).toBe('succeeded');
    await page.getByTestId('run-step-map1').click();
    const step = page.getByTestId('step-data-map1');
    await step.waitFor();
    expect(await step.getByTestId('step-input').textContent()).toContain(`"${order.name}"`);
    const output = (await step.getByTestId('step-output').textContent()) ?? '';
    expect(output).toContain('externalDocumentNumber');
    expect(output).toContain(`"${order.name}"`);

    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
