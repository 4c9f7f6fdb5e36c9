// The dispatcher: turns new track events and segment membership changes into journey entries (signal-with-start)
// and signals to running entries that wait on, exit on, or have a goal on them. Cursors move only after the signals
// for their rows went out; a crash re-sends, which runs ignore (they de-duplicate by message id / seq).
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { ActivationStepInput, DispatchResult, JourneyDispatchActivities } from '#workflows/activation/activation.contract.ts';
import type { JourneyDefinition } from '#core/journeys/definition.ts';
import { entryMatches } from '#core/journeys/events.ts';
import { entryOf } from '#core/journeys/graph.ts';
import { reEntryAllowed } from '#core/journeys/scheduling.ts';
import type { Db } from '#db/client.ts';
import {
  activeJourneys,
  entryHistory,
  type JourneyHead,
  membershipChangesAfter,
  readActivationCursor,
  runningEntries,
  type RunningEntry,
  trackEventsAfter,
  type TrackEventRow,
  versionDefinitions,
  writeActivationCursor,
} from '#db/queries/journey-runs.ts';
import { type JourneyEventSignal, type JourneySegmentSignal, journeyEventSignal, journeySegmentSignal } from '#workflows/journeys/journey.contract.ts';
import { mapLimit } from '../connectors/http.ts';
import { clientOf, heartbeat, runTaskQueue, signalWithStartRun, type TemporalDeps } from './temporal.ts';

export const EVENTS_CURSOR = 'journey-events';
export const SEGMENTS_CURSOR = 'journey-segments';
/** An event whose user has no customer yet waits this long for identity resolution, then is skipped. */
const UNRESOLVED_GRACE_MS = 2 * 60_000;
const CONCURRENCY = 16;

export type DispatchDeps = { db: Db } & TemporalDeps;

/**
 * Signals a running entry. A run that finished meanwhile is fine (false); any other failure throws, so the activity
 * retries before the cursor moves (runs ignore the repeats).
 */
async function signalRunning<T>(client: Client, workflowId: string, def: SignalDefinition<[T]>, arg: T): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(def, arg);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Event names and segment ids a version reacts to while running (waits, exit criteria, goal). */
function interests(def: JourneyDefinition): { events: Set<string>; segments: Set<string> } {
  const events = new Set<string>();
  const segments = new Set<string>();
  for (const n of def.nodes)
    if (n.type === 'wait')
      for (const c of n.conditions) {
        if (c.kind === 'event') events.add(c.match.event);
        else segments.add(c.segmentId);
      }
  for (const c of def.settings.exitCriteria) {
    if (c.kind === 'event') events.add(c.match.event);
    else segments.add(c.segmentId);
  }
  const g = def.settings.goal;
  if (g?.match.kind === 'event') events.add(g.match.match.event);
  else if (g) segments.add(g.match.segmentId);
  return { events, segments };
}

export function createJourneyDispatchActivities(deps: DispatchDeps): JourneyDispatchActivities {
  const q = deps.db.$client;

  /** Running entries of these customers whose version cares about `wants`, with definitions loaded once per call. */
  async function interestedRunning(tenantId: string, customerIds: string[], cache: Map<string, JourneyDefinition>) {
    const running = await runningEntries(q, tenantId, customerIds);
    const missing = [...new Map(running.filter((r) => !cache.has(`${r.journeyId}:${r.version}`)).map((r) => [`${r.journeyId}:${r.version}`, r])).values()];
    for (const [k, d] of await versionDefinitions(q, missing)) cache.set(k, d);
    const byCustomer = new Map<string, { entry: RunningEntry; wants: ReturnType<typeof interests> }[]>();
    for (const r of running) {
      const def = cache.get(`${r.journeyId}:${r.version}`);
      if (!def) continue;
      const list = byCustomer.get(r.customerId) ?? [];
      list.push({ entry: r, wants: interests(def) });
      byCustomer.set(r.customerId, list);
    }
    return byCustomer;
  }

  /** Starts a run if re-entry allows (history per customer + key); returns whether it started one. */
  async function enter(head: JourneyHead, customerId: string, key: string | undefined, trigger: Parameters<typeof signalWithStartRun>[2]['trigger'], signal: Parameters<typeof signalWithStartRun>[3], tenantId: string): Promise<string | null> {
    const history = (await entryHistory(q, head.journeyId, [customerId], key ?? '')).get(customerId) ?? [];
    if (!reEntryAllowed(history, head.definition.settings.reEntry, new Date()).allowed) return null;
    const client = await clientOf(deps);
    return signalWithStartRun(client, runTaskQueue(deps), { tenantId, journeyId: head.journeyId, version: head.latestVersion, customerId, entryKey: key, trigger }, signal);
  }

  /** A run started in this call is not in journey_entries yet: later rows of the same customer must still reach it. */
  const track = (running: Map<string, { entry: RunningEntry; wants: ReturnType<typeof interests> }[]>, head: JourneyHead, customerId: string, workflowId: string, key?: string) => {
    const list = running.get(customerId) ?? [];
    list.push({ entry: { customerId, journeyId: head.journeyId, version: head.latestVersion, entryKey: key ?? '', workflowId }, wants: interests(head.definition) });
    running.set(customerId, list);
  };

  return {
    async dispatchEvents({ tenantId, limit }: ActivationStepInput): Promise<DispatchResult> {
      const cursor = await readActivationCursor(q, tenantId, EVENTS_CURSOR);
      const after = typeof cursor.lastId === 'number' ? cursor.lastId : 0;
      const rows = await trackEventsAfter(q, tenantId, after, limit);
      const now = Date.now();
      // Stop at the first event whose user is not resolved yet (unless it is old: then skip it and count it).
      let take: TrackEventRow[] = [];
      let skipped = 0;
      for (const r of rows) {
        if (!r.customerId) {
          if (now - r.receivedAt.getTime() < UNRESOLVED_GRACE_MS) break;
          skipped++;
        }
        take.push(r);
      }
      const held = take.length < rows.length;
      const lastId = take.length ? take[take.length - 1]!.id : after;
      take = take.filter((r) => r.customerId);
      const journeys = (await activeJourneys(q, tenantId)).filter((j) => entryOf(j.definition)?.trigger.kind === 'event');
      const byCustomer = new Map<string, TrackEventRow[]>();
      for (const r of take) byCustomer.set(r.customerId!, [...(byCustomer.get(r.customerId!) ?? []), r]);
      const defs = new Map<string, JourneyDefinition>();
      const running = await interestedRunning(tenantId, [...byCustomer.keys()], defs);
      let started = 0;
      let signalled = 0;
      let done = 0;
      const client = await clientOf(deps);
      // Customers in parallel, each customer's events in order (entries before later waits see them).
      await mapLimit([...byCustomer], CONCURRENCY, async ([customerId, events]) => {
        for (const ev of events) {
          const signal: JourneyEventSignal = { messageId: ev.messageId, event: ev.event, properties: ev.properties, at: ev.timestamp.toISOString() };
          for (const { entry, wants } of running.get(customerId) ?? []) {
            if (!wants.events.has(ev.event)) continue;
            if (await signalRunning(client, entry.workflowId, journeyEventSignal, signal)) signalled++;
          }
          for (const j of journeys) {
            const trig = entryOf(j.definition)!.trigger;
            const m = entryMatches(trig, { event: ev.event, properties: ev.properties }, ev.timestamp);
            if (!m.matches) continue;
            const trigger = { kind: 'event' as const, event: ev.event, messageId: ev.messageId, properties: ev.properties, at: ev.timestamp.toISOString() };
            const id = await enter(j, customerId, m.key, trigger, { kind: 'event', signal }, tenantId);
            if (id) {
              started++;
              track(running, j, customerId, id, m.key);
            }
          }
          done++;
          if (done % 50 === 0) heartbeat({ done });
        }
      });
      if (lastId !== after) await writeActivationCursor(q, tenantId, EVENTS_CURSOR, { lastId, skipped: (Number(cursor.skipped) || 0) + skipped });
      return { read: take.length + skipped, started, signalled, more: !held && rows.length === limit };
    },

    async dispatchSegmentChanges({ tenantId, limit }: ActivationStepInput): Promise<DispatchResult> {
      const cursor = await readActivationCursor(q, tenantId, SEGMENTS_CURSOR);
      const after = typeof cursor.lastSeq === 'number' ? cursor.lastSeq : 0;
      const rows = await membershipChangesAfter(q, tenantId, after, limit);
      if (!rows.length) return { read: 0, started: 0, signalled: 0, more: false };
      const journeys = (await activeJourneys(q, tenantId)).filter((j) => entryOf(j.definition)?.trigger.kind === 'segment_entered');
      const byCustomer = new Map<string, typeof rows>();
      for (const r of rows) byCustomer.set(r.customerId, [...(byCustomer.get(r.customerId) ?? []), r]);
      const running = await interestedRunning(tenantId, [...byCustomer.keys()], new Map());
      let started = 0;
      let signalled = 0;
      let done = 0;
      const client = await clientOf(deps);
      await mapLimit([...byCustomer], CONCURRENCY, async ([customerId, changes]) => {
        for (const c of changes) {
          const signal: JourneySegmentSignal = { segmentId: c.segmentId, change: c.change, seq: c.seq, at: c.at.toISOString() };
          for (const { entry, wants } of running.get(customerId) ?? []) {
            if (!wants.segments.has(c.segmentId)) continue;
            if (await signalRunning(client, entry.workflowId, journeySegmentSignal, signal)) signalled++;
          }
          if (c.change === 'entered')
            for (const j of journeys) {
              const trig = entryOf(j.definition)!.trigger;
              if (trig.kind !== 'segment_entered' || trig.segmentId !== c.segmentId) continue;
              const trigger = { kind: 'segment_entered' as const, segmentId: c.segmentId, seq: c.seq, at: c.at.toISOString() };
              const id = await enter(j, customerId, undefined, trigger, { kind: 'segment', signal }, tenantId);
              if (id) {
                started++;
                track(running, j, customerId, id);
              }
            }
          done++;
          if (done % 50 === 0) heartbeat({ done });
        }
      });
      await writeActivationCursor(q, tenantId, SEGMENTS_CURSOR, { lastSeq: rows[rows.length - 1]!.seq });
      return { read: rows.length, started, signalled, more: rows.length === limit };
    },
  };
}
