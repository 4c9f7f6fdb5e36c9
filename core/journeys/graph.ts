// Graph helpers over the canonical definition: port lookup for the interpreter, reachability, cycles, layering.
import { type JourneyDefinition, type JourneyNode, portsOf } from './definition.ts';

export function nodeById(def: Pick<JourneyDefinition, 'nodes'>, id: string): JourneyNode | undefined {
  return def.nodes.find((n) => n.id === id);
}

export function entryOf(def: Pick<JourneyDefinition, 'nodes'>): Extract<JourneyNode, { type: 'entry' }> | undefined {
  return def.nodes.find((n): n is Extract<JourneyNode, { type: 'entry' }> => n.type === 'entry');
}

/**
 * The node a customer moves to when leaving `nodeId` through `port`; null when the port is unconnected (the
 * interpreter treats that as an exit). An unknown node or port is a programming error and throws.
 */
export function nextNode(def: Pick<JourneyDefinition, 'nodes'>, nodeId: string, port: string): string | null {
  const node = nodeById(def, nodeId);
  if (!node) throw new Error(`no node ${nodeId}`);
  const p = portsOf(node).find((x) => x.id === port);
  if (!p) throw new Error(`node ${nodeId} (${node.type}) has no port "${port}"`);
  return p.target;
}

/** Targets of a node's ports that exist in the definition, in port order. */
function successors(byId: Map<string, JourneyNode>, node: JourneyNode): string[] {
  return portsOf(node)
    .map((p) => p.target)
    .filter((t): t is string => t !== null && byId.has(t));
}

export function reachableFrom(def: Pick<JourneyDefinition, 'nodes'>, start: string): Set<string> {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || !byId.has(id)) continue;
    seen.add(id);
    stack.push(...successors(byId, byId.get(id)!));
  }
  return seen;
}

/** Every cycle's back edge (from → to) found by depth-first search, in a deterministic order. */
export function backEdges(def: Pick<JourneyDefinition, 'nodes'>): { from: string; to: string }[] {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'open' | 'done'>();
  const out: { from: string; to: string }[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const t of successors(byId, byId.get(id)!)) {
      const s = state.get(t);
      if (s === 'open') out.push({ from: id, to: t });
      else if (!s) visit(t);
    }
    state.set(id, 'done');
  };
  const entries = def.nodes.filter((n) => n.type === 'entry');
  for (const n of [...entries, ...def.nodes]) if (!state.has(n.id)) visit(n.id);
  return out;
}

/**
 * Layer of each node = longest path from the roots (the entry, then any node nothing points at), ignoring back
 * edges so it also works on invalid, cyclic drafts.
 */
export function longestPathLayers(def: Pick<JourneyDefinition, 'nodes'>): Map<string, number> {
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const back = new Set(backEdges(def).map((e) => `${e.from}\u0000${e.to}`));
  const succ = new Map(def.nodes.map((n) => [n.id, successors(byId, n).filter((t) => !back.has(`${n.id}\u0000${t}`))]));
  const indegree = new Map(def.nodes.map((n) => [n.id, 0]));
  for (const ts of succ.values()) for (const t of ts) indegree.set(t, indegree.get(t)! + 1);
  // Kahn's algorithm; roots ordered entry first, then definition order, for determinism.
  const order = [...def.nodes].sort((a, b) => Number(b.type === 'entry') - Number(a.type === 'entry'));
  const queue = order.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const layer = new Map<string, number>(queue.map((id) => [id, 0]));
  while (queue.length) {
    const id = queue.shift()!;
    for (const t of succ.get(id)!) {
      layer.set(t, Math.max(layer.get(t) ?? 0, layer.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  return layer;
}
