import { createHash, randomUUID } from 'node:crypto';
import { blankRow, ENTITIES, type EntitySetName, type Row } from './entities.ts';

/** One stored row and its version (bumped on every write; the ETag derives from it). */
export interface Stored {
  row: Row;
  version: number;
}

export interface BcState {
  companyId: string;
  companyName: string;
  tables: Record<EntitySetName, Map<string, Stored>>;
  /** No. Series: next customer, sales order and shipment numbers. */
  series: { customer: number; salesOrder: number; salesShipment: number };
}

export function emptyBcState(companyId: string, companyName: string): BcState {
  return {
    companyId,
    companyName,
    tables: {
      customers: new Map(),
      items: new Map(),
      salesOrders: new Map(),
      salesOrderLines: new Map(),
      salesShipments: new Map(),
      salesShipmentLines: new Map(),
    },
    series: { customer: 10, salesOrder: 101001, salesShipment: 102001 },
  };
}

/** A weak ETag in Business Central's shape: W/"<base64 of '<len>;<digits>;00;'>". */
export function etagOf(id: string, version: number): string {
  const digits = BigInt(`0x${createHash('sha1').update(`${id}:${version}`).digest('hex').slice(0, 14)}`).toString();
  return `W/"${Buffer.from(`'${digits.length};${digits};00;'`).toString('base64')}"`;
}

export function newGuid(): string {
  return randomUUID();
}

/** Inserts a full row (defaults for absent properties) and returns it. */
export function insertRow(state: BcState, set: EntitySetName, values: Row): Row {
  const row: Row = { ...blankRow(set), ...values };
  if (typeof row.id !== 'string' || row.id === '00000000-0000-0000-0000-000000000000') row.id = newGuid();
  state.tables[set].set(row.id as string, { row, version: 1 });
  return row;
}

export function findBy(state: BcState, set: EntitySetName, field: string, value: unknown): Stored | undefined {
  for (const s of state.tables[set].values()) {
    const v = s.row[field];
    if (typeof v === 'string' && typeof value === 'string' ? v.toLowerCase() === value.toLowerCase() : v === value) return s;
  }
  return undefined;
}

export function nextNumber(state: BcState, kind: 'customer' | 'salesOrder' | 'salesShipment'): string {
  if (kind === 'customer') {
    const n = state.series.customer;
    state.series.customer += 10;
    return `C${String(n).padStart(5, '0')}`;
  }
  if (kind === 'salesOrder') return `S-ORD${state.series.salesOrder++}`;
  return `S-SHPT${state.series.salesShipment++}`;
}

/** Recomputes a sales order's totals and shipping status from its lines. */
export function recomputeOrder(state: BcState, orderId: string): void {
  const order = state.tables.salesOrders.get(orderId);
  if (!order) return;
  const lines = [...state.tables.salesOrderLines.values()].filter((l) => l.row.documentId === orderId).map((l) => l.row);
  const net = lines.reduce((n, l) => n + Number(l.amountExcludingTax), 0);
  const tax = lines.reduce((n, l) => n + Number(l.totalTaxAmount), 0);
  order.row.totalAmountExcludingTax = round2(net);
  order.row.totalTaxAmount = round2(tax);
  order.row.totalAmountIncludingTax = round2(net + tax);
  const itemLines = lines.filter((l) => l.lineType === 'Item');
  order.row.fullyShipped = itemLines.length > 0 && itemLines.every((l) => Number(l.shippedQuantity) >= Number(l.quantity));
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Fills a sales order line's calculated amounts from quantity, unit price, discount and tax percent. */
export function computeLine(line: Row): void {
  const gross = Number(line.quantity) * Number(line.unitPrice);
  const discount = Number(line.discountAmount) || (gross * Number(line.discountPercent)) / 100;
  const net = round2(gross - discount);
  const tax = round2((net * Number(line.taxPercent)) / 100);
  line.discountAmount = round2(discount);
  line.amountExcludingTax = net;
  line.totalTaxAmount = tax;
  line.amountIncludingTax = round2(net + tax);
  line.netAmount = net;
  line.netTaxAmount = tax;
  line.netAmountIncludingTax = round2(net + tax);
}

export function tableFields(set: EntitySetName): string[] {
  return Object.keys(ENTITIES[set].fields);
}
