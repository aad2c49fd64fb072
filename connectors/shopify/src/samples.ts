import type { JsonObject } from '@tributary/connector-sdk';

/** What actions return, for the designer's autocomplete before any run exists. */
export const SAMPLE_ORDER: JsonObject = {
  id: 'gid://shopify/Order/5820458172476',
  legacyId: '5820458172476',
  name: '#W1042',
  email: 'purchasing@northwind-outfitters.example',
  phone: null,
  createdAt: '2026-11-20T14:14:27Z',
  updatedAt: '2026-11-20T14:14:28Z',
  processedAt: '2026-11-20T14:14:26Z',
  cancelledAt: null,
  currency: 'USD',
  poNumber: 'PO-77812',
  note: 'Deliver to dock 3, mornings only',
  tags: ['net30', 'wholesale'],
  financialStatus: 'PENDING',
  fulfillmentStatus: 'UNFULFILLED',
  attributes: { po_number: 'PO-77812' },
  subtotal: '1842.00',
  totalTax: '134.63',
  totalShipping: '48.00',
  total: '1932.53',
  customer: { id: 'gid://shopify/Customer/7390114553916', email: 'purchasing@northwind-outfitters.example', firstName: 'Dana', lastName: 'Whitfield' },
  company: { id: 'gid://shopify/Company/98304561', name: 'Northwind Outfitters LLC', externalId: 'C00042', locationId: 'gid://shopify/CompanyLocation/11223344', locationName: 'Warehouse 2', locationExternalId: 'C00042-W2', contactId: null },
  shippingAddress: { firstName: 'Receiving', lastName: 'Dept', company: 'Northwind Outfitters - Warehouse 2', address1: '88 Industrial Way', address2: null, city: 'San Leandro', province: 'California', provinceCode: 'CA', zip: '94577', country: 'United States', countryCode: 'US', phone: '+1 510-555-0199' },
  billingAddress: null,
  lineItems: [
    { id: 'gid://shopify/LineItem/14230988120380', sku: 'TR2-SLT-10', title: 'Trail Runner 2', variantTitle: 'Slate / 10', name: 'Trail Runner 2 - Slate / 10', quantity: 24, unitPrice: '42.50', variantId: 'gid://shopify/ProductVariant/47120033513788' },
  ],
};

/** A REST-format orders/create webhook body, trimmed (the shape Shopify posts). */
export const SAMPLE_ORDER_WEBHOOK: JsonObject = {
  id: 5820458172476,
  admin_graphql_api_id: 'gid://shopify/Order/5820458172476',
  name: '#W1042',
  email: 'purchasing@northwind-outfitters.example',
  created_at: '2026-11-20T09:14:27-05:00',
  updated_at: '2026-11-20T09:14:28-05:00',
  currency: 'USD',
  total_price: '1932.53',
  financial_status: 'pending',
  fulfillment_status: null,
  note_attributes: [{ name: 'po_number', value: 'PO-77812' }],
  payment_terms: { payment_terms_name: 'Net 30', payment_terms_type: 'NET', due_in_days: 30 },
  company: { id: 98304561, location_id: 11223344 },
  customer: { id: 7390114553916, email: 'purchasing@northwind-outfitters.example', first_name: 'Dana', last_name: 'Whitfield' },
  shipping_address: { company: 'Northwind Outfitters - Warehouse 2', address1: '88 Industrial Way', city: 'San Leandro', province_code: 'CA', zip: '94577', country_code: 'US' },
  line_items: [{ id: 14230988120380, sku: 'TR2-SLT-10', name: 'Trail Runner 2 - Slate / 10', quantity: 24, price: '42.50', variant_id: 47120033513788 }],
  shipping_lines: [{ code: 'LTL Freight', price: '48.00' }],
};

export const SAMPLE_CUSTOMER_WEBHOOK: JsonObject = {
  id: 7390114553916,
  admin_graphql_api_id: 'gid://shopify/Customer/7390114553916',
  email: 'purchasing@northwind-outfitters.example',
  first_name: 'Dana',
  last_name: 'Whitfield',
  phone: '+15105550142',
  tags: 'b2b, tier-gold',
  created_at: '2024-03-02T11:20:00-05:00',
  updated_at: '2026-11-20T09:14:28-05:00',
};

export const SAMPLE_PRODUCT_WEBHOOK: JsonObject = {
  id: 8801123450940,
  admin_graphql_api_id: 'gid://shopify/Product/8801123450940',
  title: 'Trail Runner 2',
  status: 'active',
  updated_at: '2026-11-20T09:14:28-05:00',
  variants: [{ id: 47120033513788, sku: 'TR2-SLT-10', price: '42.50', inventory_item_id: 49220033513788, inventory_quantity: 120 }],
};

export const SAMPLE_INVENTORY_LEVEL_WEBHOOK: JsonObject = {
  inventory_item_id: 49220033513788,
  location_id: 71234567890,
  available: 96,
  updated_at: '2026-11-20T09:20:00-05:00',
  admin_graphql_api_id: 'gid://shopify/InventoryLevel/71234567890?inventory_item_id=49220033513788',
};

export const SAMPLE_COMPANY_WEBHOOK: JsonObject = {
  admin_graphql_api_id: 'gid://shopify/Company/98304561',
  name: 'Northwind Outfitters LLC',
  external_id: 'C00042',
  note: null,
  main_contact_admin_graphql_api_id: 'gid://shopify/CompanyContact/5501',
  created_at: '2024-03-02T11:20:00-05:00',
  updated_at: '2026-11-20T09:14:28-05:00',
  customer_since: '2024-03-02T11:20:00-05:00',
};
