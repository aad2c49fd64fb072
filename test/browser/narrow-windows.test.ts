// The designer in narrow windows: down to a tablet (768 px) nothing is clipped and the node panel
// overlays the canvas instead of squeezing it; on a phone (390 px) nothing is cut off the right edge.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { orderFlow } from '../support/tributary.ts';
import type { DesignerApp } from './support/app.ts';
import { trackPageErrors } from './support/browser.ts';
import { signedInAsAdmin } from './support/signed-in.ts';

vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let app: DesignerApp;
let browser: Browser;
let context: BrowserContext;
let flowId: string;

signedInAsAdmin((s) => ({ app, browser, context } = s));
beforeAll(async () => {
  ({ flowId } = await app.server.seed(orderFlow('http://127.0.0.1:9'), [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: 'x' } }]));
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${String(locator)} is not visible`);
  return b;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The test ids whose boxes stick out past the right edge of a window `width` wide. */
async function clippedAtRight(page: Page, width: number, testIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of testIds) {
    const b = await box(page.getByTestId(id));
    if (b.x < 0 || b.x + b.width > width + 0.5) out.push(`${id} (${Math.round(b.x)}–${Math.round(b.x + b.width)})`);
  }
  return out;
}

async function openEditor(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await page.setViewportSize({ width, height });
  await page.goto(`/#/flows/${flowId}`);
  await page.getByTestId('node-toSalesOrder').waitFor();
  return { page, errors };
}

const TOP_BAR = ['logout', 'save', 'test-run', 'publish'];

describe('narrow windows', () => {
  for (const width of [820, 768]) {
    it(`at ${width} px the bars fit, the node panel overlays the canvas and the zoom controls stay clear`, async () => {
      const { page, errors } = await openEditor(width, 700);
      expect(await clippedAtRight(page, width, [...TOP_BAR, `enable-toggle-${flowId}`])).toEqual([]);
      const canvasBefore = await box(page.getByTestId('canvas'));
      expect(canvasBefore.width).toBeGreaterThan(width / 2);

      await page.getByTestId('node-toSalesOrder').click();
      const panel = page.getByTestId('config-panel');
      await panel.waitFor();
      expect(await clippedAtRight(page, width, ['config-panel'])).toEqual([]);
      // The panel lies over the canvas; the canvas keeps its size.
      expect((await box(page.getByTestId('canvas'))).width).toBe(canvasBefore.width);
      const controls = await box(page.locator('.react-flow__controls'));
      expect(overlaps(controls, await box(panel))).toBe(false);
      const minimap = page.locator('.react-flow__minimap');
      if (await minimap.isVisible()) expect(overlaps(controls, await box(minimap))).toBe(false);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  }

  it('at 390 px nothing is cut off at the right edge and the canvas gets the width', async () => {
    const { page, errors } = await openEditor(390, 844);
    expect(await clippedAtRight(page, 390, [...TOP_BAR, `enable-toggle-${flowId}`])).toEqual([]);
    expect((await box(page.getByTestId('canvas'))).width).toBeGreaterThan(300);
    expect(await page.locator('.react-flow__minimap').isVisible()).toBe(false);
    await page.getByTestId('node-toSalesOrder').click();
    await page.getByTestId('config-panel').waitFor();
    expect(await clippedAtRight(page, 390, ['config-panel'])).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
