import { ConnectorError, defineAction, isJsonObject, prop, routed, type JsonValue } from '@tributary/connector-sdk';
import { asJsonOutput } from './output.ts';

interface Pending {
  items: JsonValue[];
  /** When the oldest pending item arrived (epoch ms). */
  since: number;
}

function readPending(v: JsonValue | null): Pending | null {
  if (!isJsonObject(v) || !Array.isArray(v['items']) || typeof v['since'] !== 'number') return null;
  return { items: v['items'], since: v['since'] };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * `core.batch`: groups items into batches of `size`. Output: `{ batches, pending }`.
 *
 * - Without `maxAgeSeconds` it chunks this run's items: every batch has `size` items except perhaps the last.
 * - With `maxAgeSeconds` it collects across runs in the flow's state (key `batch:<key or node id>`) and
 *   emits only full batches, plus the remainder once the oldest pending item is `maxAgeSeconds` old.
 *   When nothing is emitted the step fires no port, so nothing downstream runs. Age is checked when a
 *   run reaches the node; there is no timer, so a quiet flow flushes on its next run (pair it with a
 *   schedule trigger to flush on time). Runs of one flow that reach the node at the same moment can
 *   race on the state: give batching flows concurrency 1.
 */
export const batchAction = defineAction({
  name: 'batch',
  label: 'Batch',
  description: 'Group items into batches of N; optionally collect across runs and flush when N items are waiting or the oldest is T seconds old.',
  group: 'Data',
  kind: 'logic',
  runsIn: 'host',
  props: {
    items: prop.json({ label: 'Items', description: 'A list (a single value counts as one item); default: the input' }),
    size: prop.integer({ label: 'Batch size', required: true, min: 1, max: 10_000 }),
    maxAgeSeconds: prop.integer({ label: 'Collect across runs, flush after (seconds)', min: 1, max: 7 * 86_400, description: 'Leave empty to batch within one run only' }),
    key: prop.string({ label: 'State key', advanced: true, description: 'Share one batch between nodes; default: this node’s id' }),
  },
  exampleProps: { items: [1, 2, 3, 4, 5], size: 2 },
  sampleOutput: { batches: [[{ sku: 'A-1' }, { sku: 'B-2' }]], pending: 0 },
  async run(ctx) {
    const { size, maxAgeSeconds } = ctx.props;
    const source = ctx.props.items === undefined ? ctx.input : asJsonOutput(ctx.props.items, 'items');
    const incoming: JsonValue[] = Array.isArray(source) ? source : source === null ? [] : [source];
    if (maxAgeSeconds === undefined) return { batches: chunk(incoming, size), pending: 0 };

    const stateKey = `batch:${ctx.props.key ?? ctx.run.nodeId}`;
    const now = ctx.now();
    const stored = await ctx.state.get(stateKey);
    const previous = readPending(stored);
    if (stored !== null && previous === null) {
      throw new ConnectorError('INTERNAL', `the state under "${stateKey}" is not a batch; clear it or choose another key`, { details: { key: stateKey } });
    }
    const items = [...(previous?.items ?? []), ...incoming];
    const since = previous && previous.items.length > 0 ? previous.since : now;
    const expired = items.length > 0 && now - since >= maxAgeSeconds * 1000;
    const full = Math.floor(items.length / size) * size;
    const emitCount = expired ? items.length : full;
    const batches = chunk(items.slice(0, emitCount), size);
    const rest = items.slice(emitCount);
    // The rest keeps the age of the oldest item still in it: earlier runs' items if any remain, else now.
    const restSince = emitCount < (previous?.items.length ?? 0) ? since : now;
    await ctx.state.set(stateKey, { items: rest, since: restSince });
    const output: JsonValue = { batches, pending: rest.length };
    return batches.length > 0 ? output : routed([], output);
  },
});
