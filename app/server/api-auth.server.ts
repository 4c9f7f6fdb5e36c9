// Bearer API keys for /api/v1/*. Each key belongs to one tenant; every query below is scoped by it.
import { UserError } from '#core/errors.ts';
import { authenticateApiKey, touchApiKey, type ApiPrincipal } from '#db/queries/tenants.ts';
import { getDb } from './db.server.ts';

// A short cache: ingest runs dozens of requests a second and the key → tenant mapping rarely changes.
// Revocation takes effect within CACHE_MS.
const CACHE_MS = 30_000;
const cache = new Map<string, { principal: ApiPrincipal | undefined; until: number }>();
const touched = new Map<string, number>();

export async function requireApiPrincipal(request: Request): Promise<ApiPrincipal> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UserError('unauthorized', 'Send your API key as "Authorization: Bearer <key>".', 401);
  const key = match[1]!;
  const now = Date.now();
  let hit = cache.get(key);
  if (!hit || hit.until < now) {
    hit = { principal: await authenticateApiKey(getDb(), key), until: now + CACHE_MS };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, hit);
  }
  if (!hit.principal) throw new UserError('unauthorized', 'The API key is unknown or revoked.', 401);
  const p = hit.principal;
  if ((touched.get(p.apiKeyId) ?? 0) < now - 60_000) {
    touched.set(p.apiKeyId, now);
    void touchApiKey(getDb(), p.apiKeyId).catch(() => {});
  }
  return p;
}

/** For tests and key revocation from the UI. */
export function forgetApiKeyCache(): void {
  cache.clear();
}
