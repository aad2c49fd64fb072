import { describe, expect, it } from 'vitest';
import { idempotencyKey, type IdempotencyParts } from './idempotency.ts';

const base: IdempotencyParts = { flowId: 'flw_orders', target: 'erp', entity: 'salesOrder', sourceId: 7390114553916, version: '2024-05-01T10:00:00Z' };

describe('idempotencyKey', () => {
  it('is the same for the same parts (a retry or replay sends the same key)', () => {
    expect(idempotencyKey({ ...base })).toBe(idempotencyKey(base));
    expect(idempotencyKey(base)).toMatch(/^idk_[A-Za-z0-9_-]{43}$/);
  });
  it('treats a numeric and a string source id alike', () => {
    expect(idempotencyKey({ ...base, sourceId: '7390114553916' })).toBe(idempotencyKey(base));
  });
  it.each([
    ['flowId', { flowId: 'flw_other' }],
    ['target', { target: 'crm' }],
    ['entity', { entity: 'invoice' }],
    ['sourceId', { sourceId: 7390114553917 }],
    ['version', { version: '2024-05-01T10:00:01Z' }],
  ] as const)('changes when %s changes', (_field, change) => {
    expect(idempotencyKey({ ...base, ...change })).not.toBe(idempotencyKey(base));
  });
  it('does not collide when text moves across part boundaries', () => {
    const a = idempotencyKey({ ...base, target: 'erp:sales', entity: 'order' });
    const b = idempotencyKey({ ...base, target: 'erp', entity: 'sales:order' });
    const c = idempotencyKey({ ...base, target: 'erp|', entity: 'salesOrder' });
    const d = idempotencyKey({ ...base, target: 'erp', entity: '|salesOrder' });
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});
