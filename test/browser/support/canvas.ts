// Mouse gestures on the designer's canvas and mapper, as a user makes them.
import type { Locator, Page } from 'playwright-core';

export interface Point {
  x: number;
  y: number;
}

async function centreOf(locator: Locator): Promise<Point> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${String(locator)} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a palette item onto the canvas, dropping it `at` (pixels from the canvas's top-left corner). */
export async function dropFromPalette(page: Page, type: string, at: Point): Promise<void> {
  await page.getByTestId(`palette-item-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: at });
}

/** Presses on one handle and releases on another, moving in steps so React Flow tracks the connection line. */
export async function connectHandles(page: Page, fromHandle: string, toHandle: string): Promise<void> {
  const a = await centreOf(page.getByTestId(fromHandle));
  const b = await centreOf(page.getByTestId(toHandle));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** Drags a node by its header by (dx, dy) screen pixels. */
export async function dragNode(page: Page, nodeId: string, by: Point): Promise<void> {
  const header = page.getByTestId(`node-${nodeId}`).locator('.step-node-header');
  const a = await centreOf(header);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  // React Flow starts a drag once the pointer passed its threshold and moves the node from there:
  // a small first step (like a hand's) keeps what it swallows to a pixel.
  await page.mouse.move(a.x + Math.sign(by.x), a.y + Math.sign(by.y));
  await page.mouse.move(a.x + by.x / 2, a.y + by.y / 2, { steps: 5 });
  await page.mouse.move(a.x + by.x, a.y + by.y, { steps: 5 });
  await page.mouse.up();
}

/** The node's on-screen top-left corner. */
export async function nodeScreenPosition(page: Page, nodeId: string): Promise<Point> {
  const box = await page.getByTestId(`node-${nodeId}`).boundingBox();
  if (!box) throw new Error(`node ${nodeId} is not on screen`);
  return { x: Math.round(box.x), y: Math.round(box.y) };
}

/** Replaces a CodeMirror editor's text: click into it, select all, type the new text. */
export async function typeIntoEditor(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  if (text === '') await page.keyboard.press('Backspace');
  else await page.keyboard.insertText(text);
}

/** The text of a CodeMirror editor as the user sees it. */
export async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator('.cm-line').allTextContents()).join('\n');
}
