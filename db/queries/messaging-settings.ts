// Per-tenant email provider settings (channel_settings) and global frequency caps. The SMTP password lives only
// in the encrypted `secret` envelope and leaves this module decrypted only for the send activity.
import type pg from 'pg';
import { decryptJson, encryptJson, type Keyring } from '#platform/secrets.ts';
import type { MessageChannel } from '../schema/messaging.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface EmailConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string | null;
  from: string;
  replyTo?: string | null;
  unsubscribeMailto?: string | null;
}

/** What the API returns: never the password, only whether one is stored. */
export type PublicEmailSettings = EmailConfig & { hasPassword: boolean; updatedAt: Date };

export async function getEmailSettings(q: Queryable, tenantId: string): Promise<PublicEmailSettings | undefined> {
  const r = await q.query<{ config: EmailConfig; hasPassword: boolean; updatedAt: Date }>(
    `select config, secret is not null as "hasPassword", updated_at as "updatedAt" from channel_settings where tenant_id = $1 and channel = 'email'`,
    [tenantId],
  );
  const row = r.rows[0];
  return row ? { ...row.config, hasPassword: row.hasPassword, updatedAt: row.updatedAt } : undefined;
}

/** With the password decrypted: for the send activity only. */
export async function loadEmailTransportConfig(q: Queryable, ring: Keyring, tenantId: string): Promise<(EmailConfig & { password?: string; version: string }) | undefined> {
  const r = await q.query<{ config: EmailConfig; secret: { envelope: string } | null; updatedAt: Date }>(
    `select config, secret, updated_at as "updatedAt" from channel_settings where tenant_id = $1 and channel = 'email'`,
    [tenantId],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const password = row.secret ? decryptJson<{ password: string }>(ring, row.secret.envelope).password : undefined;
  return { ...row.config, password, version: row.updatedAt.toISOString() };
}

/** `password`: undefined keeps the stored one, null clears it. */
export async function putEmailSettings(q: Queryable, ring: Keyring, tenantId: string, config: EmailConfig, password: string | null | undefined): Promise<void> {
  const secret = password ? JSON.stringify({ envelope: encryptJson(ring, { password }) }) : null;
  await q.query(
    `insert into channel_settings (tenant_id, channel, config, secret) values ($1, 'email', $2::jsonb, $3::jsonb)
     on conflict (tenant_id, channel) do update set config = excluded.config,
       secret = case when $4 then excluded.secret else channel_settings.secret end, updated_at = now()`,
    [tenantId, JSON.stringify(config), secret, password !== undefined],
  );
}

export async function deleteEmailSettings(q: Queryable, tenantId: string): Promise<boolean> {
  const r = await q.query(`delete from channel_settings where tenant_id = $1 and channel = 'email'`, [tenantId]);
  return (r.rowCount ?? 0) > 0;
}

export interface FrequencyCapRow {
  id: string;
  channel: MessageChannel | null;
  maxMessages: number;
  windowSeconds: number;
}

export async function getFrequencyCaps(q: Queryable, tenantId: string): Promise<FrequencyCapRow[]> {
  const r = await q.query<FrequencyCapRow>(
    `select id, channel, max_messages as "maxMessages", window_seconds as "windowSeconds" from frequency_caps where tenant_id = $1 order by window_seconds, channel nulls first, id`,
    [tenantId],
  );
  return r.rows;
}

/** Replaces the tenant's caps (call inside a transaction). */
export async function replaceFrequencyCaps(q: Queryable, tenantId: string, caps: readonly Omit<FrequencyCapRow, 'id'>[]): Promise<void> {
  await q.query(`delete from frequency_caps where tenant_id = $1`, [tenantId]);
  for (const c of caps) {
    await q.query(`insert into frequency_caps (tenant_id, channel, max_messages, window_seconds) values ($1, $2, $3, $4)`, [tenantId, c.channel, c.maxMessages, c.windowSeconds]);
  }
}
