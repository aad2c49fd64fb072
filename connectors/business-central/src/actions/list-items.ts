import { defineAction, prop } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { readDelta } from '../delta.ts';
import { entityOutput, itemSchema } from '../models.ts';
import { SAMPLE_ITEM } from '../samples.ts';

export const listItems = defineAction({
  name: 'listItems',
  label: 'List items (with inventory)',
  description:
    'Items with their inventory, oldest change first; with "changed after" only those whose lastModifiedDateTime is later (a delta read). Returns the newest change time as the next watermark.',
  props: {
    changedAfter: prop.string({ label: 'Changed after (ISO time)', placeholder: '2026-11-22T08:00:00Z' }),
    includeBlocked: prop.boolean({ label: 'Include blocked items', default: false }),
    maxItems: prop.integer({ label: 'At most', default: 1000, min: 1, max: 100_000 }),
    pageSize: prop.integer({ label: 'Items per request', default: 1000, min: 1, max: 20_000, advanced: true }),
  },
  write: false,
  idempotent: true,
  exampleProps: { changedAfter: '2026-11-22T08:00:00Z' },
  sampleOutput: { items: [SAMPLE_ITEM], watermark: '2026-11-22T08:00:00.000Z', truncated: false },
  async run(ctx) {
    const { changedAfter, includeBlocked, maxItems, pageSize } = ctx.props;
    const r = await readDelta(businessCentralClient(ctx), {
      entitySet: 'items',
      since: changedAfter ?? null,
      filter: includeBlocked ? undefined : 'blocked eq false',
      schema: itemSchema,
      maxItems,
      pageSize,
    });
    return { items: r.rows.map(entityOutput), watermark: r.watermark, truncated: r.truncated };
  },
});
