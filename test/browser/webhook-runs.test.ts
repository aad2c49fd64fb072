// What an analyst and an admin see around live webhook runs: the address to subscribe the sending
// system to, the KPI chart once the first orders went through, and a replay that leads back to the
// failed run it answers.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedFlow } from '../../apps/server/src/runtime/seed.ts';
import { startTarget, type Target } from '../support/target.ts';
import { orderFlow, shopifyOrder, until } from '../support/tributary.ts';
import { sendShopifyWebhook } from '../support/webhooks.ts';
import { trackPageErrors } from './support/browser.ts';
import { signedInAsAdmin, type SignedIn } from './support/signed-in.ts';

vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 50 } } });

const SECRET = 'shpss_webhook_runs';
let s: SignedIn;
let target: Target;
signedInAsAdmin((session) => (s = session));

beforeAll(async () => {
  target = await startTarget();
  const conn = await s.app.api('POST', '/connections', { name: 'shopify-webhooks', connector: 'core', config: {}, secrets: { webhookSecret: SECRET } });
  expect(conn.status).toBe(201);
  // Published, enabled, high priority (an order flow for the KPIs).
  await seedFlow(s.app.server.ctx, { flow: orderFlow(target.url) });
  // The same flow without retries, so an outage fails its ERP step at once.
  const noRetry = orderFlow(target.url, { id: 'orders-no-retry', name: 'Orders without retries' });
  noRetry.nodes = noRetry.nodes.map(({ retry: _retry, ...n }) => n);
  await seedFlow(s.app.server.ctx, { flow: noRetry });
}, 60_000);

afterAll(async () => {
  await target?.close();
});

async function runOf(flowId: string, order: number): Promise<string> {
  const res = await sendShopifyWebhook(`${s.app.url}/hooks/${flowId}`, shopifyOrder(order), { secret: SECRET });
  expect(res.status).toBe(202);
  return String(res.body['runId']);
}

async function finished(runId: string): Promise<string> {
  return until(async () => {
    const status = (await s.app.server.ctx.runtime.runWithSteps(runId))?.status;
    return status === 'succeeded' || status === 'failed' ? status : undefined;
  }, { what: `run ${runId} to finish` });
}

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await s.context.newPage();
  return { page, errors: trackPageErrors(page) };
}

describe('live webhook runs in the designer', () => {
  it('the webhook trigger’s panel gives the URL to subscribe, and a delivery to it starts a run', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${s.app.url}/#/flows/webhook-to-erp`);
    await page.getByTestId('node-orderCreated').click();
    await page.getByTestId('config-panel').waitFor();
    const url = await page.getByTestId('webhook-url-input').inputValue();
    expect(url).toBe(`${s.app.url}/hooks/webhook-to-erp`);
    // The address works as given.
    const res = await sendShopifyWebhook(url, shopifyOrder(1), { secret: SECRET });
    expect(res.status).toBe(202);
    expect(await finished(String(res.body['runId']))).toBe('succeeded');
    // Only the trigger receives deliveries: other nodes do not show an address.
    await page.getByTestId('node-toSalesOrder').click();
    await expect.poll(() => page.locator('[data-testid="config-panel"]').getAttribute('data-node-id')).toBe('toSalesOrder');
    expect(await page.getByTestId('webhook-url').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('the order processing chart shows the hour with runs when it is the only one', async () => {
    expect(await finished(await runOf('webhook-to-erp', 2))).toBe('succeeded');
    const { page, errors } = await newPage();
    await page.goto(`${s.app.url}/#/kpis`);
    const chart = page.getByTestId('chart-order-processing');
    await chart.waitFor();
    expect(await page.getByTestId('kpi-p50').textContent()).not.toBe('—');
    // Something in the p50 colour is drawn with a visible size (a lone "M x,y" path has none).
    const drawn = await chart.locator('svg').evaluate((svg) =>
      [...svg.querySelectorAll('path, circle, line')].filter((el) => {
        const colour = el.getAttribute('stroke') ?? el.getAttribute('fill');
        const box = (el as SVGGraphicsElement).getBBox();
        return colour === '#2563eb' && box.width + box.height > 0;
      }).length,
    );
    expect(drawn).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('a replayed run says which run it replays and from which step, and links back to it', async () => {
    await target.outage('503');
    const failedRun = await runOf('orders-no-retry', 3);
    expect(await finished(failedRun)).toBe('failed');
    await target.outage('none');

    const { page, errors } = await newPage();
    await page.goto(`${s.app.url}/#/runs/${failedRun}`);
    await page.getByTestId('run-detail').waitFor();
    expect(await page.getByTestId('run-replay-of').count()).toBe(0);
    await page.getByTestId('replay').click();
    await page.getByTestId('replay-dialog').waitFor();
    expect(await page.getByTestId('replay-from').inputValue()).toBe('createSalesOrder');
    await page.getByTestId('replay-confirm').click();
    await expect.poll(() => page.url()).not.toContain(failedRun);
    await page.getByTestId('run-detail').waitFor();
    const note = page.getByTestId('run-replay-of');
    await note.waitFor();
    expect(await note.textContent()).toBe(`Replay of ${failedRun} from step createSalesOrder; the steps before it reuse that run’s recorded outputs.`);
    await note.getByRole('link', { name: failedRun }).click();
    await expect.poll(() => page.url()).toContain(`/runs/${failedRun}`);
    expect(await page.locator('[data-testid="run-detail"] h1 .pill').textContent()).toBe('failed');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
