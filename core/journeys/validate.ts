// Journey validation, identical in the canvas and the API: each error names the node (or settings path) it belongs to.
import { forEachCondition } from '../segments/rule.ts';
import type { Channel } from '../segments/rule.ts';
import { type JourneyDefinition, type JourneyNode, journeyDefinition, portsOf, RESERVED_PORTS } from './definition.ts';
import { backEdges, reachableFrom } from './graph.ts';

export const JOURNEY_ERROR_CODES = [
  'schema',
  'entry_missing',
  'entry_multiple',
  'duplicate_node_id',
  'duplicate_port_id',
  'reserved_port_id',
  'port_unconnected',
  'port_target_missing',
  'port_to_entry',
  'port_to_self',
  'cycle',
  'unreachable',
  'weights_sum',
  'keyed_wait_without_keyed_entry',
  'template_missing',
  'template_channel_mismatch',
  'segment_missing',
  'invalid_time_zone',
] as const;
export type JourneyErrorCode = (typeof JOURNEY_ERROR_CODES)[number];

export interface JourneyError {
  /** The node the error belongs to, when it belongs to one. */
  nodeId?: string;
  /** The port (branch, condition, variant, next…) within the node, when it belongs to one. */
  port?: string;
  /** JSON path: inside the node when nodeId is set, otherwise from the definition root (e.g. "settings.goal"). */
  path?: string;
  code: JourneyErrorCode;
  message: string;
}

export interface JourneyValidationContext {
  templates: readonly { id: string; channel: Channel | string }[];
  segments: readonly string[];
}

export type JourneyValidation = { ok: true; definition: JourneyDefinition; errors: [] } | { ok: false; definition?: JourneyDefinition; errors: JourneyError[] };

const pathString = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** True when the IANA time zone is known to this runtime's Intl. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function schemaErrors(input: unknown, issues: readonly { path: readonly PropertyKey[]; message: string }[]): JourneyError[] {
  const nodes = (input as { nodes?: unknown } | null)?.nodes;
  return issues.map((i) => {
    if (i.path[0] === 'nodes' && typeof i.path[1] === 'number' && Array.isArray(nodes)) {
      const raw = nodes[i.path[1]] as { id?: unknown } | undefined;
      const id = typeof raw?.id === 'string' ? raw.id : undefined;
      return { ...(id ? { nodeId: id } : {}), path: id ? pathString(i.path.slice(2)) : pathString(i.path), code: 'schema', message: i.message };
    }
    return { path: pathString(i.path), code: 'schema', message: i.message };
  });
}

/** Segment ids a node refers to, with the path inside the node. */
function segmentRefs(node: JourneyNode): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = [];
  if (node.type === 'entry' && node.trigger.kind === 'segment_entered') out.push({ id: node.trigger.segmentId, path: 'trigger.segmentId' });
  if (node.type === 'wait') node.conditions.forEach((c, i) => c.kind === 'segment' && out.push({ id: c.segmentId, path: `conditions.${i}.segmentId` }));
  if (node.type === 'split')
    node.branches.forEach((b, i) => forEachCondition(b.condition, (c, p) => c.kind === 'segment' && out.push({ id: c.segmentId, path: pathString(['branches', i, 'condition', ...p, 'segmentId']) })));
  return out;
}

export function validateJourney(input: unknown, ctx: JourneyValidationContext): JourneyValidation {
  const parsed = journeyDefinition.safeParse(input);
  if (!parsed.success) return { ok: false, errors: schemaErrors(input, parsed.error.issues) };
  const def = parsed.data;
  const errors: JourneyError[] = [];
  const add = (e: JourneyError) => errors.push(e);

  // Ids.
  const seen = new Set<string>();
  for (const n of def.nodes) {
    if (seen.has(n.id)) add({ nodeId: n.id, code: 'duplicate_node_id', message: `more than one node has id ${n.id}` });
    seen.add(n.id);
  }
  const byId = new Map(def.nodes.map((n) => [n.id, n]));

  // Exactly one entry.
  const entries = def.nodes.filter((n) => n.type === 'entry');
  if (entries.length === 0) add({ code: 'entry_missing', path: 'nodes', message: 'a journey needs one entry node' });
  for (const extra of entries.slice(1)) add({ nodeId: extra.id, code: 'entry_multiple', message: 'a journey has exactly one entry; remove this one' });
  const entry = entries[0];

  // Ports.
  for (const n of def.nodes) {
    const ports = portsOf(n);
    const own = new Set<string>();
    const named = n.type === 'wait' ? n.conditions.map((c) => c.id) : n.type === 'split' ? n.branches.map((b) => b.id) : n.type === 'experiment' ? n.variants.map((v) => v.id) : [];
    for (const id of named) {
      if ((RESERVED_PORTS as readonly string[]).includes(id)) add({ nodeId: n.id, port: id, code: 'reserved_port_id', message: `"${id}" is reserved; name the branch otherwise` });
      else if (own.has(id)) add({ nodeId: n.id, port: id, code: 'duplicate_port_id', message: `two branches of this node are named ${id}` });
      own.add(id);
    }
    for (const p of ports) {
      const label = p.id === 'next' ? 'the output' : `port "${p.label || p.id}"`;
      if (p.target === null) add({ nodeId: n.id, port: p.id, code: 'port_unconnected', message: `connect ${label}` });
      else if (!byId.has(p.target)) add({ nodeId: n.id, port: p.id, code: 'port_target_missing', message: `${label} points at missing node ${p.target}` });
      else if (byId.get(p.target)!.type === 'entry') add({ nodeId: n.id, port: p.id, code: 'port_to_entry', message: `${label} points back at the entry` });
      else if (p.target === n.id) add({ nodeId: n.id, port: p.id, code: 'port_to_self', message: `${label} points at its own node` });
    }
    if (n.type === 'experiment') {
      const sum = n.variants.reduce((s, v) => s + v.weight, 0);
      if (Math.abs(sum - 100) > 1e-9) add({ nodeId: n.id, path: 'variants', code: 'weights_sum', message: `variant weights add up to ${sum}, not 100` });
    }
  }

  // Cycles (self loops and edges into the entry are reported above).
  for (const e of backEdges(def)) if (e.from !== e.to && byId.get(e.to)?.type !== 'entry') add({ nodeId: e.from, code: 'cycle', message: `this node leads back to ${e.to}, forming a loop` });

  // Reachability.
  if (entry) {
    const reach = reachableFrom(def, entry.id);
    for (const n of def.nodes) if (!reach.has(n.id) && n.type !== 'entry') add({ nodeId: n.id, code: 'unreachable', message: 'no path from the entry reaches this node' });
  }

  // Keyed waits and exit criteria need a keyed event entry.
  const keyedEntry = entry?.type === 'entry' && entry.trigger.kind === 'event' && entry.trigger.correlationKey !== undefined;
  for (const n of def.nodes) {
    if (n.type !== 'wait') continue;
    n.conditions.forEach((c, i) => {
      if (c.kind === 'event' && c.match.keyed && !keyedEntry)
        add({ nodeId: n.id, port: c.id, path: `conditions.${i}.match.keyed`, code: 'keyed_wait_without_keyed_entry', message: 'a keyed wait needs an event entry with a correlation key' });
    });
  }
  def.settings.exitCriteria.forEach((c, i) => {
    if (c.kind === 'event' && c.match.keyed && !keyedEntry)
      add({ path: `settings.exitCriteria.${i}.match.keyed`, code: 'keyed_wait_without_keyed_entry', message: 'a keyed exit criterion needs an event entry with a correlation key' });
  });
  if (def.settings.goal?.match.kind === 'event' && def.settings.goal.match.match.keyed && !keyedEntry)
    add({ path: 'settings.goal.match.match.keyed', code: 'keyed_wait_without_keyed_entry', message: 'a keyed goal needs an event entry with a correlation key' });

  // Templates.
  const templates = new Map(ctx.templates.map((t) => [t.id, t.channel]));
  for (const n of def.nodes) {
    if (n.type !== 'message') continue;
    const channel = templates.get(n.templateId);
    if (channel === undefined) add({ nodeId: n.id, path: 'templateId', code: 'template_missing', message: `template ${n.templateId} does not exist` });
    else if (channel !== n.channel) add({ nodeId: n.id, path: 'templateId', code: 'template_channel_mismatch', message: `template ${n.templateId} is for ${channel}, not ${n.channel}` });
  }

  // Segments.
  const segments = new Set(ctx.segments);
  for (const n of def.nodes) {
    for (const r of segmentRefs(n)) if (!segments.has(r.id)) add({ nodeId: n.id, path: r.path, code: 'segment_missing', message: `segment ${r.id} does not exist` });
  }
  def.settings.exitCriteria.forEach((c, i) => {
    if (c.kind !== 'event' && !segments.has(c.segmentId)) add({ path: `settings.exitCriteria.${i}.segmentId`, code: 'segment_missing', message: `segment ${c.segmentId} does not exist` });
  });
  const goal = def.settings.goal?.match;
  if (goal?.kind === 'segment_entered' && !segments.has(goal.segmentId)) add({ path: 'settings.goal.match.segmentId', code: 'segment_missing', message: `segment ${goal.segmentId} does not exist` });

  if (!isTimeZone(def.settings.defaultTimeZone)) add({ path: 'settings.defaultTimeZone', code: 'invalid_time_zone', message: `unknown time zone ${def.settings.defaultTimeZone}` });

  return errors.length ? { ok: false, definition: def, errors } : { ok: true, definition: def, errors: [] };
}
