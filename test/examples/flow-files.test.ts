// Every example flow file validates against the catalog the server ships, with JSONata syntax checked,
// and is stored in canonical form (what the designer and `tributary flows export` write).
import { createRegistry } from '@tributary/connector-sdk';
import { parseFlow, serializeFlow, validateFlow, type FlowIssue } from '@tributary/flow';
import { checkExpression } from '@tributary/mapping';
import { describe, expect, it } from 'vitest';
import { allConnectors } from '../../apps/server/src/runtime/connectors.ts';
import { exampleFlowFiles, readExampleText } from '../../examples/index.ts';

const catalog = new Map(createRegistry(allConnectors()).catalog().map((s) => [s.type, s]));
const files = exampleFlowFiles();

describe('example flow files', () => {
  it('finds the order-to-cash examples', () => {
    expect(files).toEqual(expect.arrayContaining(['order-to-erp/flow.json', 'shipments-to-fulfillment/flow.json', 'inventory-sync/flow.json', 'inventory-sync/reconcile.flow.json', 'webhook-to-erp/flow.json']));
  });

  it.each(files)('%s validates with no errors against the server catalog', (file) => {
    const parsed = parseFlow(readExampleText(file));
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    if (!parsed.ok) return;
    const issues = validateFlow(parsed.flow, catalog, { checkExpression });
    const problems = (severity: FlowIssue['severity']) => issues.filter((i) => (i.severity ?? 'error') === severity).map((i) => `${i.code} ${i.path}: ${i.message}`);
    expect(problems('error')).toEqual([]);
    expect(problems('warning')).toEqual([]);
  });

  it.each(files)('%s is in canonical form', (file) => {
    const text = readExampleText(file);
    const parsed = parseFlow(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(serializeFlow(parsed.flow)).toBe(text);
  });

  it("takes a poll trigger's schedule (as the demo sets it) as settings of the trigger, not unknown ones", () => {
    for (const file of ['shipments-to-fulfillment/flow.json', 'inventory-sync/flow.json']) {
      const parsed = parseFlow(readExampleText(file));
      if (!parsed.ok) throw new Error(`${file} does not parse`);
      const flow = { ...parsed.flow, nodes: parsed.flow.nodes.map((n) => (n.id === parsed.flow.trigger ? { ...n, config: { ...n.config, cron: '*/10 * * * * *', timezone: 'Europe/Berlin' } } : n)) };
      expect(validateFlow(flow, catalog, { checkExpression }).map((i) => `${i.code} ${i.message}`)).toEqual([]);
      const trigger = flow.nodes.find((n) => n.id === flow.trigger)!;
      expect(Object.keys(catalog.get(trigger.type)?.props ?? {})).toEqual(expect.arrayContaining(['cron', 'timezone', 'intervalMinutes']));
    }
  });

  it('catches a broken expression and an unknown node type (self-check)', () => {
    const parsed = parseFlow(readExampleText('order-to-erp/flow.json'));
    if (!parsed.ok) throw new Error('order-to-erp does not parse');
    const broken = { ...parsed.flow, nodes: parsed.flow.nodes.map((n) => (n.id === 'toSalesOrder' ? { ...n, config: { expression: '$trigger.(' } } : n.id === 'createSalesOrder' ? { ...n, type: 'business-central.nope' } : n)) };
    const codes = validateFlow(broken, catalog, { checkExpression }).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['FLOW_EXPRESSION_SYNTAX', 'FLOW_UNKNOWN_NODE_TYPE']));
  });
});
