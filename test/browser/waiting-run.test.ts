// A run whose step asked to run again later (here a two-hour delay) is waiting: the runs list and its
// page say which step it waits on, why, and when it runs again, instead of an unexplained "queued";
// an admin can stop it there.
import { describe, expect, it, vi } from 'vitest';
import { seedFlow } from '../../apps/server/src/runtime/seed.ts';
import { until } from '../support/tributary.ts';
import { signedInAsAdmin, type SignedIn } from './support/signed-in.ts';
import { trackPageErrors } from './support/browser.ts';

vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

let s: SignedIn;
signedInAsAdmin((session) => (s = session));

describe('a run waiting on a step', () => {
  it('shows the waiting step open, with its reason and the time it runs again, and lets an admin stop the run', async () => {
    await seedFlow(s.app.server.ctx, {
      flow: {
        schemaVersion: 1,
        id: 'ship-later',
        name: 'Ship later',
        trigger: 'in',
        nodes: [
          { id: 'in', type: 'core.webhook', config: { signature: 'none' } },
          { id: 'coolOff', type: 'core.delay', config: { ms: 2 * 3_600_000 } },
        ],
        edges: [{ from: 'in', to: 'coolOff' }],
      },
    });
    const before = Date.now();
    const res = await fetch(`${s.app.url}/hooks/ship-later`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '#W1' }) });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const run = await until(async () => {
      const r = await s.app.server.ctx.runtime.runWithSteps(runId);
      return r?.steps.some((st) => st.status === 'waiting') ? r : undefined;
    }, { what: 'the delay step to be recorded as waiting' });
    expect(run.status).toBe('waiting');
    const resumeAt = new Date(String((run.steps[0]?.error?.details as { resumeAt?: string } | undefined)?.resumeAt));
    expect(resumeAt.getTime() - before).toBeGreaterThanOrEqual(2 * 3_600_000 - 1_000);
    expect(run.error).toMatchObject({ code: 'RETRY_LATER', details: { nodeId: 'coolOff', resumeAt: resumeAt.toISOString() } });

    const page = await s.context.newPage();
    const pageErrors = trackPageErrors(page);
    // When the queue brings it back (in the browser's time zone).
    const shown = await page.evaluate((iso) => new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }), resumeAt.toISOString());
    await page.goto(`${s.app.url}/#/runs?status=waiting`);
    const row = page.getByTestId(`run-row-${runId}`);
    await row.waitFor();
    expect(await row.locator('.pill').textContent()).toBe('waiting');
    expect(await row.locator('td').last().textContent()).toBe(`Waiting until ${shown} at step coolOff: a delay of 2 hours`);

    await row.click();
    await page.getByTestId('run-detail').waitFor();
    expect(await page.locator('[data-testid="run-detail"] h1 .pill').textContent()).toBe('waiting');
    expect(await page.getByTestId('run-waiting').textContent()).toBe(`Waiting until ${shown} at step coolOff: a delay of 2 hours`);
    expect(await page.getByTestId('run-step-coolOff').getAttribute('data-status')).toBe('waiting');
    // Opened without a click: it is what explains the run.
    const banner = page.getByTestId('step-data-coolOff').getByTestId('step-waiting');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toBe(`Waiting until ${shown}: a delay of 2 hours.`);
    expect(await page.getByTestId('step-data-coolOff').getByTestId('step-output').count()).toBe(0);

    // An admin stops it: asked first, then the page shows it cancelled, by whom, with no stop button left.
    await page.getByTestId('stop-run').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('a sales order a step already sent is not taken back');
    await page.getByTestId('confirm-ok').click();
    await expect.poll(async () => page.locator('[data-testid="run-detail"] h1 .pill').textContent()).toBe('cancelled');
    expect(await page.locator('.banner-error').textContent()).toMatch(/^RUN_CANCELLED: cancelled by /);
    expect(await page.getByTestId('stop-run').count()).toBe(0);
    expect(await s.app.server.ctx.store.getRun(runId)).toMatchObject({ status: 'cancelled', error: { code: 'RUN_CANCELLED' } });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
