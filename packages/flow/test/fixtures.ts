import type { ExpressionChecker, NodeTypeSpec } from '../src/catalog.ts';
import type { FlowDocumentInput } from '../src/schema.ts';

function spec(s: Omit<NodeTypeSpec, 'label' | 'description' | 'group' | 'connector'>): NodeTypeSpec {
  const connector = s.type.split('.')[0] as string;
  return { label: s.type, description: `${s.type} (test)`, group: connector, connector, ...s };
}

/** A small catalog shaped like the real one: a trigger, a map, a branch, an ERP write, a notifier. */
export const testCatalog: Record<string, NodeTypeSpec> = {
  'test.webhook': spec({
    type: 'test.webhook',
    kind: 'trigger',
    outputs: ['out'],
    runsIn: 'host',
    trigger: { source: 'webhook', signature: 'none' },
    props: { secret: { type: 'string', label: 'Secret', allowExpression: false } },
  }),
  'test.schedule': spec({
    type: 'test.schedule',
    kind: 'trigger',
    outputs: ['out'],
    runsIn: 'host',
    trigger: { source: 'schedule' },
    props: { cron: { type: 'cron', label: 'Cron', required: true, default: '0 * * * *' } },
  }),
  'core.map': spec({
    type: 'core.map',
    kind: 'logic',
    outputs: ['out'],
    runsIn: 'isolate',
    props: { expression: { type: 'jsonata', label: 'Expression', required: true, allowExpression: false } },
  }),
  'core.branch': spec({
    type: 'core.branch',
    kind: 'logic',
    outputs: ['else'],
    outputsFrom: 'cases',
    runsIn: 'isolate',
    props: {
      cases: {
        type: 'array',
        label: 'Cases',
        required: true,
        allowExpression: false,
        items: {
          type: 'object',
          label: 'Case',
          properties: {
            name: { type: 'string', label: 'Port name', required: true, allowExpression: false },
            when: { type: 'jsonata', label: 'Condition', required: true, allowExpression: false },
          },
        },
      },
    },
  }),
  'erp.createSalesOrder': spec({
    type: 'erp.createSalesOrder',
    kind: 'action',
    outputs: ['out'],
    runsIn: 'host',
    props: {
      connection: { type: 'connection', label: 'Connection', required: true, connector: 'erp', allowExpression: false },
      order: { type: 'object', label: 'Order', required: true },
      idempotencyKey: { type: 'string', label: 'Idempotency key' },
      priority: {
        type: 'select',
        label: 'Priority',
        options: [
          { value: 'normal', label: 'Normal' },
          { value: 'rush', label: 'Rush' },
        ],
      },
      quantity: { type: 'integer', label: 'Quantity', min: 1 },
      discount: { type: 'number', label: 'Discount', min: 0, max: 1 },
      tags: {
        type: 'multiselect',
        label: 'Tags',
        options: [
          { value: 'b2b', label: 'B2B' },
          { value: 'export', label: 'Export' },
        ],
      },
      dryRun: { type: 'boolean', label: 'Dry run' },
      extra: { type: 'json', label: 'Extra fields' },
    },
  }),
  'ops.notify': spec({
    type: 'ops.notify',
    kind: 'action',
    outputs: ['out'],
    runsIn: 'host',
    props: { message: { type: 'text', label: 'Message', required: true } },
  }),
};

/**
 * Stands in for the JSONata checker of @tributary/mapping: reports unbalanced parentheses by
 * offset only, so validation has to work out line and column itself.
 */
export const parenChecker: ExpressionChecker = (text) => {
  const problems: Array<{ message: string; offset: number }> = [];
  const open: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') open.push(i);
    else if (text[i] === ')') {
      if (open.length === 0) problems.push({ message: 'unexpected ")"', offset: i });
      else open.pop();
    }
  }
  for (const at of open) problems.push({ message: '"(" is never closed', offset: at });
  return problems;
};

/**
 * A valid flow using every kind of node in the catalog:
 * hook -> toSO -> route -(wholesale)-> createSO -(error)-> notify, route -(else)-> notify.
 */
export function baseFlow(): FlowDocumentInput {
  return {
    schemaVersion: 1,
    id: 'flw_orders',
    name: 'Shopify order to ERP sales order',
    trigger: 'hook',
    nodes: [
      { id: 'hook', type: 'test.webhook', name: 'New order', config: {} },
      { id: 'toSO', type: 'core.map', config: { expression: '{ "lines": order.lines }' } },
      { id: 'route', type: 'core.branch', config: { cases: [{ name: 'wholesale', when: 'customer.tags = "b2b"' }] } },
      {
        id: 'createSO',
        type: 'erp.createSalesOrder',
        config: { connection: 'erp-main', order: { $expr: '$steps.toSO' }, idempotencyKey: { $expr: '$trigger.name' }, quantity: 2, tags: ['b2b'] },
        retry: { attempts: 8, backoff: 'exponential', maxDelayMs: 3_600_000 },
        onError: 'route',
      },
      { id: 'notify', type: 'ops.notify', config: { message: 'Order needs attention' } },
    ],
    edges: [
      { from: 'hook', to: 'toSO' },
      { from: 'toSO', to: 'route' },
      { from: 'route', port: 'wholesale', to: 'createSO' },
      { from: 'route', port: 'else', to: 'notify' },
      { from: 'createSO', port: 'error', to: 'notify' },
    ],
    settings: { priority: 'high', concurrency: 20, timeoutMs: 300_000 },
    layout: { hook: { x: 0, y: 0 }, toSO: { x: 260, y: 0 }, route: { x: 520, y: 0 }, createSO: { x: 780, y: -80 }, notify: { x: 780, y: 80 } },
  };
}

/** A deep copy that tests may mutate freely, typed loosely enough to break on purpose. */
export type LooseFlow = {
  [key: string]: unknown;
  nodes: Array<Record<string, unknown> & { config: Record<string, unknown> }>;
  edges: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
};

export function looseFlow(): LooseFlow {
  return JSON.parse(JSON.stringify(baseFlow())) as LooseFlow;
}
