import type { Row } from './entities.ts';
import { insertRow, nextNumber, type BcState } from './state.ts';

export interface CronusSeed {
  customers: { northwind: Row; adatum: Row };
  /** Items by number: the Shopify fake's SKUs plus a blocked one. */
  items: Record<string, Row>;
}

/** A small CRONUS-like company: two customers and four items (three match the Shopify fixture's SKUs). */
export function seedCronus(state: BcState, nowIso: string): CronusSeed {
  const earlier = new Date(Date.parse(nowIso) - 86_400_000).toISOString();
  const customer = (values: Row): Row =>
    insertRow(state, 'customers', { type: 'Company', number: nextNumber(state, 'customer'), currencyCode: '', blocked: ' ', taxLiable: true, lastModifiedDateTime: earlier, ...values });
  const northwind = customer({
    displayName: 'Northwind Outfitters LLC',
    addressLine1: '1200 Harbor Blvd',
    addressLine2: 'Suite 400',
    city: 'Oakland',
    state: 'CA',
    country: 'US',
    postalCode: '94607',
    phoneNumber: '+1 510-555-0142',
    email: 'purchasing@northwind-outfitters.example',
    creditLimit: 50000,
  });
  const adatum = customer({ displayName: 'Adatum Corporation', addressLine1: '192 Market Square', city: 'Atlanta', state: 'GA', country: 'US', postalCode: '31772', email: 'robert.townes@adatum.example' });
  const items: Record<string, Row> = {};
  const item = (number: string, displayName: string, unitPrice: number, inventory: number, blocked = false): void => {
    items[number] = insertRow(state, 'items', {
      number,
      displayName,
      type: 'Inventory',
      blocked,
      inventory,
      unitPrice,
      unitCost: Math.round(unitPrice * 55) / 100,
      baseUnitOfMeasureCode: 'PCS',
      generalProductPostingGroupCode: 'RETAIL',
      inventoryPostingGroupCode: 'RESALE',
      lastModifiedDateTime: earlier,
    });
  };
  item('TR2-SLT-10', 'Trail Runner 2 - Slate / 10', 42.5, 120);
  item('ASJ-NVY-M', 'Alpine Shell Jacket - Navy / M', 68, 40);
  item('MCS3-CHR', 'Merino Crew Sock 3-Pack - Charcoal', 5, 300);
  item('OLD-DISC-1', 'Discontinued Trail Runner 1', 30, 0, true);
  return { customers: { northwind, adatum }, items };
}
