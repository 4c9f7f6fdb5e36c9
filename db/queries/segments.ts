// Segments: CRUD, preview, members, and the membership writes — a full recompute of a segment and the incremental
// refresh of a batch of customers. Both compute the same diff (matching set vs current episodes) set-based in SQL:
// new matches open an episode, lost ones close it (exited_at), and every change appends a segment_membership_events
// row that journeys consume. Writes of one tenant are serialized by an advisory lock, so a nightly recompute and the
// activation loop never open the same episode twice.
import type pg from 'pg';
import { UserError, type FieldError } from '#core/errors.ts';
import { compileSegment, dependencies, type SegmentLookup, type SegmentRule, validateSegmentRule } from '#core/segments/index.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface SegmentRow {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  definition: SegmentRule;
  status: 'active' | 'archived';
  memberCount: number;
  lastComputedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (col: string, as: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "${as}"`;
const COLUMNS = `id, tenant_id as "tenantId", name, description, definition, status, member_count as "memberCount",
  ${iso('last_computed_at', 'lastComputedAt')}, ${iso('created_at', 'createdAt')}, ${iso('updated_at', 'updatedAt')}`;
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function listSegments(q: Queryable, tenantId: string, o: { status?: 'active' | 'archived' | 'all' } = {}): Promise<SegmentRow[]> {
  const status = o.status ?? 'active';
  const r = await q.query<SegmentRow>(`select ${COLUMNS} from segments where tenant_id = $1 and ($2 = 'all' or status = $2) order by lower(name), id`, [tenantId, status]);
  return r.rows;
}

export async function getSegment(q: Queryable, tenantId: string, id: string): Promise<SegmentRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await q.query<SegmentRow>(`select ${COLUMNS} from segments where tenant_id = $1 and id = $2`, [tenantId, id])).rows[0];
}

/** Every segment rule of the tenant (archived ones too: a reference to one is still a known id). */
export async function segmentLookup(q: Queryable, tenantId: string): Promise<{ lookup: SegmentLookup; rules: Map<string, SegmentRule> }> {
  const r = await q.query<{ id: string; definition: SegmentRule }>('select id, definition from segments where tenant_id = $1', [tenantId]);
  const rules = new Map(r.rows.map((s) => [s.id, s.definition]));
  return { lookup: (id) => rules.get(id), rules };
}

/** Validates a rule against the tenant's other segments (unknown references, cycles); 400 with the errors' paths. */
export async function validateRuleFor(q: Queryable, tenantId: string, definition: unknown, segmentId?: string): Promise<SegmentRule> {
  const { lookup } = await segmentLookup(q, tenantId);
  const v = validateSegmentRule(definition, { lookup, ...(segmentId ? { segmentId } : {}) });
  if (v.ok) return v.rule;
  throw new UserError('invalid_request', 'The segment rule is invalid.', 400, v.errors.map((e): FieldError => ({ ...e, path: e.path ? `definition.${e.path}` : 'definition' })));
}

function nameTaken(err: unknown, name: string): UserError | undefined {
  if ((err as { code?: string; constraint?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'segments_tenant_name_uq') {
    return new UserError('segment_name_taken', `A segment named "${name}" already exists; choose another name.`, 409, [{ path: 'name', message: 'Already used by another segment' }]);
  }
  return undefined;
}

export interface NewSegment {
  name: string;
  description?: string | null;
  definition: unknown;
}

export async function createSegment(q: Queryable, tenantId: string, s: NewSegment): Promise<SegmentRow> {
  const rule = await validateRuleFor(q, tenantId, s.definition);
  await ensureSegmentsCursor(q, tenantId);
  try {
    const r = await q.query<SegmentRow>(
      `insert into segments (tenant_id, name, description, definition) values ($1, $2, $3, $4::jsonb) returning ${COLUMNS}`,
      [tenantId, s.name, s.description ?? null, JSON.stringify(rule)],
    );
    return r.rows[0]!;
  } catch (err) {
    throw nameTaken(err, s.name) ?? err;
  }
}

export async function updateSegment(q: Queryable, tenantId: string, id: string, u: Partial<NewSegment>): Promise<SegmentRow | undefined> {
  const current = await getSegment(q, tenantId, id);
  if (!current) return undefined;
  const rule = u.definition !== undefined ? await validateRuleFor(q, tenantId, u.definition, id) : undefined;
  try {
    const r = await q.query<SegmentRow>(
      `update segments set name = coalesce($3, name), description = case when $4::boolean then $5 else description end,
         definition = coalesce($6::jsonb, definition), updated_at = now()
       where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
      [tenantId, id, u.name ?? null, u.description !== undefined, u.description ?? null, rule ? JSON.stringify(rule) : null],
    );
    return r.rows[0];
  } catch (err) {
    throw nameTaken(err, u.name ?? '') ?? err;
  }
}

/** What still reads the segment: active or paused journeys (latest version) and other active segments. */
export async function segmentUsers(q: Queryable, tenantId: string, id: string): Promise<{ journeys: { id: string; name: string }[]; segments: { id: string; name: string }[] }> {
  const journeys = await q.query<{ id: string; name: string }>(
    `select j.id, j.name from journeys j join journey_versions v on v.journey_id = j.id and v.version = j.latest_version
     where j.tenant_id = $1 and j.status in ('active', 'paused') and jsonb_path_exists(v.definition, '$.** ? (@.segmentId == $id)', jsonb_build_object('id', $2::text))
     order by j.name`,
    [tenantId, id],
  );
  const segments = await q.query<{ id: string; name: string }>(
    `select id, name from segments where tenant_id = $1 and status = 'active' and id <> $2::uuid
       and jsonb_path_exists(definition, '$.** ? (@.segmentId == $id)', jsonb_build_object('id', $2::text)) order by name`,
    [tenantId, id],
  );
  return { journeys: journeys.rows, segments: segments.rows };
}

/** Archives (stops evaluating; memberships and history stay). 409 `segment_in_use` while something reads it. */
export async function archiveSegment(q: Queryable, tenantId: string, id: string): Promise<SegmentRow | undefined> {
  const current = await getSegment(q, tenantId, id);
  if (!current) return undefined;
  const users = await segmentUsers(q, tenantId, id);
  if (users.journeys.length || users.segments.length) {
    const names = [...users.journeys.map((j) => `journey "${j.name}"`), ...users.segments.map((s) => `segment "${s.name}"`)];
    throw new UserError('segment_in_use', `The segment is used by ${names.join(', ')}; change or archive them first.`, 409, [
      ...users.journeys.map((j) => ({ path: `journeys.${j.id}`, message: `journey "${j.name}"` })),
      ...users.segments.map((s) => ({ path: `segments.${s.id}`, message: `segment "${s.name}"` })),
    ]);
  }
  const r = await q.query<SegmentRow>(`update segments set status = 'archived', updated_at = now() where tenant_id = $1 and id = $2 returning ${COLUMNS}`, [tenantId, id]);
  return r.rows[0];
}

// ---------------------------------------------------------------- preview and members

export interface SampleCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface Preview {
  count: number;
  sample: SampleCustomer[];
  tookMs: number;
}

/**
 * Whole-tenant segment queries hash one row per customer per condition; with the default 4 MB they spill to disk
 * on a large tenant. Set per transaction (set local), so only these queries get it.
 */
const SEGMENT_WORK_MEM = '128MB';

/**
 * Whole-tenant segment queries are built from hashed id sets (core/segments/compile.ts), which PostgreSQL does not
 * share between parallel workers: each worker rebuilds every set, so parallel plans cost several times the CPU for
 * little gain (measured on bench:segments). Serial, set per transaction like work_mem.
 */
const SEGMENT_SETTINGS = [`set local work_mem = '${SEGMENT_WORK_MEM}'`, 'set local max_parallel_workers_per_gather = 0'];

/** A preview never holds a connection for long: a rule too heavy for this bound answers 400, not a stuck page. */
const PREVIEW_TIMEOUT_MS = 15_000;

/**
 * Count and a sample of 20 for a rule (saved or not): one compiled query, in a read-only transaction.
 * References to other segments read their stored memberships, as the saved segment will.
 */
export async function previewSegment(pool: pg.Pool, tenantId: string, rule: SegmentRule, now: Date, sampleSize = 20): Promise<Preview> {
  const started = performance.now();
  const { sql, params } = compileSegment(rule, { tenantId, now });
  const client = await pool.connect();
  try {
    await client.query('begin read only');
    await client.query(`set local statement_timeout = ${PREVIEW_TIMEOUT_MS}`);
    for (const setting of SEGMENT_SETTINGS) await client.query(setting);
    // One pass: the window count runs over every match, the limit keeps the first `sampleSize` for names.
    const r = await client.query<SampleCustomer & { total: number }>(
      `select c.id, c.email, c.first_name as "firstName", c.last_name as "lastName", x.total
       from (select m.customer_id, count(*) over ()::int as total from (${sql}) m limit ${Number(sampleSize)}) x
       join customers c on c.id = x.customer_id order by c.id`,
      params,
    );
    const count = r.rows[0]?.total ?? 0;
    const sample = r.rows.map(({ total: _t, ...c }) => c);
    await client.query('commit');
    return { count, sample, tookMs: Math.round(performance.now() - started) };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    if ((err as { code?: string }).code === '57014') {
      throw new UserError('invalid_request', `The preview took longer than ${PREVIEW_TIMEOUT_MS / 1000} s; narrow the rule (e.g. a shorter window).`, 400);
    }
    throw err;
  } finally {
    client.release();
  }
}

export interface Member extends SampleCustomer {
  enteredAt: string;
}

/** Current members, keyset-paged by customer id. */
export async function listMembers(q: Queryable, tenantId: string, segmentId: string, o: { after?: string; limit: number }): Promise<{ data: Member[]; next: string | null }> {
  const r = await q.query<Member>(
    `select c.id, c.email, c.first_name as "firstName", c.last_name as "lastName", ${iso('m.entered_at', 'enteredAt')}
     from segment_memberships m join customers c on c.id = m.customer_id
     where m.tenant_id = $1 and m.segment_id = $2 and m.exited_at is null and ($3::uuid is null or m.customer_id > $3::uuid)
     order by m.customer_id limit $4`,
    [tenantId, segmentId, o.after ?? null, o.limit + 1],
  );
  const more = r.rows.length > o.limit;
  const data = r.rows.slice(0, o.limit);
  return { data, next: more ? data.at(-1)!.id : null };
}

export interface ChangeBucket {
  /** Start of the bucket (UTC day or hour). */
  at: string;
  entered: number;
  exited: number;
}

/** Entries and exits per day (or hour) over the last `days`, oldest first, for a chart. */
export async function segmentChanges(q: Queryable, tenantId: string, segmentId: string, o: { days: number; bucket: 'day' | 'hour'; now: Date }): Promise<ChangeBucket[]> {
  const r = await q.query<ChangeBucket>(
    `select to_char(date_trunc('${o.bucket === 'hour' ? 'hour' : 'day'}', at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
       count(*) filter (where change = 'entered')::int as entered, count(*) filter (where change = 'exited')::int as exited
     from segment_membership_events
     where tenant_id = $1 and segment_id = $2 and at > $3::timestamptz - make_interval(days => $4)
     group by 1 order by 1`,
    [tenantId, segmentId, o.now.toISOString(), o.days],
  );
  return r.rows;
}

export interface RecentChange extends SampleCustomer {
  change: 'entered' | 'exited';
  at: string;
}

/** The latest entries and exits with who. */
export async function recentChanges(q: Queryable, tenantId: string, segmentId: string, limit = 50): Promise<RecentChange[]> {
  const r = await q.query<RecentChange>(
    `select c.id, c.email, c.first_name as "firstName", c.last_name as "lastName", e.change, ${iso('e.at', 'at')}
     from segment_membership_events e join customers c on c.id = e.customer_id
     where e.tenant_id = $1 and e.segment_id = $2 order by e.seq desc limit $3`,
    [tenantId, segmentId, limit],
  );
  return r.rows;
}

// ---------------------------------------------------------------- membership writes

export interface MembershipDiff {
  entered: number;
  exited: number;
}

/** Serializes one tenant's membership writes (recompute vs incremental refresh). Inside a transaction. */
export async function lockTenantSegments(tx: Queryable, tenantId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('segments:' || $1::text, 0))`, [tenantId]);
}

/**
 * Brings one segment's memberships in line with its rule: over every customer (full), or only over `customerIds`
 * (incremental). Must run inside a transaction holding `lockTenantSegments`.
 */
export async function applySegment(
  tx: Queryable,
  tenantId: string,
  segment: { id: string; definition: SegmentRule },
  now: Date,
  customerIds?: readonly string[],
): Promise<MembershipDiff> {
  const { sql, params } = compileSegment(segment.definition, { tenantId, now, segmentId: segment.id, ...(customerIds ? { customerIds } : {}) });
  const p = [...params];
  const seg = `$${p.push(segment.id)}::uuid`;
  const at = `$${p.push(now.toISOString())}::timestamptz`;
  const scope = customerIds ? `and m.customer_id = any($${p.push([...customerIds])}::uuid[])` : '';
  const r = await tx.query<{ entered: number; exited: number }>(
    `with matched as materialized (${sql}),
     cur as materialized (select m.customer_id from segment_memberships m where m.segment_id = ${seg} and m.exited_at is null ${scope}),
     exits as (
       update segment_memberships m set exited_at = ${at}
       where m.segment_id = ${seg} and m.exited_at is null ${scope}
         and not exists (select 1 from matched x where x.customer_id = m.customer_id)
       returning m.customer_id),
     entries as (
       insert into segment_memberships (tenant_id, segment_id, customer_id, entered_at)
       select $1::uuid, ${seg}, x.customer_id, ${at} from matched x
       where not exists (select 1 from cur k where k.customer_id = x.customer_id)
       returning customer_id),
     logged as (
       insert into segment_membership_events (tenant_id, segment_id, customer_id, change, at)
       select $1::uuid, ${seg}, customer_id, 'entered', ${at} from entries
       union all select $1::uuid, ${seg}, customer_id, 'exited', ${at} from exits
       returning change)
     select count(*) filter (where change = 'entered')::int as entered, count(*) filter (where change = 'exited')::int as exited from logged`,
    p,
  );
  const d = r.rows[0]!;
  if (customerIds) {
    if (d.entered || d.exited) await tx.query('update segments set member_count = member_count + $2 - $3 where id = $1', [segment.id, d.entered, d.exited]);
  } else {
    await tx.query(
      `update segments set member_count = (select count(*) from segment_memberships where segment_id = $1 and exited_at is null), last_computed_at = $2 where id = $1`,
      [segment.id, now.toISOString()],
    );
  }
  return d;
}

export interface ActiveSegment {
  id: string;
  name: string;
  definition: SegmentRule;
}

/**
 * Active segments in dependency order: a segment comes after every segment it references, so in one pass a
 * reference reads memberships already brought up to date. References to archived or unknown segments do not order.
 */
export function dependencyOrder<S extends { id: string; definition: SegmentRule }>(segments: readonly S[]): S[] {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const out: S[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: S) => {
    if (state.get(s.id) === 'done') return;
    // A cycle is rejected when saved; were one stored anyway, break it here rather than loop.
    if (state.get(s.id) === 'visiting') return;
    state.set(s.id, 'visiting');
    for (const ref of dependencies(s.definition).segments) {
      const dep = byId.get(ref);
      if (dep) visit(dep);
    }
    state.set(s.id, 'done');
    out.push(s);
  };
  for (const s of [...segments].sort((a, b) => (a.id < b.id ? -1 : 1))) visit(s);
  return out;
}

export async function activeSegments(q: Queryable, tenantId: string): Promise<ActiveSegment[]> {
  const r = await q.query<ActiveSegment>(`select id, name, definition from segments where tenant_id = $1 and status = 'active'`, [tenantId]);
  return dependencyOrder(r.rows);
}

export interface RecomputeResult extends MembershipDiff {
  segments: { id: string; entered: number; exited: number; memberCount: number }[];
}

/**
 * Full recompute, one transaction per call: the given segments (default: every active one), plus the active
 * segments that depend on them, in dependency order. `timeDependentOnly` narrows to rules that change with the clock.
 */
export async function recomputeSegments(
  db: { $client: pg.Pool },
  tenantId: string,
  now: Date,
  o: { segmentIds?: readonly string[]; timeDependentOnly?: boolean } = {},
): Promise<RecomputeResult> {
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    await lockTenantSegments(client, tenantId);
    for (const setting of SEGMENT_SETTINGS) await client.query(setting);
    await ensureSegmentsCursor(client, tenantId);
    const all = await activeSegments(client, tenantId);
    const rules = new Map(all.map((s) => [s.id, s.definition]));
    const lookup: SegmentLookup = (id) => rules.get(id);
    let chosen = new Set(o.segmentIds ?? all.map((s) => s.id));
    if (o.timeDependentOnly) chosen = new Set([...chosen].filter((id) => rules.has(id) && dependencies(rules.get(id)!, lookup).timeDependent));
    // Dependents of a recomputed segment see changed memberships, so they are recomputed too.
    for (const s of all) if (!chosen.has(s.id) && dependencies(s.definition, lookup).segments.some((id) => chosen.has(id))) chosen.add(s.id);
    const result: RecomputeResult = { entered: 0, exited: 0, segments: [] };
    for (const s of all) {
      if (!chosen.has(s.id)) continue;
      const d = await applySegment(client, tenantId, s, now);
      const count = await client.query<{ n: number }>('select member_count as n from segments where id = $1', [s.id]);
      result.entered += d.entered;
      result.exited += d.exited;
      result.segments.push({ id: s.id, ...d, memberCount: count.rows[0]!.n });
    }
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Re-evaluates every active segment for a batch of customers, in dependency order. Inside a locked transaction. */
export async function refreshCustomers(tx: Queryable, tenantId: string, customerIds: readonly string[], now: Date): Promise<MembershipDiff> {
  const out: MembershipDiff = { entered: 0, exited: 0 };
  if (!customerIds.length) return out;
  for (const s of await activeSegments(tx, tenantId)) {
    const d = await applySegment(tx, tenantId, s, now, customerIds);
    out.entered += d.entered;
    out.exited += d.exited;
  }
  return out;
}

// ---------------------------------------------------------------- the change feed of the activation loop

export const SEGMENTS_CURSOR = 'segments';
/** Rows commit out of updated_at order; each caught-up pass re-reads this much so a late commit is never missed. */
export const WATERMARK_OVERLAP_MS = 10_000;

export interface SegmentsCursor {
  /** Last events.id read. */
  eventId: number;
  /** Keyset over (updated_at, customer id) of customers, orders and consents. */
  changedAt: string;
  changedId: string;
}

const NIL = '00000000-0000-0000-0000-000000000000';

/** The feed's starting point: everything up to now is covered by a full recompute (or there is nothing yet). */
async function startPosition(q: Queryable, tenantId: string): Promise<SegmentsCursor> {
  const start = await q.query<{ e: number; at: string }>(
    `select coalesce((select max(id) from events where tenant_id = $1), 0)::bigint as e,
       to_char((clock_timestamp() - make_interval(secs => $2::float8 / 1000)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`,
    [tenantId, WATERMARK_OVERLAP_MS],
  );
  return { eventId: Number(start.rows[0]!.e), changedAt: start.rows[0]!.at, changedId: NIL };
}

/**
 * Places the tenant's feed cursor if it has none, when its first segment is saved: from then on every change
 * reaches the incremental refresh, even one arriving before the first activation pass.
 */
export async function ensureSegmentsCursor(q: Queryable, tenantId: string): Promise<void> {
  const exists = await q.query('select 1 from activation_cursors where tenant_id = $1 and name = $2', [tenantId, SEGMENTS_CURSOR]);
  if (exists.rowCount) return;
  const p = await startPosition(q, tenantId);
  await q.query(`insert into activation_cursors (tenant_id, name, position) values ($1, $2, $3::jsonb) on conflict (tenant_id, name) do nothing`, [tenantId, SEGMENTS_CURSOR, JSON.stringify(p)]);
}

async function readCursor(tx: Queryable, tenantId: string): Promise<SegmentsCursor> {
  const r = await tx.query<{ position: Partial<SegmentsCursor> }>('select position from activation_cursors where tenant_id = $1 and name = $2 for update', [tenantId, SEGMENTS_CURSOR]);
  const p = r.rows[0]?.position ?? {};
  if (p.eventId !== undefined && p.changedAt) return { eventId: Number(p.eventId), changedAt: p.changedAt, changedId: p.changedId ?? NIL };
  // No segment saved yet: nothing to keep up to date before now.
  return startPosition(tx, tenantId);
}

async function writeCursor(tx: Queryable, tenantId: string, c: SegmentsCursor): Promise<void> {
  await tx.query(
    `insert into activation_cursors (tenant_id, name, position) values ($1, $2, $3::jsonb)
     on conflict (tenant_id, name) do update set position = excluded.position, updated_at = now()`,
    [tenantId, SEGMENTS_CURSOR, JSON.stringify(c)],
  );
}

export interface RefreshResult extends MembershipDiff {
  customersChecked: number;
  more: boolean;
}

/**
 * One step of the activation loop: the customers changed since the 'segments' cursor (new track events; customers,
 * orders and consents by updated_at), at most `limit`, re-evaluated against every active segment; the cursor moves in
 * the same transaction as the membership writes.
 */
export async function refreshChangedCustomers(db: { $client: pg.Pool }, tenantId: string, limit: number, now: Date): Promise<RefreshResult> {
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    await lockTenantSegments(client, tenantId);
    const cursor = await readCursor(client, tenantId);
    const customers = new Set<string>();
    let more = false;

    const events = await client.query<{ id: number; customer_id: string | null }>(
      `select e.id, sp.customer_id from (
         select id, user_id from events where tenant_id = $1 and id > $2 and type = 'track' order by id limit $3) e
       left join source_profiles sp on sp.tenant_id = $1 and sp.source = 'events' and sp.external_id = e.user_id
       order by e.id`,
      [tenantId, cursor.eventId, limit],
    );
    for (const e of events.rows) if (e.customer_id) customers.add(e.customer_id);
    if (events.rows.length) cursor.eventId = Number(events.rows.at(-1)!.id);
    if (events.rows.length >= limit) more = true;

    const room = limit - customers.size;
    if (room > 0) {
      const changed = await client.query<{ customer_id: string; ts: string }>(
        `select customer_id, to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts from (
           select c.id as customer_id, c.updated_at as ts from customers c where c.tenant_id = $1 and (c.updated_at, c.id) > ($2::timestamptz, $3::uuid)
           union all
           select o.customer_id, o.updated_at from orders o where o.tenant_id = $1 and o.customer_id is not null and (o.updated_at, o.customer_id) > ($2::timestamptz, $3::uuid)
           union all
           select k.customer_id, k.updated_at from customer_consents k where k.tenant_id = $1 and (k.updated_at, k.customer_id) > ($2::timestamptz, $3::uuid)
         ) x order by x.ts, x.customer_id limit $4`,
        [tenantId, cursor.changedAt, cursor.changedId, room],
      );
      for (const c of changed.rows) customers.add(c.customer_id);
      const last = changed.rows.at(-1);
      if (changed.rows.length >= room) {
        more = true;
        cursor.changedAt = last!.ts;
        cursor.changedId = last!.customer_id;
      } else {
        // Caught up: step back to (now − overlap) at most, so rows still committing with older timestamps are read.
        const clock = await client.query<{ back: string }>(
          `select to_char((clock_timestamp() - make_interval(secs => $1::float8 / 1000)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as back`,
          [WATERMARK_OVERLAP_MS],
        );
        const back = clock.rows[0]!.back;
        const at = last ? { changedAt: last.ts, changedId: last.customer_id } : { changedAt: cursor.changedAt, changedId: cursor.changedId };
        if (at.changedAt > back) Object.assign(cursor, { changedAt: back, changedId: NIL });
        else Object.assign(cursor, at);
      }
    } else {
      more = true;
    }

    const ids = [...customers];
    const diff = await refreshCustomers(client, tenantId, ids, now);
    await writeCursor(client, tenantId, cursor);
    await client.query('commit');
    return { customersChecked: ids.length, ...diff, more };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
