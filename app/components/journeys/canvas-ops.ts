// Pure edit operations of the journey canvas over the canonical definition (nodes with ports) and its layout, plus an
// undo/redo history. The canvas only renders what these return, so every edit is testable without a browser.
import { type JourneyNode, type JourneyNodeType, portsOf, withPort } from '#core/journeys/definition.ts';
import type { Layout, Position } from '#core/journeys/flow.ts';

/** Spacing for autoLayout that fits the nodes' height with their live counts. */
export const LAYOUT_GAPS = { rowGap: 260, columnGap: 300 } as const;

/** What the canvas edits: the draft (nodes + settings as they are, possibly incomplete) and node positions. */
export interface CanvasDoc {
  nodes: JourneyNode[];
  settings: Record<string, unknown>;
  layout: Layout;
}

/** Ports of a node, tolerating incomplete drafts (a node missing its branches has no ports rather than throwing). */
export function safePorts(node: JourneyNode) {
  try {
    return portsOf(node);
  } catch {
    return [];
  }
}

/** Readable unique id for a node created on the canvas; it never changes afterwards (analytics follow it across versions). */
export function newNodeId(type: JourneyNodeType, taken: Iterable<string>, random: () => string): string {
  const used = new Set(taken);
  for (;;) {
    const id = `${type.replace('_', '-')}-${random().replace(/[^A-Za-z0-9]/g, '').slice(0, 6)}`;
    if (!used.has(id)) return id;
  }
}

/** A new node of a type with sensible defaults; fields only the marketer can know (template, URL) start empty. */
export function defaultNode(type: JourneyNodeType, id: string): JourneyNode {
  switch (type) {
    case 'entry':
      return { id, type, trigger: { kind: 'api' }, next: null };
    case 'delay':
      return { id, type, delay: { kind: 'duration', seconds: 86_400 }, next: null };
    case 'wait':
      return {
        id,
        type,
        conditions: [{ kind: 'event', id: 'matched', match: { event: 'Order Completed', where: [], keyed: false }, next: null }],
        timeoutSeconds: 86_400,
        timeoutNext: null,
      };
    case 'split':
      return { id, type, branches: [{ id: 'branch-1', label: 'Email consent', condition: { kind: 'consent', channel: 'email', granted: true }, next: null }], elseNext: null };
    case 'experiment':
      return {
        id,
        type,
        variants: [
          { id: 'a', label: 'A', weight: 50, next: null },
          { id: 'b', label: 'B', weight: 50, next: null },
        ],
        holdoutPercent: 0,
        holdoutNext: null,
      };
    case 'message':
      return { id, type, channel: 'email', templateId: '', transactional: false, onFailure: 'continue', next: null };
    case 'update_profile':
      return { id, type, updates: [{ op: 'set', attribute: '', value: '' }], next: null };
    case 'webhook':
      return { id, type, url: '', method: 'POST', headers: {}, onFailure: 'continue', next: null };
    case 'exit':
      return { id, type };
  }
}

const replaceNode = (nodes: JourneyNode[], node: JourneyNode) => nodes.map((n) => (n.id === node.id ? node : n));

/** Adds a node at a position. */
export function addNode(doc: CanvasDoc, node: JourneyNode, at: Position): CanvasDoc {
  return { ...doc, nodes: [...doc.nodes, node], layout: { ...doc.layout, [node.id]: at } };
}

/** Points a port at a node (replacing what it pointed at: a port has one target), or disconnects it with null. */
export function connect(doc: CanvasDoc, source: string, port: string, target: string | null): CanvasDoc {
  if (source === target) return doc;
  const node = doc.nodes.find((n) => n.id === source);
  if (!node || !safePorts(node).some((p) => p.id === port)) return doc;
  return { ...doc, nodes: replaceNode(doc.nodes, withPort(node, port, target)) };
}

/**
 * Drops a new node onto the edge source.port → target: the port now leads to the new node and the new node's first
 * port leads on to the old target (an exit, having no ports, just ends that path).
 */
export function insertOnEdge(doc: CanvasDoc, edge: { source: string; port: string; target: string }, node: JourneyNode, at: Position): CanvasDoc {
  const first = safePorts(node)[0];
  const placed = first ? withPort(node, first.id, edge.target) : node;
  return connect(addNode(doc, placed, at), edge.source, edge.port, node.id);
}

/** Removes nodes and every port that pointed at them. */
export function removeNodes(doc: CanvasDoc, ids: readonly string[]): CanvasDoc {
  const gone = new Set(ids);
  if (!doc.nodes.some((n) => gone.has(n.id))) return doc;
  const nodes = doc.nodes
    .filter((n) => !gone.has(n.id))
    .map((n) => safePorts(n).reduce((acc, p) => (p.target && gone.has(p.target) ? withPort(acc, p.id, null) : acc), n));
  const layout = Object.fromEntries(Object.entries(doc.layout).filter(([id]) => !gone.has(id)));
  return { ...doc, nodes, layout };
}

/** Removes edges, given as source + port. */
export function removeEdges(doc: CanvasDoc, edges: readonly { source: string; port: string }[]): CanvasDoc {
  return edges.reduce((d, e) => connect(d, e.source, e.port, null), doc);
}

/** Replaces one node's settings (from the side panel); ports the node no longer has simply disappear with it. */
export function updateNode(doc: CanvasDoc, node: JourneyNode): CanvasDoc {
  return { ...doc, nodes: replaceNode(doc.nodes, node) };
}

export function moveNodes(doc: CanvasDoc, positions: Record<string, Position>): CanvasDoc {
  return { ...doc, layout: { ...doc.layout, ...positions } };
}

/** Distance from point p to the segment a–b. */
function distanceToSegment(p: Position, a: Position, b: Position): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The edge nearest to a drop point (flow coordinates) within `tolerance`, approximating each edge by the straight
 * line from the bottom centre of its source to the top centre of its target (the canvas flows top-down).
 */
export function edgeNear(
  edges: readonly { id: string; source: string; sourceHandle?: string | null; target: string }[],
  boxes: Record<string, Box>,
  point: Position,
  tolerance = 24,
): string | null {
  let best: { id: string; d: number } | null = null;
  for (const e of edges) {
    const s = boxes[e.source];
    const t = boxes[e.target];
    if (!s || !t) continue;
    const d = distanceToSegment(point, { x: s.x + s.width / 2, y: s.y + s.height }, { x: t.x + t.width / 2, y: t.y });
    if (d <= tolerance && (!best || d < best.d)) best = { id: e.id, d };
  }
  return best?.id ?? null;
}

/** Undo/redo over immutable snapshots; a bounded past so a long session does not grow without end. */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

export const historyOf = <T>(present: T): History<T> => ({ past: [], present, future: [] });

export function pushHistory<T>(h: History<T>, next: T, limit = 200): History<T> {
  if (next === h.present) return h;
  return { past: [...h.past, h.present].slice(-limit), present: next, future: [] };
}

/** Replaces the present without a new undo step (e.g. live node dragging before it is committed). */
export const replacePresent = <T>(h: History<T>, next: T): History<T> => ({ ...h, present: next });

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1]!, future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0]!, future: h.future.slice(1) };
}

/**
 * The canvas's starting point from a stored draft of any shape: nodes that look like nodes (an id and a known type)
 * and the settings object; anything else is reported so the page can say the draft could not be fully loaded.
 */
export function docFromDraft(draft: unknown, layout: Layout, knownTypes: readonly string[]): { doc: CanvasDoc; dropped: number } {
  const raw = draft && typeof draft === 'object' ? (draft as { nodes?: unknown; settings?: unknown }) : {};
  const list = Array.isArray(raw.nodes) ? raw.nodes : [];
  const nodes = list.filter((n): n is JourneyNode => !!n && typeof n === 'object' && typeof (n as { id?: unknown }).id === 'string' && knownTypes.includes((n as { type?: string }).type ?? ''));
  const settings = raw.settings && typeof raw.settings === 'object' && !Array.isArray(raw.settings) ? (raw.settings as Record<string, unknown>) : {};
  return { doc: { nodes, settings, layout }, dropped: list.length - nodes.length + (draft !== null && typeof draft === 'object' ? 0 : 1) };
}

/** The definition to save and validate. */
export const draftOf = (doc: CanvasDoc) => ({ schemaVersion: 1, nodes: doc.nodes, settings: doc.settings });
