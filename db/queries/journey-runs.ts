// The journey engine's reads and writes: entries and steps recorded idempotently (ids come from the workflow),
// pinned versions, re-entry history, and the look-ups the dispatcher needs (active journeys, running entries).
import type pg from 'pg';
import type { JourneyDefinition } from '#core/journeys/definition.ts';
import type { JourneyRun } from '#core/journeys/scheduling.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export type JourneyStatus = 'draft' | 'active' | 'paused' | 'archived';

export interface PinnedVersion {
  journeyId: string;
  name: string;
  version: number;
  status: JourneyStatus;
  definition: JourneyDefinition;
}

/** The pinned version a run executes, with the journey's current status (paused runs hold sends). */
export async function loadJourneyVersion(q: Queryable, tenantId: string, journeyId: string, version: number): Promise<PinnedVersion | undefined> {
  const { rows } = await q.query<{ name: string; status: JourneyStatus; definition: JourneyDefinition }>(
    `select j.name, j.status, v.definition
       from journey_versions v join journeys j on j.id = v.journey_id
      where j.tenant_id = $1 and v.journey_id = $2 and v.version = $3`,
    [tenantId, journeyId, version],
  );
  const r = rows[0];
  return r && { journeyId, name: r.name, version, status: r.status, definition: r.definition };
}

export async function journeyStatus(q: Queryable, tenantId: string, journeyId: string): Promise<JourneyStatus | undefined> {
  const { rows } = await q.query<{ status: JourneyStatus }>('select status from journeys where tenant_id = $1 and id = $2', [tenantId, journeyId]);
  return rows[0]?.status;
}

export interface JourneyHead {
  journeyId: string;
  status: JourneyStatus;
  latestVersion: number;
  definition: JourneyDefinition;
}

/** Journeys taking entries (status active) with their latest published version. */
export async function activeJourneys(q: Queryable, tenantId: string): Promise<JourneyHead[]> {
  const { rows } = await q.query<{ id: string; status: JourneyStatus; latest_version: number; definition: JourneyDefinition }>(
    `select j.id, j.status, j.latest_version, v.definition
       from journeys j join journey_versions v on v.journey_id = j.id and v.version = j.latest_version
      where j.tenant_id = $1 and j.status = 'active'`,
    [tenantId],
  );
  return rows.map((r) => ({ journeyId: r.id, status: r.status, latestVersion: r.latest_version, definition: r.definition }));
}

/** The journey with its latest version, for API and batch entries (any status: the caller decides). */
export async function journeyHead(q: Queryable, tenantId: string, journeyId: string): Promise<(JourneyHead & { name: string }) | undefined> {
  const { rows } = await q.query<{ name: string; status: JourneyStatus; latest_version: number | null; definition: JourneyDefinition | null }>(
    `select j.name, j.status, j.latest_version, v.definition
       from journeys j left join journey_versions v on v.journey_id = j.id and v.version = j.latest_version
      where j.tenant_id = $1 and j.id = $2`,
    [tenantId, journeyId],
  );
  const r = rows[0];
  if (!r || r.latest_version === null || !r.definition) return undefined;
  return { journeyId, name: r.name, status: r.status, latestVersion: r.latest_version, definition: r.definition };
}

export interface EntryRecord {
  id: string;
  tenantId: string;
  journeyId: string;
  version: number;
  customerId: string;
  entryKey: string;
  workflowId: string;
  workflowRunId: string;
  inHoldout: boolean;
  trigger: Record<string, unknown>;
  enteredAt: Date;
}

/**
 * Records an entry once: the id is the workflow's deterministic uuid, so a retried activity finds its row. A running
 * row for the same workflow id under another id can only be a run that died without finishing (terminated, reset):
 * it is closed as failed so the unique "one running entry per workflow id" holds.
 */
export async function recordEntry(q: Queryable, e: EntryRecord): Promise<void> {
  await q.query(
    `with stale as (
       update journey_entries set status = 'failed', ended_at = $11, exit_reason = 'superseded'
        where workflow_id = $7 and status = 'running' and id <> $1
     )
     insert into journey_entries (id, tenant_id, journey_id, version, customer_id, entry_key, workflow_id, workflow_run_id, in_holdout, trigger, entered_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (id) do nothing`,
    [e.id, e.tenantId, e.journeyId, e.version, e.customerId, e.entryKey, e.workflowId, e.workflowRunId, e.inHoldout, JSON.stringify(e.trigger), e.enteredAt],
  );
}

export interface StepRecord {
  stepIndex: number;
  nodeId: string;
  nodeType: string;
  /** Null while the customer is still at the node. */
  port: string | null;
  enteredAt: string;
  leftAt: string | null;
}

/** Upserts steps on (entry_id, step_index): a step first recorded as "at the node" later gains its port. */
export async function recordSteps(q: Queryable, entry: { id: string; tenantId: string; journeyId: string; version: number }, steps: readonly StepRecord[]): Promise<void> {
  if (!steps.length) return;
  await q.query(
    `insert into journey_steps (tenant_id, journey_id, version, entry_id, step_index, node_id, node_type, port, entered_at, left_at)
     select $1, $2, $3, $4, s.step_index, s.node_id, s.node_type, s.port, s.entered_at, s.left_at
       from jsonb_to_recordset($5::jsonb) as s(step_index int, node_id text, node_type text, port text, entered_at timestamptz, left_at timestamptz)
     on conflict (entry_id, step_index) do update
        set port = coalesce(excluded.port, journey_steps.port), left_at = coalesce(excluded.left_at, journey_steps.left_at)`,
    [
      entry.tenantId,
      entry.journeyId,
      entry.version,
      entry.id,
      JSON.stringify(steps.map((s) => ({ step_index: s.stepIndex, node_id: s.nodeId, node_type: s.nodeType, port: s.port, entered_at: s.enteredAt, left_at: s.leftAt }))),
    ],
  );
}

/** Where the run is now (per-node "currently waiting" and the customer page). */
export async function setCurrentNode(q: Queryable, entryId: string, nodeId: string | null): Promise<void> {
  await q.query('update journey_entries set current_node_id = $2 where id = $1 and status = $3', [entryId, nodeId, 'running']);
}

/** First conversion wins; later goal matches keep the first timestamp. */
export async function recordConversion(q: Queryable, entryId: string, at: Date): Promise<void> {
  await q.query('update journey_entries set converted_at = coalesce(converted_at, $2) where id = $1', [entryId, at]);
}

export async function finishEntry(q: Queryable, entryId: string, f: { status: 'completed' | 'exited' | 'failed'; exitReason?: string; endedAt: Date; nodeId?: string | null }): Promise<void> {
  await q.query(
    `update journey_entries set status = $2, exit_reason = $3, ended_at = coalesce(ended_at, $4), current_node_id = $5
      where id = $1 and status = 'running'`,
    [entryId, f.status, f.exitReason ?? null, f.endedAt, f.nodeId ?? null],
  );
}

/** Previous runs of a journey for customers (and entry key), as re-entry rules need them. */
export async function entryHistory(q: Queryable, journeyId: string, customerIds: readonly string[], entryKey?: string): Promise<Map<string, JourneyRun[]>> {
  const out = new Map<string, JourneyRun[]>();
  if (!customerIds.length) return out;
  const { rows } = await q.query<{ customer_id: string; entered_at: Date; ended_at: Date | null }>(
    `select customer_id, entered_at, ended_at from journey_entries
      where journey_id = $1 and customer_id = any($2::uuid[]) and ($3::text is null or entry_key = $3) and status <> 'failed'`,
    [journeyId, [...customerIds], entryKey ?? null],
  );
  for (const r of rows) {
    const list = out.get(r.customer_id) ?? [];
    list.push({ enteredAt: r.entered_at, exitedAt: r.ended_at });
    out.set(r.customer_id, list);
  }
  return out;
}

export interface RunningEntry {
  customerId: string;
  journeyId: string;
  version: number;
  entryKey: string;
  workflowId: string;
}

/** Running entries of these customers (any journey status: archived journeys drain and still exit on criteria). */
export async function runningEntries(q: Queryable, tenantId: string, customerIds: readonly string[]): Promise<RunningEntry[]> {
  if (!customerIds.length) return [];
  const { rows } = await q.query<{ customer_id: string; journey_id: string; version: number; entry_key: string; workflow_id: string }>(
    `select customer_id, journey_id, version, entry_key, workflow_id from journey_entries
      where tenant_id = $1 and customer_id = any($2::uuid[]) and status = 'running'`,
    [tenantId, [...customerIds]],
  );
  return rows.map((r) => ({ customerId: r.customer_id, journeyId: r.journey_id, version: r.version, entryKey: r.entry_key, workflowId: r.workflow_id }));
}

/** Definitions of (journey, version) pairs, for deciding which running entries care about an event. */
export async function versionDefinitions(q: Queryable, pairs: readonly { journeyId: string; version: number }[]): Promise<Map<string, JourneyDefinition>> {
  const out = new Map<string, JourneyDefinition>();
  if (!pairs.length) return out;
  const { rows } = await q.query<{ journey_id: string; version: number; definition: JourneyDefinition }>(
    `select v.journey_id, v.version, v.definition from journey_versions v
       join unnest($1::uuid[], $2::int[]) as p(journey_id, version) on p.journey_id = v.journey_id and p.version = v.version`,
    [pairs.map((p) => p.journeyId), pairs.map((p) => p.version)],
  );
  for (const r of rows) out.set(`${r.journey_id}:${r.version}`, r.definition);
  return out;
}

export interface CustomerContext {
  id: string;
  timeZone: string | null;
  birthDate: string | null;
  attributes: Record<string, unknown>;
}

export async function customerContext(q: Queryable, tenantId: string, customerId: string): Promise<CustomerContext | undefined> {
  const { rows } = await q.query<{ id: string; birth_date: string | null; attributes: Record<string, unknown> }>(
    'select id, birth_date::text as birth_date, attributes from customers where tenant_id = $1 and id = $2',
    [tenantId, customerId],
  );
  const r = rows[0];
  if (!r) return undefined;
  const tz = r.attributes.timezone ?? r.attributes.timeZone;
  return { id: r.id, birthDate: r.birth_date, attributes: r.attributes, timeZone: typeof tz === 'string' ? tz : null };
}

/** Which of these ids are customers of the tenant. */
export async function existingCustomers(q: Queryable, tenantId: string, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows } = await q.query<{ id: string }>('select id from customers where tenant_id = $1 and id = any($2::uuid[])', [tenantId, [...ids]]);
  return new Set(rows.map((r) => r.id));
}

export type AttributeUpdate = { op: 'set'; attribute: string; value: unknown } | { op: 'unset'; attribute: string } | { op: 'increment'; attribute: string; by: number };

/**
 * Applies attribute updates in one statement (atomic against concurrent writers), guarded by the step marker: the
 * update runs only if this (entry, step) was not recorded before, so a retried activity never increments twice.
 * Returns false when it had already been applied.
 */
export async function applyAttributeUpdates(
  q: Queryable,
  tenantId: string,
  customerId: string,
  updates: readonly AttributeUpdate[],
  marker: { entry: { id: string; tenantId: string; journeyId: string; version: number }; step: StepRecord },
): Promise<boolean> {
  const params: unknown[] = [tenantId, customerId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  let expr = 'attributes';
  for (const u of updates) {
    if (u.op === 'set') expr = `jsonb_set(${expr}, array[${p(u.attribute)}::text], ${p(JSON.stringify(u.value ?? null))}::jsonb, true)`;
    else if (u.op === 'unset') expr = `(${expr} - ${p(u.attribute)}::text)`;
    else {
      const key = p(u.attribute);
      // A missing or non-numeric value counts as 0.
      expr = `jsonb_set(${expr}, array[${key}::text], to_jsonb(coalesce(case when jsonb_typeof(${expr} -> ${key}::text) = 'number' then (${expr} ->> ${key}::text)::numeric end, 0) + ${p(u.by)}::numeric), true)`;
    }
  }
  const s = marker.step;
  const m = marker.entry;
  const markerParams = [m.tenantId, m.journeyId, m.version, m.id, s.stepIndex, s.nodeId, s.nodeType, s.port, s.enteredAt, s.leftAt];
  const base = params.length;
  params.push(...markerParams);
  const mp = (i: number) => `$${base + i}`;
  const { rowCount } = await q.query(
    `with marker as (
       insert into journey_steps (tenant_id, journey_id, version, entry_id, step_index, node_id, node_type, port, entered_at, left_at)
       values (${mp(1)}, ${mp(2)}, ${mp(3)}, ${mp(4)}, ${mp(5)}, ${mp(6)}, ${mp(7)}, ${mp(8)}, ${mp(9)}, ${mp(10)})
       on conflict (entry_id, step_index) do nothing
       returning 1
     )
     update customers set attributes = ${expr}, updated_at = now()
      where tenant_id = $1 and id = $2 and exists (select 1 from marker)`,
    params,
  );
  return (rowCount ?? 0) > 0;
}

export async function readActivationCursor(q: Queryable, tenantId: string, name: string): Promise<Record<string, unknown>> {
  const { rows } = await q.query<{ position: Record<string, unknown> }>('select position from activation_cursors where tenant_id = $1 and name = $2', [tenantId, name]);
  return rows[0]?.position ?? {};
}

export async function writeActivationCursor(q: Queryable, tenantId: string, name: string, position: Record<string, unknown>): Promise<void> {
  await q.query(
    `insert into activation_cursors (tenant_id, name, position) values ($1, $2, $3)
     on conflict (tenant_id, name) do update set position = excluded.position, updated_at = now()`,
    [tenantId, name, JSON.stringify(position)],
  );
}

export interface TrackEventRow {
  id: number;
  messageId: string;
  event: string;
  properties: Record<string, unknown>;
  timestamp: Date;
  receivedAt: Date;
  customerId: string | null;
}

/** Track events after the cursor, with their customer (through the events source profile) when one exists yet. */
export async function trackEventsAfter(q: Queryable, tenantId: string, afterId: number, limit: number): Promise<TrackEventRow[]> {
  const { rows } = await q.query<{ id: number; message_id: string; event: string; properties: Record<string, unknown> | null; timestamp: Date; received_at: Date; customer_id: string | null }>(
    `select e.id, e.message_id, e.event, e.properties, e.timestamp, e.received_at, sp.customer_id
       from events e
       left join source_profiles sp on sp.tenant_id = e.tenant_id and sp.source = 'events' and sp.external_id = e.user_id
      where e.tenant_id = $1 and e.type = 'track' and e.id > $2
      order by e.id
      limit $3`,
    [tenantId, afterId, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), messageId: r.message_id, event: r.event, properties: r.properties ?? {}, timestamp: r.timestamp, receivedAt: r.received_at, customerId: r.customer_id }));
}

export interface MembershipChangeRow {
  seq: number;
  segmentId: string;
  customerId: string;
  change: 'entered' | 'exited';
  at: Date;
}

export async function membershipChangesAfter(q: Queryable, tenantId: string, afterSeq: number, limit: number): Promise<MembershipChangeRow[]> {
  const { rows } = await q.query<{ seq: number; segment_id: string; customer_id: string; change: 'entered' | 'exited'; at: Date }>(
    `select seq, segment_id, customer_id, change, at from segment_membership_events
      where tenant_id = $1 and seq > $2 order by seq limit $3`,
    [tenantId, afterSeq, limit],
  );
  return rows.map((r) => ({ seq: Number(r.seq), segmentId: r.segment_id, customerId: r.customer_id, change: r.change, at: r.at }));
}

/** A page of current segment members by customer id (keyset), for batch entry. */
export async function segmentMembersPage(q: Queryable, tenantId: string, segmentId: string, after: string | undefined, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ customer_id: string }>(
    `select customer_id from segment_memberships
      where tenant_id = $1 and segment_id = $2 and exited_at is null and ($3::uuid is null or customer_id > $3::uuid)
      order by customer_id limit $4`,
    [tenantId, segmentId, after ?? null, limit],
  );
  return rows.map((r) => r.customer_id);
}

export async function segmentMemberCount(q: Queryable, tenantId: string, segmentId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>('select count(*)::int as n from segment_memberships where tenant_id = $1 and segment_id = $2 and exited_at is null', [tenantId, segmentId]);
  return rows[0]?.n ?? 0;
}

export interface DateCandidate {
  customerId: string;
  date: string;
  timeZone: string | null;
}

/**
 * Customers whose yearly date (birth date, signup date, first order date) falls on one of these month-days: the
 * caller passes the days around "today" that some time zone may be on, then decides per customer in its zone.
 */
export async function dateEntryCandidates(q: Queryable, tenantId: string, kind: 'birthday' | 'signup_anniversary' | 'first_order_anniversary', monthDays: readonly string[]): Promise<DateCandidate[]> {
  const dateExpr =
    kind === 'birthday'
      ? 'c.birth_date'
      : kind === 'signup_anniversary'
        ? 'c.created_at::date'
        : `(select min(o.placed_at)::date from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id and o.status not in ('cancelled', 'canceled', 'refunded'))`;
  const { rows } = await q.query<{ id: string; d: string | null; tz: string | null }>(
    `select id, d, tz from (
       select c.id, (${dateExpr})::text as d, coalesce(c.attributes ->> 'timezone', c.attributes ->> 'timeZone') as tz
         from customers c where c.tenant_id = $1
     ) x where d is not null and to_char(d::date, 'MM-DD') = any($2::text[])`,
    [tenantId, [...monthDays]],
  );
  return rows.map((r) => ({ customerId: r.id, date: r.d!, timeZone: r.tz }));
}

/** Workflow ids of a journey's running entries after `afterId` (keyset by entry id), for control fan-outs. */
export async function runningWorkflowsPage(q: Queryable, tenantId: string, journeyId: string, afterId: string | undefined, limit: number): Promise<{ id: string; workflowId: string }[]> {
  const { rows } = await q.query<{ id: string; workflow_id: string }>(
    `select id, workflow_id from journey_entries
      where tenant_id = $1 and journey_id = $2 and status = 'running' and ($3::uuid is null or id > $3::uuid)
      order by id limit $4`,
    [tenantId, journeyId, afterId ?? null, limit],
  );
  return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id }));
}
