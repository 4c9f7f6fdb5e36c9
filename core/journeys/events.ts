// Matching incoming events against entries, keyed waits, exit criteria and goals: pure, so the dispatcher, the
// workflow (on signals) and tests share one meaning of "this event matches".
import { testPredicate } from '../segments/evaluate.ts';
import type { PropertyFilter } from '../segments/rule.ts';
import { readPath, splitPath, typedJson } from '../segments/semantics.ts';
import type { EntryTrigger, EventMatch } from './definition.ts';

export interface JourneyEvent {
  event: string;
  properties?: Record<string, unknown> | null;
}

/** The correlation key value at a property path: strings as they are, finite numbers as their decimal text. */
export function correlationKeyOf(properties: Record<string, unknown> | null | undefined, path: string): string | undefined {
  const v = readPath(properties ?? undefined, splitPath(path));
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function filtersHold(filters: readonly PropertyFilter[], properties: JourneyEvent['properties'], now: Date): boolean {
  return filters.every((f) => testPredicate(typedJson(readPath(properties ?? undefined, splitPath(f.path)), f.predicate.type), f.predicate, now));
}

export type EntryMatch = { matches: false } | { matches: true; key?: string };

/**
 * Whether an event starts an event-entry journey, and with which correlation key. A keyed entry whose event lacks
 * the key does not match (there would be nothing to correlate later events with).
 */
export function entryMatches(trigger: EntryTrigger, event: JourneyEvent, now: Date): EntryMatch {
  if (trigger.kind !== 'event' || trigger.event !== event.event || !filtersHold(trigger.where, event.properties, now)) return { matches: false };
  if (trigger.correlationKey === undefined) return { matches: true };
  const key = correlationKeyOf(event.properties, trigger.correlationKey);
  return key === undefined ? { matches: false } : { matches: true, key };
}

export interface KeyContext {
  /** The entry's correlation key path (also the default path in later events). */
  keyPath?: string;
  /** The key value the journey instance entered with. */
  key?: string;
}

/** Whether an event satisfies a wait condition, exit criterion or goal; keyed matches need the same key value. */
export function eventMatches(match: EventMatch, event: JourneyEvent, keys: KeyContext, now: Date): boolean {
  if (match.event !== event.event || !filtersHold(match.where, event.properties, now)) return false;
  if (!match.keyed) return true;
  const path = match.keyPath ?? keys.keyPath;
  if (path === undefined || keys.key === undefined) return false;
  return correlationKeyOf(event.properties, path) === keys.key;
}
