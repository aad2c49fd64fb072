import type { FlowDocument, FlowNode, NodeTypeSpec, Position } from '@tributary/flow';
import type { FlowEdit } from './flow-edits.ts';
import { readableNodeId } from './node-ids.ts';

/**
 * The edits that add a node of `spec` at `position`: a readable id, config pre-filled with the
 * props' defaults, and — for a trigger dropped into a flow whose trigger is missing — making it
 * the flow's trigger, all as one undo step.
 */
export function addNodeEdits(doc: FlowDocument, spec: NodeTypeSpec, position: Position): { nodeId: string; edits: FlowEdit[] } {
  const nodeId = readableNodeId(spec.type, doc.nodes.map((n) => n.id));
  const config: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(spec.props)) if (prop.default !== undefined) config[key] = structuredClone(prop.default);
  const node: FlowNode = { id: nodeId, type: spec.type, config };
  const edits: FlowEdit[] = [{ type: 'addNode', node, position }];
  if (spec.kind === 'trigger' && !doc.nodes.some((n) => n.id === doc.trigger)) edits.push({ type: 'setTrigger', nodeId });
  return { nodeId, edits };
}
