// What a segment depends on, so incremental membership updates re-check a customer only when something the rule reads
// has changed (an event by name, an order, a score, a profile field, another segment's membership, consent).
import type { SegmentLookup } from './compile.ts';
import { forEachCondition, type Channel, type ProfileField, type ScoreName, type SegmentRule } from './rule.ts';

export interface SegmentDependencies {
  /** Event names read by event conditions. */
  events: string[];
  /** Any order (or order item) change matters. */
  orders: boolean;
  scores: ScoreName[];
  profileFields: ProfileField[];
  attributes: string[];
  /** Segments whose membership changes matter (direct references; with `lookup`, the transitive set). */
  segments: string[];
  consentChannels: Channel[];
  /**
   * True when membership can change with the clock alone (relative windows, "within the last N days"), so the
   * segment also needs a periodic recompute, not only change-driven updates.
   */
  timeDependent: boolean;
}

const sorted = <T extends string>(s: Set<T>): T[] => [...s].sort();

/** Dependencies of a rule. Pass `lookup` to include what referenced segments depend on (cycles are cut). */
export function dependencies(rule: SegmentRule, lookup?: SegmentLookup): SegmentDependencies {
  const events = new Set<string>();
  const scores = new Set<ScoreName>();
  const fields = new Set<ProfileField>();
  const attributes = new Set<string>();
  const segments = new Set<string>();
  const channels = new Set<Channel>();
  let orders = false;
  let time = false;
  const relative = (op: string) => op === 'within_last_days' || op === 'more_than_days_ago';

  const visit = (r: SegmentRule) =>
    forEachCondition(r, (c) => {
      if ('predicate' in c && c.predicate.type === 'date' && relative(c.predicate.op)) time = true;
      if (('window' in c && c.window?.kind === 'last_days')) time = true;
      switch (c.kind) {
        case 'profile':
          fields.add(c.field);
          break;
        case 'attribute':
          attributes.add(c.key);
          break;
        case 'score':
          scores.add(c.score);
          break;
        case 'orders':
          orders = true;
          break;
        case 'event':
          events.add(c.event);
          if (c.where.some((f) => f.predicate.type === 'date' && relative(f.predicate.op))) time = true;
          break;
        case 'segment':
          if (!segments.has(c.segmentId)) {
            segments.add(c.segmentId);
            const inner = lookup?.(c.segmentId);
            if (inner) visit(inner);
          }
          break;
        case 'consent':
          channels.add(c.channel);
          break;
      }
    });
  visit(rule);
  return {
    events: sorted(events),
    orders,
    scores: sorted(scores),
    profileFields: sorted(fields),
    attributes: sorted(attributes),
    segments: sorted(segments),
    consentChannels: sorted(channels),
    timeDependent: time,
  };
}
