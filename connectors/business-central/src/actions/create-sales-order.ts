import { ConnectorError, defineAction, isConnectorError, prop, type JsonObject } from '@tributary/connector-sdk';
import { z } from 'zod';
import { businessCentralClient, type BusinessCentralClient } from '../client.ts';
import { findCustomer } from '../customers.ts';
import { entityOutput, salesOrderSchema, salesShipmentSchema } from '../models.ts';
import { odataString } from '../odata.ts';
import { SAMPLE_SALES_ORDER } from '../samples.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The sales order a mapping produces (see ../shared/fixtures/mappings/shopify-order-to-erp-sales-order.jsonata).
 * Other properties the mapping emits (customerPurchaseOrder, paymentTermsCode, taxPercent, totals) are accepted and
 * not sent: API v2.0 has no field for them, and BC computes tax and totals itself.
 */
export const salesOrderInput = z.looseObject({
  externalDocumentNumber: z.string().min(1).max(35),
  customerNumber: z.string().min(1).optional(),
  customerEmail: z.string().min(3).optional(),
  orderDate: z.string().regex(DATE, 'must be a date YYYY-MM-DD (API v2.0 orderDate is Edm.Date)').optional(),
  requestedDeliveryDate: z.string().regex(DATE, 'must be a date YYYY-MM-DD').optional(),
  currencyCode: z.string().max(10).optional(),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
  shipToAddress: z
    .object({
      name: z.string().max(100).optional(),
      contact: z.string().max(100).optional(),
      street: z.string().max(100).optional(),
      street2: z.string().max(50).optional(),
      city: z.string().max(30).optional(),
      state: z.string().max(30).optional(),
      postalCode: z.string().max(20).optional(),
      countryCode: z.string().max(10).optional(),
    })
    .optional(),
  lines: z
    .array(
      z.looseObject({
        itemNumber: z.string().min(1),
        description: z.string().max(100).optional(),
        quantity: z.number().positive(),
        unitPrice: z.number().nonnegative().optional(),
        lineDiscountAmount: z.number().nonnegative().optional(),
        discountPercent: z.number().min(0).max(100).optional(),
      }),
    )
    .min(1),
  freightAmount: z.number().nonnegative().optional(),
});

export type SalesOrderInput = z.infer<typeof salesOrderInput>;

/** What BC gets: the header with its lines for one deep insert (`salesOrderLines`). */
export function salesOrderBody(o: SalesOrderInput, customerNumber: string, freightAccountNumber: string | undefined): JsonObject {
  const body: JsonObject = { externalDocumentNumber: o.externalDocumentNumber, customerNumber };
  if (o.orderDate) body.orderDate = o.orderDate;
  if (o.requestedDeliveryDate) body.requestedDeliveryDate = o.requestedDeliveryDate;
  if (o.currencyCode) body.currencyCode = o.currencyCode;
  if (o.email) body.email = o.email;
  if (o.phoneNumber) body.phoneNumber = o.phoneNumber;
  const a = o.shipToAddress;
  if (a) {
    const map: Array<[keyof typeof a, string]> = [
      ['name', 'shipToName'], ['contact', 'shipToContact'], ['street', 'shipToAddressLine1'], ['street2', 'shipToAddressLine2'],
      ['city', 'shipToCity'], ['state', 'shipToState'], ['postalCode', 'shipToPostCode'], ['countryCode', 'shipToCountry'],
    ];
    for (const [from, to] of map) if (a[from] !== undefined) body[to] = a[from];
  }
  const lines: JsonObject[] = o.lines.map((l, i) => {
    const line: JsonObject = { sequence: (i + 1) * 10000, lineType: 'Item', lineObjectNumber: l.itemNumber, quantity: l.quantity };
    if (l.description !== undefined) line.description = l.description;
    if (l.unitPrice !== undefined) line.unitPrice = l.unitPrice;
    if (l.lineDiscountAmount !== undefined && l.lineDiscountAmount > 0) line.discountAmount = l.lineDiscountAmount;
    else if (l.discountPercent !== undefined && l.discountPercent > 0) line.discountPercent = l.discountPercent;
    return line;
  });
  if (o.freightAmount && o.freightAmount > 0 && freightAccountNumber) {
    lines.push({ sequence: (lines.length + 1) * 10000, lineType: 'Account', lineObjectNumber: freightAccountNumber, description: 'Freight', quantity: 1, unitPrice: o.freightAmount });
  }
  body.salesOrderLines = lines;
  return body;
}

export type SalesOrder = z.infer<typeof salesOrderSchema>;

/** The sales order carrying this external document number (the idempotency key), with its lines. */
export async function findSalesOrderByExternalNumber(client: BusinessCentralClient, externalDocumentNumber: string): Promise<SalesOrder | null> {
  const found: SalesOrder[] = [];
  for await (const o of client.list('salesOrders', { $filter: `externalDocumentNumber eq ${odataString(externalDocumentNumber)}`, $expand: 'salesOrderLines', $top: 2 }, salesOrderSchema)) found.push(o);
  if (found.length > 1) {
    throw new ConnectorError('CONFLICT', `Business Central has ${found.length} sales orders with external document number ${externalDocumentNumber}`, { details: { externalDocumentNumber, numbers: found.map((o) => o.number) } });
  }
  return found[0] ?? null;
}

/**
 * Posted shipments carrying this external document number. Business Central deletes a sales order once it is fully
 * shipped and invoiced, so after posting only the posted documents still know the order existed.
 */
async function findPostedShipments(client: BusinessCentralClient, externalDocumentNumber: string): Promise<SalesShipment[]> {
  const found: SalesShipment[] = [];
  for await (const s of client.list('salesShipments', { $filter: `externalDocumentNumber eq ${odataString(externalDocumentNumber)}`, $top: 20 }, salesShipmentSchema)) found.push(s);
  return found;
}

type SalesShipment = z.infer<typeof salesShipmentSchema>;

export const createSalesOrder = defineAction({
  name: 'createSalesOrder',
  label: 'Create sales order',
  description:
    'Creates a sales order with its lines in one deep insert. The external document number (e.g. the Shopify order name) is the idempotency key: an order that already carries it is returned instead, and one BC already posted (and so deleted) is reported under `posted` with `salesOrder: null`, so a retry or a replay never creates a second one.',
  props: {
    order: prop.object({ label: 'Sales order', required: true, description: '{ externalDocumentNumber, customerNumber | customerEmail, orderDate (YYYY-MM-DD), shipToAddress, lines: [{ itemNumber, quantity, unitPrice, lineDiscountAmount }], freightAmount }', schema: salesOrderInput }),
    freightAccountNumber: prop.string({ label: 'G/L account for freight', description: 'Adds freightAmount as an Account line; without it freight is not sent', advanced: true }),
  },
  write: true,
  idempotent: true,
  exampleProps: { order: { externalDocumentNumber: '#W1042', customerNumber: 'C00010', orderDate: '2026-11-20', lines: [{ itemNumber: 'TR2-SLT-10', quantity: 24, unitPrice: 42.5 }] } },
  sampleOutput: { created: true, salesOrder: SAMPLE_SALES_ORDER, ignored: [] },
  async run(ctx) {
    const client = businessCentralClient(ctx);
    const o = ctx.props.order;
    const existing = await findSalesOrderByExternalNumber(client, o.externalDocumentNumber);
    if (existing) return { created: false, salesOrder: entityOutput(existing), ignored: [] };
    // Not open any more, but posted (a replay days later): creating it again would ship the order twice.
    const shipments = await findPostedShipments(client, o.externalDocumentNumber);
    if (shipments.length > 0) {
      const posted: JsonObject = {
        orderNumber: shipments[0]!.orderNumber,
        shipments: shipments.map((x) => ({ number: x.number, orderNumber: x.orderNumber, externalDocumentNumber: x.externalDocumentNumber, postingDate: x.postingDate })),
      };
      const result: JsonObject = { created: false, salesOrder: null, posted, ignored: [] };
      return result;
    }

    let customerNumber = o.customerNumber;
    if (!customerNumber) {
      if (!o.customerEmail) throw new ConnectorError('VALIDATION', 'the order needs customerNumber or customerEmail', { details: { fields: ['order.customerNumber', 'order.customerEmail'] } });
      const c = await findCustomer(client, { email: o.customerEmail });
      if (!c) throw new ConnectorError('VALIDATION', `no Business Central customer has the email ${o.customerEmail} (create it first, e.g. with Find or create customer)`, { details: { field: 'order.customerEmail', email: o.customerEmail } });
      customerNumber = c.number;
    }
    const ignored = o.freightAmount && o.freightAmount > 0 && !ctx.props.freightAccountNumber ? ['freightAmount'] : [];
    try {
      const created = await client.create('salesOrders', salesOrderBody(o, customerNumber, ctx.props.freightAccountNumber), salesOrderSchema, { $expand: 'salesOrderLines' });
      return { created: true, salesOrder: entityOutput(created), ignored };
    } catch (err) {
      // The order may have been saved before the answer was lost; if so it is this step's order.
      if (isConnectorError(err) && (err.code === 'NETWORK' || err.code === 'TIMEOUT' || err.code === 'UPSTREAM_UNAVAILABLE')) {
        const saved = await findSalesOrderByExternalNumber(client, o.externalDocumentNumber);
        if (saved) return { created: true, salesOrder: entityOutput(saved), ignored };
      }
      throw err;
    }
  },
});
