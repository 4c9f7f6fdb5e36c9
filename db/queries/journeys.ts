// Journeys: drafts, immutable published versions, status transitions, the list's headline numbers and per-node
// analytics (journey_steps + messages + journey_entries). The engine's own writes live in journey-runs.ts.
import type pg from 'pg';
import type { JourneyAnalytics, JourneyStats, JourneyStatus, NodeAnalytics } from '#core/api/journeys.ts';
import { type JourneyDefinition, type JourneyValidationContext, validateJourney, type JourneyError } from '#core/journeys/index.ts';
import { STARTER_MESSAGES, STARTER_SEGMENTS, type JourneyTemplateRecipe, type StarterMessageKey, type StarterSegmentKey } from '#core/journeys/starter-messages.ts';
import type { JourneyLayout } from '../schema/journeys.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface JourneyRow {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  status: JourneyStatus;
  draft: unknown;
  draftLayout: JourneyLayout;
  latestVersion: number | null;
  templateKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JourneyListRow extends Omit<JourneyRow, 'draft' | 'draftLayout'> {
  entryKind: string | null;
  stats: JourneyStats;
}

const columns = `j.id, j.tenant_id as "tenantId", j.name, j.description, j.status, j.draft, j.draft_layout as "draftLayout",
  j.latest_version as "latestVersion", j.template_key as "templateKey", j.created_at as "createdAt", j.updated_at as "updatedAt"`;

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Headline numbers of one journey (all versions). */
const statsJoin = `
  left join lateral (
    select count(*)::int as entered,
      count(*) filter (where e.status = 'running')::int as running,
      count(*) filter (where e.status in ('completed', 'exited'))::int as completed,
      count(*) filter (where e.converted_at is not null)::int as converted
    from journey_entries e where e.journey_id = j.id
  ) es on true
  left join lateral (select count(*)::int as sent from messages m where m.journey_id = j.id and m.status = 'sent') ms on true`;
const statsColumns = `json_build_object('entered', es.entered, 'running', es.running, 'completed', es.completed, 'converted', es.converted, 'messagesSent', ms.sent) as stats`;

export async function listJourneys(q: Queryable, tenantId: string): Promise<JourneyListRow[]> {
  const r = await q.query<JourneyListRow>(
    `select j.id, j.tenant_id as "tenantId", j.name, j.description, j.status, j.latest_version as "latestVersion",
       j.template_key as "templateKey", j.created_at as "createdAt", j.updated_at as "updatedAt",
       (select n->'trigger'->>'kind' from jsonb_array_elements(case when jsonb_typeof(j.draft->'nodes') = 'array' then j.draft->'nodes' else '[]'::jsonb end) n
         where n->>'type' = 'entry' limit 1) as "entryKind",
       ${statsColumns}
     from journeys j ${statsJoin}
     where j.tenant_id = $1 order by j.updated_at desc, j.id`,
    [tenantId],
  );
  return r.rows;
}

export async function journeyStats(q: Queryable, journeyId: string): Promise<JourneyStats> {
  const r = await q.query<{ stats: JourneyStats }>(`select ${statsColumns} from (select $1::uuid as id) j ${statsJoin}`, [journeyId]);
  return r.rows[0]!.stats;
}

export async function getJourney(q: Queryable, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<JourneyRow | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await q.query<JourneyRow>(`select ${columns} from journeys j where j.tenant_id = $1 and j.id = $2${opts.forUpdate ? ' for update' : ''}`, [tenantId, id]);
  return r.rows[0];
}

export interface NewJourney {
  name: string;
  description?: string | null;
  draft: unknown;
  layout?: JourneyLayout;
  templateKey?: string | null;
}

export async function createJourney(q: Queryable, tenantId: string, j: NewJourney): Promise<JourneyRow> {
  const r = await q.query<JourneyRow>(
    `insert into journeys as j (tenant_id, name, description, draft, draft_layout, template_key)
     values ($1, $2, $3, $4::jsonb, $5::jsonb, $6) returning ${columns}`,
    [tenantId, j.name, j.description ?? null, JSON.stringify(j.draft ?? null), JSON.stringify(j.layout ?? {}), j.templateKey ?? null],
  );
  return r.rows[0]!;
}

export interface JourneyPatch {
  name?: string;
  description?: string | null;
  draft?: unknown;
  layout?: JourneyLayout;
}

export async function updateJourney(q: Queryable, tenantId: string, id: string, p: JourneyPatch): Promise<JourneyRow | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await q.query<JourneyRow>(
    `update journeys j set
       name = coalesce($3, j.name),
       description = case when $4::boolean then $5 else j.description end,
       draft = case when $6::boolean then $7::jsonb else j.draft end,
       draft_layout = coalesce($8::jsonb, j.draft_layout),
       updated_at = now()
     where j.tenant_id = $1 and j.id = $2 returning ${columns}`,
    [
      tenantId,
      id,
      p.name ?? null,
      p.description !== undefined,
      p.description ?? null,
      p.draft !== undefined,
      JSON.stringify(p.draft ?? null),
      p.layout ? JSON.stringify(p.layout) : null,
    ],
  );
  return r.rows[0];
}

/** Drafts that were never published only (a published journey keeps its history: archive it instead). */
export async function deleteDraftJourney(q: Queryable, tenantId: string, id: string): Promise<'deleted' | 'published' | 'missing'> {
  if (!isUuid(id)) return 'missing';
  const r = await q.query<{ id: string }>(`delete from journeys where tenant_id = $1 and id = $2 and latest_version is null returning id`, [tenantId, id]);
  if (r.rowCount) return 'deleted';
  return (await getJourney(q, tenantId, id)) ? 'published' : 'missing';
}

/** Templates (id + channel) and segment ids of the tenant: what validateJourney checks references against. */
export async function journeyValidationContext(q: Queryable, tenantId: string): Promise<JourneyValidationContext> {
  const [t, s] = await Promise.all([
    q.query<{ id: string; channel: string }>(`select id, channel from message_templates where tenant_id = $1 and archived_at is null`, [tenantId]),
    q.query<{ id: string }>(`select id from segments where tenant_id = $1 and status = 'active'`, [tenantId]),
  ]);
  return { templates: t.rows, segments: s.rows.map((x) => x.id) };
}

export interface PickerOptions {
  templates: { id: string; name: string; channel: string }[];
  segments: { id: string; name: string }[];
}

/** What the canvas's side panel offers: the tenant's templates per channel and its segments. */
export async function journeyPickerOptions(q: Queryable, tenantId: string): Promise<PickerOptions> {
  const [t, s] = await Promise.all([
    q.query<{ id: string; name: string; channel: string }>(`select id, name, channel from message_templates where tenant_id = $1 and archived_at is null order by name`, [tenantId]),
    q.query<{ id: string; name: string }>(`select id, name from segments where tenant_id = $1 and status = 'active' order by name`, [tenantId]),
  ]);
  return { templates: t.rows, segments: s.rows };
}

/**
 * The templates and segments a ready-made journey needs, found by name or created (insert … on conflict do nothing,
 * so concurrent or repeated creation converges on one row each).
 */
export async function ensureRecipeResources(
  q: Queryable,
  tenantId: string,
  recipe: Pick<JourneyTemplateRecipe, 'messages' | 'segments'>,
): Promise<{ templates: Record<StarterMessageKey, string>; segments: Record<StarterSegmentKey, string> }> {
  const templates = {} as Record<StarterMessageKey, string>;
  const segments = {} as Record<StarterSegmentKey, string>;
  for (const key of recipe.messages) {
    const m: { name: string; channel: string; category: string; body: string; subject?: string; preheader?: string } = STARTER_MESSAGES[key];
    await q.query(
      `insert into message_templates (tenant_id, name, channel, subject, preheader, body, category) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (tenant_id, name) do nothing`,
      [tenantId, m.name, m.channel, m.subject ?? null, m.preheader ?? null, m.body, m.category],
    );
    // A same-named template the marketer changed (or moved to another channel) is theirs to keep: the journey uses
    // it, and validation points at the node if it no longer fits.
    const r = await q.query<{ id: string }>(`select id from message_templates where tenant_id = $1 and name = $2`, [tenantId, m.name]);
    templates[key] = r.rows[0]!.id;
  }
  for (const key of recipe.segments) {
    const s = STARTER_SEGMENTS[key];
    await q.query(`insert into segments (tenant_id, name, description, definition) values ($1, $2, $3, $4::jsonb) on conflict (tenant_id, name) do nothing`, [
      tenantId,
      s.name,
      s.description,
      JSON.stringify(s.definition),
    ]);
    const r = await q.query<{ id: string }>(`select id from segments where tenant_id = $1 and name = $2`, [tenantId, s.name]);
    segments[key] = r.rows[0]!.id;
  }
  return { templates, segments };
}

/** A name not yet used by the tenant: `base`, else `base (2)`, `base (3)`… */
export async function freeJourneyName(q: Queryable, tenantId: string, base: string): Promise<string> {
  const r = await q.query<{ name: string }>(`select name from journeys where tenant_id = $1 and (name = $2 or name like $3)`, [tenantId, base, `${base.replace(/[\\%_]/g, '\\$&')} (%)`]);
  const taken = new Set(r.rows.map((x) => x.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
}

export interface JourneyVersionRow {
  version: number;
  definition: JourneyDefinition;
  layout: JourneyLayout;
  publishedAt: Date;
  publishedBy: string | null;
}

export async function listJourneyVersions(q: Queryable, tenantId: string, journeyId: string): Promise<JourneyVersionRow[]> {
  const r = await q.query<JourneyVersionRow>(
    `select version, definition, layout, published_at as "publishedAt", published_by as "publishedBy"
     from journey_versions where tenant_id = $1 and journey_id = $2 order by version desc`,
    [tenantId, journeyId],
  );
  return r.rows;
}

export async function getJourneyVersion(q: Queryable, tenantId: string, journeyId: string, version: number): Promise<JourneyVersionRow | undefined> {
  const r = await q.query<JourneyVersionRow>(
    `select version, definition, layout, published_at as "publishedAt", published_by as "publishedBy"
     from journey_versions where tenant_id = $1 and journey_id = $2 and version = $3`,
    [tenantId, journeyId, version],
  );
  return r.rows[0];
}

export type PublishOutcome =
  | { kind: 'missing' }
  | { kind: 'archived' }
  | { kind: 'invalid'; errors: JourneyError[] }
  | { kind: 'published'; version: number; created: boolean; definition: JourneyDefinition };

/**
 * Publishes the draft as a new immutable version (valid drafts only). Call inside a transaction: the journey row is
 * locked so two publishes never take the same number. A draft equal to the latest version publishes nothing new.
 */
export async function publishJourney(tx: Queryable, tenantId: string, id: string, publishedBy: string | null): Promise<PublishOutcome> {
  const j = await getJourney(tx, tenantId, id, { forUpdate: true });
  if (!j) return { kind: 'missing' };
  if (j.status === 'archived') return { kind: 'archived' };
  const v = validateJourney(j.draft, await journeyValidationContext(tx, tenantId));
  if (!v.ok) return { kind: 'invalid', errors: v.errors };
  if (j.latestVersion !== null) {
    const same = await tx.query(`select 1 from journey_versions where journey_id = $1 and version = $2 and definition = $3::jsonb`, [id, j.latestVersion, JSON.stringify(v.definition)]);
    if (same.rowCount) return { kind: 'published', version: j.latestVersion, created: false, definition: v.definition };
  }
  const version = (j.latestVersion ?? 0) + 1;
  await tx.query(`insert into journey_versions (journey_id, version, tenant_id, definition, layout, published_by) values ($1, $2, $3, $4::jsonb, $5::jsonb, $6)`, [
    id,
    version,
    tenantId,
    JSON.stringify(v.definition),
    JSON.stringify(j.draftLayout),
    publishedBy,
  ]);
  await tx.query(`update journeys set latest_version = $2, status = case when status = 'draft' then 'active' else status end, updated_at = now() where id = $1`, [id, version]);
  return { kind: 'published', version, created: true, definition: v.definition };
}

export type JourneyAction = 'pause' | 'resume' | 'archive';

/** Allowed source statuses of each action and where it leads. */
export const TRANSITIONS: Record<JourneyAction, { from: readonly JourneyStatus[]; to: JourneyStatus }> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  archive: { from: ['active', 'paused'], to: 'archived' },
};

export async function transitionJourney(q: Queryable, tenantId: string, id: string, action: JourneyAction): Promise<{ kind: 'missing' } | { kind: 'invalid'; status: JourneyStatus } | { kind: 'ok'; journey: JourneyRow }> {
  if (!isUuid(id)) return { kind: 'missing' };
  const t = TRANSITIONS[action];
  const r = await q.query<JourneyRow>(`update journeys j set status = $3, updated_at = now() where j.tenant_id = $1 and j.id = $2 and j.status = any($4::text[]) returning ${columns}`, [
    tenantId,
    id,
    t.to,
    t.from,
  ]);
  if (r.rows[0]) return { kind: 'ok', journey: r.rows[0] };
  const j = await getJourney(q, tenantId, id);
  return j ? { kind: 'invalid', status: j.status } : { kind: 'missing' };
}

const emptyMessages = () => ({ sent: 0, delivered: 0, opened: 0, clicked: 0, failed: 0, skipped: 0 });

/** Per-node counts for one version (or all versions when `version` is null), plus totals and holdout vs treatment. */
export async function journeyAnalytics(q: Queryable, tenantId: string, journeyId: string, version: number | null): Promise<JourneyAnalytics> {
  const args = [tenantId, journeyId, version];
  const [steps, ports, msgs, conv, entries, sent] = await Promise.all([
    q.query<{ nodeId: string; entered: number; waiting: number }>(
      `select node_id as "nodeId", count(*)::int as entered, count(*) filter (where port is null and left_at is null)::int as waiting
       from journey_steps where tenant_id = $1 and journey_id = $2 and ($3::int is null or version = $3) group by node_id`,
      args,
    ),
    q.query<{ nodeId: string; port: string; n: number }>(
      `select node_id as "nodeId", port, count(*)::int as n
       from journey_steps where tenant_id = $1 and journey_id = $2 and ($3::int is null or version = $3) and port is not null group by node_id, port`,
      args,
    ),
    q.query<{ nodeId: string } & ReturnType<typeof emptyMessages>>(
      `select node_id as "nodeId",
         count(*) filter (where status = 'sent')::int as sent,
         count(*) filter (where delivered_at is not null)::int as delivered,
         count(*) filter (where opened_at is not null)::int as opened,
         count(*) filter (where clicked_at is not null)::int as clicked,
         count(*) filter (where status = 'failed')::int as failed,
         count(*) filter (where status in ('skipped', 'suppressed'))::int as skipped
       from messages where tenant_id = $1 and journey_id = $2 and ($3::int is null or journey_version = $3) and node_id is not null group by node_id`,
      args,
    ),
    q.query<{ nodeId: string; n: number }>(
      `select s.node_id as "nodeId", count(distinct s.entry_id)::int as n
       from journey_steps s join journey_entries e on e.id = s.entry_id
       where s.tenant_id = $1 and s.journey_id = $2 and ($3::int is null or s.version = $3) and e.converted_at is not null group by s.node_id`,
      args,
    ),
    q.query<{ entered: number; running: number; completed: number; exited: number; failed: number; converted: number; holdout: number; holdoutConverted: number }>(
      `select count(*)::int as entered,
         count(*) filter (where status = 'running')::int as running,
         count(*) filter (where status in ('completed', 'exited'))::int as completed,
         count(*) filter (where status = 'exited')::int as exited,
         count(*) filter (where status = 'failed')::int as failed,
         count(*) filter (where converted_at is not null)::int as converted,
         count(*) filter (where in_holdout)::int as holdout,
         count(*) filter (where in_holdout and converted_at is not null)::int as "holdoutConverted"
       from journey_entries where tenant_id = $1 and journey_id = $2 and ($3::int is null or version = $3)`,
      args,
    ),
    q.query<{ n: number }>(`select count(*)::int as n from messages where tenant_id = $1 and journey_id = $2 and ($3::int is null or journey_version = $3) and status = 'sent'`, args),
  ]);
  const nodes = new Map<string, NodeAnalytics>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { nodeId: id, entered: 0, waiting: 0, exits: {}, converted: 0, messages: emptyMessages() }));
    return n;
  };
  for (const s of steps.rows) Object.assign(node(s.nodeId), { entered: s.entered, waiting: s.waiting });
  for (const p of ports.rows) node(p.nodeId).exits[p.port] = p.n;
  for (const m of msgs.rows) {
    const { nodeId, ...counts } = m;
    node(nodeId).messages = counts;
  }
  for (const c of conv.rows) node(c.nodeId).converted = c.n;
  const e = entries.rows[0]!;
  return {
    version,
    totals: { entered: e.entered, running: e.running, completed: e.completed, exited: e.exited, failed: e.failed, converted: e.converted, messagesSent: sent.rows[0]!.n },
    holdout: { entered: e.holdout, converted: e.holdoutConverted },
    treatment: { entered: e.entered - e.holdout, converted: e.converted - e.holdoutConverted },
    nodes: [...nodes.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
  };
}
