// The mapper remembers what the analyst gave it.
import type { Browser, BrowserContext } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { orderFlow } from '../support/tributary.ts';
import type { DesignerApp } from './support/app.ts';
import { trackPageErrors } from './support/browser.ts';
import { signedInAsAdmin } from './support/signed-in.ts';
import { editorText, typeIntoEditor } from './support/canvas.ts';

vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let app: DesignerApp;
let browser: Browser;
let context: BrowserContext;

signedInAsAdmin((s) => ({ app, browser, context } = s));

describe('mapper sample', () => {
  it('JSON pasted as the sample is still there after closing and reopening the mapper', async () => {
    const res = await app.api('POST', '/flows', { draft: { ...orderFlow('http://127.0.0.1:9'), id: 'mapper-sample' } });
    expect(res.status).toBe(201);
    const flowId = (res.body as { id: string }).id;
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`/#/flows/${flowId}`);
    await page.getByTestId('node-toSalesOrder').click();
    const open = page.getByTestId('field-toSalesOrder-expression-input-open-mapping');
    const mapper = page.getByTestId('mapping-editor');

    await open.click();
    await mapper.waitFor();
    await page.getByTestId('sample-mode-paste').click();
    const pasted = '{ "pastedOnly": { "deep": 1 } }';
    await typeIntoEditor(page, page.getByTestId('sample-json'), pasted);
    await page.getByTestId('source-field-pastedOnly').waitFor();
    await mapper.getByRole('button', { name: 'Close' }).click();
    await mapper.waitFor({ state: 'detached' });

    await open.click();
    await mapper.waitFor();
    expect(await page.getByTestId('sample-mode-paste').getAttribute('class')).toContain('active');
    expect(await editorText(page.getByTestId('sample-json'))).toBe(pasted);
    await page.getByTestId('source-field-pastedOnly').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
