// Canvas editing in the real designer: undo/redo of add, move and delete, and validation errors
// showing on the node they belong to (and blocking Publish until fixed).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { orderFlow } from '../support/tributary.ts';
import type { DesignerApp } from './support/app.ts';
import { trackPageErrors } from './support/browser.ts';
import { signedInAsAdmin } from './support/signed-in.ts';
import { dragNode, dropFromPalette, nodeScreenPosition, typeIntoEditor, type Point } from './support/canvas.ts';

// expect.poll waits for what the page shows; 1 s (the default) is short on a busy CI machine.
vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let app: DesignerApp;
let browser: Browser;
let context: BrowserContext;

signedInAsAdmin((s) => ({ app, browser, context } = s));

async function createFlow(draft: Record<string, unknown>): Promise<string> {
  const res = await app.api('POST', '/flows', { draft });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

async function openFlow(page: Page, flowId: string): Promise<void> {
  await page.goto(`/#/flows/${flowId}`);
  await page.getByTestId('flow-editor').waitFor();
}

/** Where the node is on screen, or null when it is not on the canvas. */
async function where(page: Page, nodeId: string): Promise<Point | null> {
  return (await page.getByTestId(`node-${nodeId}`).count()) === 0 ? null : nodeScreenPosition(page, nodeId);
}

describe('undo and redo on the canvas', () => {
  it('Ctrl+Z takes back a delete, a move and an add, one at a time; Ctrl+Shift+Z applies them again', async () => {
    const flowId = await createFlow({ schemaVersion: 1, id: 'undo-redo', name: 'Undo and redo', trigger: 'trigger', nodes: [], edges: [], settings: { priority: 'normal', concurrency: 10, timeoutMs: 300000 }, layout: {} });
    const page = await context.newPage();
    const pageErrors = trackPageErrors(page);
    await openFlow(page, flowId);
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);

    await dropFromPalette(page, 'core.map', { x: 300, y: 200 });
    await page.getByTestId('node-map1').waitFor();
    const added = await where(page, 'map1');
    expect(added).not.toBeNull();

    await dragNode(page, 'map1', { x: 240, y: 120 });
    const moved = await where(page, 'map1');
    expect(Math.abs((moved?.x ?? 0) - (added?.x ?? 0) - 240)).toBeLessThanOrEqual(2);
    expect(Math.abs((moved?.y ?? 0) - (added?.y ?? 0) - 120)).toBeLessThanOrEqual(2);

    // The drag left the node selected; Delete removes it.
    await page.keyboard.press('Delete');
    await expect.poll(() => where(page, 'map1')).toBeNull();

    const steps: Array<{ keys: string; expected: Point | null }> = [
      { keys: 'Control+z', expected: moved },
      { keys: 'Control+z', expected: added },
      { keys: 'Control+z', expected: null },
      { keys: 'Control+Shift+z', expected: added },
      { keys: 'Control+Shift+z', expected: moved },
      { keys: 'Control+Shift+z', expected: null },
    ];
    for (const { keys, expected } of steps) {
      await page.keyboard.press(keys);
      await expect.poll(() => where(page, 'map1'), { message: `after ${keys}` }).toEqual(expected);
    }
    // Nothing left to redo; undo is still possible.
    expect(await page.getByTestId('redo').isDisabled()).toBe(true);
    expect(await page.getByTestId('undo').isDisabled()).toBe(false);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('validation on the canvas', () => {
  it('a broken JSONata expression marks its own node and the problems list and blocks Publish until it is fixed', async () => {
    const flow = { ...orderFlow('http://127.0.0.1:9'), id: 'validation' };
    const valid = String(flow.nodes.find((n) => n.id === 'toSalesOrder')?.config?.['expression']);
    const flowId = await createFlow(flow);
    const page = await context.newPage();
    const pageErrors = trackPageErrors(page);
    await openFlow(page, flowId);
    const publish = page.getByTestId('publish');
    await expect.poll(() => page.getByTestId('problems-error-count').textContent()).toBe('0 errors');
    expect(await publish.isEnabled()).toBe(true);

    await page.getByTestId('node-toSalesOrder').click();
    const expression = page.getByTestId('field-toSalesOrder-expression-input');
    await typeIntoEditor(page, expression, '$lowercase(');

    // The badge is on the map node only.
    const badge = page.getByTestId('node-issues-toSalesOrder');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('1');
    expect(await badge.getAttribute('class')).toContain('issue-error');
    expect(await page.getByTestId('node-toSalesOrder').getAttribute('class')).toContain('has-errors');
    for (const other of ['orderCreated', 'createSalesOrder']) expect(await page.getByTestId(`node-issues-${other}`).count()).toBe(0);
    // And in the problems list, pointing at that node.
    expect(await page.getByTestId('problems-error-count').textContent()).toBe('1 error');
    const problem = page.getByTestId('problem-0');
    expect(await problem.getAttribute('data-node-id')).toBe('toSalesOrder');
    expect(await problem.getAttribute('data-code')).toBe('FLOW_EXPRESSION_SYNTAX');
    // Under the field as well.
    expect(await page.getByTestId('field-toSalesOrder-expression').locator('.field-issue-error').count()).toBe(1);
    expect(await publish.isDisabled()).toBe(true);

    // Fixing it clears every mark and enables Publish again.
    await typeIntoEditor(page, expression, valid);
    await badge.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('problems-error-count').textContent()).toBe('0 errors');
    expect(await page.getByTestId('node-toSalesOrder').getAttribute('class')).not.toContain('has-errors');
    expect(await publish.isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
