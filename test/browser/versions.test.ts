// The versions page: what "Changes" compares.
import type { Browser, BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { orderFlow } from '../support/tributary.ts';
import type { DesignerApp } from './support/app.ts';
import { trackPageErrors } from './support/browser.ts';
import { signedInAsAdmin } from './support/signed-in.ts';

let app: DesignerApp;
let browser: Browser;
let context: BrowserContext;

signedInAsAdmin((s) => ({ app, browser, context } = s));

describe('versions', () => {
  it('"Changes" of the first version says there is nothing earlier instead of comparing it with itself; v2 compares with v1', async () => {
    const flow = orderFlow('http://127.0.0.1:9');
    const { flowId } = await app.server.seed(flow, [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: 'x' } }]);
    const record = await app.api('GET', `/flows/${flowId}`);
    const { draft, rev } = record.body as { draft: { name: string }; rev: number };
    expect((await app.api('PUT', `/flows/${flowId}`, { draft: { ...draft, name: `${draft.name} (v2)` }, rev })).status).toBe(200);
    expect((await app.api('POST', `/flows/${flowId}/publish`, {})).status).toBeLessThan(300);

    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`/#/flows/${flowId}/versions`);
    await page.getByTestId('version-row-2').waitFor();

    await page.getByTestId('version-diff-1').click();
    expect(await page.getByTestId('version-first').innerText()).toContain('v1 is the first published version: there is nothing earlier to compare it with.');
    expect(await page.getByTestId('version-diff').count()).toBe(0);

    await page.getByTestId('version-diff-2').click();
    await page.getByTestId('version-diff').waitFor();
    expect(await page.getByTestId('version-first').count()).toBe(0);
    expect([await page.getByTestId('diff-left').inputValue(), await page.getByTestId('diff-right').inputValue()]).toEqual(['1', '2']);
    expect(await page.getByTestId('version-diff').innerText()).toContain('flow name');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
