// The versions page: what "Changes" compares, and who published each version.
import type { Browser, BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { orderFlow } from '../support/tributary.ts';
import { ADMIN, type DesignerApp } from './support/app.ts';
import { newContext, signInContext, trackPageErrors } from './support/browser.ts';
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

  it('names who published each version to an analyst, who may not list users: never a raw user id', async () => {
    const { flowId } = await app.server.seed(orderFlow('http://127.0.0.1:9', { id: 'publishers' }), [{ name: 'shopify-webhooks', connector: 'core', secrets: { webhookSecret: 'x' } }]);
    const users = (await app.api('GET', '/users')).body as { items: Array<{ id: string; email: string }> };
    const adminId = users.items.find((u) => u.email === ADMIN.email)?.id ?? '';
    expect((await app.api('PATCH', `/users/${adminId}`, { name: 'Ada Lovelace' })).status).toBe(200);
    const { rev } = (await app.api('GET', `/flows/${flowId}`)).body as { rev: number };
    expect((await app.api('POST', `/flows/${flowId}/publish`, { rev })).status).toBeLessThan(300);
    // No API deletes users; a version whose publisher's row is gone is what a clean-up in the database leaves.
    await app.server.ctx.store.publish({ flowId, by: 'usr_01GONE' });

    const analyst = await app.createUser('analyst');
    const analystContext = await newContext(browser, app.url);
    await signInContext(analystContext, analyst.email, analyst.password);
    const page = await analystContext.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`/#/flows/${flowId}/versions`);
    await page.getByTestId('version-row-3').waitFor();
    expect(await page.getByTestId('version-author-2').innerText()).toBe('Ada Lovelace');
    expect(await page.getByTestId('version-author-3').innerText()).toBe('deleted user');
    expect(await page.getByTestId('version-author-3').getAttribute('title')).toBe('usr_01GONE');
    // The seeded version 1 was published by nobody.
    expect(await page.getByTestId('version-author-1').innerText()).toBe('');
    expect(await page.getByTestId('versions-table').innerText()).not.toContain(adminId);
    expect(errors).toEqual([]);
    await analystContext.close();

    // Admins read the same names in the audit log, with the e-mail on hover.
    const auditPage = await context.newPage();
    await auditPage.goto('/#/audit');
    await auditPage.getByTestId('audit-table').waitFor();
    await auditPage.getByPlaceholder('Filter').fill(flowId);
    const actor = auditPage.getByTestId('audit-actor').first();
    expect([await actor.innerText(), await actor.getAttribute('title')]).toEqual(['Ada Lovelace', ADMIN.email]);
    await auditPage.close();
  }, 60_000);
});
