// The React Flow canvas over a CanvasDoc: nodes and edges are derived from the definition (core toFlow), every edit
// goes back through the pure operations in canvas-ops.ts. Dropping a palette node onto an edge inserts it there.
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MarkerType,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import Box from '@mui/material/Box';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { NODE_TYPES, type JourneyNodeType } from '#core/journeys/definition.ts';
import { edgeId, type JourneyFlowEdge, type JourneyFlowNode, toFlow } from '#core/journeys/flow.ts';
import { addNode, type Box as NodeBox, type CanvasDoc, connect, defaultNode, edgeNear, insertOnEdge, moveNodes, newNodeId, removeEdges, removeNodes } from './canvas-ops.ts';
import { NODE_WIDTH, journeyNodeTypes, nodeColors } from './node-views.tsx';

export type ApplyEdit = (edit: (doc: CanvasDoc) => CanvasDoc) => void;

interface Props {
  doc: CanvasDoc;
  apply: ApplyEdit;
  readOnly: boolean;
  onSelectNode: (id: string | null) => void;
  /** Bumped to ask the canvas to fit the view (after auto-layout). */
  fitSignal: number;
}

const randomId = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2));

function flowOf(doc: CanvasDoc): { nodes: JourneyFlowNode[]; edges: JourneyFlowEdge[] } {
  try {
    return toFlow({ nodes: doc.nodes }, doc.layout);
  } catch {
    // A malformed draft node: show the nodes without edges rather than no canvas at all.
    return { nodes: doc.nodes.map((n) => ({ id: n.id, type: n.type, position: doc.layout[n.id] ?? { x: 0, y: 0 }, data: { node: n } })), edges: [] };
  }
}

function CanvasInner({ doc, apply, readOnly, onSelectNode, fitSignal }: Props) {
  const { screenToFlowPosition, fitView } = useReactFlow();
  const flow = useMemo(() => flowOf(doc), [doc]);
  const [nodes, setNodes] = useState<JourneyFlowNode[]>(flow.nodes);
  const [edges, setEdges] = useState<JourneyFlowEdge[]>(flow.edges);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;

  // Re-derive from the document, keeping what React Flow measured and what is selected.
  useEffect(() => {
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      return flow.nodes.map((n) => {
        const p = byId.get(n.id);
        return { ...n, selected: p?.selected ?? false, measured: p?.measured, draggable: !readOnly, deletable: !readOnly, connectable: !readOnly };
      });
    });
    setEdges((prev) => {
      const sel = new Set(prev.filter((e) => e.selected).map((e) => e.id));
      return flow.edges.map((e) => ({ ...e, selected: sel.has(e.id), deletable: !readOnly, markerEnd: { type: MarkerType.ArrowClosed }, data: e.data, labelStyle: { fontSize: 11 } }));
    });
  }, [flow, readOnly]);

  useEffect(() => {
    if (fitSignal) void fitView({ padding: 0.2, maxZoom: 1, duration: 200 });
  }, [fitSignal, fitView]);

  const onNodesChange = useCallback((changes: NodeChange<JourneyFlowNode>[]) => {
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<JourneyFlowEdge>[]) => {
    setEdges((es) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), es));
  }, []);

  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: JourneyFlowNode[]; edges: JourneyFlowEdge[] }) => {
      if (readOnly) return;
      const ids = gone.map((n) => n.id);
      apply((d) => removeEdges(removeNodes(d, ids), cut.filter((e) => !ids.includes(e.source)).map((e) => ({ source: e.source, port: e.sourceHandle ?? 'next' }))));
    },
    [apply, readOnly],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (readOnly || !c.source || !c.target) return;
      apply((d) => connect(d, c.source, c.sourceHandle ?? 'next', c.target));
    },
    [apply, readOnly],
  );

  const isValidConnection = useCallback(
    (c: Connection | JourneyFlowEdge) => c.source !== c.target && doc.nodes.find((n) => n.id === c.target)?.type !== 'entry',
    [doc.nodes],
  );

  const onNodeDragStop = useCallback(
    (_e: unknown, _node: JourneyFlowNode, dragged: JourneyFlowNode[]) => {
      apply((d) => moveNodes(d, Object.fromEntries(dragged.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]))));
    },
    [apply],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      if (readOnly) return;
      const type = e.dataTransfer.getData('application/x-journey-node') as JourneyNodeType;
      if (!(NODE_TYPES as readonly string[]).includes(type)) return;
      const point = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const at = { x: Math.round(point.x - NODE_WIDTH / 2), y: Math.round(point.y - 30) };
      // Onto an edge? The element under the pointer first, then the nearest edge line.
      const hit = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el.closest('.react-flow__edge'))?.closest('.react-flow__edge')?.getAttribute('data-id');
      const boxes: Record<string, NodeBox> = Object.fromEntries(
        nodesRef.current.map((n) => [n.id, { x: n.position.x, y: n.position.y, width: n.measured?.width ?? NODE_WIDTH, height: n.measured?.height ?? 80 }]),
      );
      const edge = flow.edges.find((x) => x.id === (hit ?? edgeNear(flow.edges, boxes, point)));
      apply((d) => {
        const node = defaultNode(type, newNodeId(type, d.nodes.map((n) => n.id), randomId));
        return edge ? insertOnEdge(d, { source: edge.source, port: edge.sourceHandle ?? 'next', target: edge.target }, node, at) : addNode(d, node, at);
      });
    },
    [apply, flow.edges, readOnly, screenToFlowPosition],
  );

  return (
    <ReactFlow<JourneyFlowNode, JourneyFlowEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={journeyNodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onDelete={onDelete}
      onConnect={onConnect}
      isValidConnection={isValidConnection}
      onNodeDragStop={onNodeDragStop}
      onSelectionChange={({ nodes: sel }) => onSelectNode(sel.length === 1 ? sel[0]!.id : null)}
      onDragOver={onDragOver}
      onDrop={onDrop}
      deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
      minZoom={0.2}
      proOptions={{ hideAttribution: true }}
      defaultEdgeOptions={{ type: 'smoothstep' }}
    >
      <Background gap={20} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeColor={(n) => nodeColors[(n.type as JourneyNodeType) ?? 'exit'] ?? '#999'} />
    </ReactFlow>
  );
}

export function JourneyCanvas(props: Props) {
  return (
    <Box sx={{ flex: 1, minHeight: 0, height: '100%' }} data-testid="journey-canvas">
      <ReactFlowProvider>
        <CanvasInner {...props} />
      </ReactFlowProvider>
    </Box>
  );
}

export { edgeId };
