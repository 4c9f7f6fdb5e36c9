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

const compareEdges = (x: IdentityEdge, y: IdentityEdge) =>
  y.strength - x.strength ||
  pairKey(x.a, x.b).localeCompare(pairKey(y.a, y.b)) ||
  pairKey(...x.profiles).localeCompare(pairKey(...y.profiles)) ||
  x.rule.localeCompare(y.rule);

/** Oldest customer first (then by id); profiles only when no customer is in the cluster. */
function pickSurvivor(members: IdentityEntity[]): string | null {
  const customers = members.filter((m) => m.kind === 'customer');
  customers.sort((x, y) => (x.createdAt ?? '').localeCompare(y.createdAt ?? '') || x.id.localeCompare(y.id));
  return customers[0]?.id ?? null;
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
    forbidden.set(e.id, new Set(e.profileIds.flatMap((p) => partners.get(p) ?? [])));
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

  const applied = new Map<string, IdentityEdge[]>();
  const blocked: IdentityEdge[] = [];
  for (const edge of [...edges].sort(compareEdges)) {
    if (!byId.has(edge.a) || !byId.has(edge.b)) continue;
    let ra = find(edge.a);
    let rb = find(edge.b);
    if (ra === rb) continue;
    const fa = forbidden.get(ra)!;
    if (profilesOf.get(rb)!.some((p) => fa.has(p))) {
      blocked.push(edge);
      continue;
    }
    // Union by size; deterministic because edges are applied in a fixed order.
    if (profilesOf.get(ra)!.length < profilesOf.get(rb)!.length) [ra, rb] = [rb, ra];
    parent.set(rb, ra);
    profilesOf.get(ra)!.push(...profilesOf.get(rb)!);
    for (const f of forbidden.get(rb)!) fa.add(f);
    applied.set(ra, [...(applied.get(ra) ?? []), ...(applied.get(rb) ?? []), edge]);
    applied.delete(rb);
  }

  const groups = new Map<string, IdentityEntity[]>();
  for (const e of entities) {
    const r = find(e.id);
    groups.set(r, [...(groups.get(r) ?? []), e]);
  }
  const clusters = [...groups].map(([root, members]) => ({
    members: members.map((m) => m.id).sort(),
    survivor: pickSurvivor(members),
    edges: applied.get(root) ?? [],
  }));
  clusters.sort((x, y) => x.members[0]!.localeCompare(y.members[0]!));
  return { clusters, blocked };
}
