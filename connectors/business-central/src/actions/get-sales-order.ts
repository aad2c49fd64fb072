import { ConnectorError, defineAction, prop } from '@tributary/connector-sdk';
import { businessCentralClient } from '../client.ts';
import { entityOutput, salesOrderSchema } from '../models.ts';
import { odataString } from '../odata.ts';
import { SAMPLE_SALES_ORDER } from '../samples.ts';
import { findSalesOrderByExternalNumber, type SalesOrder } from './create-sales-order.ts';

export const getSalesOrder = defineAction({
  name: 'getSalesOrder',
  label: 'Get sales order',
  description: 'One sales order with its lines, by id, number or external document number.',
  props: {
    id: prop.string({ label: 'Sales order id (GUID)' }),
    number: prop.string({ label: 'Sales order number', placeholder: 'S-ORD101001' }),
    externalDocumentNumber: prop.string({ label: 'External document number', placeholder: '#W1042' }),
  },
  write: false,
  idempotent: true,
  exampleProps: { externalDocumentNumber: '#W1042' },
  sampleOutput: SAMPLE_SALES_ORDER,
  async run(ctx) {
    const client = businessCentralClient(ctx);
    const { id, number, externalDocumentNumber } = ctx.props;
    let order: SalesOrder | null = null;
    if (id) order = await client.get(`salesOrders(${id})`, { $expand: 'salesOrderLines' }, salesOrderSchema);
    else if (number) {
      for await (const o of client.list('salesOrders', { $filter: `number eq ${odataString(number)}`, $expand: 'salesOrderLines', $top: 1 }, salesOrderSchema)) order = o;
    } else if (externalDocumentNumber) order = await findSalesOrderByExternalNumber(client, externalDocumentNumber);
    else throw new ConnectorError('VALIDATION', 'give the sales order id, number or external document number', { details: { fields: ['id', 'number', 'externalDocumentNumber'] } });
    if (!order) throw new ConnectorError('NOT_FOUND', `Business Central has no sales order ${id ?? number ?? externalDocumentNumber}`, { details: { id: id ?? null, number: number ?? null, externalDocumentNumber: externalDocumentNumber ?? null } });
    return entityOutput(order);
  },
});
