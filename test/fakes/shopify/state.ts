/** In-memory records behind the fake Shopify Admin API. Ids are Shopify GIDs (`gid://shopify/Order/1001`). */

export interface AddressRec {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  country?: string | null;
  countryCode?: string | null;
  phone?: string | null;
}

export interface OrderLineRec {
  id: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: string;
  variantId: string | null;
  productId: string | null;
  vendor: string | null;
}

export interface OrderRec {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  currencyCode: string;
  poNumber: string | null;
  note: string | null;
  tags: string[];
  customAttributes: Array<{ key: string; value: string | null }>;
  customerId: string | null;
  companyId: string | null;
  companyLocationId: string | null;
  financialStatus: string;
  fulfillmentStatus: string;
  subtotalPrice: string;
  totalTax: string;
  totalShipping: string;
  totalPrice: string;
  shippingAddress: AddressRec | null;
  billingAddress: AddressRec | null;
  lineItems: OrderLineRec[];
  cancelledAt: string | null;
}

export interface CustomerRec {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  locale: string;
  taxExempt: boolean;
  createdAt: string;
  updatedAt: string;
  addresses: AddressRec[];
}

export interface ProductRec {
  id: string;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface VariantRec {
  id: string;
  productId: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  taxable: boolean;
  inventoryItemId: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface LocationRec {
  id: string;
  name: string;
  isActive: boolean;
  address: AddressRec;
}

export interface InventoryLevelRec {
  id: string;
  inventoryItemId: string;
  locationId: string;
  /** Quantity by state name: available, on_hand, committed, incoming, reserved… */
  quantities: Record<string, number>;
  updatedAt: string;
}

export interface CompanyRec {
  id: string;
  name: string;
  note: string | null;
  externalId: string | null;
  customerSince: string;
  createdAt: string;
  updatedAt: string;
  mainContactId: string | null;
}

export interface CompanyContactRec {
  id: string;
  companyId: string;
  customerId: string;
  title: string | null;
  locale: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CompanyAddressRec {
  id: string;
  address1: string;
  address2: string | null;
  city: string | null;
  zip: string | null;
  recipient: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  zoneCode: string | null;
  countryCode: string;
  createdAt: string;
  updatedAt: string;
}

export interface CompanyLocationRec {
  id: string;
  companyId: string;
  name: string;
  phone: string | null;
  locale: string | null;
  externalId: string | null;
  note: string | null;
  currency: string;
  taxRegistrationId: string | null;
  taxExempt: boolean;
  billingAddress: CompanyAddressRec | null;
  shippingAddress: CompanyAddressRec | null;
  createdAt: string;
  updatedAt: string;
}

export interface PriceListRec {
  id: string;
  name: string;
  currency: string;
  /** Fixed prices by variant id. */
  prices: Map<string, { price: string; compareAtPrice: string | null }>;
}

export interface FulfillmentOrderLineRec {
  id: string;
  lineItemId: string;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FulfillmentOrderRec {
  id: string;
  orderId: string;
  locationId: string;
  status: 'OPEN' | 'IN_PROGRESS' | 'CANCELLED' | 'INCOMPLETE' | 'CLOSED' | 'SCHEDULED' | 'ON_HOLD';
  lineItems: FulfillmentOrderLineRec[];
  createdAt: string;
  updatedAt: string;
}

export interface FulfillmentRec {
  id: string;
  orderId: string;
  name: string;
  status: 'SUCCESS';
  locationId: string;
  trackingInfo: Array<{ number: string | null; url: string | null; company: string | null }>;
  lines: Array<{ lineItemId: string; quantity: number }>;
  fulfillmentOrderIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface BulkOperationRec {
  id: string;
  query: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED';
  createdAt: string;
  completedAt: string | null;
  /** JSONL produced when the operation completes. */
  lines: string[];
  rootObjectCount: number;
  /** Remaining status reads before the operation completes. */
  pollsLeft: number;
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
}

export interface ShopState {
  shop: { name: string; domain: string; currencyCode: string };
  orders: Map<string, OrderRec>;
  customers: Map<string, CustomerRec>;
  products: Map<string, ProductRec>;
  variants: Map<string, VariantRec>;
  locations: Map<string, LocationRec>;
  /** Keyed by `${inventoryItemId}|${locationId}`. */
  inventoryLevels: Map<string, InventoryLevelRec>;
  companies: Map<string, CompanyRec>;
  companyContacts: Map<string, CompanyContactRec>;
  companyLocations: Map<string, CompanyLocationRec>;
  priceLists: Map<string, PriceListRec>;
  fulfillmentOrders: Map<string, FulfillmentOrderRec>;
  fulfillments: Map<string, FulfillmentRec>;
  bulkOperations: Map<string, BulkOperationRec>;
}

export function emptyState(shopDomain: string): ShopState {
  return {
    shop: { name: 'Northwind Supply', domain: shopDomain, currencyCode: 'USD' },
    orders: new Map(),
    customers: new Map(),
    products: new Map(),
    variants: new Map(),
    locations: new Map(),
    inventoryLevels: new Map(),
    companies: new Map(),
    companyContacts: new Map(),
    companyLocations: new Map(),
    priceLists: new Map(),
    fulfillmentOrders: new Map(),
    fulfillments: new Map(),
    bulkOperations: new Map(),
  };
}

export function levelKey(inventoryItemId: string, locationId: string): string {
  return `${inventoryItemId}|${locationId}`;
}

/** `gid://shopify/Order/1001` → `{ type: 'Order', id: '1001' }`; null when it is not a Shopify GID. */
export function parseGid(gid: string): { type: string; id: string } | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/([^?/]+)/.exec(gid);
  return m ? { type: m[1]!, id: m[2]! } : null;
}
