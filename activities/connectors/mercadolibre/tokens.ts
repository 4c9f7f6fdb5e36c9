// Access tokens of a MercadoLibre connection, refreshed before they expire, one refresh at a time per seller.
//
// ML refresh tokens are single-use and rotate (integrations.md §2.1): two workers refreshing with the same token
// get one new pair and one `invalid_grant`, and a refresh token that was spent but not stored disconnects the
// seller. So a refresh runs inside a transaction that locks the connection row, re-reads the credentials under
// the lock (another process may have refreshed meanwhile: then its token is used), and stores the new pair in
// the same transaction.
import { ApplicationFailure } from '@temporalio/common';
import { mercadolibreConfig, mercadolibreCredentials, type MercadoLibreCredentials } from '#core/connectors/config.ts';
import { needsRefresh, TOKEN_REFRESH_MARGIN_MS } from '#core/connectors/mercadolibre.ts';
import type { Db } from '#db/client.ts';
import { inTransaction, storeCredentials, type Tx } from '#db/queries/connections.ts';
import { decryptJson, type Keyring } from '#platform/secrets.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { MercadoLibreGrantError, refreshGrant } from './oauth.ts';

export interface TokenDeps {
  db: Db;
  keyring: Keyring;
  now?: () => number;
  marginMs?: number;
}

export interface AccessToken {
  accessToken: string;
  expiresAt: string;
}

const RECONNECT = 'Reconnect MercadoLibre on the connection page (Connect with MercadoLibre) to authorize the CDP again.';

export const notConnected = () => ApplicationFailure.nonRetryable(`This MercadoLibre connection is not authorized yet. ${RECONNECT}`, FAILURE.auth);

function grantFailure(err: MercadoLibreGrantError): ApplicationFailure {
  if (err.error === 'invalid_grant')
    return ApplicationFailure.nonRetryable(
      `MercadoLibre no longer accepts this connection's refresh token (invalid_grant: revoked, expired, or the seller changed the password). ${RECONNECT}`,
      FAILURE.auth,
    );
  if (err.error === 'invalid_client' || err.error === 'unauthorized_client' || err.error === 'unauthorized_application')
    return ApplicationFailure.nonRetryable(`MercadoLibre rejected the application's client id or secret (${err.error}). Check them on the connection, then reconnect.`, FAILURE.auth);
  return ApplicationFailure.nonRetryable(`${err.message}. ${RECONNECT}`, FAILURE.auth);
}

async function lockedCredentials(q: Tx, ring: Keyring, connectionId: string) {
  const r = await q.query<{ kind: string; config: Record<string, unknown>; credentials: string | null }>(
    'select kind, config, credentials from connections where id = $1 for update',
    [connectionId],
  );
  const row = r.rows[0];
  if (!row || row.kind !== 'mercadolibre') throw ApplicationFailure.nonRetryable('The MercadoLibre connection no longer exists.', FAILURE.gone);
  const creds = mercadolibreCredentials.safeParse(row.credentials ? decryptJson(ring, row.credentials) : {});
  if (!creds.success) throw notConnected();
  return { config: mercadolibreConfig.parse(row.config), credentials: creds.data };
}

/**
 * A usable access token for the connection. `rejected`: the token ML just answered 401 to — refresh even if
 * its expiry looks fine, unless another process already replaced it.
 */
export async function accessTokenFor(deps: TokenDeps, connectionId: string, known?: MercadoLibreCredentials, opts: { rejected?: string } = {}): Promise<AccessToken> {
  const now = deps.now ?? Date.now;
  const margin = deps.marginMs ?? TOKEN_REFRESH_MARGIN_MS;
  if (known && !opts.rejected && !needsRefresh(known, now(), margin)) return { accessToken: known.accessToken!, expiresAt: known.expiresAt! };
  return inTransaction(deps.db, async (tx) => {
    const { config, credentials } = await lockedCredentials(tx, deps.keyring, connectionId);
    const usable = !needsRefresh(credentials, now(), margin) && credentials.accessToken !== opts.rejected;
    if (usable) return { accessToken: credentials.accessToken!, expiresAt: credentials.expiresAt! };
    if (!credentials.refreshToken) throw notConnected();
    let fresh;
    try {
      fresh = await refreshGrant({ apiBaseUrl: config.apiBaseUrl, clientId: config.clientId, clientSecret: credentials.clientSecret, refreshToken: credentials.refreshToken }, now);
    } catch (err) {
      throw err instanceof MercadoLibreGrantError ? grantFailure(err) : err;
    }
    // The old refresh token is spent: the new pair is stored before this transaction lets anyone else in.
    await storeCredentials(tx, deps.keyring, connectionId, { ...credentials, accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: fresh.expiresAt });
    return { accessToken: fresh.accessToken, expiresAt: fresh.expiresAt };
  });
}
