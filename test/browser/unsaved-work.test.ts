// Unsaved work in the editor survives what happens around it: someone else saving the same flow
// meanwhile, and the session running out.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, startDesignerApp, type DesignerApp } from './support/app.ts';
import { launchChromium, newContext, signInContext, trackPageErrors } from './support/browser.ts';
import { dropFromPalette } from './support/canvas.ts';

// expect.poll waits for what the page shows; 1 s (the default) is short on a busy CI machine.
vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let app: DesignerApp;
let browser: Browser;

beforeAll(async () => {
  // The browser first: without Chromium the file fails at once, before a server is started.
  browser = await launchChromium();
  app = await startDesignerApp();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function createFlow(id: string): Promise<string> {
  const draft = {
    schemaVersion: 1,
    id,
    name: `Flow ${id}`,
    trigger: 'orderCreated',
    nodes: [
      { id: 'orderCreated', type: 'core.webhook', name: 'Order created', config: { signature: 'none', responseMode: 'async' } },
      { id: 'map1', type: 'core.map', name: 'Map', config: { expression: '$' } },
    ],
    edges: [{ from: 'orderCreated', to: 'map1' }],
    settings: { priority: 'normal', concurrency: 10, timeoutMs: 300000 },
    layout: { orderCreated: { x: 0, y: 0 }, map1: { x: 300, y: 0 } },
  };
  const res = await app.api('POST', '/flows', { draft });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

/** The node ids of the draft stored on the server. */
async function storedNodeIds(flowId: string): Promise<string[]> {
  const res = await app.api('GET', `/flows/${flowId}`);
  return (res.body as { draft: { nodes: Array<{ id: string }> } }).draft.nodes.map((n) => n.id).sort();
}

async function session(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, app.url);
  await signInContext(context, ADMIN.email, ADMIN.password);
  const page = await context.newPage();
  return { context, page, errors: trackPageErrors(page) };
}

async function openFlow(page: Page, flowId: string): Promise<void> {
  await page.goto(`/#/flows/${flowId}`);
  await page.getByTestId('node-map1').waitFor();
}

/** Opens the flow in two sessions; A adds a Filter node and saves it, B adds a Code node it has not saved. */
async function conflictingEdits(flowId: string): Promise<{ a: Awaited<ReturnType<typeof session>>; b: Awaited<ReturnType<typeof session>> }> {
  const a = await session();
  const b = await session();
  await openFlow(a.page, flowId);
  await openFlow(b.page, flowId);
  await dropFromPalette(a.page, 'core.filter', { x: 300, y: 350 });
  await a.page.getByTestId('node-filter1').waitFor();
  await a.page.getByTestId('save').click();
  await expect.poll(() => a.page.getByTestId('save-state').textContent()).toBe('Saved');
  await dropFromPalette(b.page, 'core.code', { x: 500, y: 350 });
  await b.page.getByTestId('node-code1').waitFor();
  return { a, b };
}

describe('someone else saved the flow meanwhile', () => {
  it('leaving the editor with unsaved changes keeps me in it with the conflict choice', async () => {
    const flowId = await createFlow('conflict-on-leave');
    const { a, b } = await conflictingEdits(flowId);
    await b.page.getByTestId('nav-runs').click();

    // B stays in the editor with the choice, its Code node still there and unsaved.
    await b.page.getByTestId('rev-conflict').waitFor();
    expect(new URL(b.page.url()).hash).toBe(`#/flows/${flowId}`);
    expect(await b.page.getByTestId('run-filters').count()).toBe(0);
    expect(await b.page.getByTestId('node-code1').count()).toBe(1);
    expect(await b.page.getByTestId('save-state').textContent()).toBe('Unsaved changes');

    // Keeping mine saves it; then the same link leaves.
    await b.page.getByTestId('rev-conflict-mine').click();
    await expect.poll(() => b.page.getByTestId('save-state').textContent()).toBe('Saved');
    expect(await storedNodeIds(flowId)).toEqual(['code1', 'map1', 'orderCreated']);
    await b.page.getByTestId('nav-runs').click();
    await b.page.getByTestId('run-filters').waitFor();
    expect(new URL(b.page.url()).hash).toBe('#/runs');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 90_000);

  it('"Overwrite with mine" saves on the first click', async () => {
    const flowId = await createFlow('overwrite-once');
    const { a, b } = await conflictingEdits(flowId);
    await b.page.getByTestId('save').click();
    await b.page.getByTestId('rev-conflict').waitFor();

    await b.page.getByTestId('rev-conflict-mine').click();
    await expect.poll(() => b.page.getByTestId('save-state').textContent()).toBe('Saved');
    expect(await b.page.getByTestId('rev-conflict').count()).toBe(0);
    expect(await storedNodeIds(flowId)).toEqual(['code1', 'map1', 'orderCreated']);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  }, 90_000);
});

describe('the session expired', () => {
  it('Save says so once, in plain words, and the unsaved draft comes back after signing in again', async () => {
    const flowId = await createFlow('session-expired');
    const { context, page, errors } = await session();
    await openFlow(page, flowId);
    await dropFromPalette(page, 'core.delay', { x: 400, y: 350 });
    await page.getByTestId('node-delay1').waitFor();

    // Signed out in another tab: to this tab, the session ran out.
    const other = await context.newPage();
    await other.goto('/');
    await other.getByTestId('logout').click();
    await other.getByTestId('login-form').waitFor();
    await other.close();

    await page.getByTestId('save').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('session-expired').textContent()).toBe('Your session has expired — sign in again; your unsaved changes are kept.');
    expect(await page.getByTestId('toast-error').count()).toBe(0);

    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('node-delay1').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/flows/${flowId}`);
    expect(await page.getByTestId('save-state').textContent()).toBe('Unsaved changes');
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.getByTestId('toast-error').count()).toBe(0);

    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
    expect(await storedNodeIds(flowId)).toEqual(['delay1', 'map1', 'orderCreated']);
    // Saved: nothing is kept any more, a reload shows the stored flow as it is.
    await page.reload();
    await page.getByTestId('node-delay1').waitFor();
    expect(await page.getByTestId('save-state').textContent()).toBe('Saved');
    expect(await page.getByTestId('draft-restored').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
