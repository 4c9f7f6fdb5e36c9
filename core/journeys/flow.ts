// Converts between the canonical definition and React Flow nodes/edges (the canvas's view of it), plus a
// deterministic layered auto-layout. The definition stays the single source of truth: an edge is a port's target.
import type { Edge, Node } from '@xyflow/react';
import { type JourneyDefinition, type JourneyNode, type JourneyNodeType, portsOf, withPort } from './definition.ts';
import { longestPathLayers } from './graph.ts';

export interface Position {
  x: number;
  y: number;
}
export type Layout = Record<string, Position>;

export type JourneyFlowNode = Node<{ node: JourneyNode }, JourneyNodeType>;
export type JourneyFlowEdge = Edge<{ port: string }>;

export const edgeId = (source: string, port: string) => `${source}:${port}`;

/** React Flow nodes (data carries the node, ports reset from edges on the way back) and one edge per connected port. */
export function toFlow(def: Pick<JourneyDefinition, 'nodes'>, layout: Layout = autoLayout(def)): { nodes: JourneyFlowNode[]; edges: JourneyFlowEdge[] } {
  const nodes = def.nodes.map((n) => ({ id: n.id, type: n.type, position: layout[n.id] ?? { x: 0, y: 0 }, data: { node: n } }));
  const ids = new Set(def.nodes.map((n) => n.id));
  const edges = def.nodes.flatMap((n) =>
    portsOf(n)
      .filter((p) => p.target !== null && ids.has(p.target))
      .map((p) => ({ id: edgeId(n.id, p.id), source: n.id, sourceHandle: p.id, target: p.target!, ...(p.label ? { label: p.label } : {}), data: { port: p.id } })),
  );
  return { nodes, edges };
}

/**
 * Back to definition nodes and their layout: each node's ports are set from the edges leaving it (by sourceHandle;
 * a port with no edge is unconnected). An edge from a port the node does not have throws (a canvas bug).
 */
export function fromFlow(nodes: readonly Pick<JourneyFlowNode, 'id' | 'position' | 'data'>[], edges: readonly Pick<JourneyFlowEdge, 'source' | 'sourceHandle' | 'target'>[]): { nodes: JourneyNode[]; layout: Layout } {
  const layout: Layout = {};
  const out = nodes.map((fn) => {
    layout[fn.id] = { x: fn.position.x, y: fn.position.y };
    let n: JourneyNode = { ...fn.data.node, id: fn.id };
    for (const p of portsOf(n)) n = withPort(n, p.id, null);
    for (const e of edges) if (e.source === fn.id) n = withPort(n, e.sourceHandle ?? 'next', e.target);
    return n;
  });
  return { nodes: out, layout };
}

export interface LayoutOptions {
  /** Horizontal distance between nodes of one layer. */
  columnGap?: number;
  /** Vertical distance between layers. */
  rowGap?: number;
}

/**
 * Top-down layered layout: layer = longest path from the entry; within a layer nodes are ordered by the average
 * position of their parents (then port order), and centred on x = 0. Deterministic for a given definition.
 */
export function autoLayout(def: Pick<JourneyDefinition, 'nodes'>, opts: LayoutOptions = {}): Layout {
  const columnGap = opts.columnGap ?? 280;
  const rowGap = opts.rowGap ?? 160;
  const layers = longestPathLayers(def);
  const maxLayer = Math.max(0, ...layers.values());
  // Nodes not placed (only possible in cycles with no root) go below everything.
  const layerOf = (id: string) => layers.get(id) ?? maxLayer + 1;
  // Discovery order: depth-first from the entry following ports in order, then the rest in definition order.
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const discovery = new Map<string, number>();
  const visit = (id: string) => {
    if (discovery.has(id) || !byId.has(id)) return;
    discovery.set(id, discovery.size);
    for (const p of portsOf(byId.get(id)!)) if (p.target) visit(p.target);
  };
  for (const n of [...def.nodes].sort((a, b) => Number(b.type === 'entry') - Number(a.type === 'entry'))) visit(n.id);
  const parents = new Map<string, string[]>();
  for (const n of def.nodes) for (const p of portsOf(n)) if (p.target && byId.has(p.target)) parents.set(p.target, [...(parents.get(p.target) ?? []), n.id]);

  const rows = new Map<number, string[]>();
  for (const n of def.nodes) rows.set(layerOf(n.id), [...(rows.get(layerOf(n.id)) ?? []), n.id]);
  const column = new Map<string, number>();
  const layout: Layout = {};
  for (const l of [...rows.keys()].sort((a, b) => a - b)) {
    const ids = rows.get(l)!;
    const weight = (id: string) => {
      const ps = (parents.get(id) ?? []).filter((p) => column.has(p));
      return ps.length ? ps.reduce((s, p) => s + column.get(p)!, 0) / ps.length : Number.POSITIVE_INFINITY;
    };
    ids.sort((a, b) => {
      const wa = weight(a);
      const wb = weight(b);
      return wa !== wb ? (wa < wb ? -1 : 1) : discovery.get(a)! - discovery.get(b)!;
    });
    ids.forEach((id, i) => {
      const x = (i - (ids.length - 1) / 2) * columnGap;
      column.set(id, x);
      layout[id] = { x, y: l * rowGap };
    });
  }
  return layout;
}
