// Connection credentials at rest: AES-256-GCM envelopes, keyed from the environment, rotatable.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from './env.ts';

export interface Keyring {
  current: { id: string; key: Buffer };
  byId: Map<string, Buffer>;
}

export class SecretsError extends Error {
  override name = 'SecretsError';
}

/** A key is 32 bytes, written as 64 hex characters or base64/base64url. */
export function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new SecretsError('A credentials key must be 32 bytes (64 hex characters or 44 base64 characters).');
  return key;
}

// The id names the key inside each envelope, so a rotated keyring still opens old envelopes.
const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function keyringFrom(current: string, previous: readonly string[] = []): Keyring {
  const cur = parseKey(current);
  const byId = new Map<string, Buffer>();
  for (const k of [cur, ...previous.map(parseKey)]) byId.set(keyId(k), k);
  return { current: { id: keyId(cur), key: cur }, byId };
}

/** `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function encryptSecret(ring: Keyring, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', ring.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptSecret(ring: Keyring, envelope: string): string {
  const [v, id, iv, tag, ct] = envelope.split('.');
  if (v !== 'v1' || !id || !iv || !tag || ct === undefined) throw new SecretsError('Not a credentials envelope.');
  const key = ring.byId.get(id);
  if (!key) throw new SecretsError(`Credentials were encrypted with key ${id}, which is neither CREDENTIALS_KEY nor in CREDENTIALS_PREVIOUS_KEYS.`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretsError('Credentials failed their integrity check (wrong key or tampered data).');
  }
}

export const encryptJson = (ring: Keyring, value: unknown) => encryptSecret(ring, JSON.stringify(value));
export const decryptJson = <T = Record<string, unknown>>(ring: Keyring, envelope: string) => JSON.parse(decryptSecret(ring, envelope)) as T;

/** True when the envelope is under an older key (rotation re-encrypts those). */
export const isStale = (ring: Keyring, envelope: string) => envelope.split('.')[1] !== ring.current.id;

let cached: Keyring | undefined;

/** This process's keyring, from CREDENTIALS_KEY (+ CREDENTIALS_PREVIOUS_KEYS). */
export function credentialsKeyring(): Keyring {
  if (!cached) {
    const e = env();
    if (!e.CREDENTIALS_KEY) throw new SecretsError('CREDENTIALS_KEY is not set: connections cannot store credentials. `npm start` creates one in DATA_DIR.');
    cached = keyringFrom(e.CREDENTIALS_KEY, e.CREDENTIALS_PREVIOUS_KEYS?.split(',').filter(Boolean) ?? []);
  }
  return cached;
}

/** For `npm start` without CREDENTIALS_KEY: a key generated once and kept in DATA_DIR (mode 600). */
export function ensureLocalCredentialsKey(dataDir: string): string {
  const file = path.join(dataDir, 'credentials.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}
