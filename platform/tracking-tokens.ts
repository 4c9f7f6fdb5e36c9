// HMAC signatures of tracking tokens (core/messaging/tracking.ts defines the payload). The signing key is derived
// from the credentials keyring, so no extra secret is needed and key rotation keeps old links working: verification
// tries every key of the ring.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeTrackingPayload, encodeTrackingPayload, splitToken, type TrackingPayload } from '#core/messaging/tracking.ts';
import type { Keyring } from './secrets.ts';

const derived = new WeakMap<Buffer, Buffer>();
function signingKey(key: Buffer): Buffer {
  let k = derived.get(key);
  if (!k) {
    k = createHmac('sha256', key).update('nerdistan-cdp/tracking-token/v1').digest();
    derived.set(key, k);
  }
  return k;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', signingKey(key)).update(body).digest().subarray(0, 24);

export function signTrackingToken(ring: Keyring, payload: TrackingPayload): string {
  const body = encodeTrackingPayload(payload);
  return `${body}.${mac(ring.current.key, body).toString('base64url')}`;
}

/** The payload of a genuine token; undefined for anything forged, tampered with or malformed. */
export function verifyTrackingToken(ring: Keyring, token: string): TrackingPayload | undefined {
  const parts = splitToken(token);
  if (!parts) return undefined;
  const given = Buffer.from(parts.signature, 'base64url');
  for (const key of ring.byId.values()) {
    const expected = mac(key, parts.body);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return decodeTrackingPayload(parts.body);
  }
  return undefined;
}
