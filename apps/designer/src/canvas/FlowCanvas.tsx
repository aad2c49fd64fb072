import { useCallback, useMemo, useState } from 'react';
import type { DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { Connection, EdgeChange, IsValidConnection, NodeChange, NodeMouseHandler } from '@xyflow/react';
import type { NodeTypeSpec } from '@tributary/flow';
import { createCanvasDeriver, fromConnection, fromEdgeChanges, fromNodeChanges, isConnectionAllowed, STEP_NODE_TYPE } from './adapter.ts';
import type { FlowCanvasEdge, NodeIssue, StepBadge, StepCanvasNode } from './adapter.ts';
import { applyCanvasUpdate } from './flow-store.ts';
import { addNodeEdits } from './node-factory.ts';
import { PALETTE_MIME } from './Palette.tsx';
import { groupHue, StepNode } from './StepNode.tsx';
import { useFlowStore, useFlowStoreApi } from './useFlowStore.ts';

const nodeTypes = { [STEP_NODE_TYPE]: StepNode };

// Props React Flow copies into its store or compares by identity: created once, not per render. A
// fresh `defaultEdgeOptions` object on every render re-rendered every edge on each step of a drag.
const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep' } as const;
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 } as const;
const PRO_OPTIONS = { hideAttribution: true } as const;
const MULTI_SELECTION_KEYS = ['Meta', 'Control'];
const minimapColor = (n: StepCanvasNode): string => (n.data.issues.some((i) => i.severity === 'error') ? '#dc2626' : `hsl(${groupHue(n.data.group)} 55% 60%)`);

export interface FlowCanvasProps {
  catalog: Readonly<Record<string, NodeTypeSpec>>;
  issuesByNode: Readonly<Record<string, NodeIssue[]>>;
  stepsByNode: Readonly<Record<string, StepBadge>>;
  /** A node was just created on the canvas (its config panel should open). */
  onNodeCreated(nodeId: string): void;
}

/** The React Flow binding: everything it shows comes from the store through the adapter. */
export function FlowCanvas({ catalog, issuesByNode, stepsByNode, onNodeCreated }: FlowCanvasProps) {
  const store = useFlowStoreApi();
  const doc = useFlowStore((s) => s.doc);
  const selection = useFlowStore((s) => s.selection);
  const measured = useFlowStore((s) => s.measured);
  const readOnly = useFlowStore((s) => s.readOnly);
  const { screenToFlowPosition } = useReactFlow();
  // Fit an existing flow into view on open; an empty one keeps the default viewport, else the first
  // dropped node would jump to the centre when React Flow fits it.
  const [fitOnOpen] = useState(() => store.getState().doc.nodes.length > 0);

  const [derive] = useState(createCanvasDeriver);
  const { nodes, edges } = useMemo(
    () => derive(doc, { catalog, selection, measured, issuesByNode, stepsByNode, readOnly }),
    [derive, doc, catalog, selection, measured, issuesByNode, stepsByNode, readOnly],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<StepCanvasNode>[]) => applyCanvasUpdate(store, fromNodeChanges(changes, store.getState().selection)),
    [store],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowCanvasEdge>[]) => applyCanvasUpdate(store, fromEdgeChanges(changes, store.getState().selection)),
    [store],
  );
  const onConnect = useCallback((conn: Connection) => store.getState().dispatch(fromConnection(conn)), [store]);
  const isValidConnection: IsValidConnection<FlowCanvasEdge> = useCallback(
    (conn) => isConnectionAllowed(store.getState().doc, catalog, { source: conn.source, target: conn.target, sourceHandle: conn.sourceHandle ?? null }),
    [store, catalog],
  );

  const onDragOver = useCallback(
    (e: DragEvent) => {
      if (readOnly || !e.dataTransfer.types.includes(PALETTE_MIME)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    [readOnly],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      const spec = catalog[type];
      if (readOnly || !spec) return;
      e.preventDefault();
      const position = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const { nodeId, edits } = addNodeEdits(store.getState().doc, spec, { x: position.x - 110, y: position.y - 30 });
      store.getState().dispatch(edits);
      onNodeCreated(nodeId);
    },
    [catalog, readOnly, screenToFlowPosition, store, onNodeCreated],
  );

  // A plain click on one node of a multi-selection narrows the selection to it (React Flow keeps the
  // group selected so the group can be dragged; a click without a drag means "this one").
  const onNodeClick: NodeMouseHandler<StepCanvasNode> = useCallback(
    (e, node) => {
      const sel = store.getState().selection;
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (sel.nodes.length > 1 || sel.edges.length > 0) store.getState().select({ nodes: [node.id], edges: [] });
    },
    [store],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<StepCanvasNode, FlowCanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeClick={onNodeClick}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        fitView={fitOnOpen}
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} size={1} />
        <MiniMap<StepCanvasNode> pannable zoomable nodeColor={minimapColor} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
