// What each role sees in the designer: analysts edit but cannot publish or enable; viewers get a
// read-only canvas. (The server refuses the same actions; this is about what the UI offers.)
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orderFlow } from '../support/tributary.ts';
import { ADMIN, startDesignerApp, type DesignerApp, type Role } from './support/app.ts';
import { launchChromium, newContext, signIn, trackPageErrors } from './support/browser.ts';
import { dragNode, nodeScreenPosition } from './support/canvas.ts';

// expect.poll waits for what the page shows; 1 s (the default) is short on a busy CI machine.
vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let app: DesignerApp;
let browser: Browser;
let flowId: string;
const users: Partial<Record<Role, { email: string; password: string }>> = { admin: ADMIN };

beforeAll(async () => {
  // The browser first: without Chromium the file fails at once, before a server is started.
  browser = await launchChromium();
  app = await startDesignerApp();
  // Published and enabled, so an admin would see both the publish button and an "on" toggle.
  ({ flowId } = await app.server.seed(orderFlow('http://127.0.0.1:9'), [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: 'x' } }]));
  users.analyst = await app.createUser('analyst');
  users.viewer = await app.createUser('viewer');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function openAs(role: Role): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const creds = users[role];
  if (!creds) throw new Error(`no ${role} user`);
  const context = await newContext(browser, app.url);
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await signIn(page, creds.email, creds.password);
  expect(await page.getByTestId('user-role').textContent()).toBe(role);
  return { page, errors, close: () => context.close() };
}

async function openFlow(page: Page): Promise<void> {
  await page.getByTestId(`flow-row-${flowId}`).getByRole('link', { name: 'Shopify order to ERP sales order' }).click();
  await page.getByTestId('flow-editor').waitFor();
  await page.getByTestId('node-toSalesOrder').waitFor();
}

describe('roles in the designer', () => {
  it('an admin sees the enable toggle and Publish (the baseline the other roles are compared with)', async () => {
    const { page, errors, close } = await openAs('admin');
    await page.getByTestId(`flow-row-${flowId}`).waitFor(); // the list loads after sign-in
    expect(await page.getByTestId(`enable-toggle-${flowId}`).count()).toBe(1);
    await openFlow(page);
    expect(await page.getByTestId('publish').count()).toBe(1);
    expect(await page.getByTestId(`enable-toggle-${flowId}`).count()).toBe(1);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('an analyst edits the flow but sees no enable toggle and no Publish button', async () => {
    const { page, errors, close } = await openAs('analyst');
    // The flow list shows the state as text, not as a switch.
    const row = page.getByTestId(`flow-row-${flowId}`);
    await row.waitFor();
    expect(await row.getByRole('switch').count()).toBe(0);
    expect(await row.locator('.pill', { hasText: 'Enabled' }).count()).toBe(1);
    await openFlow(page);
    expect(await page.getByTestId('publish').count()).toBe(0);
    expect(await page.getByTestId(`enable-toggle-${flowId}`).count()).toBe(0);
    expect(await page.getByRole('switch').count()).toBe(0);
    // …while editing stays possible: the palette, save and test run are there.
    await page.getByTestId('palette').waitFor();
    expect(await page.getByTestId('save').count()).toBe(1);
    expect(await page.getByTestId('test-run').count()).toBe(1);
    expect(await page.getByTestId('save-state').textContent()).toBe('Saved');
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('a viewer gets a read-only canvas: no palette, nodes do not move, fields are disabled', async () => {
    const { page, errors, close } = await openAs('viewer');
    await openFlow(page);
    expect(await page.getByTestId('save-state').textContent()).toBe('Read-only');
    expect(await page.getByTestId('palette').count()).toBe(0);
    expect(await page.locator('[data-testid^="palette-item-"]').count()).toBe(0);
    for (const id of ['publish', 'save', 'undo', 'test-run', `enable-toggle-${flowId}`]) expect(await page.getByTestId(id).count(), id).toBe(0);

    // Dragging a node only pans the view: the node keeps its place relative to the others.
    const offset = async () => {
      const [a, b] = await Promise.all([nodeScreenPosition(page, 'toSalesOrder'), nodeScreenPosition(page, 'orderCreated')]);
      return { x: a.x - b.x, y: a.y - b.y };
    };
    const before = await offset();
    await dragNode(page, 'toSalesOrder', { x: 150, y: 90 });
    expect(await offset()).toEqual(before);

    await page.getByTestId('node-toSalesOrder').click();
    await page.getByTestId('config-panel').waitFor();
    expect(await page.getByTestId('node-name-input').isDisabled()).toBe(true);
    expect(await page.getByTestId('field-toSalesOrder-expression-input-open-mapping').textContent()).toBe('View in the mapper');
    expect(await page.getByTestId('save-state').textContent()).toBe('Read-only');
    expect(errors).toEqual([]);
    await close();
  }, 60_000);
});
