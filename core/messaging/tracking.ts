// Tracking tokens for the open pixel, click redirects and unsubscribe links: `<payload>.<signature>`, both
// base64url. The payload says everything the public route needs (tenant, message, kind, and for clicks the one
// URL it may redirect to), so the route never trusts a query parameter. Signing (HMAC) lives in
// platform/tracking-tokens.ts: core has no crypto.
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from './encoding.ts';

export const TRACKING_KINDS = { open: 'o', click: 'c', unsubscribe: 'u' } as const;
export type TrackingKind = keyof typeof TRACKING_KINDS;

export const trackingPayload = z.discriminatedUnion('k', [
  z.object({ v: z.literal(1), k: z.literal('open'), t: z.uuid(), m: z.string().min(1).max(500) }),
  z.object({ v: z.literal(1), k: z.literal('unsubscribe'), t: z.uuid(), m: z.string().min(1).max(500) }),
  z.object({ v: z.literal(1), k: z.literal('click'), t: z.uuid(), m: z.string().min(1).max(500), u: z.string().regex(/^https?:\/\//i).max(4000) }),
]);
export type TrackingPayload = z.infer<typeof trackingPayload>;

/** The signed part of a token. */
export const encodeTrackingPayload = (p: TrackingPayload): string => toBase64Url(JSON.stringify(p));

/** Splits a token into its signed part and signature; undefined when it is not shaped like one. */
export function splitToken(token: string): { body: string; signature: string } | undefined {
  const m = /^([A-Za-z0-9_-]{8,6000})\.([A-Za-z0-9_-]{16,100})$/.exec(token);
  return m ? { body: m[1]!, signature: m[2]! } : undefined;
}

/** Decodes a signed part (only call after the signature checked out); undefined when malformed. */
export function decodeTrackingPayload(body: string): TrackingPayload | undefined {
  try {
    const r = trackingPayload.safeParse(JSON.parse(fromBase64Url(body)));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** Public paths of the tracking routes (app/routes.ts registers them). */
export const trackingPath = (kind: TrackingKind, token: string) => `/t/${TRACKING_KINDS[kind]}/${token}`;
