// Signed tracking links for one message: open pixel, click redirects, unsubscribe.
import { trackingPath } from '#core/messaging/tracking.ts';
import { env } from '#platform/env.ts';
import type { Keyring } from '#platform/secrets.ts';
import { signTrackingToken } from '#platform/tracking-tokens.ts';

export interface MessageLinks {
  base: string;
  open: string;
  unsubscribe: string;
  click(url: string): string;
  /** True for our own unsubscribe/preferences links, which are never wrapped. */
  isOwn(url: string): boolean;
}

export function messageLinks(ring: Keyring, tenantId: string, messageId: string, base = env().publicUrl): MessageLinks {
  const at = (path: string) => `${base}${path}`;
  return {
    base,
    open: at(trackingPath('open', signTrackingToken(ring, { v: 1, k: 'open', t: tenantId, m: messageId }))),
    unsubscribe: at(trackingPath('unsubscribe', signTrackingToken(ring, { v: 1, k: 'unsubscribe', t: tenantId, m: messageId }))),
    click: (url) => at(trackingPath('click', signTrackingToken(ring, { v: 1, k: 'click', t: tenantId, m: messageId, u: url }))),
    isOwn: (url) => url.startsWith(`${base}/t/`),
  };
}
