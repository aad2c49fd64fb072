import { randomUUID } from 'node:crypto';
import type { ActionDefinition, PropDefs, ResolvedConnection } from '@tributary/connector-sdk';
import { createTestServices, runAction, type TestServices } from '@tributary/connector-sdk/testing';
import { startFakeBusinessCentral, type FakeBusinessCentral, type FakeBusinessCentralOptions } from '../../../test/fakes/business-central/index.ts';
import { sampleConnectionConfig } from '../src/index.ts';

export interface Harness {
  fake: FakeBusinessCentral;
  services: TestServices;
  connection: ResolvedConnection;
  run(action: ActionDefinition<PropDefs>, props: Record<string, unknown>): Promise<unknown>;
  /** Token requests the fake has seen. */
  tokenRequests(): number;
  close(): Promise<void>;
}

/** A fake Business Central on the test services' clock (token expiry and timestamps follow `services.advance`). */
export async function harness(opts: FakeBusinessCentralOptions = {}, conn: { timeoutMs?: number } = {}): Promise<Harness> {
  const services = createTestServices({ startAt: Date.parse('2025-01-15T10:00:00Z') });
  const fake = await startFakeBusinessCentral({ now: services.now, ...opts });
  const connection = sampleConnectionConfig(fake.url, { id: `bc-${randomUUID()}`, ...conn });
  return {
    fake,
    services,
    connection,
    run: (action, props) => runAction(action, { props, connection, services }),
    tokenRequests: () => fake.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length,
    close: () => fake.close(),
  };
}

export async function rejection(p: Promise<unknown>): Promise<{ code: string; retryable: boolean; retryAfterMs?: number; details: Record<string, unknown>; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected the promise to reject');
}
