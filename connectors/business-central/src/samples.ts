import type { JsonObject } from '@tributary/connector-sdk';

/** Representative outputs for the designer (API v2.0 property names). */
export const SAMPLE_CUSTOMER: JsonObject = {
  etag: 'W/"JzE5OzQ1NzY4MTIzNDU2Nzg5MDEyMzQ7MDA7Jw=="',
  id: '5d115c9c-44e3-ea11-bb43-000d3a2feca1',
  number: 'C00010',
  displayName: 'Northwind Outfitters LLC',
  type: 'Company',
  addressLine1: '1200 Harbor Blvd',
  addressLine2: 'Suite 400',
  city: 'Oakland',
  state: 'CA',
  country: 'US',
  postalCode: '94607',
  phoneNumber: '+1 510-555-0142',
  email: 'purchasing@northwind-outfitters.example',
  currencyCode: '',
  blocked: ' ',
  lastModifiedDateTime: '2026-11-20T14:14:28.387Z',
};

export const SAMPLE_ITEM: JsonObject = {
  etag: 'W/"JzE5OzEyMzQ1Njc4OTAxMjM0NTY3ODk7MDA7Jw=="',
  id: '6a0b6ce4-44e3-ea11-bb43-000d3a2feca1',
  number: 'TR2-SLT-10',
  displayName: 'Trail Runner 2 - Slate / 10',
  type: 'Inventory',
  blocked: false,
  inventory: 96,
  unitPrice: 42.5,
  baseUnitOfMeasureCode: 'PCS',
  lastModifiedDateTime: '2026-11-22T08:00:00.000Z',
};

export const SAMPLE_SALES_ORDER: JsonObject = {
  etag: 'W/"JzE5OzY1NDMyMTA5ODc2NTQzMjEwOTg7MDA7Jw=="',
  id: '8d4c0f7a-1b2c-4d3e-9f00-aa11bb22cc33',
  number: 'S-ORD101001',
  externalDocumentNumber: '#W1042',
  orderDate: '2026-11-20',
  customerNumber: 'C00010',
  customerName: 'Northwind Outfitters LLC',
  shipToName: 'Northwind Outfitters - Warehouse 2',
  shipToAddressLine1: '88 Industrial Way',
  shipToCity: 'San Leandro',
  shipToState: 'CA',
  shipToPostCode: '94577',
  shipToCountry: 'US',
  currencyCode: '',
  status: 'Draft',
  totalAmountExcludingTax: 1750.8,
  totalAmountIncludingTax: 1750.8,
  fullyShipped: false,
  lastModifiedDateTime: '2026-11-20T14:15:02.120Z',
  salesOrderLines: [{ etag: 'W/"JzE5OzExOzAwOyc="', id: '0c6e1f2a-0000-4000-8000-000000000001', sequence: 10000, lineType: 'Item', lineObjectNumber: 'TR2-SLT-10', description: 'Trail Runner 2 - Slate / 10', quantity: 24, unitPrice: 42.5, discountAmount: 51, amountExcludingTax: 969 }],
};

export const SAMPLE_SHIPMENT: JsonObject = {
  etag: 'W/"JzE5OzEyOzAwOyc="',
  id: '3f7a9e10-2b3c-4d5e-8f90-112233445566',
  number: 'S-SHPT102001',
  externalDocumentNumber: '#W1042',
  orderNumber: 'S-ORD101001',
  customerNumber: 'C00010',
  postingDate: '2026-11-22',
  shipToName: 'Northwind Outfitters - Warehouse 2',
  lastModifiedDateTime: '2026-11-22T16:00:00.000Z',
  salesShipmentLines: [{ etag: 'W/"JzE5OzEzOzAwOyc="', id: '3f7a9e10-0000-4000-8000-000000000001', documentNo: 'S-SHPT102001', sequence: 10000, lineType: 'Item', lineObjectNumber: 'TR2-SLT-10', description: 'Trail Runner 2 - Slate / 10', quantity: 24 }],
};
