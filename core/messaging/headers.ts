// Standard headers of marketing mail: RFC 2369 List-Unsubscribe, RFC 8058 one-click, and a Message-ID derived
// from the message id so a send retried after a crash is recognisable downstream as the same message.
import { toBase64Url } from './encoding.ts';

export function listUnsubscribeHeaders(httpsUrl: string, mailto?: string): Record<string, string> {
  const targets = [`<${httpsUrl}>`];
  if (mailto) targets.push(`<mailto:${mailto}?subject=unsubscribe>`);
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** `<m.<base64url(id)>@<domain>>`: deterministic, and every character is allowed in a Message-ID. */
export function messageIdHeader(messageId: string, fromAddress: string): string {
  const domain = /@([A-Za-z0-9.-]+)\s*>?\s*$/.exec(fromAddress)?.[1] ?? 'nerdistan-cdp.local';
  return `<m.${toBase64Url(messageId)}@${domain.toLowerCase()}>`;
}

/** Lowercased, trimmed email; undefined when it is not plausibly an address. */
export function normalizeEmail(raw: string | null | undefined): string | undefined {
  const e = (raw ?? '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : undefined;
}
