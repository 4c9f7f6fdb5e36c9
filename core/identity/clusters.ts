// Transitive clustering of identity matches (union-find) that honours "do not merge" pairs.
// Pure and order-independent: the same entities and edges give the same clusters in any input order.
import type { MatchRule } from './types.ts';

/** A node of the identity graph: an existing customer (with its profiles) or a profile not yet in one. */
export interface IdentityEntity {
  id: string;
  kind: 'customer' | 'profile';
  /** Profile ids the entity holds (a profile entity holds itself). */
  profileIds: readonly string[];
  /** ISO time the customer was created; the oldest customer of a cluster survives. */
  createdAt?: string | undefined;
}

export interface IdentityEdge {
  /** Entity ids. */
  a: string;
  b: string;
  rule: MatchRule | 'probabilistic' | 'manual';
  /** Stronger edges are applied first, so a weak link never blocks a strong one through a do-not-merge pair. */
  strength: number;
  /** The profiles whose match produced the edge, for the audit. */
  profiles: readonly [string, string];
  probability?: number | undefined;
}

export interface IdentityCluster {
  /** Entity ids, sorted. */
  members: string[];
  /** The surviving customer id, or null when the cluster holds only new profiles. */
  survivor: string | null;
  /** Edges that joined this cluster's members, in the order applied. */
  edges: IdentityEdge[];
}

export interface ClusteringResult {
  clusters: IdentityCluster[];
  /** Edges skipped because they would have put a do-not-merge pair into one customer. */
  blocked: IdentityEdge[];
}

export const pairKey = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);

// Plain code-unit comparison (not localeCompare): deterministic everywhere and fast on a million edges.
const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Oldest customer first (then by id); profiles only when no customer is in the cluster. */
function pickSurvivor(members: IdentityEntity[]): string | null {
  let best: IdentityEntity | undefined;
  for (const m of members) {
    if (m.kind !== 'customer') continue;
    if (!best || (cmp(m.createdAt ?? '', best.createdAt ?? '') || cmp(m.id, best.id)) < 0) best = m;
  }
  return best?.id ?? null;
}

/**
 * @param doNotMerge pair keys (`pairKey(profileA, profileB)`) of profiles that must stay apart.
 */
export function clusterIdentities(
  entities: readonly IdentityEntity[],
  edges: readonly IdentityEdge[],
  doNotMerge: ReadonlySet<string> = new Set(),
): ClusteringResult {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const parent = new Map<string, string>();
  const profilesOf = new Map<string, string[]>();
  // Only entities with do-not-merge partners carry a forbidden set (most have none).
  const forbidden = new Map<string, Set<string>>();
  const partners = new Map<string, string[]>();
  for (const key of doNotMerge) {
    const [x, y] = key.split('|') as [string, string];
    partners.set(x, [...(partners.get(x) ?? []), y]);
    partners.set(y, [...(partners.get(y) ?? []), x]);
  }
  for (const e of entities) {
    parent.set(e.id, e.id);
    profilesOf.set(e.id, [...e.profileIds]);
    if (partners.size) {
      const f = e.profileIds.flatMap((p) => partners.get(p) ?? []);
      if (f.length) forbidden.set(e.id, new Set(f));
    }
  }
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let cur = x; cur !== root; ) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };

  const sorted = edges
    .filter((e) => byId.has(e.a) && byId.has(e.b))
    .map((edge) => ({ edge, entities: pairKey(edge.a, edge.b), profiles: pairKey(...edge.profiles) }));
  sorted.sort(
    (x, y) => y.edge.strength - x.edge.strength || cmp(x.entities, y.entities) || cmp(x.profiles, y.profiles) || cmp(x.edge.rule, y.edge.rule),
  );

  const applied = new Map<string, IdentityEdge[]>();
  const blocked: IdentityEdge[] = [];
  for (const { edge } of sorted) {
    let ra = find(edge.a);
    let rb = find(edge.b);
    if (ra === rb) continue;
    // Do-not-merge pairs are symmetric: checking one side's set against the other side's profiles is enough.
    const fa = forbidden.get(ra);
    if (fa && profilesOf.get(rb)!.some((p) => fa.has(p))) {
      blocked.push(edge);
      continue;
    }
    // Union by size; deterministic because edges are applied in a fixed order.
    if (profilesOf.get(ra)!.length < profilesOf.get(rb)!.length) [ra, rb] = [rb, ra];
    parent.set(rb, ra);
    const into = profilesOf.get(ra)!;
    for (const p of profilesOf.get(rb)!) into.push(p);
    profilesOf.delete(rb);
    const fr = forbidden.get(rb);
    if (fr) {
      const target = forbidden.get(ra) ?? new Set<string>();
      for (const f of fr) target.add(f);
      forbidden.set(ra, target);
    }
    const ea = applied.get(ra) ?? [];
    const eb = applied.get(rb);
    if (eb) for (const x of eb) ea.push(x);
    ea.push(edge);
    applied.set(ra, ea);
    applied.delete(rb);
  }

  const groups = new Map<string, IdentityEntity[]>();
  for (const e of entities) {
    const r = find(e.id);
    const g = groups.get(r);
    if (g) g.push(e);
    else groups.set(r, [e]);
  }
  const clusters = [...groups].map(([root, members]) => ({
    members: members.map((m) => m.id).sort(cmp),
    survivor: pickSurvivor(members),
    edges: applied.get(root) ?? [],
  }));
  clusters.sort((x, y) => cmp(x.members[0]!, y.members[0]!));
  return { clusters, blocked };
}
