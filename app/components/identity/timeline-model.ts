// The identity audit of a customer, reduced on the server to what the timeline shows: no before/after
// snapshots (they carry whole golden records), only who did what to which customers and profiles.

export const IDENTITY_KINDS = ['auto_merge', 'manual_merge', 'review_merge', 'review_reject', 'unmerge', 'link'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export type TimelineActor =
  /** `rule:document+email`: identity resolution, with the probability when a probabilistic match took part. */
  | { type: 'rules'; rules: string[]; probability: number | null }
  | { type: 'user'; id: string }
  | { type: 'apiKey'; name: string | null }
  | { type: 'other'; raw: string };

export interface TimelineMatch {
  rule: string;
  profileIds: string[];
  probability: number | null;
}

export interface TimelineEntry {
  id: number;
  kind: IdentityKind | 'other';
  rawKind: string;
  actor: TimelineActor;
  reason: string | null;
  createdAt: string;
  /** The customer the change is recorded on (a merge's survivor, an unmerge's source). */
  customerId: string;
  /** The other customers involved: absorbed by a merge, created or restored by an unmerge, the other side of a review. */
  otherCustomerIds: string[];
  /** Profiles the change moved or concerned. */
  profileIds: string[];
  /** Why identity resolution matched (automatic merges and links). */
  matches: TimelineMatch[];
  /** Review decisions: the probability the pair had. */
  probability: number | null;
  /** Unmerge: whether the profiles went back to the customer a merge had absorbed. */
  restored: boolean | null;
  /** Set when a later unmerge undid this merge. */
  undoneBy: number | null;
}

/** The audit record as `identityHistory` returns it (structural, so this module stays free of server code). */
export interface AuditRecordLike {
  id: number;
  kind: string;
  actor: string;
  reason: string | null;
  customerId: string;
  customerIds: string[];
  details: Record<string, unknown> | null;
  before: unknown;
  after: unknown;
  undoneBy: number | null;
  createdAt: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const unique = (xs: string[]) => [...new Set(xs)];

function matchesOf(details: Record<string, unknown>): TimelineMatch[] {
  if (!Array.isArray(details.edges)) return [];
  return details.edges.filter(isRecord).map((e) => ({ rule: str(e.rule) ?? '?', profileIds: strings(e.profiles), probability: num(e.probability) }));
}

function actorOf(raw: string, matches: TimelineMatch[], apiKeyNames: ReadonlyMap<string, string>): TimelineActor {
  const [prefix, ...rest] = raw.split(':');
  const value = rest.join(':');
  if (prefix === 'rule' && value) {
    const probabilities = matches.map((m) => m.probability).filter((p): p is number => p !== null);
    return { type: 'rules', rules: value.split('+').filter(Boolean), probability: probabilities.length ? Math.max(...probabilities) : null };
  }
  if (prefix === 'user' && value) return { type: 'user', id: value };
  if (prefix === 'api-key') return { type: 'apiKey', name: apiKeyNames.get(value) ?? null };
  return { type: 'other', raw };
}

/** Profiles a change concerned, from whichever field its kind records them in. */
function profilesOf(kind: string, details: Record<string, unknown>, before: unknown, matches: TimelineMatch[]): string[] {
  if (kind === 'unmerge') return strings(details.sourceProfileIds);
  if (kind === 'review_reject') return strings(details.profiles);
  if (kind === 'link') return strings(details.profileIds);
  // Merges: the profiles the absorbed customers brought in.
  const absorbed = isRecord(before) && Array.isArray(before.absorbed) ? before.absorbed.filter(isRecord) : [];
  const brought = absorbed.flatMap((a) => strings(a.profileIds));
  return brought.length ? unique(brought) : unique(matches.flatMap((m) => m.profileIds));
}

export function toTimelineEntry(record: AuditRecordLike, apiKeyNames: ReadonlyMap<string, string> = new Map()): TimelineEntry {
  const details = isRecord(record.details) ? record.details : {};
  const matches = matchesOf(details);
  const kind = (IDENTITY_KINDS as readonly string[]).includes(record.kind) ? (record.kind as IdentityKind) : 'other';
  const after = isRecord(record.after) ? record.after : {};
  const others = record.customerIds.filter((id) => id !== record.customerId);
  const restoredId = str(after.restoredCustomerId);
  return {
    id: record.id,
    kind,
    rawKind: record.kind,
    actor: actorOf(record.actor, matches, apiKeyNames),
    reason: record.reason,
    createdAt: record.createdAt,
    customerId: record.customerId,
    otherCustomerIds: unique(restoredId && !others.includes(restoredId) ? [...others, restoredId] : others),
    profileIds: profilesOf(record.kind, details, record.before, matches),
    matches,
    probability: num(details.probability),
    restored: typeof details.restored === 'boolean' ? details.restored : null,
    undoneBy: record.undoneBy,
  };
}

/** Every profile id a timeline mentions, to look their source and external id up once. */
export const profileIdsIn = (entries: readonly TimelineEntry[]) => unique(entries.flatMap((e) => [...e.profileIds, ...e.matches.flatMap((m) => m.profileIds)]));
