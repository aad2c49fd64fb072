import type { FakeShopify } from '../../../../test/fakes/shopify/index.ts';

/** A Shopify customer of the demo shop, with the B2B company and addresses its orders carry. */
export interface DemoCustomer {
  /** The customer's GID in the fake shop. */
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  company: string;
  billing: DemoAddress;
  shipping: DemoAddress & { company: string };
}

interface DemoAddress {
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
}

const SKUS = [
  { sku: 'TR2-SLT-10', name: 'Trail Runner 2 - Slate / 10', title: 'Trail Runner 2', variant: 'Slate / 10', price: 42.5, grams: 850 },
  { sku: 'ASJ-NVY-M', name: 'Alpine Shell Jacket - Navy / M', title: 'Alpine Shell Jacket', variant: 'Navy / M', price: 68, grams: 1210 },
  { sku: 'MCS3-CHR', name: 'Merino Crew Sock 3-Pack - Charcoal', title: 'Merino Crew Sock 3-Pack', variant: 'Charcoal', price: 5, grams: 300 },
] as const;

/**
 * The demo shop's buyers: Northwind (the fake's seeded customer) and Adatum also exist in the Business
 * Central fake (found by email and linked), Contoso is new to the ERP (created, then linked).
 */
export function demoCustomers(shopify: FakeShopify): DemoCustomer[] {
  const northwind = shopify.northwind;
  if (!northwind) throw new Error('the demo needs the fake Shopify seeded with the Northwind shop');
  const adatum = shopify.seed.customer({ email: 'robert.townes@adatum.example', firstName: 'Robert', lastName: 'Townes', phone: '+14045550178', tags: ['b2b'] });
  const contoso = shopify.seed.customer({ email: 'buying@contoso-outdoor.example', firstName: 'Mara', lastName: 'Lindqvist', phone: '+12065550123', tags: ['b2b', 'new'] });
  return [
    {
      id: northwind.customer.id,
      email: 'purchasing@northwind-outfitters.example',
      firstName: 'Dana',
      lastName: 'Whitfield',
      phone: '+1 510-555-0142',
      company: 'Northwind Outfitters LLC',
      billing: { address1: '1200 Harbor Blvd', address2: 'Suite 400', city: 'Oakland', province: 'California', provinceCode: 'CA', zip: '94607' },
      shipping: { company: 'Northwind Outfitters - Warehouse 2', address1: '88 Industrial Way', address2: null, city: 'San Leandro', province: 'California', provinceCode: 'CA', zip: '94577' },
    },
    {
      id: adatum.id,
      email: 'robert.townes@adatum.example',
      firstName: 'Robert',
      lastName: 'Townes',
      phone: '+1 404-555-0178',
      company: 'Adatum Corporation',
      billing: { address1: '192 Market Square', address2: null, city: 'Atlanta', province: 'Georgia', provinceCode: 'GA', zip: '31772' },
      shipping: { company: 'Adatum Corporation - Receiving', address1: '192 Market Square', address2: 'Dock B', city: 'Atlanta', province: 'Georgia', provinceCode: 'GA', zip: '31772' },
    },
    {
      id: contoso.id,
      email: 'buying@contoso-outdoor.example',
      firstName: 'Mara',
      lastName: 'Lindqvist',
      phone: '+1 206-555-0123',
      company: 'Contoso Outdoor Co',
      billing: { address1: '500 Pine St', address2: 'Floor 3', city: 'Seattle', province: 'Washington', provinceCode: 'WA', zip: '98101' },
      shipping: { company: 'Contoso Outdoor Co - DC', address1: '2200 Occidental Ave S', address2: null, city: 'Seattle', province: 'Washington', provinceCode: 'WA', zip: '98134' },
    },
  ];
}

/** The numeric id Shopify's REST webhooks use for a GID (`gid://shopify/Order/1042` → 1042). */
export function numericId(gid: string): number {
  const n = Number(gid.slice(gid.lastIndexOf('/') + 1));
  if (!Number.isSafeInteger(n)) throw new Error(`not a Shopify GID with a numeric id: ${gid}`);
  return n;
}

function money(n: number): string {
  return n.toFixed(2);
}

function address(a: DemoAddress & { company?: string }, c: DemoCustomer, phone: string): Record<string, unknown> {
  return {
    first_name: c.firstName,
    last_name: c.lastName,
    company: a.company ?? c.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    province_code: a.provinceCode,
    zip: a.zip,
    country: 'United States',
    country_code: 'US',
    phone,
  };
}

/**
 * Places an order in the fake shop (so it can be fulfilled later) and returns the `orders/create` webhook
 * body Shopify would send for it (REST format, like ../shared/fixtures/shopify/orders-create.json).
 */
export function placeDemoOrder(shopify: FakeShopify, o: { customer: DemoCustomer; sequence: number; random?: () => number; now?: Date }): { name: string; payload: Record<string, unknown> } {
  const random = o.random ?? Math.random;
  const c = o.customer;
  const picked = SKUS.filter(() => random() < 0.6);
  const items = (picked.length > 0 ? picked : [SKUS[Math.floor(random() * SKUS.length)]!]).map((s) => ({ ...s, quantity: 6 * (1 + Math.floor(random() * 4)) }));
  const name = `#D${1000 + o.sequence}`;
  const poNumber = `PO-${80000 + o.sequence}`;
  const created = (o.now ?? new Date()).toISOString();
  const order = shopify.seed.order({ name, customerId: c.id, email: c.email, poNumber, createdAt: created, lineItems: items.map((i) => ({ sku: i.sku, quantity: i.quantity })) });
  const fakeLines = order.lineItems;
  const subtotal = items.reduce((n, i) => n + i.price * i.quantity, 0);
  const freight = subtotal >= 1000 ? 0 : 25;
  const orderId = numericId(order.id);
  const payload: Record<string, unknown> = {
    id: orderId,
    admin_graphql_api_id: order.id,
    name,
    number: o.sequence,
    order_number: 1000 + o.sequence,
    email: c.email,
    contact_email: c.email,
    created_at: created,
    processed_at: created,
    updated_at: created,
    currency: 'USD',
    presentment_currency: 'USD',
    financial_status: 'pending',
    fulfillment_status: null,
    source_name: 'shopify_draft_order',
    tags: 'wholesale, demo',
    note: null,
    note_attributes: [{ name: 'po_number', value: poNumber }],
    payment_terms: { payment_terms_name: 'Net 30', payment_terms_type: 'NET', due_in_days: 30 },
    subtotal_price: money(subtotal),
    total_line_items_price: money(subtotal),
    total_discounts: '0.00',
    total_tax: '0.00',
    total_price: money(subtotal + freight),
    taxes_included: false,
    test: false,
    billing_address: address(c.billing, c, c.phone),
    shipping_address: address(c.shipping, c, c.phone),
    customer: {
      id: numericId(c.id),
      admin_graphql_api_id: c.id,
      email: c.email,
      first_name: c.firstName,
      last_name: c.lastName,
      phone: c.phone,
      currency: 'USD',
      default_address: { company: c.company, address1: c.billing.address1, city: c.billing.city, province_code: c.billing.provinceCode, zip: c.billing.zip, country_code: 'US', default: true },
    },
    line_items: items.map((i, k) => ({
      id: numericId(fakeLines[k]!.id),
      admin_graphql_api_id: fakeLines[k]!.id,
      sku: i.sku,
      name: i.name,
      title: i.title,
      variant_title: i.variant,
      price: money(i.price),
      quantity: i.quantity,
      fulfillable_quantity: i.quantity,
      grams: i.grams,
      requires_shipping: true,
      taxable: true,
      vendor: 'Northwind Supply',
      discount_allocations: [],
      tax_lines: [],
    })),
    shipping_lines: freight > 0 ? [{ code: 'Ground', title: 'Ground', price: money(freight), source: 'shopify', tax_lines: [] }] : [],
    fulfillments: [],
    refunds: [],
  };
  return { name, payload };
}
