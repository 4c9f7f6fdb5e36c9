import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { MAX_PROFILES_PER_BATCH, profileBatch, profileRecord } from './profiles.ts';
import { parseBatch } from './validation.ts';

const rec = (i: number, extra: Record<string, unknown> = {}) => ({ externalId: `c-${i}`, email: `p${i}@example.com`, ...extra });

function batchError(body: unknown): UserError {
  try {
    parseBatch(profileBatch, body, 'records', 'profiles');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('parseBatch accepted an invalid batch');
}

describe('profileRecord', () => {
  it('trims and lowercases the email', () => {
    expect(profileRecord.parse({ externalId: 'x', email: '  Ana.Perez@Example.COM ' }).email).toBe('ana.perez@example.com');
  });

  it('keeps every documented field', () => {
    const full = {
      externalId: 'erp-1',
      email: 'a@b.co',
      dni: '30123456',
      cuit: '20-30123456-7',
      phone: '+54 11 5555-1234',
      firstName: 'Ana',
      lastName: 'Pérez',
      birthDate: '1990-05-17',
      address: { street: 'Av. Siempre Viva 742', city: 'Rosario', province: 'Santa Fe', postalCode: 'S2000', country: 'AR' },
      attributes: { vip: true, tags: ['a'] },
    };
    expect(profileRecord.parse(full)).toEqual(full);
  });

  it('rejects an invalid email with its path', () => {
    const r = profileRecord.safeParse({ externalId: 'x', email: 'not-an-email' });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: ['email'], message: 'Invalid email address' })]);
  });

  it('rejects unknown keys, at the top level and inside address', () => {
    const top = profileRecord.safeParse({ externalId: 'x', favouriteColour: 'blue' });
    expect(top.success).toBe(false);
    expect(top.error!.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['favouriteColour'] })]);
    const nested = profileRecord.safeParse({ externalId: 'x', address: { state: 'Córdoba' } });
    expect(nested.success).toBe(false);
    expect(nested.error!.issues[0]!.path).toEqual(['address']);
  });

  it('requires birthDate as YYYY-MM-DD', () => {
    expect(profileRecord.parse({ externalId: 'x', birthDate: '1990-05-17' }).birthDate).toBe('1990-05-17');
    for (const birthDate of ['17/05/1990', '1990-5-17', '1990-05-17T00:00:00Z', '1990-02-30', '1990-13-01', ''])
      expect(profileRecord.safeParse({ externalId: 'x', birthDate }).success, birthDate).toBe(false);
  });

  it('requires a non-blank externalId and rejects blank strings in text fields', () => {
    expect(profileRecord.safeParse({ email: 'a@b.co' }).success).toBe(false);
    expect(profileRecord.safeParse({ externalId: '   ' }).success).toBe(false);
    expect(profileRecord.safeParse({ externalId: 'x', firstName: ' ' }).success).toBe(false);
  });
});

describe('profileBatch', () => {
  it('accepts a valid batch and normalizes it', () => {
    const parsed = parseBatch(profileBatch, { source: 'vtex', records: [rec(1, { email: 'P1@Example.com' }), rec(2)] }, 'records', 'profiles');
    expect(parsed.source).toBe('vtex');
    expect(parsed.records.map((r) => r.email)).toEqual(['p1@example.com', 'p2@example.com']);
  });

  it('rejects a duplicate externalId at the second occurrence', () => {
    const records = [rec(0), rec(1), rec(2), { ...rec(3), externalId: 'c-1' }, rec(4)];
    const err = batchError({ source: 'erp', records });
    expect(err.code).toBe('invalid_batch');
    expect(err.status).toBe(400);
    expect(err.details).toEqual([{ index: 3, path: 'externalId', message: 'Duplicate externalId; already at index 1' }]);
    expect(err.message).toBe('1 profiles in the batch are invalid; nothing was written.');
  });

  it('reports the bad items of a batch with index and path', () => {
    const records = [rec(0), rec(1, { email: 'nope' }), rec(2), rec(3, { birthDate: '03/04/2001' })];
    const err = batchError({ source: 'erp', records });
    expect(err.details).toEqual([
      { index: 1, path: 'email', message: 'Invalid email address' },
      { index: 3, path: 'birthDate', message: expect.any(String) },
    ]);
  });

  it('rejects a bad source', () => {
    for (const source of ['VTEX', 'my source', '-erp', '', 'a'.repeat(64), 'erp/1']) {
      const err = batchError({ source, records: [rec(1)] });
      expect(err.details, source).toEqual([{ path: 'source', message: expect.stringMatching(/source must be lowercase/) }]);
    }
    for (const source of ['vtex', 'erp_2', 'shop.ar', 'a', 'a'.repeat(63)])
      expect(profileBatch.safeParse({ source, records: [rec(1)] }).success, source).toBe(true);
  });

  it('rejects unknown top-level keys in a record and reports them under the item', () => {
    const err = batchError({ source: 'erp', records: [rec(0), rec(1, { nickname: 'x' })] });
    expect(err.details).toEqual([{ index: 1, path: '', message: expect.stringContaining('nickname') }]);
  });

  it('enforces the batch size', () => {
    const max = Array.from({ length: MAX_PROFILES_PER_BATCH }, (_, i) => rec(i));
    expect(profileBatch.safeParse({ source: 'erp', records: max }).success).toBe(true);
    expect(profileBatch.safeParse({ source: 'erp', records: [...max, rec(MAX_PROFILES_PER_BATCH)] }).success).toBe(false);
    expect(profileBatch.safeParse({ source: 'erp', records: [] }).success).toBe(false);
  });
});
