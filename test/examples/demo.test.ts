// The demo workspace (`tributary start --demo`): started in-process on a real server, orders flow from the
// generator through the example flows into the Business Central fake, and fulfillments come back.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_FLOWS, demoConfig, demoRequested, signInLine, startDemo, type Demo } from '../../apps/server/src/demo/index.ts';
import { verifyPassword } from '../../apps/server/src/auth/passwords.ts';
import { startTestServer, until, type TestServer } from '../support/tributary.ts';
import { runsOf } from './support.ts';

let server: TestServer;
let demo: Demo;
const printed: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  demo = await startDemo(server.ctx, { baseUrl: server.url, orderIntervalMs: 700, warehouseIntervalMs: 500, pollCron: '* * * * * *', print: (t) => printed.push(t) });
}, 30_000);
afterAll(async () => {
  await demo?.close();
  await server?.stop();
});

describe('demo workspace', () => {
  it('loads, publishes and enables the example flows', async () => {
    for (const id of DEMO_FLOWS) {
      const flow = await server.ctx.store.getFlow(id);
      expect(flow, id).toMatchObject({ enabled: true });
      expect(flow?.currentVersion, id).not.toBeNull();
    }
  });

  it('sends signed orders that become Business Central sales orders, then ships them back to Shopify as fulfillments', async () => {
    const salesOrder = await until(async () => demo.businessCentral.rows('salesOrders').find((o) => String(o['externalDocumentNumber']).startsWith('#D')), { what: 'a demo order in Business Central', timeoutMs: 30_000 });
    expect(demo.businessCentral.rows('salesOrderLines').some((l) => l['documentId'] === salesOrder['id'])).toBe(true);
    // Business Central can hold the order a moment before the run's outcome is committed.
    const runs = await until(async () => {
      const all = await runsOf(server, 'order-to-erp');
      return all.some((r) => r.status === 'succeeded' && r.triggerKind === 'webhook') ? all : undefined;
    }, { what: 'a succeeded order run', timeoutMs: 15_000 });
    expect(runs.some((r) => r.status === 'succeeded' && r.triggerKind === 'webhook')).toBe(true);
    expect(await server.ctx.store.xrefGet('customer', 'shopify', String(demo.shopify.northwind!.customer.id.split('/').pop()))).not.toBeNull();

    // The warehouse ships it; the shipment poll marks the Shopify order fulfilled with a tracking number.
    const fulfillment = await until(async () => [...demo.shopify.state.fulfillments.values()][0], { what: 'a fulfillment in Shopify', timeoutMs: 30_000 });
    expect(fulfillment.trackingInfo[0]?.number).toMatch(/^S-SHPT/);
  });

  it('creates the demo admin and prints where to look', async () => {
    const admin = await server.ctx.store.getUserByEmail(DEMO_ADMIN.email);
    expect(admin?.role).toBe('admin');
    expect(await verifyPassword(admin!.passwordHash!, DEMO_ADMIN.password)).toBe(true);
    const banner = printed.join('');
    expect(banner).toContain(`${server.url}/#/flows`);
    expect(banner).toContain(`${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    expect(banner).toContain(demo.webhookUrl);
  });

  it('stops sending orders once closed', async () => {
    await demo.close();
    const sent = demo.ordersSent();
    await new Promise((r) => setTimeout(r, 1500));
    expect(demo.ordersSent()).toBe(sent);
  });
});

describe('demo configuration', () => {
  it.each([
    [{ TRIBUTARY_DEMO: '1' }, true],
    [{ TRIBUTARY_DEMO: 'true' }, true],
    [{ TRIBUTARY_DEMO: '0' }, false],
    [{}, false],
  ])('TRIBUTARY_DEMO in %j → %s', (env, want) => {
    expect(demoRequested(env)).toBe(want);
  });

  it("prints the demo's own password, never one the user chose", () => {
    expect(signInLine(DEMO_ADMIN, true)).toContain(`${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    const mine = signInLine({ email: 'ops@example.com', password: 'a-long-password' }, true);
    expect(mine).not.toContain('a-long-password');
    expect(mine).toContain('ops@example.com / the password in TRIBUTARY_ADMIN_PASSWORD');
  });

  it('uses the demo admin and a fresh data directory unless the environment says otherwise', () => {
    const [a, b] = [demoConfig({}), demoConfig({})];
    for (const c of [a, b]) if (c.dataDir) rmSync(c.dataDir, { recursive: true, force: true });
    expect(a).toMatchObject({ adminEmail: DEMO_ADMIN.email, adminPassword: DEMO_ADMIN.password });
    expect(a.dataDir).toMatch(/tributary-demo-/);
    expect(b.dataDir).not.toBe(a.dataDir);
    expect(demoConfig({ TRIBUTARY_ADMIN_EMAIL: 'ops@example.com', TRIBUTARY_ADMIN_PASSWORD: 'a-long-password', TRIBUTARY_DATA_DIR: '/srv/t' })).toEqual({ adminEmail: 'ops@example.com', adminPassword: 'a-long-password' });
  });
});
