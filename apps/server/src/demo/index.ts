// `tributary start --demo` (or TRIBUTARY_DEMO=1): a workspace a new user can watch work within a minute.
// Fake Shopify and Business Central servers run in this process on local ports, the example flows are
// loaded, published and enabled against them, and a generator places a signed Shopify order every few
// seconds; a "warehouse" ships what reached the ERP, so fulfillments and stock flow back to Shopify too.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FlowDocument } from '@tributary/flow';
import { readExampleFlow, withShopifyLocation, withTriggerConfig } from '../../../../examples/index.ts';
import type { FakeBusinessCentral } from '../../../../test/fakes/business-central/index.ts';
import type { FakeShopify } from '../../../../test/fakes/shopify/index.ts';
import { ensureFirstAdmin } from '../api/index.ts';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { seedFlow } from '../runtime/seed.ts';
import { exampleConnections } from './connections.ts';
import { demoCustomers, placeDemoOrder } from './orders.ts';

/** The demo's admin when TRIBUTARY_ADMIN_EMAIL / TRIBUTARY_ADMIN_PASSWORD are not set. Demo mode only. */
export const DEMO_ADMIN = { email: 'admin@demo.local', password: 'demo-password-123' } as const;

/** Whether the environment asks for the demo (`TRIBUTARY_DEMO=1` or `true`). */
export function demoRequested(env: Record<string, string | undefined> = process.env): boolean {
  return env['TRIBUTARY_DEMO'] === '1' || env['TRIBUTARY_DEMO']?.toLowerCase() === 'true';
}

/**
 * Config overrides for a demo process, applied before it starts: the demo admin (unless the environment
 * names one) and, unless TRIBUTARY_DATA_DIR is set, a fresh data directory — the fakes start empty every
 * time, so links and watermarks from an earlier demo would point at records that no longer exist.
 */
export function demoConfig(env: Record<string, string | undefined> = process.env): Partial<Config> {
  const overrides: Partial<Config> = {
    adminEmail: env['TRIBUTARY_ADMIN_EMAIL'] || DEMO_ADMIN.email,
    adminPassword: env['TRIBUTARY_ADMIN_PASSWORD'] || DEMO_ADMIN.password,
  };
  if (!env['TRIBUTARY_DATA_DIR']) overrides.dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-demo-'));
  return overrides;
}

export interface DemoOptions {
  /** Where this Tributary answers (webhooks are sent to `${baseUrl}/hooks/order-to-erp`). */
  baseUrl: string;
  /** Time between generated orders (default 4 s; the first comes after 1 s). */
  orderIntervalMs?: number;
  /** How often the warehouse ships the sales orders it saw on its previous round (default 8 s). */
  warehouseIntervalMs?: number;
  /** The cron of the shipment and stock polls in the demo (default every 10 s instead of every 5 minutes). */
  pollCron?: string;
  /** Where the banner goes (default stdout). */
  print?: (text: string) => void;
}

export interface Demo {
  close(): Promise<void>;
  readonly shopify: FakeShopify;
  readonly businessCentral: FakeBusinessCentral;
  readonly webhookUrl: string;
  /** Orders the generator has sent so far. */
  ordersSent(): number;
}

/** Flow ids of the demo workspace, in the order they are loaded. */
export const DEMO_FLOWS = ['order-to-erp', 'shipments-to-fulfillment', 'inventory-sync', 'inventory-reconcile'] as const;

/**
 * Starts the demo workspace on a running Tributary (`ctx` of the process, `baseUrl` where it listens).
 * Call it after `startProcess`; `close()` it before closing the process.
 * @example
 * const running = await startProcess({ ...config, ...demoConfig() }, { mode: 'embedded', worker: true, http: true });
 * const demo = await startDemo(running.ctx, { baseUrl: running.url! });
 */
export async function startDemo(ctx: AppContext, opts: DemoOptions): Promise<Demo> {
  const print = opts.print ?? ((text: string) => void process.stdout.write(text));
  const log = ctx.log.child({ demo: true });
  // Loaded only in demo mode: the fakes (graphql-js and Shopify's schema) are test tooling.
  const [{ startFakeShopify }, { startFakeBusinessCentral }] = await Promise.all([import('../../../../test/fakes/shopify/index.ts'), import('../../../../test/fakes/business-central/index.ts')]);
  const shopify = await startFakeShopify();
  const businessCentral = await startFakeBusinessCentral().catch(async (err: unknown) => {
    await shopify.close();
    throw err;
  });
  const timers: NodeJS.Timeout[] = [];
  const closeFakes = async (): Promise<void> => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([shopify.close(), businessCentral.close()]);
  };

  try {
    const webhookSecret = randomBytes(24).toString('base64url');
    const connections = exampleConnections({ shopify, businessCentral, webhookSecret });
    const location = shopify.northwind!.locationId;
    const pollCron = opts.pollCron ?? '*/10 * * * * *';
    const flows: FlowDocument[] = [
      readExampleFlow('order-to-erp/flow.json'),
      withTriggerConfig(readExampleFlow('shipments-to-fulfillment/flow.json'), { cron: pollCron }),
      withShopifyLocation(withTriggerConfig(readExampleFlow('inventory-sync/flow.json'), { cron: pollCron }), location),
      withShopifyLocation(readExampleFlow('inventory-sync/reconcile.flow.json'), location),
    ];
    for (const flow of flows) await seedFlow(ctx, { flow, connections, by: 'demo' });

    const admin = { email: ctx.config.adminEmail ?? DEMO_ADMIN.email, password: ctx.config.adminPassword ?? DEMO_ADMIN.password };
    const made = await ensureFirstAdmin({ store: ctx.store, log: ctx.log, config: { ...ctx.config, adminEmail: admin.email, adminPassword: admin.password } });
    const adminKnown = made.kind === 'created' || (await ctx.store.getUserByEmail(admin.email)) !== null;

    const webhookUrl = `${opts.baseUrl.replace(/\/+$/, '')}/hooks/order-to-erp`;
    const customers = demoCustomers(shopify);
    let sent = 0;
    const sendOrder = async (): Promise<void> => {
      const sequence = sent + 1;
      sent = sequence;
      const { name, payload } = placeDemoOrder(shopify, { customer: customers[(sequence - 1) % customers.length]!, sequence });
      const d = await shopify.sendWebhook(webhookUrl, 'orders/create', payload, webhookSecret);
      if (d.status >= 300) log.warn({ order: name, status: d.status, body: d.responseBody }, 'demo order webhook was refused');
      else log.info({ order: name, status: d.status }, 'demo order sent');
    };
    const orderTick = (): void => {
      sendOrder().catch((err: unknown) => log.warn({ err }, 'could not send a demo order'));
    };
    const first = setTimeout(orderTick, Math.min(1000, opts.orderIntervalMs ?? 1000));
    timers.push(first, setInterval(orderTick, opts.orderIntervalMs ?? 4000));

    // The warehouse: ships each sales order one round after it appeared, and restocks what runs low.
    const seen = new Set<string>();
    const warehouseTick = (): void => {
      try {
        for (const o of businessCentral.rows('salesOrders')) {
          const id = String(o['id']);
          if (o['fullyShipped'] === true) continue;
          if (seen.has(id)) {
            businessCentral.shipSalesOrder(id);
            seen.delete(id);
          } else seen.add(id);
        }
        for (const item of businessCentral.rows('items')) {
          if (item['blocked'] !== true && Number(item['inventory']) < 30) businessCentral.update('items', String(item['id']), { inventory: Number(item['inventory']) + 250 });
        }
      } catch (err) {
        log.warn({ err }, 'demo warehouse round failed');
      }
    };
    timers.push(setInterval(warehouseTick, opts.warehouseIntervalMs ?? 8000));

    const base = opts.baseUrl.replace(/\/+$/, '');
    print(
      [
        '',
        'Tributary demo workspace',
        `  Designer        ${base}/#/flows   (runs: ${base}/#/runs, KPIs: ${base}/#/kpis)`,
        signInLine(admin, adminKnown),
        `  Flows           ${DEMO_FLOWS.join(', ')} (published and enabled)`,
        `  Orders          a signed Shopify orders/create webhook every ${Math.round((opts.orderIntervalMs ?? 4000) / 1000)} s to ${webhookUrl}`,
        `  Fake Shopify    ${shopify.url} (Admin GraphQL)`,
        `  Fake BC         ${businessCentral.url} (API v2.0)`,
        `  Data directory  ${ctx.config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : ctx.config.dataDir}`,
        '',
        'Orders become Business Central sales orders within seconds; the demo warehouse ships them, and',
        'fulfillments with tracking and stock levels flow back to Shopify every 10 s. Ctrl-C stops it all.',
        '',
      ].join('\n'),
    );
    log.info({ webhookUrl, shopify: shopify.url, businessCentral: businessCentral.url }, 'demo workspace started');

    let closing: Promise<void> | null = null;
    return {
      shopify,
      businessCentral,
      webhookUrl,
      ordersSent: () => sent,
      close: () => (closing ??= closeFakes()),
    };
  } catch (err) {
    await closeFakes();
    throw err;
  }
}

/** The banner's sign-in line: the demo's own password is printed; one the user chose (TRIBUTARY_ADMIN_PASSWORD) never is. */
export function signInLine(admin: { email: string; password: string }, known: boolean): string {
  if (!known) return '  Sign in         with the admin of this data directory';
  return `  Sign in as      ${admin.email} / ${admin.password === DEMO_ADMIN.password ? admin.password : 'the password in TRIBUTARY_ADMIN_PASSWORD'}`;
}
