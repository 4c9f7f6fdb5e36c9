import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGoldenRecord, goldenFields, type ProfileForGolden } from './golden-record.ts';

const profile = (source: string, externalId: string, updatedAt: string, fields: Partial<ProfileForGolden> = {}): ProfileForGolden => ({
  source,
  externalId,
  updatedAt,
  email: null,
  phone: null,
  dni: null,
  cuit: null,
  firstName: null,
  lastName: null,
  birthDate: null,
  address: null,
  attributes: {},
  ...fields,
});

const T1 = '2024-01-01T10:00:00.000000Z';
const T2 = '2024-02-01T10:00:00.000000Z';
const T3 = '2024-03-01T10:00:00.000000Z';

describe('buildGoldenRecord', () => {
  it('is empty for no profiles', () => {
    expect(buildGoldenRecord([])).toEqual({
      email: null,
      phone: null,
      documentNumber: null,
      firstName: null,
      lastName: null,
      birthDate: null,
      address: null,
      attributes: {},
      fieldSources: {},
    });
  });

  it('takes the most recent non-empty value per field and records where it came from', () => {
    const erp = profile('erp', 'E-1', T1, { email: 'old@example.com', phone: '111', firstName: 'Ana', birthDate: '1990-05-17', attributes: { tier: 'silver', erpOnly: 1 } });
    const vtex = profile('vtex', 'V-9', T3, { email: 'new@example.com', lastName: 'Pérez', attributes: { tier: 'gold' } });
    const events = profile('events', 'user-1', T2, { phone: '222', firstName: 'Anita', address: { city: 'Rosario' } });
    const g = buildGoldenRecord([erp, vtex, events]);
    expect(g).toMatchObject({
      email: 'new@example.com',
      phone: '222',
      firstName: 'Anita',
      lastName: 'Pérez',
      birthDate: '1990-05-17',
      address: { city: 'Rosario' },
      attributes: { tier: 'gold', erpOnly: 1 },
      documentNumber: null,
    });
    expect(g.fieldSources).toEqual({
      email: { source: 'vtex', externalId: 'V-9', at: T3 },
      phone: { source: 'events', externalId: 'user-1', at: T2 },
      firstName: { source: 'events', externalId: 'user-1', at: T2 },
      lastName: { source: 'vtex', externalId: 'V-9', at: T3 },
      birthDate: { source: 'erp', externalId: 'E-1', at: T1 },
      address: { source: 'events', externalId: 'user-1', at: T2 },
    });
  });

  it('ignores empty strings, blank strings and empty objects', () => {
    const older = profile('erp', 'E-1', T1, { email: 'keep@example.com', firstName: 'Ana', address: { city: 'Salta' }, attributes: { note: 'x' } });
    const newer = profile('vtex', 'V-1', T2, { email: '', firstName: '   ', address: {}, attributes: { note: '' } });
    const g = buildGoldenRecord([newer, older]);
    expect(g.email).toBe('keep@example.com');
    expect(g.firstName).toBe('Ana');
    expect(g.address).toEqual({ city: 'Salta' });
    expect(g.attributes).toEqual({ note: 'x' });
    expect(g.fieldSources.email).toEqual({ source: 'erp', externalId: 'E-1', at: T1 });
  });

  it('prefers the DNI over the CUIT for documentNumber, and falls back to the CUIT', () => {
    expect(buildGoldenRecord([profile('erp', '1', T1, { dni: '30123456', cuit: '20-30123456-7' })]).documentNumber).toBe('30123456');
    expect(buildGoldenRecord([profile('erp', '1', T1, { cuit: '20-30123456-7' })]).documentNumber).toBe('20-30123456-7');
    // a blank DNI is no DNI
    expect(buildGoldenRecord([profile('erp', '1', T1, { dni: '', cuit: '20-30123456-7' })]).documentNumber).toBe('20-30123456-7');
    // the newest profile's document wins, whichever kind it is
    const g = buildGoldenRecord([profile('erp', '1', T1, { dni: '30123456' }), profile('afip', '2', T2, { cuit: '27-11111111-1' })]);
    expect(g.documentNumber).toBe('27-11111111-1');
    expect(g.fieldSources.documentNumber).toEqual({ source: 'afip', externalId: '2', at: T2 });
  });

  it('breaks ties on updatedAt by (source, externalId)', () => {
    const a = profile('a', '1', T1, { email: 'a@example.com' });
    const b = profile('b', '1', T1, { email: 'b@example.com' });
    expect(buildGoldenRecord([a, b]).email).toBe('b@example.com');
    expect(buildGoldenRecord([b, a]).email).toBe('b@example.com');
  });

  it('does not modify its input', () => {
    const input = [profile('b', '1', T2, { email: 'b@x.co' }), profile('a', '1', T1, { email: 'a@x.co' })];
    const copy = structuredClone(input);
    buildGoldenRecord(input);
    expect(input).toEqual(copy);
  });

  it('gives the same result for any order of the same profiles', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    const text = fc.constantFrom('', ' ', 'x', 'y', 'Ana', 'Pérez', '30123456', '20-30123456-7');
    const arbProfile = fc.record({
      source: fc.constantFrom('erp', 'vtex', 'events', 'pos'),
      externalId: fc.constantFrom('1', '2', '3', 'u-1', 'u-2'),
      // few distinct timestamps so ties on updatedAt are common
      updatedAt: fc.constantFrom(T1, T2, T3),
      email: maybe(text),
      phone: maybe(text),
      dni: maybe(text),
      cuit: maybe(text),
      firstName: maybe(text),
      lastName: maybe(text),
      birthDate: maybe(fc.constantFrom('1990-01-01', '2000-12-31', '')),
      address: maybe(fc.constantFrom({}, { city: 'Rosario' }, { province: 'Salta', country: 'AR' })),
      attributes: fc.dictionary(fc.constantFrom('tier', 'vip', 'note'), fc.constantFrom('', 'gold', 1, true)),
    });
    // (source, externalId) is unique per tenant, so it is unique among one customer's profiles.
    const profiles = fc.uniqueArray(arbProfile, { selector: (p) => `${p.source}|${p.externalId}`, minLength: 0, maxLength: 8 });
    fc.assert(
      fc.property(
        profiles.chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length }))),
        ([ps, shuffled]) => {
          const expected = buildGoldenRecord(ps);
          const actual = buildGoldenRecord(shuffled);
          expect(actual).toEqual(expected);
          // key order of attributes and fieldSources is part of the JSON the database stores
          expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every value in the golden record comes from the profile its fieldSource names', () => {
    const arbProfile = fc.record({
      source: fc.constantFrom('erp', 'vtex', 'events'),
      externalId: fc.string({ minLength: 1, maxLength: 4 }),
      updatedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
      email: fc.option(fc.emailAddress(), { nil: null }),
      phone: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      dni: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      cuit: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      firstName: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      lastName: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      birthDate: fc.constant(null),
      address: fc.constant(null),
      attributes: fc.constant({}),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbProfile, { selector: (p) => `${p.source}|${p.externalId}`, maxLength: 6 }), (ps) => {
        const g = buildGoldenRecord(ps);
        for (const field of goldenFields) if (!g.fieldSources[field]) expect(g[field]).toBeNull();
        for (const [field, src] of Object.entries(g.fieldSources)) {
          const from = ps.find((p) => p.source === src.source && p.externalId === src.externalId);
          expect(from).toBeDefined();
          expect(src.at).toBe(from!.updatedAt);
          const value = field === 'documentNumber' ? (from!.dni?.trim() ? from!.dni : from!.cuit) : from![field as keyof ProfileForGolden];
          expect(g[field as keyof typeof g]).toEqual(value);
          // and no profile that is newer has a non-blank value for that field
          const newer = ps.filter((p) => p.updatedAt > src.at);
          for (const p of newer) {
            const v = field === 'documentNumber' ? (p.dni?.trim() ? p.dni : p.cuit) : p[field as keyof ProfileForGolden];
            expect(typeof v === 'string' ? v.trim() : v).toBeFalsy();
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
