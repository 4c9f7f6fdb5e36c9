// MercadoLibre's token endpoint (integrations.md §2.1): the authorization-code exchange and the refresh grant.
// Shared by the OAuth callback (web) and the token refresher (activities).
import { ApplicationFailure } from '@temporalio/common';
import { mlError, mlTokenResponse, tokenExpiresAt } from '#core/connectors/mercadolibre.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { providerHttp } from '../http.ts';

/** The endpoint refused the grant; `error` is ML's code (`invalid_grant`, `invalid_client`, …). */
export class MercadoLibreGrantError extends Error {
  override name = 'MercadoLibreGrantError';
  constructor(
    readonly error: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** ISO. */
  expiresAt: string;
  /** The ML user (seller) who authorized the application. */
  userId: string;
}

async function tokenRequest(apiBaseUrl: string, form: Record<string, string>, nowMs: () => number): Promise<TokenSet> {
  const http = providerHttp({ provider: 'MercadoLibre', baseUrl: apiBaseUrl, timeoutMs: 20_000 });
  const res = await http.post('/oauth/token', new URLSearchParams(form).toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    accept: [400, 401, 403],
  });
  if (res.status !== 200) {
    const e = mlError.safeParse(res.body);
    const code = (e.success && e.data.error) || `http_${res.status}`;
    const why = e.success ? (e.data.error_description ?? e.data.message) : undefined;
    throw new MercadoLibreGrantError(code, `MercadoLibre refused the ${form.grant_type} grant: ${code}${why ? ` (${why})` : ''}`, res.status);
  }
  const t = mlTokenResponse.safeParse(res.body);
  // A 200 without tokens is ML misbehaving, not our request: worth a retry.
  if (!t.success) throw ApplicationFailure.retryable(`MercadoLibre POST /oauth/token returned an unexpected body: ${t.error.issues[0]?.message ?? ''}`, FAILURE.unavailable);
  return { accessToken: t.data.access_token, refreshToken: t.data.refresh_token, expiresAt: tokenExpiresAt(nowMs(), t.data.expires_in), userId: t.data.user_id };
}

export function exchangeCode(
  input: { apiBaseUrl: string; clientId: string; clientSecret: string; code: string; redirectUri: string },
  nowMs: () => number = Date.now,
): Promise<TokenSet> {
  return tokenRequest(
    input.apiBaseUrl,
    { grant_type: 'authorization_code', client_id: input.clientId, client_secret: input.clientSecret, code: input.code, redirect_uri: input.redirectUri },
    nowMs,
  );
}

/** Spends the refresh token (single use): the caller must store the returned pair before anything else. */
export function refreshGrant(input: { apiBaseUrl: string; clientId: string; clientSecret: string; refreshToken: string }, nowMs: () => number = Date.now): Promise<TokenSet> {
  return tokenRequest(
    input.apiBaseUrl,
    { grant_type: 'refresh_token', client_id: input.clientId, client_secret: input.clientSecret, refresh_token: input.refreshToken },
    nowMs,
  );
}
