import { money, type FakeShopifyContext } from './context.ts';
import { levelKey, type AddressRec, type CompanyLocationRec, type CompanyRec, type CustomerRec, type LocationRec, type OrderRec, type PriceListRec, type ProductRec, type VariantRec } from './state.ts';

export interface SeedVariant {
  sku: string;
  price: string | number;
  title?: string;
  compareAtPrice?: string | number | null;
  /** Available quantity at every seeded location, or per location id. */
  available?: number | Record<string, number>;
}

export interface SeedOrderLine {
  /** Either a seeded variant id or its SKU. */
  variantId?: string;
  sku?: string;
  quantity: number;
  price?: string | number;
  /** Location that fulfils this line (default: the order's). Shopify makes one fulfillment order per location. */
  locationId?: string;
}

export interface SeedOrder {
  name?: string;
  email?: string | null;
  customerId?: string | null;
  companyId?: string | null;
  companyLocationId?: string | null;
  poNumber?: string | null;
  note?: string | null;
  tags?: string[];
  createdAt?: string;
  updatedAt?: string;
  financialStatus?: string;
  lineItems: SeedOrderLine[];
  shippingAddress?: AddressRec | null;
  /** Location whose fulfillment order gets the lines (default: the first location). */
  locationId?: string;
}

export interface Seeder {
  location(input: { name: string; address?: AddressRec }): LocationRec;
  product(input: { title: string; vendor?: string; productType?: string; variants: SeedVariant[] }): { product: ProductRec; variants: VariantRec[] };
  customer(input: Partial<Omit<CustomerRec, 'id'>> & { email?: string | null }): CustomerRec;
  company(input: { name: string; externalId?: string | null; locationName?: string; locationExternalId?: string | null; contactCustomerId?: string }): { company: CompanyRec; location: CompanyLocationRec };
  priceList(input: { name: string; currency: string }): PriceListRec;
  order(input: SeedOrder): OrderRec;
  /** Marks an order as changed (Shopify bumps updated_at on every edit). */
  touchOrder(id: string, at?: string): OrderRec;
  /** A small wholesale shop: one warehouse, the three SKUs of the orders/create fixture, Dana Whitfield and Northwind Outfitters. */
  northwind(): NorthwindSeed;
}

export interface NorthwindSeed {
  locationId: string;
  productIds: string[];
  variants: Record<string, VariantRec>;
  customer: CustomerRec;
  company: CompanyRec;
  companyLocation: CompanyLocationRec;
  priceList: PriceListRec;
}

export function createSeeder(ctx: FakeShopifyContext): Seeder {
  const s = ctx.state;
  const self: Seeder = {
    location: ({ name, address }) => {
      const l: LocationRec = { id: ctx.nextId('Location'), name, isActive: true, address: address ?? { address1: '88 Industrial Way', city: 'San Leandro', provinceCode: 'CA', zip: '94577', countryCode: 'US', country: 'United States' } };
      s.locations.set(l.id, l);
      return l;
    },
    product: ({ title, vendor, productType, variants }) => {
      const now = ctx.nowIso();
      const product: ProductRec = {
        id: ctx.nextId('Product'),
        title,
        handle: title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
        vendor: vendor ?? 'Northwind Supply',
        productType: productType ?? '',
        status: 'ACTIVE',
        tags: [],
        createdAt: now,
        updatedAt: now,
      };
      s.products.set(product.id, product);
      const out = variants.map((sv, i): VariantRec => {
        const variant: VariantRec = {
          id: ctx.nextId('ProductVariant'),
          productId: product.id,
          title: sv.title ?? 'Default Title',
          sku: sv.sku,
          barcode: null,
          price: money(sv.price),
          compareAtPrice: sv.compareAtPrice === undefined || sv.compareAtPrice === null ? null : money(sv.compareAtPrice),
          taxable: true,
          inventoryItemId: ctx.nextId('InventoryItem'),
          position: i + 1,
          createdAt: now,
          updatedAt: now,
        };
        s.variants.set(variant.id, variant);
        const available = sv.available ?? 0;
        const perLocation: Record<string, number> =
          typeof available === 'object' ? available : Object.fromEntries([...s.locations.keys()].map((id): [string, number] => [id, available]));
        for (const [locationId, available] of Object.entries(perLocation)) {
          s.inventoryLevels.set(levelKey(variant.inventoryItemId, locationId), {
            id: ctx.nextId('InventoryLevel'),
            inventoryItemId: variant.inventoryItemId,
            locationId,
            quantities: { available, on_hand: available, committed: 0, incoming: 0, reserved: 0 },
            updatedAt: now,
          });
        }
        return variant;
      });
      return { product, variants: out };
    },
    customer: (input) => {
      const now = ctx.nowIso();
      const c: CustomerRec = {
        id: ctx.nextId('Customer'),
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        note: input.note ?? null,
        tags: input.tags ?? [],
        locale: input.locale ?? 'en',
        taxExempt: input.taxExempt ?? false,
        createdAt: input.createdAt ?? now,
        updatedAt: input.updatedAt ?? now,
        addresses: input.addresses ?? [],
      };
      s.customers.set(c.id, c);
      return c;
    },
    company: ({ name, externalId, locationName, locationExternalId, contactCustomerId }) => {
      const now = ctx.nowIso();
      const company: CompanyRec = { id: ctx.nextId('Company'), name, note: null, externalId: externalId ?? null, customerSince: now, createdAt: now, updatedAt: now, mainContactId: null };
      s.companies.set(company.id, company);
      const location: CompanyLocationRec = {
        id: ctx.nextId('CompanyLocation'),
        companyId: company.id,
        name: locationName ?? name,
        phone: null,
        locale: 'en',
        externalId: locationExternalId ?? null,
        note: null,
        currency: s.shop.currencyCode,
        taxRegistrationId: null,
        taxExempt: false,
        billingAddress: null,
        shippingAddress: null,
        createdAt: now,
        updatedAt: now,
      };
      s.companyLocations.set(location.id, location);
      if (contactCustomerId) {
        const contactId = ctx.nextId('CompanyContact');
        s.companyContacts.set(contactId, { id: contactId, companyId: company.id, customerId: contactCustomerId, title: null, locale: 'en', createdAt: now, updatedAt: now });
        company.mainContactId = contactId;
      }
      return { company, location };
    },
    priceList: ({ name, currency }) => {
      const p: PriceListRec = { id: ctx.nextId('PriceList'), name, currency, prices: new Map() };
      s.priceLists.set(p.id, p);
      return p;
    },
    order: (input) => {
      const now = ctx.nowIso();
      const id = ctx.nextId('Order');
      const seq = s.orders.size + 1001;
      const lines = input.lineItems.map((l) => {
        const variant = l.variantId ? s.variants.get(l.variantId) : [...s.variants.values()].find((x) => x.sku === l.sku);
        const product = variant ? s.products.get(variant.productId) : undefined;
        return {
          id: ctx.nextId('LineItem'),
          title: product?.title ?? l.sku ?? 'Custom item',
          variantTitle: variant && variant.title !== 'Default Title' ? variant.title : null,
          sku: variant?.sku ?? l.sku ?? null,
          quantity: l.quantity,
          unitPrice: money(l.price ?? variant?.price ?? 0),
          variantId: variant?.id ?? null,
          productId: product?.id ?? null,
          vendor: product?.vendor ?? null,
        };
      });
      const subtotal = lines.reduce((n, l) => n + Number(l.unitPrice) * l.quantity, 0);
      const customer = input.customerId ? s.customers.get(input.customerId) : undefined;
      const order: OrderRec = {
        id,
        name: input.name ?? `#${seq}`,
        email: input.email === undefined ? (customer?.email ?? null) : input.email,
        phone: null,
        createdAt: input.createdAt ?? now,
        updatedAt: input.updatedAt ?? input.createdAt ?? now,
        processedAt: input.createdAt ?? now,
        currencyCode: s.shop.currencyCode,
        poNumber: input.poNumber ?? null,
        note: input.note ?? null,
        tags: input.tags ?? [],
        customAttributes: input.poNumber ? [{ key: 'po_number', value: input.poNumber }] : [],
        customerId: input.customerId ?? null,
        companyId: input.companyId ?? null,
        companyLocationId: input.companyLocationId ?? null,
        financialStatus: input.financialStatus ?? 'PENDING',
        fulfillmentStatus: 'UNFULFILLED',
        subtotalPrice: money(subtotal),
        totalTax: money(0),
        totalShipping: money(0),
        totalPrice: money(subtotal),
        shippingAddress: input.shippingAddress ?? null,
        billingAddress: null,
        lineItems: lines,
        cancelledAt: null,
      };
      s.orders.set(id, order);
      const defaultLocation = input.locationId ?? [...s.locations.keys()][0];
      const byLocation = new Map<string, typeof lines>();
      lines.forEach((l, i) => {
        const at = input.lineItems[i]!.locationId ?? defaultLocation;
        if (at) byLocation.set(at, [...(byLocation.get(at) ?? []), l]);
      });
      for (const [locationId, atLocation] of byLocation) {
        // A placed order commits its stock: available goes down, committed up, on_hand stays until fulfilment.
        for (const l of atLocation) {
          const variant = l.variantId ? s.variants.get(l.variantId) : undefined;
          const level = variant ? s.inventoryLevels.get(levelKey(variant.inventoryItemId, locationId)) : undefined;
          if (!level) continue;
          level.quantities.available = (level.quantities.available ?? 0) - l.quantity;
          level.quantities.committed = (level.quantities.committed ?? 0) + l.quantity;
        }
        const foId = ctx.nextId('FulfillmentOrder');
        s.fulfillmentOrders.set(foId, {
          id: foId,
          orderId: id,
          locationId,
          status: 'OPEN',
          lineItems: atLocation.map((l) => ({ id: ctx.nextId('FulfillmentOrderLineItem'), lineItemId: l.id, totalQuantity: l.quantity, remainingQuantity: l.quantity })),
          createdAt: order.createdAt,
          updatedAt: order.createdAt,
        });
      }
      return order;
    },
    touchOrder: (id, at) => {
      const o = s.orders.get(id);
      if (!o) throw new Error(`no order ${id}`);
      o.updatedAt = at ?? ctx.nowIso();
      return o;
    },
    northwind: () => {
      const location = self.location({ name: 'Oakland Warehouse' });
      const products = [
        self.product({ title: 'Trail Runner 2', variants: [{ sku: 'TR2-SLT-10', title: 'Slate / 10', price: '42.50', available: 120 }] }),
        self.product({ title: 'Alpine Shell Jacket', variants: [{ sku: 'ASJ-NVY-M', title: 'Navy / M', price: '68.00', available: 40 }] }),
        self.product({ title: 'Merino Crew Sock 3-Pack', variants: [{ sku: 'MCS3-CHR', title: 'Charcoal', price: '5.00', available: 300 }] }),
      ];
      const customer = self.customer({ email: 'purchasing@northwind-outfitters.example', firstName: 'Dana', lastName: 'Whitfield', phone: '+15105550142', tags: ['b2b', 'tier-gold'] });
      const { company, location: companyLocation } = self.company({ name: 'Northwind Outfitters LLC', externalId: 'C00042', locationName: 'Northwind Outfitters - Warehouse 2', locationExternalId: 'C00042-W2', contactCustomerId: customer.id });
      const priceList = self.priceList({ name: 'Wholesale USD', currency: 'USD' });
      const variants: Record<string, VariantRec> = {};
      for (const p of products) for (const x of p.variants) if (x.sku) variants[x.sku] = x;
      return { locationId: location.id, productIds: products.map((p) => p.product.id), variants, customer, company, companyLocation, priceList };
    },
  };
  return self;
}
