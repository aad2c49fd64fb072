import type { FieldType } from './odata-filter.ts';

/**
 * Business Central API v2.0 entities the fake serves, with the properties of the documented entity types
 * (learn.microsoft.com/dynamics365/business-central/dev-itpro/api-reference/v2.0/resources/dynamics_<entity>).
 * `readOnly` properties are ignored on write, as BC does for calculated fields.
 */
export interface EntityDef {
  /** The EDM type name used in error messages (`Microsoft.NAV.customer`). */
  type: string;
  fields: Record<string, FieldType>;
  readOnly: string[];
  /** Entity sets that can be `$expand`ed or navigated to, with the child's foreign key. */
  children?: Record<string, { set: EntitySetName; foreignKey: string }>;
  /** Whether the API allows POST/PATCH/DELETE on the set. */
  writable: boolean;
}

export type EntitySetName = 'customers' | 'items' | 'salesOrders' | 'salesOrderLines' | 'salesShipments' | 'salesShipmentLines';

const address = (prefix: string): Record<string, FieldType> => ({
  [`${prefix}AddressLine1`]: 'string',
  [`${prefix}AddressLine2`]: 'string',
  [`${prefix}City`]: 'string',
  [`${prefix}Country`]: 'string',
  [`${prefix}State`]: 'string',
  [`${prefix}PostCode`]: 'string',
});

export const ENTITIES: Record<EntitySetName, EntityDef> = {
  customers: {
    type: 'customer',
    writable: true,
    fields: {
      id: 'guid', number: 'string', displayName: 'string', type: 'string', addressLine1: 'string', addressLine2: 'string', city: 'string',
      state: 'string', country: 'string', postalCode: 'string', phoneNumber: 'string', email: 'string', website: 'string', salespersonCode: 'string',
      balanceDue: 'number', creditLimit: 'number', taxLiable: 'boolean', taxAreaId: 'guid', taxAreaDisplayName: 'string', taxRegistrationNumber: 'string',
      currencyId: 'guid', currencyCode: 'string', paymentTermsId: 'guid', shipmentMethodId: 'guid', paymentMethodId: 'guid', blocked: 'string',
      lastModifiedDateTime: 'datetime',
    },
    readOnly: ['id', 'balanceDue', 'lastModifiedDateTime', 'taxAreaDisplayName'],
  },
  items: {
    type: 'item',
    writable: true,
    fields: {
      id: 'guid', number: 'string', displayName: 'string', displayName2: 'string', type: 'string', itemCategoryId: 'guid', itemCategoryCode: 'string',
      blocked: 'boolean', gtin: 'string', inventory: 'number', unitPrice: 'number', priceIncludesTax: 'boolean', unitCost: 'number', taxGroupId: 'guid',
      taxGroupCode: 'string', baseUnitOfMeasureId: 'guid', baseUnitOfMeasureCode: 'string', generalProductPostingGroupId: 'guid',
      generalProductPostingGroupCode: 'string', inventoryPostingGroupId: 'guid', inventoryPostingGroupCode: 'string', lastModifiedDateTime: 'datetime',
    },
    readOnly: ['id', 'inventory', 'lastModifiedDateTime'],
  },
  salesOrders: {
    type: 'salesOrder',
    writable: true,
    fields: {
      id: 'guid', number: 'string', externalDocumentNumber: 'string', orderDate: 'date', postingDate: 'date', customerId: 'guid', customerNumber: 'string',
      customerName: 'string', billToName: 'string', billToCustomerId: 'guid', billToCustomerNumber: 'string', shipToName: 'string', shipToContact: 'string',
      ...address('sellTo'), ...address('billTo'), ...address('shipTo'),
      shortcutDimension1Code: 'string', shortcutDimension2Code: 'string', currencyId: 'guid', currencyCode: 'string', pricesIncludeTax: 'boolean',
      paymentTermsId: 'guid', shipmentMethodId: 'guid', salesperson: 'string', partialShipping: 'boolean', requestedDeliveryDate: 'date',
      discountAmount: 'number', discountAppliedBeforeTax: 'boolean', totalAmountExcludingTax: 'number', totalTaxAmount: 'number',
      totalAmountIncludingTax: 'number', fullyShipped: 'boolean', status: 'string', lastModifiedDateTime: 'datetime', phoneNumber: 'string', email: 'string',
    },
    readOnly: ['id', 'number', 'customerName', 'discountAppliedBeforeTax', 'totalAmountExcludingTax', 'totalTaxAmount', 'totalAmountIncludingTax', 'fullyShipped', 'status', 'lastModifiedDateTime'],
    children: { salesOrderLines: { set: 'salesOrderLines', foreignKey: 'documentId' } },
  },
  salesOrderLines: {
    type: 'salesOrderLine',
    writable: true,
    fields: {
      id: 'guid', documentId: 'guid', sequence: 'number', itemId: 'guid', accountId: 'guid', lineType: 'string', lineObjectNumber: 'string',
      description: 'string', description2: 'string', unitOfMeasureId: 'guid', unitOfMeasureCode: 'string', quantity: 'number', unitPrice: 'number',
      discountAmount: 'number', discountPercent: 'number', discountAppliedBeforeTax: 'boolean', amountExcludingTax: 'number', taxCode: 'string',
      taxPercent: 'number', totalTaxAmount: 'number', amountIncludingTax: 'number', invoiceDiscountAllocation: 'number', netAmount: 'number',
      netTaxAmount: 'number', netAmountIncludingTax: 'number', shipmentDate: 'date', shippedQuantity: 'number', invoicedQuantity: 'number',
      invoiceQuantity: 'number', shipQuantity: 'number', itemVariantId: 'guid', locationId: 'guid',
    },
    readOnly: ['id', 'amountExcludingTax', 'totalTaxAmount', 'amountIncludingTax', 'netAmount', 'netTaxAmount', 'netAmountIncludingTax', 'shippedQuantity', 'invoicedQuantity'],
  },
  salesShipments: {
    type: 'salesShipment',
    writable: false,
    fields: {
      id: 'guid', number: 'string', externalDocumentNumber: 'string', documentDate: 'date', postingDate: 'date', dueDate: 'date',
      customerPurchaseOrderReference: 'string', customerNumber: 'string', customerName: 'string', billToName: 'string', billToCustomerNumber: 'string',
      shipToName: 'string', shipToContact: 'string', ...address('sellTo'), ...address('billTo'), ...address('shipTo'), currencyCode: 'string',
      orderNumber: 'string', paymentTermsCode: 'string', shipmentMethodCode: 'string', salesperson: 'string', pricesIncludeTax: 'boolean',
      lastModifiedDateTime: 'datetime', phoneNumber: 'string', email: 'string',
    },
    readOnly: [],
    children: { salesShipmentLines: { set: 'salesShipmentLines', foreignKey: 'documentId' } },
  },
  salesShipmentLines: {
    type: 'salesShipmentLine',
    writable: false,
    fields: {
      id: 'guid', documentId: 'guid', documentNo: 'string', sequence: 'number', lineType: 'string', lineObjectNumber: 'string', description: 'string',
      description2: 'string', unitOfMeasureCode: 'string', unitPrice: 'number', quantity: 'number', discountPercent: 'number', taxPercent: 'number',
      shipmentDate: 'date',
    },
    readOnly: [],
  },
};

export type Row = Record<string, unknown>;

/** Default values for every property of a new row (BC never omits properties; absent text is ''). */
export function blankRow(set: EntitySetName): Row {
  const row: Row = {};
  for (const [k, t] of Object.entries(ENTITIES[set].fields)) {
    row[k] = t === 'string' ? '' : t === 'number' ? 0 : t === 'boolean' ? false : t === 'guid' ? '00000000-0000-0000-0000-000000000000' : t === 'date' ? '0001-01-01' : '0001-01-01T00:00:00Z';
  }
  return row;
}
