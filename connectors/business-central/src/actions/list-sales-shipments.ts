import { defineAction, prop } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { readDelta } from '../delta.ts';
import { entityOutput, salesShipmentSchema } from '../models.ts';
import { and, odataString } from '../odata.ts';
import { SAMPLE_SHIPMENT } from '../samples.ts';

export const listSalesShipments = defineAction({
  name: 'listSalesShipments',
  label: 'List sales shipments',
  description:
    'Posted sales shipments with their lines, oldest first; with "changed after" only newer ones (a delta read). Each carries the order’s external document number, e.g. the Shopify order name to fulfil.',
  props: {
    changedAfter: prop.string({ label: 'Changed after (ISO time)' }),
    orderNumber: prop.string({ label: 'Only for sales order number' }),
    externalDocumentNumber: prop.string({ label: 'Only for external document number' }),
    includeLines: prop.boolean({ label: 'Include lines', default: true }),
    maxItems: prop.integer({ label: 'At most', default: 500, min: 1, max: 20_000 }),
  },
  write: false,
  idempotent: true,
  exampleProps: { changedAfter: '2026-11-22T00:00:00Z' },
  sampleOutput: { shipments: [SAMPLE_SHIPMENT], watermark: '2026-11-22T16:00:00.000Z', truncated: false },
  async run(ctx) {
    const { changedAfter, orderNumber, externalDocumentNumber, includeLines, maxItems } = ctx.props;
    const r = await readDelta(businessCentralClient(ctx), {
      entitySet: 'salesShipments',
      since: changedAfter ?? null,
      filter: and(orderNumber ? `orderNumber eq ${odataString(orderNumber)}` : undefined, externalDocumentNumber ? `externalDocumentNumber eq ${odataString(externalDocumentNumber)}` : undefined),
      ...(includeLines ? { expand: 'salesShipmentLines' } : {}),
      schema: salesShipmentSchema,
      maxItems,
    });
    return { shipments: r.rows.map(entityOutput), watermark: r.watermark, truncated: r.truncated };
  },
});
