import { defineTrigger, prop } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { readDelta } from '../delta.ts';
import { entityOutput, salesShipmentSchema } from '../models.ts';
import { SAMPLE_SHIPMENT } from '../samples.ts';
import { initialWatermark } from './items-changed.ts';

export const salesShipmentsCreated = defineTrigger({
  name: 'salesShipmentsCreated',
  label: 'Sales shipments posted (polling)',
  description:
    'Polls for sales shipments posted after the watermark, each with its lines: the event to mark the Shopify order fulfilled. The watermark becomes the newest lastModifiedDateTime read.',
  source: 'poll',
  props: {
    initialLookbackHours: prop.integer({ label: 'First poll looks back (hours)', default: 24, min: 0, max: 24 * 3650 }),
    maxItems: prop.integer({ label: 'At most per poll', default: 200, min: 1, max: 5000 }),
  },
  exampleProps: {},
  sampleOutput: SAMPLE_SHIPMENT,
  async poll(ctx) {
    const since = initialWatermark(ctx.watermark, ctx.now(), ctx.props.initialLookbackHours);
    const r = await readDelta(businessCentralClient(ctx), { entitySet: 'salesShipments', since, expand: 'salesShipmentLines', schema: salesShipmentSchema, maxItems: ctx.props.maxItems });
    return { items: r.rows.map(entityOutput), watermark: r.watermark ?? since };
  },
});
