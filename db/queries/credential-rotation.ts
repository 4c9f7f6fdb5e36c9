// Re-encrypts every secret stored under an older key (CREDENTIALS_PREVIOUS_KEYS) with CREDENTIALS_KEY: connection
// credentials and channel provider secrets (e.g. a tenant's SMTP password).
import type pg from 'pg';
import { decryptSecret, encryptSecret, isStale, type Keyring } from '#platform/secrets.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface RotationReport {
  /** Connections with credentials. */
  checked: number;
  rotated: number;
  /** Changed by someone else (e.g. a token refresh) between read and write; already under the current key then. */
  skipped: number;
  /** Could not be opened with any key of the keyring (connection id and reason). */
  failed: { connectionId: string; reason: string }[];
  /** Channel provider secrets (channel_settings.secret), counted the same way. */
  channelSettings: { checked: number; rotated: number; skipped: number; failed: { tenantId: string; channel: string; reason: string }[] };
}

/**
 * Idempotent and safe while the app runs: each envelope is swapped only if it is still the one that was read,
 * so a concurrent token refresh (which writes under the current key) is never overwritten.
 */
export async function rotateCredentials(q: Queryable, ring: Keyring): Promise<RotationReport> {
  const rows = (await q.query<{ id: string; credentials: string }>('select id, credentials from connections where credentials is not null order by id')).rows;
  const report: RotationReport = { checked: rows.length, rotated: 0, skipped: 0, failed: [], channelSettings: await rotateChannelSecrets(q, ring) };
  for (const row of rows) {
    if (!isStale(ring, row.credentials)) continue;
    let plaintext: string;
    try {
      plaintext = decryptSecret(ring, row.credentials);
    } catch (err) {
      report.failed.push({ connectionId: row.id, reason: (err as Error).message });
      continue;
    }
    const r = await q.query('update connections set credentials = $2 where id = $1 and credentials = $3', [row.id, encryptSecret(ring, plaintext), row.credentials]);
    if (r.rowCount) report.rotated++;
    else report.skipped++;
  }
  return report;
}

/** Same swap for channel_settings.secret = { envelope }: only if the envelope is still the one that was read. */
async function rotateChannelSecrets(q: Queryable, ring: Keyring): Promise<RotationReport['channelSettings']> {
  const rows = (
    await q.query<{ tenantId: string; channel: string; envelope: string }>(
      `select tenant_id as "tenantId", channel, secret->>'envelope' as envelope from channel_settings where secret ? 'envelope' order by tenant_id, channel`,
    )
  ).rows;
  const report: RotationReport['channelSettings'] = { checked: rows.length, rotated: 0, skipped: 0, failed: [] };
  for (const row of rows) {
    if (!isStale(ring, row.envelope)) continue;
    let plaintext: string;
    try {
      plaintext = decryptSecret(ring, row.envelope);
    } catch (err) {
      report.failed.push({ tenantId: row.tenantId, channel: row.channel, reason: (err as Error).message });
      continue;
    }
    const r = await q.query(
      `update channel_settings set secret = jsonb_set(secret, '{envelope}', to_jsonb($3::text)) where tenant_id = $1 and channel = $2 and secret->>'envelope' = $4`,
      [row.tenantId, row.channel, encryptSecret(ring, plaintext), row.envelope],
    );
    if (r.rowCount) report.rotated++;
    else report.skipped++;
  }
  return report;
}
