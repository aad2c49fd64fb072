// The admin pages where one click changes what other people can do: users and connections.
import { describe, expect, it, vi } from 'vitest';
import { trackPageErrors } from './support/browser.ts';
import { typeIntoEditor } from './support/canvas.ts';
import { signedInAsAdmin, type SignedIn } from './support/signed-in.ts';

vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let s: SignedIn;
signedInAsAdmin((session) => (s = session));

async function userByEmail(email: string): Promise<{ disabled?: boolean } | undefined> {
  const res = await s.app.api('GET', '/users');
  const body = res.body as { items?: Array<{ email: string; disabled?: boolean }> } | Array<{ email: string; disabled?: boolean }>;
  const items = Array.isArray(body) ? body : (body.items ?? []);
  return items.find((u) => u.email === email);
}

describe('users and roles', () => {
  it('disabling a user (which signs them out everywhere) asks first; Cancel leaves them active', async () => {
    const analyst = await s.app.createUser('analyst');
    const page = await s.context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${s.app.url}/#/users`);
    const active = page.getByTestId(`user-row-${analyst.email}`).getByRole('checkbox');
    await active.waitFor();
    expect(await active.isChecked()).toBe(true);

    await active.click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('signed out everywhere');
    await page.getByTestId('confirm-cancel').click();
    await confirm.waitFor({ state: 'detached' });
    expect(await active.isChecked()).toBe(true);
    expect((await userByEmail(analyst.email))?.disabled).not.toBe(true);

    await active.click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => (await userByEmail(analyst.email))?.disabled).toBe(true);
    await expect.poll(() => active.isChecked()).toBe(false);

    // Making someone active again needs no confirmation.
    await active.click();
    await expect.poll(async () => (await userByEmail(analyst.email))?.disabled).toBe(false);
    expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('connections', () => {
  it('a new connection missing required settings or secrets names them by label before anything is sent', async () => {
    const before = await s.app.api('GET', '/connections');
    const count = (b: unknown) => (Array.isArray(b) ? b.length : ((b as { items?: unknown[] }).items ?? []).length);
    const page = await s.context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${s.app.url}/#/connections`);
    await page.getByTestId('new-connection').click();
    await page.getByTestId('connection-dialog').waitFor();
    await page.getByTestId('connection-name').fill('erp-bc');
    await page.getByTestId('connection-connector').selectOption('business-central');
    // Secret fields carry their label and say which are required.
    expect(await page.getByTestId('secret-clientSecret').locator('.field-label').textContent()).toBe('Client secret clientSecret*');
    await page.getByTestId('secret-input-clientId').fill('app-id');
    await page.getByTestId('connection-save').click();
    const missing = page.getByTestId('connection-missing');
    await missing.waitFor();
    expect(await missing.textContent()).toBe('Required before saving: Tenant id (tenantId), Company id (companyId), Client secret (clientSecret).');
    expect(await page.getByTestId('connection-dialog').count()).toBe(1);
    expect(count((await s.app.api('GET', '/connections')).body)).toBe(count(before.body));

    await typeIntoEditor(page, page.getByTestId('connection-config'), JSON.stringify({ tenantId: 'contoso', companyId: '6a0b6ce4-44e3-ea11-bb43-000d3a2feca1', environment: 'production' }));
    await page.getByTestId('secret-input-clientSecret').fill('app-secret');
    await expect.poll(() => missing.count()).toBe(0);
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection-dialog').waitFor({ state: 'detached' });
    expect(count((await s.app.api('GET', '/connections')).body)).toBe(count(before.body) + 1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
