// Connection base URLs are tenant input: in production they must not reach the CDP's own network (SSRF).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { env } from '#platform/env.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';

/** Loopback, private (RFC 1918, unique local), link-local (incl. cloud metadata 169.254.169.254), CGNAT, unspecified. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = ip.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb');
}

const checked = new Map<string, number>();
const CACHE_MS = 60_000;

/** Throws a non-retryable failure when the URL's host resolves to a private address and those are denied. */
export async function assertReachableUrl(url: URL, allowPrivate = env().connectorPrivateUrls): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if ((checked.get(host) ?? 0) > Date.now()) return;
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (url.protocol !== 'https:' || addresses.some(isPrivateAddress))
    throw ApplicationFailure.nonRetryable(
      `${url.origin} is not allowed: connectors call public HTTPS hosts only (set CONNECTOR_PRIVATE_URLS=allow to permit internal hosts).`,
      FAILURE.rejected,
    );
  checked.set(host, Date.now() + CACHE_MS);
}
