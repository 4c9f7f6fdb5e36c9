// The journey definition: one canonical graph of nodes with typed output ports, shared by the API, the canvas and the
// Temporal interpreter. A port holds the id of the next node (null while a draft is unconnected).
import { z } from 'zod';
import { CHANNELS, propertyFilter, propertyPath, segmentRule } from '../segments/rule.ts';

export { CHANNELS, type Channel } from '../segments/rule.ts';

/** Stable across versions (UUIDs from the canvas, readable slugs in templates) so analytics carry over. */
export const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" or "_", at most 64');
/** A branch, condition or variant id: the port it names. */
const portId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" or "_", at most 64');
const target = nodeId.nullable().default(null);
const seconds = z.number().int().min(1).max(400 * 86_400);
const hour = z.number().int().min(0).max(23);
const minute = z.number().int().min(0).max(59);
const segmentId = z.string().min(1).max(100);
const localTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 24-hour');

/** An event to match, optionally keyed: its correlation-key property must equal the entry event's. */
export const eventMatch = z.object({
  event: z.string().min(1).max(200),
  where: z.array(propertyFilter).max(20).default([]),
  /** Property path holding the correlation key in THIS event (defaults to the entry's key path). Keyed only. */
  keyPath: propertyPath.optional(),
  keyed: z.boolean().default(false),
});
export type EventMatch = z.infer<typeof eventMatch>;

export const entryTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('segment_entered'), segmentId }),
  z.object({
    kind: z.literal('event'),
    event: z.string().min(1).max(200),
    where: z.array(propertyFilter).max(20).default([]),
    /** Property path of the correlation key (e.g. "cart_id"): one journey instance per customer and key value. */
    correlationKey: propertyPath.optional(),
  }),
  z.object({
    kind: z.literal('date'),
    date: z.enum(['birthday', 'signup_anniversary', 'first_order_anniversary']),
    localHour: hour,
    localMinute: minute.default(0),
  }),
  z.object({ kind: z.literal('api') }),
]);
export type EntryTrigger = z.infer<typeof entryTrigger>;

export const delaySpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('duration'), seconds }),
  /** Until the next local time of day in the customer's time zone, optionally only on some weekdays (0 = Sunday). */
  z.object({ kind: z.literal('local_time'), hour, minute: minute.default(0), weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional() }),
  /** Until a date held by the profile, ± an offset; date-only values resolve at a local time of day. */
  z.object({
    kind: z.literal('until_date'),
    source: z.discriminatedUnion('kind', [z.object({ kind: z.literal('birthDate') }), z.object({ kind: z.literal('attribute'), key: z.string().min(1).max(200) })]),
    offsetSeconds: z.number().int().min(-400 * 86_400).max(400 * 86_400).default(0),
    /** For dates without a time: the local time of day. */
    hour: hour.default(9),
    minute: minute.default(0),
    /** Use the next yearly occurrence (birthdays, anniversaries). */
    annual: z.boolean().default(false),
    /** What to do when the date is missing or invalid. */
    ifMissing: z.enum(['continue', 'exit']).default('continue'),
  }),
]);
export type DelaySpec = z.infer<typeof delaySpec>;

export const waitCondition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), id: portId, match: eventMatch, next: target }),
  z.object({ kind: z.literal('segment'), id: portId, segmentId, change: z.enum(['entered', 'exited']), next: target }),
]);
export type WaitCondition = z.infer<typeof waitCondition>;

const base = { id: nodeId, name: z.string().max(200).optional() };
const failure = z.enum(['continue', 'exit']).default('continue');

export const entryNode = z.object({ ...base, type: z.literal('entry'), trigger: entryTrigger, next: target });
export const delayNode = z.object({ ...base, type: z.literal('delay'), delay: delaySpec, next: target });
export const waitNode = z.object({
  ...base,
  type: z.literal('wait'),
  /** First match wins; the timeout port is taken when none matches in time. */
  conditions: z.array(waitCondition).min(1).max(10),
  timeoutSeconds: seconds,
  timeoutNext: target,
});
export const splitNode = z.object({
  ...base,
  type: z.literal('split'),
  /** Ordered: the first branch whose condition holds is taken, else `elseNext`. */
  branches: z.array(z.object({ id: portId, label: z.string().max(100).optional(), condition: segmentRule, next: target })).min(1).max(10),
  elseNext: target,
});
export const experimentNode = z.object({
  ...base,
  type: z.literal('experiment'),
  /** Sticky assignment key; defaults to the node id so it survives versions. */
  experimentKey: z.string().min(1).max(100).optional(),
  variants: z.array(z.object({ id: portId, label: z.string().max(100).optional(), weight: z.number().min(0).max(100), next: target })).min(1).max(10),
  /** Share (0-100) held out before variants are drawn; taken through the `holdout` port. */
  holdoutPercent: z.number().min(0).max(100).default(0),
  holdoutNext: target,
});
export const messageNode = z.object({
  ...base,
  type: z.literal('message'),
  channel: z.enum(CHANNELS),
  templateId: z.string().min(1).max(100),
  /** Transactional messages ignore frequency caps and quiet hours. */
  transactional: z.boolean().default(false),
  onFailure: failure,
  next: target,
});
export const updateProfileNode = z.object({
  ...base,
  type: z.literal('update_profile'),
  updates: z
    .array(
      z.discriminatedUnion('op', [
        z.object({ op: z.literal('set'), attribute: z.string().min(1).max(200), value: z.json() }),
        z.object({ op: z.literal('unset'), attribute: z.string().min(1).max(200) }),
        z.object({ op: z.literal('increment'), attribute: z.string().min(1).max(200), by: z.number().finite() }),
      ]),
    )
    .min(1)
    .max(50),
  next: target,
});
export const webhookNode = z.object({
  ...base,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET']).default('POST'),
  headers: z.record(z.string().min(1).max(100), z.string().max(2000)).default({}),
  /** Liquid template rendered with the customer and entry event. */
  body: z.string().max(100_000).optional(),
  onFailure: failure,
  next: target,
});
export const exitNode = z.object({ ...base, type: z.literal('exit'), reason: z.string().max(200).optional() });

export const journeyNode = z.discriminatedUnion('type', [entryNode, delayNode, waitNode, splitNode, experimentNode, messageNode, updateProfileNode, webhookNode, exitNode]);
export type JourneyNode = z.infer<typeof journeyNode>;
export type JourneyNodeInput = z.input<typeof journeyNode>;
export type JourneyNodeType = JourneyNode['type'];
export type NodeOf<T extends JourneyNodeType> = Extract<JourneyNode, { type: T }>;
export const NODE_TYPES = ['entry', 'delay', 'wait', 'split', 'experiment', 'message', 'update_profile', 'webhook', 'exit'] as const satisfies readonly JourneyNodeType[];

export const exitCriterion = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), match: eventMatch }),
  z.object({ kind: z.literal('segment_exited'), segmentId }),
  z.object({ kind: z.literal('segment_entered'), segmentId }),
]);
export type ExitCriterion = z.infer<typeof exitCriterion>;

export const reEntry = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('never') }),
  z.object({ mode: z.literal('after_exit') }),
  /** Again once `windowSeconds` have passed since the last entry (and the previous run has exited). */
  z.object({ mode: z.literal('after_window'), windowSeconds: seconds }),
]);
export type ReEntry = z.infer<typeof reEntry>;

export const quietHours = z
  .object({
    start: localTime,
    end: localTime,
    /** defer: send when quiet hours end; skip: drop the message and continue. */
    behavior: z.enum(['defer', 'skip']).default('defer'),
  })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] });
export type QuietHours = z.infer<typeof quietHours>;

export const journeySettings = z.object({
  reEntry: reEntry.default({ mode: 'never' }),
  /** Any of these ends the journey wherever the customer is. */
  exitCriteria: z.array(exitCriterion).max(10).default([]),
  goal: z
    .object({
      match: z.discriminatedUnion('kind', [z.object({ kind: z.literal('event'), match: eventMatch }), z.object({ kind: z.literal('segment_entered'), segmentId })]),
      windowSeconds: seconds,
      exitOnGoal: z.boolean().default(false),
    })
    .optional(),
  /** Share (0-100) of entrants held out of the whole journey as a control group. */
  holdoutPercent: z.number().min(0).max(100).default(0),
  quietHours: quietHours.optional(),
  /** Used when the customer has no time zone. IANA name. */
  defaultTimeZone: z.string().min(1).max(64).default('UTC'),
  /** Global frequency caps live outside journeys; a journey opts in and may name a policy. */
  frequencyCap: z.object({ respectGlobalCaps: z.boolean().default(true), policyId: z.string().min(1).max(100).optional() }).default({ respectGlobalCaps: true }),
});
export type JourneySettings = z.infer<typeof journeySettings>;

export const journeyDefinition = z.object({
  schemaVersion: z.literal(1).default(1),
  nodes: z.array(journeyNode).min(1).max(200),
  settings: journeySettings.default(journeySettings.parse({})),
}).meta({ id: 'JourneyDefinition' });
export type JourneyDefinition = z.infer<typeof journeyDefinition>;
export type JourneyDefinitionInput = z.input<typeof journeyDefinition>;

export interface Port {
  /** Unique within the node: "next", "timeout", "else", "holdout" or a branch / condition / variant id. */
  id: string;
  label: string;
  target: string | null;
}

export const RESERVED_PORTS = ['next', 'timeout', 'else', 'holdout'] as const;

/** A node's output ports, in display order. */
export function portsOf(node: JourneyNode): Port[] {
  switch (node.type) {
    case 'entry':
    case 'delay':
    case 'message':
    case 'update_profile':
    case 'webhook':
      return [{ id: 'next', label: '', target: node.next }];
    case 'wait':
      return [
        ...node.conditions.map((c) => ({ id: c.id, label: c.kind === 'event' ? c.match.event : `${c.change} ${c.segmentId}`, target: c.next })),
        { id: 'timeout', label: 'timeout', target: node.timeoutNext },
      ];
    case 'split':
      return [...node.branches.map((b) => ({ id: b.id, label: b.label ?? b.id, target: b.next })), { id: 'else', label: 'else', target: node.elseNext }];
    case 'experiment':
      return [
        ...node.variants.map((v) => ({ id: v.id, label: `${v.label ?? v.id} (${v.weight}%)`, target: v.next })),
        ...(node.holdoutPercent > 0 ? [{ id: 'holdout', label: `holdout (${node.holdoutPercent}%)`, target: node.holdoutNext }] : []),
      ];
    case 'exit':
      return [];
  }
}

/** A copy of the node with one port pointing elsewhere (null disconnects). Unknown ports throw. */
export function withPort<N extends JourneyNode>(node: N, port: string, to: string | null): N {
  const n = structuredClone(node) as JourneyNode;
  const fail = () => {
    throw new Error(`node ${node.id} (${node.type}) has no port "${port}"`);
  };
  switch (n.type) {
    case 'entry':
    case 'delay':
    case 'message':
    case 'update_profile':
    case 'webhook':
      if (port !== 'next') fail();
      n.next = to;
      break;
    case 'wait': {
      if (port === 'timeout') n.timeoutNext = to;
      else {
        const c = n.conditions.find((x) => x.id === port);
        if (!c) fail();
        else c.next = to;
      }
      break;
    }
    case 'split': {
      if (port === 'else') n.elseNext = to;
      else {
        const b = n.branches.find((x) => x.id === port);
        if (!b) fail();
        else b.next = to;
      }
      break;
    }
    case 'experiment': {
      if (port === 'holdout') n.holdoutNext = to;
      else {
        const v = n.variants.find((x) => x.id === port);
        if (!v) fail();
        else v.next = to;
      }
      break;
    }
    case 'exit':
      fail();
  }
  return n as N;
}
