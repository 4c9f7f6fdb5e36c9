// Message templates. Liquid/MJML validation happens before these are called (app/server/messaging.server.ts):
// this module only stores. A template that messages reference is archived instead of deleted, so the log keeps it.
import type pg from 'pg';
import { UserError } from '#core/errors.ts';
import type { MessageChannel } from '../schema/messaging.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface MessageTemplate {
  id: string;
  tenantId: string;
  name: string;
  channel: MessageChannel;
  category: 'marketing' | 'transactional';
  subject: string | null;
  preheader: string | null;
  body: string;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `id, tenant_id as "tenantId", name, channel, category, subject, preheader, body, archived_at as "archivedAt",
  created_at as "createdAt", updated_at as "updatedAt"`;

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

function nameTaken(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw new UserError('conflict', 'A template with this name already exists.', 409, [{ path: 'name', message: 'Already used by another template.' }]);
  throw err;
}

export async function listTemplates(q: Queryable, tenantId: string, opts: { channel?: MessageChannel; includeArchived?: boolean } = {}): Promise<MessageTemplate[]> {
  const r = await q.query<MessageTemplate>(
    `select ${columns} from message_templates where tenant_id = $1 and ($2::text is null or channel = $2) and ($3 or archived_at is null)
     order by lower(name), id`,
    [tenantId, opts.channel ?? null, opts.includeArchived ?? false],
  );
  return r.rows;
}

export async function getTemplate(q: Queryable, tenantId: string, id: string): Promise<MessageTemplate | undefined> {
  if (!isUuid(id)) return undefined;
  return (await q.query<MessageTemplate>(`select ${columns} from message_templates where tenant_id = $1 and id = $2`, [tenantId, id])).rows[0];
}

export interface NewTemplate {
  name: string;
  channel: MessageChannel;
  category: 'marketing' | 'transactional';
  subject?: string | null;
  preheader?: string | null;
  body: string;
}

export async function createTemplate(q: Queryable, tenantId: string, t: NewTemplate): Promise<MessageTemplate> {
  try {
    const r = await q.query<MessageTemplate>(
      `insert into message_templates (tenant_id, name, channel, category, subject, preheader, body) values ($1, $2, $3, $4, $5, $6, $7) returning ${columns}`,
      [tenantId, t.name, t.channel, t.category, t.subject ?? null, t.preheader ?? null, t.body],
    );
    return r.rows[0]!;
  } catch (err) {
    nameTaken(err);
  }
}

export async function updateTemplate(q: Queryable, tenantId: string, id: string, patch: Partial<Omit<NewTemplate, 'channel'>>): Promise<MessageTemplate | undefined> {
  if (!isUuid(id)) return undefined;
  const sets: string[] = [];
  const values: unknown[] = [tenantId, id];
  for (const [key, col] of [['name', 'name'], ['category', 'category'], ['subject', 'subject'], ['preheader', 'preheader'], ['body', 'body']] as const) {
    if (patch[key] === undefined) continue;
    values.push(patch[key]);
    sets.push(`${col} = $${values.length}`);
  }
  try {
    const r = await q.query<MessageTemplate>(
      `update message_templates set ${[...sets, 'updated_at = now()'].join(', ')} where tenant_id = $1 and id = $2 returning ${columns}`,
      values,
    );
    return r.rows[0];
  } catch (err) {
    nameTaken(err);
  }
}

/** Deletes a template nobody sent yet; archives one the message log references. */
export async function deleteTemplate(q: Queryable, tenantId: string, id: string): Promise<'deleted' | 'archived' | undefined> {
  if (!isUuid(id)) return undefined;
  const used = await q.query(`select 1 from messages where tenant_id = $1 and template_id = $2 limit 1`, [tenantId, id]);
  if (used.rowCount) {
    const r = await q.query(`update message_templates set archived_at = coalesce(archived_at, now()), updated_at = now() where tenant_id = $1 and id = $2`, [tenantId, id]);
    return r.rowCount ? 'archived' : undefined;
  }
  const r = await q.query(`delete from message_templates where tenant_id = $1 and id = $2`, [tenantId, id]);
  return r.rowCount ? 'deleted' : undefined;
}
