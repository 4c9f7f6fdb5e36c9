// "Check credentials" for a MercadoLibre connection: does ML accept its token, and for which seller?
import { ApplicationFailure } from '@temporalio/common';
import { mercadolibreConfig, mercadolibreCredentials } from '#core/connectors/config.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { mercadolibreApi } from './client.ts';
import type { TokenDeps } from './tokens.ts';

export interface CredentialsCheck {
  ok: boolean;
  message: string;
  /** The authorized seller, when the check passed. */
  account?: { id: string; nickname?: string };
}

/**
 * GET /users/me with the connection's access token. Pass `tokens` (database, keyring, connection id) to refresh an
 * expired token the safe way (serialised and stored); without them an expired token is reported, never refreshed:
 * refreshing spends the single-use refresh token, and a new pair that is not stored would disconnect the seller.
 */
export async function checkMercadoLibreCredentials(
  config: Record<string, unknown>,
  credentials: Record<string, unknown>,
  tokens?: TokenDeps & { connectionId: string },
): Promise<CredentialsCheck> {
  const c = mercadolibreConfig.safeParse(config);
  if (!c.success) return { ok: false, message: `The settings are invalid: ${c.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const k = mercadolibreCredentials.safeParse(credentials);
  if (!k.success) return { ok: false, message: 'The client secret is missing or invalid.' };
  if (!k.data.accessToken && (!tokens || !k.data.refreshToken)) return { ok: false, message: 'Not connected yet: use “Connect with MercadoLibre” to authorize the CDP.' };
  if (!tokens && k.data.expiresAt && Date.parse(k.data.expiresAt) <= Date.now())
    return { ok: false, message: 'The access token has expired; the next sync refreshes it. Run a sync, or check again from the connection page.' };
  try {
    const me = await mercadolibreApi({ config: c.data, credentials: k.data, tokens, timeoutMs: 10_000 }).me();
    if (c.data.sellerId && me.id !== c.data.sellerId)
      return { ok: false, message: `The token belongs to seller ${me.id}, but this connection syncs seller ${c.data.sellerId}. Reconnect with the right account.` };
    return { ok: true, message: `Connected to MercadoLibre as ${me.nickname ?? me.id}.`, account: { id: me.id, nickname: me.nickname } };
  } catch (err) {
    if (err instanceof ApplicationFailure) {
      const hint = err.type === FAILURE.auth ? '' : ' (MercadoLibre could not be reached; try again)';
      return { ok: false, message: `${err.message}${hint}` };
    }
    throw err;
  }
}
