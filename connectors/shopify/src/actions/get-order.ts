import { ConnectorError, defineAction, prop } from '@tributary/connector-sdk';
import { shopifyClient } from '../client.ts';
import { toGid } from '../models.ts';
import { readOrder } from '../order-reader.ts';
import { SAMPLE_ORDER } from '../samples.ts';

export const getOrder = defineAction({
  name: 'getOrder',
  label: 'Get order',
  description: 'One order by id with every line item, the customer and the B2B company and location it was placed for.',
  props: { id: prop.id({ label: 'Order id', required: true, description: 'gid://shopify/Order/… or the numeric id from a webhook', placeholder: '5820458172476' }) },
  write: false,
  idempotent: true,
  exampleProps: { id: 'gid://shopify/Order/5820458172476' },
  sampleOutput: SAMPLE_ORDER,
  async run(ctx) {
    const id = toGid('Order', ctx.props.id);
    const order = await readOrder(shopifyClient(ctx), id);
    if (!order) throw new ConnectorError('NOT_FOUND', `Shopify has no order ${id}`, { details: { id } });
    return order;
  },
});
