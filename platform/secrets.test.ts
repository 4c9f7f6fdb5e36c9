import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptJson, decryptSecret, encryptJson, encryptSecret, isStale, keyringFrom, parseKey, SecretsError } from './secrets.ts';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('hex');

describe('credential envelopes', () => {
  it('round-trips, with a fresh IV each time', () => {
    const ring = keyringFrom(k1);
    const a = encryptSecret(ring, 'appToken-secret');
    const b = encryptSecret(ring, 'appToken-secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('appToken');
    expect(decryptSecret(ring, a)).toBe('appToken-secret');
    expect(decryptJson(ring, encryptJson(ring, { appKey: 'k', n: 1 }))).toEqual({ appKey: 'k', n: 1 });
  });

  it('rotation: the new keyring opens envelopes of the previous key and marks them stale', () => {
    const old = encryptSecret(keyringFrom(k1), 'x');
    const rotated = keyringFrom(k2, [k1]);
    expect(decryptSecret(rotated, old)).toBe('x');
    expect(isStale(rotated, old)).toBe(true);
    expect(isStale(rotated, encryptSecret(rotated, 'x'))).toBe(false);
    expect(() => decryptSecret(keyringFrom(k2), old)).toThrow(/neither CREDENTIALS_KEY/);
  });

  it('detects tampering', () => {
    const ring = keyringFrom(k1);
    const parts = encryptSecret(ring, 'hello world').split('.');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0]! ^= 1;
    parts[4] = ct.toString('base64url');
    expect(() => decryptSecret(ring, parts.join('.'))).toThrow(SecretsError);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => parseKey('abc')).toThrow(/32 bytes/);
    expect(parseKey(k2)).toHaveLength(32);
  });
});
