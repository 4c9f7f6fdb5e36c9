// "Check credentials": one cheap authenticated call per kind, answered in words. Never echoes a secret.
import { ApplicationFailure } from '@temporalio/common';
import { providerHttp } from '#activities/connectors/http.ts';
import type { ConnectionCheck } from '#core/api/connections.ts';
import { checkMercadoLibreCredentials } from '#activities/connectors/mercadolibre/check.ts';
import type { TokenDeps } from '#activities/connectors/mercadolibre/tokens.ts';
import { vtexBaseUrl, vtexConfig } from '#core/connectors/config.ts';
import type { ConnectionKind } from '#core/connectors/types.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';

export interface CheckableConnection {
  kind: ConnectionKind;
  config: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

const TIMEOUT_MS = 10_000;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);

/** Removes every credential value from a text (provider error bodies may echo a header back). */
function scrub(text: string, credentials: Record<string, unknown>): string {
  let out = text;
  for (const v of Object.values(credentials)) if (typeof v === 'string' && v.length >= 4) out = out.split(v).join('***');
  return out;
}

const statusOf = (message: string) => /HTTP (\d{3})/.exec(message)?.[1];

/** A providerHttp failure, in words a store owner can act on. */
function explain(provider: string, err: unknown, hints: { auth: string; rejected: string; where: string }): string {
  if (!(err instanceof ApplicationFailure)) return `${provider} check failed: ${(err as Error).message}`;
  const status = statusOf(err.message);
  switch (err.type) {
    case FAILURE.auth:
      return `${provider} refused the credentials (HTTP ${status ?? '401/403'}). ${hints.auth}`;
    case FAILURE.rateLimited:
      return `${provider} is rate limiting requests right now (HTTP 429). The credentials were not checked; try again in a minute.`;
    case FAILURE.unavailable: {
      if (status) return `${provider} answered HTTP ${status} at ${hints.where}: it seems to be having trouble. Try again later.`;
      const reason = /timed out/.test(err.message) ? `no answer within ${TIMEOUT_MS / 1000} s` : (/failed \((.*)\)\s*$/.exec(err.message)?.[1] ?? err.message);
      return `Could not reach ${provider} at ${hints.where} (${reason}).`;
    }
    default:
      return `${provider} answered HTTP ${status ?? '4xx'} at ${hints.where}. ${hints.rejected}`;
  }
}

async function checkVtex(c: CheckableConnection): Promise<ConnectionCheck> {
  const config = vtexConfig.safeParse(c.config);
  if (!config.success) return { ok: false, message: 'The VTEX account settings are incomplete: set the account name.' };
  const appKey = str(c.credentials.appKey);
  const appToken = str(c.credentials.appToken);
  if (!appKey || !appToken) return { ok: false, message: 'No VTEX app key and app token are saved for this connection.' };
  const baseUrl = vtexBaseUrl(config.data);
  const http = providerHttp({
    provider: 'VTEX',
    baseUrl,
    headers: () => ({ 'X-VTEX-API-AppKey': appKey, 'X-VTEX-API-AppToken': appToken }),
    timeoutMs: TIMEOUT_MS,
  });
  try {
    const res = await http.get<{ paging?: { total?: number } }>('/api/oms/pvt/orders', { query: { page: 1, per_page: 1 } });
    const total = typeof res.body === 'object' ? res.body?.paging?.total : undefined;
    return {
      ok: true,
      message: `VTEX accepted the app key for account "${config.data.account}"${typeof total === 'number' ? `: ${total} orders are visible to it.` : '.'}`,
    };
  } catch (err) {
    return {
      ok: false,
      message: explain('VTEX', err, {
        auth: 'Check the app key and app token, and that the key has a License Manager role that can read OMS orders.',
        rejected: 'Check the account name and environment.',
        where: baseUrl,
      }),
    };
  }
}

/** `tokens` lets a MercadoLibre check refresh an expired token the safe way (serialised, stored). */
export async function checkCredentials(c: CheckableConnection, tokens?: TokenDeps & { connectionId: string }): Promise<ConnectionCheck> {
  const result =
    c.kind === 'vtex'
      ? await checkVtex(c)
      : c.kind === 'mercadolibre'
        ? await checkMercadoLibreCredentials(c.config, c.credentials, tokens).then(({ ok, message }) => ({ ok, message }))
        : { ok: true, message: 'File connections need no credentials: upload a file to import it.' };
  return { ok: result.ok, message: scrub(result.message, c.credentials) };
}
