import type { NodeTypeSpec } from '@tributary/flow';
import type { ActionDefinition, Connector, TriggerDefinition } from './define.ts';
import type { PropDefs } from './props.ts';

export type NodeImplementation =
  | { kind: 'action'; type: string; spec: NodeTypeSpec; connector: Connector; action: ActionDefinition<PropDefs> }
  | { kind: 'trigger'; type: string; spec: NodeTypeSpec; connector: Connector; trigger: TriggerDefinition<PropDefs> };

/**
 * Every node type the runtime can run, looked up by `<connector>.<name>`.
 * @example
 * const registry = createRegistry([coreConnector, httpConnector, shopifyConnector]);
 * registry.get('core.map')?.kind; // 'action'
 */
export interface ConnectorRegistry {
  get(type: string): NodeImplementation | undefined;
  catalog(): NodeTypeSpec[];
  connectors(): Connector[];
  connector(id: string): Connector | undefined;
}

export function createRegistry(connectors: readonly Connector[]): ConnectorRegistry {
  const byType = new Map<string, NodeImplementation>();
  const byId = new Map<string, Connector>();
  for (const c of connectors) {
    if (byId.has(c.id)) throw new Error(`connector "${c.id}" is registered twice`);
    byId.set(c.id, c);
    const specs = new Map(c.nodeTypes().map((s) => [s.type, s]));
    for (const t of c.triggers) {
      const type = `${c.id}.${t.name}`;
      byType.set(type, { kind: 'trigger', type, spec: specs.get(type)!, connector: c, trigger: t });
    }
    for (const a of c.actions) {
      const type = `${c.id}.${a.name}`;
      if (byType.has(type)) throw new Error(`node type "${type}" is defined twice`);
      byType.set(type, { kind: 'action', type, spec: specs.get(type)!, connector: c, action: a });
    }
  }
  const catalog = [...byType.values()].map((i) => i.spec);
  return {
    get: (type) => byType.get(type),
    catalog: () => catalog,
    connectors: () => [...byId.values()],
    connector: (id) => byId.get(id),
  };
}
