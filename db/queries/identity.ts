// Identity resolution on PostgreSQL: match keys and blocking keys per profile, set-based candidate
// search, clustering in memory (core/identity/clusters.ts), and merges that keep absorbed ids as aliases.
// Every identity change of a tenant runs under one advisory lock, so ingest, manual merges and unmerges
// of the same tenant never interleave.
import type pg from 'pg';
import { buildGoldenRecord, type GoldenRecord, type ProfileForGolden } from '#core/customers/golden-record.ts';
import { blockingKeys } from '#core/identity/blocking.ts';
import { clusterIdentities, pairKey, type IdentityEdge, type IdentityEntity } from '#core/identity/clusters.ts';
import { probabilityToWeight, scorePair, scoresBelow } from '#core/identity/fellegi-sunter.ts';
import { matchKeys } from '#core/identity/keys.ts';
import { normalizeIdentity } from '#core/identity/normalize.ts';
import type { NormalizedIdentity } from '#core/identity/types.ts';
import { UserError } from '#core/errors.ts';
import { readTenantSettings, type ResolvedTenantSettings } from '#core/tenants/settings.ts';
import type { Db } from '../client.ts';
import { timeOrderedUuid } from './time-ordered-id.ts';

type Tx = pg.PoolClient;

/** Blocks larger than this are skipped by the probabilistic pass (a hot key compares everything with everything). */
const MAX_BLOCK = 200;
/** Deterministic rules outrank any probabilistic match when edges are applied. */
const RULE_STRENGTH: Record<string, number> = { manual: 4, document: 3, email: 2, phone_last_name: 1.5 };

export async function withTenantLock<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock(hashtextextended('identity:' || $1, 0))`, [tenantId]);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

interface TenantContext {
  defaultCountry: string;
  settings: ResolvedTenantSettings;
}

async function tenantContext(tx: Tx, tenantId: string): Promise<TenantContext> {
  const r = await tx.query<{ default_country: string; settings: unknown }>('select default_country, settings from tenants where id = $1', [tenantId]);
  const row = r.rows[0];
  if (!row) throw new Error(`No tenant ${tenantId}`);
  return { defaultCountry: row.default_country, settings: readTenantSettings(row.settings) };
}

interface ProfileRow {
  id: string;
  customerId: string | null;
  source: string;
  externalId: string;
  updatedAt: string;
  email: string | null;
  dni: string | null;
  cuit: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  address: ProfileForGolden['address'];
  attributes: Record<string, unknown>;
  normalized?: NormalizedIdentity | null;
  /** Resolved before (it has keys stored), as opposed to new since the last resolution. */
  resolvedBefore?: boolean;
}

const profileColumns = `id, customer_id as "customerId", source, external_id as "externalId",
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "updatedAt",
  email, dni, cuit, phone, first_name as "firstName", last_name as "lastName", birth_date::text as "birthDate", address, attributes`;

export interface ResolveResult {
  profiles: number;
  /** Ids of the customers this run created (not passed through workflow histories: they can be long). */
  createdCustomerIds: string[];
  customersCreated: number;
  customersMerged: number;
  profilesLinked: number;
  reviewsOpened: number;
  blockedByDoNotMerge: number;
}

/**
 * Resolves up to `limit` pending profiles (new or changed): normalizes them, stores their keys, finds
 * deterministic and probabilistic matches, clusters them with the customers they touch, merges clusters
 * into their oldest customer and refreshes golden records. Idempotent: a retry after a crash redoes the
 * same pending rows.
 */
export async function resolvePendingIdentities(db: Db, tenantId: string, limit: number): Promise<ResolveResult> {
  return withTenantLock(db, tenantId, async (tx) => {
    const ctx = await tenantContext(tx, tenantId);
    const { rows: pending } = await tx.query<ProfileRow>(
      // Row locks: an upsert of one of these profiles waits for this transaction and re-queues it after, so no
      // change is lost; SKIP LOCKED leaves rows an upsert holds right now for the next batch (no deadlock).
      `select ${profileColumns}, normalized is not null as "resolvedBefore" from source_profiles where tenant_id = $1 and pending_resolution order by updated_at, id limit $2 for update skip locked`,
      [tenantId, limit],
    );
    if (!pending.length) return { profiles: 0, createdCustomerIds: [], customersCreated: 0, customersMerged: 0, profilesLinked: 0, reviewsOpened: 0, blockedByDoNotMerge: 0 };
    const ids = pending.map((p) => p.id);
    const normalized = new Map(pending.map((p) => [p.id, normalizeIdentity(p, { defaultCountry: ctx.defaultCountry })]));
    await storeKeys(tx, tenantId, pending, normalized, ctx.settings);

    // Deterministic neighbours: every profile sharing a match key with a pending one.
    const { rows: keyMatches } = await tx.query<{ src: string; dst: string; rule: string }>(
      `select distinct k1.profile_id as src, k2.profile_id as dst, k1.rule
       from identity_keys k1
       join identity_keys k2 on k2.tenant_id = k1.tenant_id and k2.rule = k1.rule and k2.value = k1.value and k2.profile_id <> k1.profile_id
       where k1.tenant_id = $1 and k1.profile_id = any($2::uuid[])`,
      [tenantId, ids],
    );
    const linked = new Set(keyMatches.map((m) => pairKey(m.src, m.dst)));
    const probabilistic = ctx.settings.identity.probabilistic ? await probabilisticCandidates(tx, tenantId, pending, normalized, ctx, linked) : { edges: [], reviews: [] };

    const edgesByProfile = [
      ...keyMatches.map((m) => ({ src: m.src, dst: m.dst, rule: m.rule as IdentityEdge['rule'], strength: RULE_STRENGTH[m.rule] ?? 1 })),
      ...probabilistic.edges,
    ];
    const graph = await loadGraph(tx, tenantId, [...ids, ...edgesByProfile.map((e) => e.dst)]);
    const edges: IdentityEdge[] = edgesByProfile.map((e) => ({
      a: graph.entityOf.get(e.src)!,
      b: graph.entityOf.get(e.dst)!,
      rule: e.rule,
      strength: e.strength,
      profiles: [e.src, e.dst],
      probability: 'probability' in e ? (e.probability as number) : undefined,
    }));
    const { clusters, blocked } = clusterIdentities(graph.entities, edges, graph.doNotMerge);

    let customersCreated = 0;
    const createdCustomerIds: string[] = [];
    let customersMerged = 0;
    let profilesLinked = 0;
    const touched = new Set<string>();
    const moved: string[] = [];
    // Set-based writes: collect every new customer, profile assignment and audit entry, then one statement each.
    const assign: { profileId: string; customerId: string }[] = [];
    const links: AuditEntry[] = [];
    const survivorOf = new Map<string, string>();
    /** A new customer's profiles are all in this batch: its golden record is built here and inserted with it. */
    const newCustomerProfiles = new Map<string, string[]>();
    for (const c of clusters) {
      const members = c.members.map((m) => graph.byId.get(m)!);
      const newProfiles = members.filter((m) => m.kind === 'profile').map((m) => m.id);
      const absorbed = members.filter((m) => m.kind === 'customer' && m.id !== c.survivor).map((m) => m.id);
      if (!newProfiles.length && !absorbed.length) continue;
      let survivor = c.survivor;
      if (!survivor) {
        survivor = timeOrderedUuid();
        createdCustomerIds.push(survivor);
        newCustomerProfiles.set(survivor, newProfiles);
      }
      for (const m of c.members) survivorOf.set(m, survivor);
      const rules = `rule:${[...new Set(c.edges.map((e) => e.rule))].sort().join('+')}`;
      const why = c.edges.map((e) => ({ rule: e.rule, profiles: e.profiles, ...(e.probability === undefined ? {} : { probability: e.probability }) }));
      if (absorbed.length) {
        // Merges of existing customers are rare and need their snapshot: one at a time.
        await mergeInto(tx, tenantId, survivor, absorbed, { kind: 'auto_merge', actor: rules, reason: 'Matching identifiers', details: { edges: why } });
        customersMerged += absorbed.length;
      }
      for (const profileId of newProfiles) assign.push({ profileId, customerId: survivor });
      // A lone new profile simply becomes a customer; joining an existing one is an identity change worth a record.
      if (newProfiles.length && (c.survivor || newProfiles.length > 1)) {
        profilesLinked += newProfiles.length;
        links.push({
          customerId: survivor,
          customerIds: [survivor],
          kind: 'link',
          actor: rules,
          reason: c.survivor ? 'New profiles matched an existing customer' : 'New profiles matched each other',
          details: { profileIds: newProfiles, edges: why },
        });
      }
      if (c.survivor) touched.add(survivor);
    }
    customersCreated = createdCustomerIds.length;
    if (createdCustomerIds.length) {
      const byId = new Map(pending.map((p) => [p.id, p]));
      const golden = createdCustomerIds.map((id) =>
        goldenOf(newCustomerProfiles.get(id)!.map((pid) => ({ ...byId.get(pid)!, normalized: normalized.get(pid)! })), ctx.settings),
      );
      await writeGolden(tx, tenantId, createdCustomerIds, golden, 'insert');
    }
    // One pass over the batch's rows: normalized identifiers, new customer links, no longer pending.
    const assigned = new Map(assign.map((a) => [a.profileId, a.customerId]));
    await tx.query(
      `update source_profiles sp set normalized = u.n::jsonb, customer_id = coalesce(u.c, sp.customer_id), pending_resolution = false
       from unnest($2::uuid[], $3::text[], $4::uuid[]) as u(id, n, c) where sp.tenant_id = $1 and sp.id = u.id`,
      [tenantId, ids, ids.map((id) => JSON.stringify(normalized.get(id))), ids.map((id) => assigned.get(id) ?? null)],
    );
    moved.push(...assign.map((a) => a.profileId));
    await appendAudits(tx, tenantId, links);
    // Pending profiles that already had a customer may have changed: refresh it too.
    for (const p of pending) if (p.customerId) touched.add(survivorOf.get(p.customerId) ?? p.customerId);
    const reviewsOpened = await openReviews(tx, tenantId, probabilistic.reviews);
    await ordersFollowProfiles(tx, tenantId, moved);
    await refreshGolden(tx, tenantId, [...touched], ctx.settings);
    return { profiles: pending.length, createdCustomerIds, customersCreated, customersMerged, profilesLinked, reviewsOpened, blockedByDoNotMerge: blocked.length };
  });
}

async function storeKeys(tx: Tx, tenantId: string, rows: ProfileRow[], normalized: Map<string, NormalizedIdentity>, settings: ResolvedTenantSettings) {
  const ids = rows.map((r) => r.id);
  // Keys and `normalized` are written in the same transaction, so a profile never resolved has no keys to replace.
  const replaced = rows.filter((r) => r.resolvedBefore).map((r) => r.id);
  if (replaced.length) {
    await tx.query('delete from identity_keys where tenant_id = $1 and profile_id = any($2::uuid[])', [tenantId, replaced]);
    await tx.query('delete from blocking_keys where tenant_id = $1 and profile_id = any($2::uuid[])', [tenantId, replaced]);
  }
  const kProfile: string[] = [];
  const kRule: string[] = [];
  const kValue: string[] = [];
  const bProfile: string[] = [];
  const bKey: string[] = [];
  const rules = settings.identity.rules;
  const redundant = [...(rules.includes('document') ? ['dni:', 'cuit:'] : []), ...(rules.includes('email') ? ['em:'] : [])];
  for (const id of ids) {
    const n = normalized.get(id)!;
    for (const k of matchKeys(n, settings.identity.rules)) {
      kProfile.push(id);
      kRule.push(k.rule);
      kValue.push(k.value);
    }
    if (settings.identity.probabilistic)
      for (const key of blockingKeys(n)) {
        // Profiles sharing an exact identifier that is already a deterministic rule are linked anyway.
        if (redundant.some((prefix) => key.startsWith(prefix))) continue;
        bProfile.push(id);
        bKey.push(key);
      }
  }
  // Plain inserts: each profile's keys are distinct and its old ones are gone, and ON CONFLICT would cost one more
  // index probe per key row.
  if (kProfile.length)
    await tx.query(
      `insert into identity_keys (tenant_id, rule, value, profile_id) select $1, r, v, p from unnest($2::text[], $3::text[], $4::uuid[]) as t(r, v, p)`,
      [tenantId, kRule, kValue, kProfile],
    );
  if (bProfile.length)
    await tx.query(
      `insert into blocking_keys (tenant_id, key, profile_id) select $1, k, p from unnest($2::text[], $3::uuid[]) as t(k, p)`,
      [tenantId, bKey, bProfile],
    );
}

interface ProbabilisticEdge {
  src: string;
  dst: string;
  rule: 'probabilistic';
  strength: number;
  probability: number;
}

interface ReviewCandidate {
  a: string;
  b: string;
  probability: number;
  weight: number;
  levels: Record<string, string>;
}

/** @param linked pairs already joined by a deterministic key: scoring them would change nothing. */
async function probabilisticCandidates(
  tx: Tx,
  tenantId: string,
  pending: ProfileRow[],
  normalized: Map<string, NormalizedIdentity>,
  ctx: TenantContext,
  linked: ReadonlySet<string>,
) {
  const ids = pending.map((p) => p.id);
  // Pairs sharing a blocking key. Each key's block is read once through the index with a cap (LIMIT), so a
  // huge block costs MAX_BLOCK + 1 index entries, not a scan, and a block over the cap is dropped whole.
  const { rows: pairs } = await tx.query<{ src: string; dst: string }>(
    `with mine as (
       select key, profile_id from blocking_keys where tenant_id = $1 and profile_id = any($2::uuid[])
     ), blocks as materialized (
       select k.key, b.profile_id, count(*) over (partition by k.key) as size
       from (select distinct key from mine) k
       cross join lateral (select profile_id from blocking_keys b where b.tenant_id = $1 and b.key = k.key limit $3 + 1) b
     )
     select distinct m.profile_id as src, b.profile_id as dst
     from mine m join blocks b on b.key = m.key and b.size <= $3 and b.profile_id <> m.profile_id`,
    [tenantId, ids, MAX_BLOCK],
  );
  const inBatch = new Map(pending.map((p) => [p.id, p.customerId]));
  const others = [...new Set(pairs.filter((p) => !linked.has(pairKey(p.src, p.dst))).map((p) => p.dst).filter((d) => !inBatch.has(d)))];
  const known = new Map<string, { customerId: string | null; n: NormalizedIdentity | null }>();
  if (others.length) {
    const { rows } = await tx.query<{ id: string; customerId: string | null; n: NormalizedIdentity | null }>(
      'select id, customer_id as "customerId", normalized as n from source_profiles where tenant_id = $1 and id = any($2::uuid[])',
      [tenantId, others],
    );
    for (const r of rows) known.set(r.id, r);
  }
  const { autoMergeThreshold, reviewThreshold } = ctx.settings.identity;
  // Pairs that cannot reach the review threshold are dropped before a full (allocating) score.
  const reviewWeight = probabilityToWeight(Math.min(reviewThreshold, autoMergeThreshold)) - 1e-9;
  const edges: ProbabilisticEdge[] = [];
  const reviews: ReviewCandidate[] = [];
  const seen = new Set<string>();
  for (const p of pairs) {
    const key = pairKey(p.src, p.dst);
    if (seen.has(key) || linked.has(key)) continue;
    seen.add(key);
    const srcCustomer = inBatch.get(p.src) ?? null;
    const dstCustomer = inBatch.has(p.dst) ? inBatch.get(p.dst)! : (known.get(p.dst)?.customerId ?? null);
    if (srcCustomer && srcCustomer === dstCustomer) continue;
    const a = normalized.get(p.src)!;
    const b = normalized.get(p.dst) ?? known.get(p.dst)?.n;
    if (!b) continue;
    if (scoresBelow(a, b, reviewWeight)) continue;
    const s = scorePair(a, b);
    if (s.probability >= autoMergeThreshold) edges.push({ src: p.src, dst: p.dst, rule: 'probabilistic', strength: s.probability, probability: s.probability });
    else if (s.probability >= reviewThreshold) {
      const [x, y] = p.src < p.dst ? [p.src, p.dst] : [p.dst, p.src];
      reviews.push({ a: x, b: y, probability: s.probability, weight: s.weight, levels: s.levels as Record<string, string> });
    }
  }
  return { edges, reviews };
}

/** Review tasks for probable matches that are not already in one customer and not forbidden. */
async function openReviews(tx: Tx, tenantId: string, reviews: ReviewCandidate[]): Promise<number> {
  if (!reviews.length) return 0;
  const r = await tx.query(
    `insert into identity_reviews (tenant_id, profile_a, profile_b, probability, weight, levels)
     select $1, u.a, u.b, u.p, u.w, u.l::jsonb
     from unnest($2::uuid[], $3::uuid[], $4::float8[], $5::float8[], $6::text[]) as u(a, b, p, w, l)
     join source_profiles pa on pa.id = u.a join source_profiles pb on pb.id = u.b
     where pa.customer_id is distinct from pb.customer_id
       and not exists (select 1 from do_not_merge d where d.tenant_id = $1 and d.profile_a = u.a and d.profile_b = u.b)
     on conflict (tenant_id, profile_a, profile_b) do nothing`,
    [tenantId, reviews.map((x) => x.a), reviews.map((x) => x.b), reviews.map((x) => x.probability), reviews.map((x) => x.weight), reviews.map((x) => JSON.stringify(x.levels))],
  );
  return r.rowCount ?? 0;
}

interface Graph {
  entities: IdentityEntity[];
  byId: Map<string, IdentityEntity>;
  /** profile id → entity id (its customer, or itself when unassigned). */
  entityOf: Map<string, string>;
  doNotMerge: Set<string>;
}

/** The customers the given profiles belong to (with all their profiles), unassigned profiles, and do-not-merge pairs among them. */
async function loadGraph(tx: Tx, tenantId: string, profileIds: string[]): Promise<Graph> {
  const { rows } = await tx.query<{ id: string; customerId: string | null; createdAt: string | null }>(
    // A union of two index look-ups: `id in (…) or customer_id in (…)` cannot use an index and scanned every profile
    // of the tenant once per batch, a cost that grew with the tenant.
    `with direct as (select id, customer_id from source_profiles where tenant_id = $1 and id = any($2::uuid[]))
     select sp.id, sp.customer_id as "customerId", to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt"
     from (select id, customer_id from direct
           union
           select id, customer_id from source_profiles
           where tenant_id = $1 and customer_id in (select customer_id from direct where customer_id is not null)) sp
     left join customers c on c.id = sp.customer_id`,
    [tenantId, [...new Set(profileIds)]],
  );
  const customers = new Map<string, { createdAt: string; profiles: string[] }>();
  const entityOf = new Map<string, string>();
  const entities: IdentityEntity[] = [];
  for (const r of rows) {
    if (r.customerId) {
      const c = customers.get(r.customerId) ?? { createdAt: r.createdAt ?? '', profiles: [] };
      c.profiles.push(r.id);
      customers.set(r.customerId, c);
      entityOf.set(r.id, r.customerId);
    } else {
      entities.push({ id: r.id, kind: 'profile', profileIds: [r.id] });
      entityOf.set(r.id, r.id);
    }
  }
  for (const [id, c] of customers) entities.push({ id, kind: 'customer', profileIds: c.profiles, createdAt: c.createdAt });
  const all = rows.map((r) => r.id);
  const { rows: dnm } = await tx.query<{ a: string; b: string }>(
    `select profile_a as a, profile_b as b from do_not_merge where tenant_id = $1 and (profile_a = any($2::uuid[]) or profile_b = any($2::uuid[]))`,
    [tenantId, all],
  );
  const byId = new Map(entities.map((e) => [e.id, e]));
  return {
    entities,
    byId,
    entityOf,
    doNotMerge: new Set(dnm.map((d) => pairKey(d.a, d.b))),
  };
}

const customerColumns = `id, email, phone, document_number as "documentNumber", first_name as "firstName", last_name as "lastName",
  birth_date::text as "birthDate", address, attributes, field_sources as "fieldSources",
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt",
  to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "updatedAt"`;

export interface CustomerSnapshot {
  id: string;
  email: string | null;
  phone: string | null;
  documentNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  address: unknown;
  attributes: Record<string, unknown>;
  fieldSources: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface MergeSnapshot {
  survivor: CustomerSnapshot & { profileIds: string[] };
  absorbed: (CustomerSnapshot & { profileIds: string[]; aliasIds: string[] })[];
}

async function snapshot(tx: Tx, tenantId: string, customerIds: string[]) {
  const { rows: cs } = await tx.query<CustomerSnapshot>(`select ${customerColumns} from customers where tenant_id = $1 and id = any($2::uuid[])`, [tenantId, customerIds]);
  const { rows: ps } = await tx.query<{ id: string; customerId: string }>(
    `select id, customer_id as "customerId" from source_profiles where tenant_id = $1 and customer_id = any($2::uuid[]) order by id`,
    [tenantId, customerIds],
  );
  const { rows: as } = await tx.query<{ aliasId: string; customerId: string }>(
    `select alias_id as "aliasId", customer_id as "customerId" from customer_aliases where tenant_id = $1 and customer_id = any($2::uuid[]) order by alias_id`,
    [tenantId, customerIds],
  );
  return new Map(
    cs.map((c) => [
      c.id,
      { ...c, profileIds: ps.filter((p) => p.customerId === c.id).map((p) => p.id), aliasIds: as.filter((a) => a.customerId === c.id).map((a) => a.aliasId) },
    ]),
  );
}

interface AuditEntry {
  customerId: string;
  customerIds: string[];
  kind: 'auto_merge' | 'manual_merge' | 'review_merge' | 'review_reject' | 'unmerge' | 'link';
  actor: string;
  reason?: string | undefined;
  details?: Record<string, unknown>;
  before?: unknown;
  after?: unknown;
}

/** Many audit entries in one statement. */
async function appendAudits(tx: Tx, tenantId: string, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const j = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  await tx.query(
    `insert into identity_audit (tenant_id, customer_id, customer_ids, kind, actor, reason, details, before, after)
     select $1, u.c, array[u.c], u.k, u.a, u.r, u.d::jsonb, u.b::jsonb, u.f::jsonb
     from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as u(c, k, a, r, d, b, f)`,
    [
      tenantId,
      entries.map((e) => e.customerId),
      entries.map((e) => e.kind),
      entries.map((e) => e.actor),
      entries.map((e) => e.reason ?? null),
      entries.map((e) => JSON.stringify(e.details ?? {})),
      entries.map((e) => j(e.before)),
      entries.map((e) => j(e.after)),
    ],
  );
}

export async function appendAudit(tx: Tx, tenantId: string, e: AuditEntry): Promise<number> {
  const r = await tx.query<{ id: number }>(
    `insert into identity_audit (tenant_id, customer_id, customer_ids, kind, actor, reason, details, before, after)
     values ($1, $2, $3::uuid[], $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb) returning id`,
    [tenantId, e.customerId, e.customerIds, e.kind, e.actor, e.reason ?? null, JSON.stringify(e.details ?? {}), e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after)],
  );
  return r.rows[0]!.id;
}

/**
 * Moves everything of the absorbed customers into the survivor: profiles, aliases (old and new), orders.
 * The absorbed rows are deleted; their ids become aliases. The audit keeps a full before-snapshot, which is
 * what unmerge restores from.
 */
async function mergeInto(
  tx: Tx,
  tenantId: string,
  survivor: string,
  absorbed: string[],
  audit: Pick<AuditEntry, 'kind' | 'actor' | 'reason' | 'details'>,
): Promise<number> {
  const snaps = await snapshot(tx, tenantId, [survivor, ...absorbed]);
  const before: MergeSnapshot = {
    survivor: snaps.get(survivor)!,
    absorbed: absorbed.map((id) => snaps.get(id)!).filter(Boolean),
  };
  const auditId = await appendAudit(tx, tenantId, {
    customerId: survivor,
    customerIds: [survivor, ...absorbed],
    ...audit,
    before,
    after: { customerId: survivor, profileIds: [...before.survivor.profileIds, ...before.absorbed.flatMap((a) => a.profileIds)].sort(), aliasIds: absorbed },
  });
  const movedProfiles = before.absorbed.flatMap((a) => a.profileIds);
  await tx.query('update source_profiles set customer_id = $2 where tenant_id = $1 and customer_id = any($3::uuid[])', [tenantId, survivor, absorbed]);
  await tx.query('update customer_aliases set customer_id = $2 where tenant_id = $1 and customer_id = any($3::uuid[])', [tenantId, survivor, absorbed]);
  await tx.query(
    `insert into customer_aliases (alias_id, tenant_id, customer_id, audit_id) select a, $1, $2, $3 from unnest($4::uuid[]) as a`,
    [tenantId, survivor, auditId, absorbed],
  );
  await tx.query('update orders set customer_id = $2 where tenant_id = $1 and customer_id = any($3::uuid[])', [tenantId, survivor, absorbed]);
  await tx.query('delete from customers where tenant_id = $1 and id = any($2::uuid[])', [tenantId, absorbed]);
  await ordersFollowProfiles(tx, tenantId, movedProfiles);
  return auditId;
}

/** Orders point at the customer of the profile that placed them (same source, source customer id = external id). */
async function ordersFollowProfiles(tx: Tx, tenantId: string, profileIds: string[]) {
  if (!profileIds.length) return;
  await tx.query(
    `update orders o set customer_id = sp.customer_id
     from source_profiles sp
     where sp.tenant_id = $1 and sp.id = any($2::uuid[]) and o.tenant_id = sp.tenant_id and o.source = sp.source
       and o.source_customer_id = sp.external_id and o.customer_id is distinct from sp.customer_id`,
    [tenantId, profileIds],
  );
}

/** The golden record of one customer's profiles; its document is a valid one in canonical digits (an invalid DNI stays on its profile only). */
function goldenOf(profiles: readonly ProfileRow[], settings: ResolvedTenantSettings): GoldenRecord {
  const rows = profiles.map((p) => (p.normalized ? { ...p, dni: p.normalized.dnis[0] ?? null, cuit: p.normalized.cuits[0] ?? null } : p));
  return buildGoldenRecord(rows, { sourcePriority: settings.identity.sourcePriority });
}

/** Writes golden records: `insert` creates the customers (new clusters), `update` refreshes existing ones. One statement either way. */
async function writeGolden(tx: Tx, tenantId: string, ids: readonly string[], golden: readonly GoldenRecord[], mode: 'insert' | 'update') {
  const col = <T>(f: (g: GoldenRecord) => T) => golden.map(f);
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  const params = [
    tenantId,
    ids,
    col((g) => g.email),
    col((g) => g.phone),
    col((g) => g.documentNumber),
    col((g) => g.firstName),
    col((g) => g.lastName),
    col((g) => g.birthDate),
    col((g) => json(g.address)),
    col((g) => JSON.stringify(g.attributes)),
    col((g) => JSON.stringify(g.fieldSources)),
  ];
  const values = `unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       as u(id, email, phone, doc, fn, ln, bd, ad, at, fs)`;
  if (mode === 'insert')
    await tx.query(
      `insert into customers (id, tenant_id, email, phone, document_number, first_name, last_name, birth_date, address, attributes, field_sources)
       select u.id, $1, u.email, u.phone, u.doc, u.fn, u.ln, u.bd::date, u.ad::jsonb, u.at::jsonb, u.fs::jsonb from ${values}`,
      params,
    );
  else
    await tx.query(
      `update customers c set email = u.email, phone = u.phone, document_number = u.doc, first_name = u.fn, last_name = u.ln,
         birth_date = u.bd::date, address = u.ad::jsonb, attributes = u.at::jsonb, field_sources = u.fs::jsonb, updated_at = now()
       from ${values}
       where c.tenant_id = $1 and c.id = u.id`,
      params,
    );
}

/** Recomputes the golden record of each customer from all its profiles (survivorship with the tenant's source priority). */
export async function refreshGolden(tx: Tx, tenantId: string, customerIds: string[], settings?: ResolvedTenantSettings) {
  if (!customerIds.length) return;
  const s = settings ?? (await tenantContext(tx, tenantId)).settings;
  const { rows } = await tx.query<ProfileRow>(
    `select ${profileColumns}, normalized from source_profiles where tenant_id = $1 and customer_id = any($2::uuid[])`,
    [tenantId, customerIds],
  );
  const byCustomer = new Map<string, ProfileRow[]>();
  for (const p of rows) {
    const list = byCustomer.get(p.customerId!);
    if (list) list.push(p);
    else byCustomer.set(p.customerId!, [p]);
  }
  await writeGolden(tx, tenantId, customerIds, customerIds.map((id) => goldenOf(byCustomer.get(id) ?? [], s)), 'update');
}

/** The surviving customer for an id: itself, or the customer an absorbed id now belongs to. */
export async function resolveCustomerId(q: Pick<Tx, 'query'>, tenantId: string, id: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const r = await q.query<{ id: string }>(
    `select id from customers where tenant_id = $1 and id = $2
     union all select customer_id from customer_aliases where tenant_id = $1 and alias_id = $2 limit 1`,
    [tenantId, id],
  );
  return r.rows[0]?.id;
}

export interface MergeResult {
  survivorId: string;
  absorbedId: string;
  auditId: number;
}

/** A person's decision to merge two customers. The older customer survives; do-not-merge pairs between them are lifted, and the audit says so. */
export async function mergeCustomers(
  db: Db,
  tenantId: string,
  input: { customerId: string; otherCustomerId: string; actor: string; reason: string; kind?: 'manual_merge' | 'review_merge'; details?: Record<string, unknown> },
): Promise<MergeResult> {
  return withTenantLock(db, tenantId, async (tx) => {
    const a = await resolveCustomerId(tx, tenantId, input.customerId);
    const b = await resolveCustomerId(tx, tenantId, input.otherCustomerId);
    if (!a) throw new UserError('not_found', `No customer ${input.customerId}.`, 404);
    if (!b) throw new UserError('not_found', `No customer ${input.otherCustomerId}.`, 404);
    if (a === b) throw new UserError('conflict', 'Both ids already belong to the same customer.', 409);
    const { rows } = await tx.query<{ id: string }>(
      `select id from customers where tenant_id = $1 and id = any($2::uuid[]) order by created_at, id`,
      [tenantId, [a, b]],
    );
    const survivor = rows[0]!.id;
    const absorbed = survivor === a ? b : a;
    const lifted = await tx.query(
      `delete from do_not_merge d using source_profiles pa, source_profiles pb
       where d.tenant_id = $1 and pa.id = d.profile_a and pb.id = d.profile_b
         and ((pa.customer_id = $2 and pb.customer_id = $3) or (pa.customer_id = $3 and pb.customer_id = $2))`,
      [tenantId, survivor, absorbed],
    );
    const auditId = await mergeInto(tx, tenantId, survivor, [absorbed], {
      kind: input.kind ?? 'manual_merge',
      actor: input.actor,
      reason: input.reason,
      details: { ...input.details, doNotMergeLifted: lifted.rowCount ?? 0 },
    });
    await tx.query(
      `update identity_reviews r set status = 'obsolete' from source_profiles pa, source_profiles pb
       where r.tenant_id = $1 and r.status = 'open' and pa.id = r.profile_a and pb.id = r.profile_b and pa.customer_id = pb.customer_id`,
      [tenantId],
    );
    await refreshGolden(tx, tenantId, [survivor]);
    return { survivorId: survivor, absorbedId: absorbed, auditId };
  });
}

export interface UnmergeResult {
  customerId: string;
  /** The customer that now holds the moved profiles: the one the merge absorbed (restored), or a new one. */
  restoredCustomerId: string;
  restored: boolean;
  auditId: number;
}

/**
 * Takes profiles out of a customer. If they are exactly the profiles a merge brought in, that merge is
 * undone: the absorbed customer comes back with its id, golden fields and aliases. Otherwise the profiles
 * form a new customer. Either way they stay apart from the remaining profiles (do-not-merge pairs).
 */
export async function unmergeProfiles(
  db: Db,
  tenantId: string,
  input: { customerId: string; sourceProfileIds: string[]; actor: string; reason: string },
): Promise<UnmergeResult> {
  return withTenantLock(db, tenantId, async (tx) => {
    const customerId = await resolveCustomerId(tx, tenantId, input.customerId);
    if (!customerId) throw new UserError('not_found', `No customer ${input.customerId}.`, 404);
    const moving = [...new Set(input.sourceProfileIds)].sort();
    const snaps = await snapshot(tx, tenantId, [customerId]);
    const current = snaps.get(customerId)!;
    const notHere = moving.filter((p) => !current.profileIds.includes(p));
    if (notHere.length)
      throw new UserError('invalid_request', `Profiles ${notHere.join(', ')} do not belong to customer ${customerId}.`, 400, notHere.map((p) => ({ path: 'sourceProfileIds', message: `${p} is not a profile of this customer` })));
    const staying = current.profileIds.filter((p) => !moving.includes(p));
    if (!staying.length) throw new UserError('invalid_request', 'An unmerge must leave at least one profile in the customer.', 400, [{ path: 'sourceProfileIds', message: 'Covers every profile of the customer' }]);

    // The merge that brought exactly these profiles in, newest first, not undone yet.
    const { rows: merges } = await tx.query<{ id: number; before: MergeSnapshot; createdAt: string }>(
      `select id, before, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "createdAt" from identity_audit
       where tenant_id = $1 and customer_id = $2 and kind in ('auto_merge', 'manual_merge', 'review_merge') and undone_by is null
       order by id desc`,
      [tenantId, customerId],
    );
    let source: { merge: (typeof merges)[number]; absorbed: MergeSnapshot['absorbed'][number] } | undefined;
    for (const m of merges) {
      const hit = m.before?.absorbed?.find((a) => a.profileIds.length === moving.length && a.profileIds.every((p) => moving.includes(p)));
      if (hit) {
        source = { merge: m, absorbed: hit };
        break;
      }
    }
    const target = source ? source.absorbed.id : timeOrderedUuid();
    const exists = await tx.query('select 1 from customers where id = $1', [target]);
    if (source && !exists.rowCount) {
      const s = source.absorbed;
      await tx.query(
        `insert into customers (id, tenant_id, email, phone, document_number, first_name, last_name, birth_date, address, attributes, field_sources, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::jsonb, $10::jsonb, $11::jsonb, $12::timestamptz, $13::timestamptz)`,
        [target, tenantId, s.email, s.phone, s.documentNumber, s.firstName, s.lastName, s.birthDate, JSON.stringify(s.address), JSON.stringify(s.attributes), JSON.stringify(s.fieldSources), s.createdAt, s.updatedAt],
      );
      await tx.query('delete from customer_aliases where tenant_id = $1 and alias_id = $2', [tenantId, target]);
      if (s.aliasIds.length)
        await tx.query('update customer_aliases set customer_id = $2 where tenant_id = $1 and alias_id = any($3::uuid[])', [tenantId, target, s.aliasIds]);
    } else {
      await tx.query('insert into customers (id, tenant_id) values ($1, $2)', [target, tenantId]);
    }
    await tx.query('update source_profiles set customer_id = $2 where tenant_id = $1 and id = any($3::uuid[])', [tenantId, target, moving]);
    await ordersFollowProfiles(tx, tenantId, moving);
    // Orders of the restored customer that were never tied to a profile go back too.
    await tx.query(
      `insert into do_not_merge (tenant_id, profile_a, profile_b, reason, created_by)
       select $1, least(m, s), greatest(m, s), $4, $5 from unnest($2::uuid[]) m cross join unnest($3::uuid[]) s
       on conflict do nothing`,
      [tenantId, moving, staying, input.reason, input.actor],
    );
    const auditId = await appendAudit(tx, tenantId, {
      customerId,
      customerIds: [customerId, target],
      kind: 'unmerge',
      actor: input.actor,
      reason: input.reason,
      details: { sourceProfileIds: moving, undoes: source?.merge.id ?? null, restored: !!source },
      before: { customer: current },
      after: { customerId, profileIds: staying, restoredCustomerId: target, restoredProfileIds: moving },
    });
    if (source) await tx.query('update identity_audit set undone_by = $2 where id = $1', [source.merge.id, auditId]);

    // Golden fields: back to the snapshot where nothing changed since the merge, recomputed otherwise.
    const changedSince = async (profiles: string[], since: string) =>
      (await tx.query('select 1 from source_profiles where id = any($1::uuid[]) and updated_at > $2::timestamptz limit 1', [profiles, since])).rowCount! > 0;
    const toRefresh: string[] = [];
    if (!source || (await changedSince(moving, source.merge.createdAt))) toRefresh.push(target);
    const survivorBefore = source?.merge.before.survivor;
    if (source && survivorBefore && sameSet(survivorBefore.profileIds, staying) && !(await changedSince(staying, source.merge.createdAt))) {
      await tx.query(
        `update customers set email = $3, phone = $4, document_number = $5, first_name = $6, last_name = $7, birth_date = $8::date,
           address = $9::jsonb, attributes = $10::jsonb, field_sources = $11::jsonb, updated_at = $12::timestamptz
         where tenant_id = $1 and id = $2`,
        [tenantId, customerId, survivorBefore.email, survivorBefore.phone, survivorBefore.documentNumber, survivorBefore.firstName, survivorBefore.lastName, survivorBefore.birthDate, JSON.stringify(survivorBefore.address), JSON.stringify(survivorBefore.attributes), JSON.stringify(survivorBefore.fieldSources), survivorBefore.updatedAt],
      );
    } else toRefresh.push(customerId);
    await refreshGolden(tx, tenantId, toRefresh);
    return { customerId, restoredCustomerId: target, restored: !!source, auditId };
  });
}

const sameSet = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v) => y.includes(v));

/** Marks every profile of the tenant for resolution (full re-resolution); returns how many. */
export async function markAllPending(db: Db, tenantId: string): Promise<number> {
  const r = await db.$client.query('update source_profiles set pending_resolution = true where tenant_id = $1 and not pending_resolution', [tenantId]);
  const p = await db.$client.query<{ n: number }>('select count(*)::int as n from source_profiles where tenant_id = $1 and pending_resolution', [tenantId]);
  return Math.max(r.rowCount ?? 0, p.rows[0]?.n ?? 0);
}

export interface AuditRecord {
  id: number;
  kind: string;
  actor: string;
  reason: string | null;
  customerId: string;
  customerIds: string[];
  details: Record<string, unknown>;
  before: unknown;
  after: unknown;
  undoneBy: number | null;
  createdAt: string;
}

/** Every identity change that involved the customer (or any id it absorbed), newest first. */
export async function identityHistory(db: Db, tenantId: string, customerId: string): Promise<AuditRecord[]> {
  const { rows } = await db.$client.query<AuditRecord>(
    `select id, kind, actor, reason, customer_id as "customerId", customer_ids as "customerIds", details, before, after,
       undone_by as "undoneBy", to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt"
     from identity_audit
     where tenant_id = $1 and customer_ids && (array[$2::uuid] || array(select alias_id from customer_aliases where tenant_id = $1 and customer_id = $2))
     order by id desc limit 500`,
    [tenantId, customerId],
  );
  return rows;
}

export { customerColumns };
export const _forTests = { MAX_BLOCK };
