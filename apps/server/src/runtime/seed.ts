import { flowDocumentSchema, type FlowDocumentInput } from '@tributary/flow';
import type { JsonObject } from '@tributary/connector-sdk';
import type { AppContext } from '../context.ts';

export interface SeedConnection {
  name: string;
  connector: string;
  config?: JsonObject;
  secrets?: Record<string, string>;
}

/**
 * Loads connections and a flow straight into the store, publishes and enables it: for the demo
 * workspace, benchmarks and tests that start from a known state. Existing connections (by name) and
 * flows (by id) are updated, so seeding twice is harmless.
 */
export async function seedFlow(ctx: AppContext, opts: { flow: FlowDocumentInput; connections?: SeedConnection[]; enable?: boolean; by?: string }): Promise<{ flowId: string; version: number }> {
  const { store } = ctx;
  for (const c of opts.connections ?? []) {
    const secretCiphertext = c.secrets ? ctx.secrets.encrypt(c.secrets) : null;
    const existing = await store.getConnectionByName(c.name);
    if (existing) await store.updateConnection({ id: existing.id, config: c.config ?? {}, secretCiphertext });
    else await store.createConnection({ name: c.name, connector: c.connector, config: c.config ?? {}, secretCiphertext });
  }
  if (opts.connections?.length) await ctx.runtime.connectionsChanged();
  const doc = flowDocumentSchema.parse(opts.flow);
  const draft = JSON.parse(JSON.stringify(doc)) as JsonObject;
  const existing = await store.getFlow(doc.id);
  if (existing) await store.updateDraft({ id: doc.id, rev: existing.rev, draft });
  else await store.createFlow({ id: doc.id, name: doc.name, draft });
  const version = await store.publish({ flowId: doc.id, note: 'seeded' });
  if (opts.enable !== false) await store.setEnabled({ id: doc.id, enabled: true });
  await ctx.runtime.syncSchedules(doc.id);
  await ctx.events.publish(doc.id);
  return { flowId: doc.id, version: version.version };
}
