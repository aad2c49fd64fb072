import { randomUUID } from 'node:crypto';
import type { ActionDefinition, PropDefs, ResolvedConnection } from '@tributary/connector-sdk';
import { createTestServices, runAction, type TestServices } from '@tributary/connector-sdk/testing';
import { startFakeShopify, type FakeShopify, type FakeShopifyOptions } from '../../../test/fakes/shopify/index.ts';
import { sampleConnectionConfig } from '../src/index.ts';

export interface Harness {
  fake: FakeShopify;
  services: TestServices;
  connection: ResolvedConnection;
  run(action: ActionDefinition<PropDefs>, props: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A fake Shopify sharing the test services' virtual clock: `ctx.sleep` moves that clock, so the fake's
 * leaky bucket refills exactly as long as the connector chose to wait, without real waiting.
 */
export async function harness(opts: FakeShopifyOptions = {}): Promise<Harness> {
  const services = createTestServices({ startAt: Date.parse('2025-01-15T10:00:00Z') });
  const fake = await startFakeShopify({ now: services.now, ...opts });
  // A fresh connection id per test keeps the per-connection throttle state of one test out of the next.
  const connection = sampleConnectionConfig(fake.url, { id: `shopify-${randomUUID()}` });
  return {
    fake,
    services,
    connection,
    run: (action, props) => runAction(action, { props, connection, services }),
    close: () => fake.close(),
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; retryable: boolean; retryAfterMs?: number; details: unknown; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected the promise to reject');
}
