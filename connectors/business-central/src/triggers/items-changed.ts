import { defineTrigger, prop } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { readDelta } from '../delta.ts';
import { entityOutput, itemSchema } from '../models.ts';
import { SAMPLE_ITEM } from '../samples.ts';

/** Where a poll without a watermark starts: `initialLookbackHours` before now. */
export function initialWatermark(watermark: unknown, now: number, lookbackHours: number): string {
  return typeof watermark === 'string' && !Number.isNaN(Date.parse(watermark)) ? watermark : new Date(now - lookbackHours * 3_600_000).toISOString();
}

export const itemsChanged = defineTrigger({
  name: 'itemsChanged',
  label: 'Items changed (polling)',
  description:
    'Polls for items whose lastModifiedDateTime is after the watermark (stock, prices, blocking), oldest first; the watermark becomes the newest change read. Reset the watermark with a long look-back for a full resync.',
  source: 'poll',
  props: {
    initialLookbackHours: prop.integer({ label: 'First poll looks back (hours)', default: 24, min: 0, max: 24 * 3650 }),
    includeBlocked: prop.boolean({ label: 'Include blocked items', default: true }),
    maxItems: prop.integer({ label: 'At most per poll', default: 1000, min: 1, max: 20_000 }),
  },
  exampleProps: {},
  sampleOutput: SAMPLE_ITEM,
  async poll(ctx) {
    const since = initialWatermark(ctx.watermark, ctx.now(), ctx.props.initialLookbackHours);
    const r = await readDelta(businessCentralClient(ctx), {
      entitySet: 'items',
      since,
      filter: ctx.props.includeBlocked ? undefined : 'blocked eq false',
      schema: itemSchema,
      maxItems: ctx.props.maxItems,
    });
    return { items: r.rows.map(entityOutput), watermark: r.watermark ?? since };
  },
});
