import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchKeys } from './keys.ts';
import {
  CUIT_PREFIXES,
  MARKETPLACE_RELAY_DOMAINS,
  cuitCheckDigit,
  foldName,
  normalizeBirthDate,
  normalizeCuit,
  normalizeDni,
  normalizeEmail,
  normalizeIdentity,
  normalizePhone,
  normalizePostalCode,
} from './normalize.ts';
import { MATCH_RULES, type IdentityInput } from './types.ts';

describe('normalizeDni', () => {
  it.each<[string | null | undefined, string | null]>([
    ['12345678', '12345678'],
    ['12.345.678', '12345678'],
    ['12 345 678', '12345678'],
    ['12-345-678', '12345678'],
    [' 30772273 ', '30772273'],
    ['1.234.567', '1234567'], // 7 digits: DNIs below 10 million
    ['01234567', '1234567'], // leading zero dropped
    ['012345678', '12345678'], // zero-padded to 9
    ['0001234567', '1234567'],
    ['94123456', '94123456'], // foreign residents' range
    ['10000000', '10000000'],
    ['99999999', '99999999'],
  ])('%j is valid → %s', (raw, value) => {
    expect(normalizeDni(raw)).toEqual({ value, valid: true });
  });

  it.each<[string | null | undefined, RegExp]>([
    ['123456', /7 or 8 digits, got 6/],
    ['000123456', /7 or 8 digits, got 6/],
    ['123456789', /7 or 8 digits, got 9/],
    ['20123456786', /7 or 8 digits, got 11 \(this looks like a CUIT\/CUIL\)/],
    ['00000000', /7 or 8 digits, got 0/],
    ['12.345.67a', /only digits/],
    ['DNI 12345678', /only digits/],
    ['12,345,678', /only digits/],
    ['', /empty/],
    ['   ', /empty/],
    [null, /empty/],
    [undefined, /empty/],
  ])('%j is invalid (%s)', (raw, reason) => {
    const r = normalizeDni(raw);
    expect(r.valid).toBe(false);
    expect(r.value).toBeNull();
    expect(r.reason).toMatch(reason);
  });
});

describe('normalizeCuit', () => {
  it.each<[string, string, 'person' | 'company', string | null]>([
    ['20-12345678-6', '20123456786', 'person', '12345678'], // reference vector
    ['20123456786', '20123456786', 'person', '12345678'],
    ['20.12345678.6', '20123456786', 'person', '12345678'],
    ['20 12345678 6', '20123456786', 'person', '12345678'],
    ['20/12345678/6', '20123456786', 'person', '12345678'],
    ['33-69345023-9', '33693450239', 'company', null], // reference vector (AFIP's own CUIT)
    ['27-32659430-5', '27326594305', 'person', '32659430'],
    ['30-70835592-1', '30708355921', 'company', null],
    ['20-12345670-0', '20123456700', 'person', '12345670'], // r = 11 → check digit 0
    ['30-12345673-0', '30123456730', 'company', null], // r = 11 → check digit 0
    ['23-30000002-9', '23300000029', 'person', '30000002'], // 20-30000002 has r = 10 → AFIP uses 23, digit 9
    ['23-30000013-4', '23300000134', 'person', '30000013'], // 27-30000013 has r = 10 → AFIP uses 23, digit 4
    ['33-30000005-9', '33300000059', 'company', null], // 30-30000005 has r = 10 → AFIP uses 33, digit 9
    ['23-30772273-9', '23307722739', 'person', '30772273'],
    ['20-01234567-5', '20012345675', 'person', '1234567'], // 7-digit DNI, zero-padded inside the CUIT
    ['24-00123456-7', '24001234567', 'person', null], // valid CUIT, but 123456 is not a valid (7–8 digit) DNI
  ])('%s is valid', (raw, value, kind, dni) => {
    expect(normalizeCuit(raw)).toEqual({ value, valid: true, kind, dni });
  });

  it.each<[string | null | undefined, RegExp]>([
    ['20-12345678-5', /check digit is 5, expected 6/], // reference vector
    ['33-69345023-8', /check digit is 8, expected 9/],
    ['20-12345676-0', /no check digit exists for 2012345676 \(AFIP would use prefix 23\)/], // r = 10
    ['27-12345673-0', /no check digit exists .*prefix 23/], // r = 10
    ['30-30000005-0', /no check digit exists .*prefix 33/], // r = 10
    ['20-30772273-0', /no check digit exists/], // r = 10: this person's CUIL is 23-30772273-9
    ['25-12345678-8', /type prefix 25 is not one of 20, 23, 24, 27, 30, 33, 34/], // right check digit, unknown prefix
    ['11-12345678-7', /type prefix 11/],
    ['2012345678', /11 digits, got 10/],
    ['201234567866', /11 digits, got 12/],
    ['12345678', /11 digits, got 8/],
    ['CUIT 20-12345678-6', /only digits/],
    ['20_12345678_6', /only digits/],
    ['', /empty/],
    [null, /empty/],
  ])('%j is invalid (%s)', (raw, reason) => {
    const r = normalizeCuit(raw);
    expect(r).toMatchObject({ value: null, valid: false, kind: null, dni: null });
    expect(r.reason).toMatch(reason);
  });

  // Independent implementation of the reference algorithm (integrations.md §11.2), not the one under test.
  const referenceVerifier = (digits: string) => {
    const weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    const s = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
    const r = 11 - (s % 11);
    return r === 11 ? 0 : r;
  };

  it('never throws, and everything it accepts has a known prefix and a correct check digit (property)', () => {
    const separator = fc.constantFrom('', '-', '.', ' ', '/');
    const cuitLike = fc
      .tuple(fc.constantFrom('20', '23', '24', '27', '30', '33', '34', '25', '11'), fc.stringMatching(/^\d{8}$/), fc.integer({ min: 0, max: 9 }), separator)
      .map(([p, n, v, sep]) => `${p}${sep}${n}${sep}${v}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[\d .\-/]{0,16}$/), cuitLike), (raw) => {
        const r = normalizeCuit(raw);
        if (!r.valid) {
          expect(r.value).toBeNull();
          expect(r.reason).toBeTruthy();
          return;
        }
        const v = r.value ?? '';
        expect(v).toMatch(/^\d{11}$/);
        expect(Object.keys(CUIT_PREFIXES)).toContain(v.slice(0, 2));
        expect(referenceVerifier(v)).not.toBe(10);
        expect(referenceVerifier(v)).toBe(Number(v[10]));
        expect(cuitCheckDigit(v)).toBe(Number(v[10]));
        // The stripped input is exactly the canonical value.
        expect(raw.replace(/[^\d]/g, '')).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds the AFIP reassignment rule: when 20/27/30 give r = 10, 23/23/33 give 9/4/9 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 99_999_999 }), (n) => {
        const body = String(n).padStart(8, '0');
        for (const [from, to, digit] of [['20', '23', 9], ['27', '23', 4], ['30', '33', 9]] as const) {
          if (cuitCheckDigit(`${from}${body}`) === 10) expect(normalizeCuit(`${to}${body}${digit}`).valid).toBe(true);
        }
      }),
    );
  });
});

describe('normalizeEmail', () => {
  it.each<[string, string]>([
    ['ana@example.com', 'ana@example.com'],
    ['  Ana.Perez@Example.COM ', 'ana.perez@example.com'],
    ['ana+promo@gmail.com', 'ana+promo@gmail.com'], // +tags are kept: a different address
    ['a.n.a@gmail.com', 'a.n.a@gmail.com'], // Gmail dots are kept
    ["o'brien@example.com.ar", "o'brien@example.com.ar"],
    ['juan@mercadolibre.com', 'juan@mercadolibre.com'], // the company domain, not the relay
    ['ana@vtex.com.br', 'ana@vtex.com.br'],
    ['ana@mail.mercadolibre.evil.io', 'ana@mail.mercadolibre.evil.io'], // not an ML site suffix
    ['ana@ct.vtex.com.br.example.com', 'ana@ct.vtex.com.br.example.com'],
    ['josé@ñandú.com.ar', 'josé@xn--and-6ma2c.com.ar'], // IDN domain → ASCII (punycode)
    ['ANA@XN--AND-6MA2C.COM.AR', 'ana@xn--and-6ma2c.com.ar'], // … so both spellings compare equal
    ['a@b.co', 'a@b.co'],
  ])('%j is a valid address → %s', (raw, value) => {
    expect(normalizeEmail(raw)).toEqual({ value, valid: true, relay: false });
  });

  it.each<[string, string, string]>([
    ['ff2e6348a53a4d449af92be2a1011328@ct.vtex.com.br', 'ff2e6348a53a4d449af92be2a1011328@ct.vtex.com.br', 'ct.vtex.com.br'],
    ['johndoe@vtex.com.br-207700027841b.ct.vtex.com.br', 'johndoe@vtex.com.br-207700027841b.ct.vtex.com.br', 'ct.vtex.com.br'], // soft alias
    ['A27499CAD31F42B7A771AE34F57C8358@CT.VTEX.COM.BR', 'a27499cad31f42b7a771ae34f57c8358@ct.vtex.com.br', 'ct.vtex.com.br'],
    ['amoteno.z6s1hy+2-oge2tembwgq2dqnzz@mail.mercadolibre.com', 'amoteno.z6s1hy+2-oge2tembwgq2dqnzz@mail.mercadolibre.com', 'mail.mercadolibre.*'],
    ['rjimene.lzdltb+2-oge4dkojshaztknbt@mail.mercadolibre.com.mx', 'rjimene.lzdltb+2-oge4dkojshaztknbt@mail.mercadolibre.com.mx', 'mail.mercadolibre.*'],
    ['wangulo.3nygh3@mail.mercadolibre.com.ve', 'wangulo.3nygh3@mail.mercadolibre.com.ve', 'mail.mercadolibre.*'],
    ['ttest.wb84r71+2-oge3donrzgiydqnrt@mail.mercadolivre.com', 'ttest.wb84r71+2-oge3donrzgiydqnrt@mail.mercadolivre.com', 'mail.mercadolivre.*'],
    ['5vlhexampleh9h5@marketplace.amazon.com', '5vlhexampleh9h5@marketplace.amazon.com', 'marketplace.amazon.*'],
    ['b9h2fb3jc5m9lb2@marketplace.amazon.com.mx', 'b9h2fb3jc5m9lb2@marketplace.amazon.com.mx', 'marketplace.amazon.*'],
    ['x@marketplace.amazon.com.br', 'x@marketplace.amazon.com.br', 'marketplace.amazon.*'],
  ])('%j is a marketplace relay', (raw, value, entry) => {
    expect(normalizeEmail(raw)).toEqual({ value, valid: true, relay: true, reason: `marketplace relay address (${entry})` });
  });

  it.each<[string | null | undefined, RegExp]>([
    ['ana perez@example.com', /spaces/],
    ['ana@example .com', /spaces/],
    ['ana.example.com', /no @/],
    ['ana@@example.com', /more than one @/],
    ['ana@perez@example.com', /more than one @/],
    ['@example.com', /local part .* empty/],
    ['ana@', /domain .* empty/],
    ['ana@localhost', /must contain a dot/],
    ['ana@exa_mple.com', /invalid label/],
    ['ana@-example.com', /invalid label/],
    ['ana@example..com', /invalid label/],
    ['ana@example.com.', /invalid label/],
    ['ana@1.2.3.4', /top-level domain/],
    ['ana@[1.2.3.4]', /invalid label/],
    [`${'a'.repeat(65)}@example.com`, /longer than 64/],
    ['ana..perez@example.com', /misplaced dot/],
    ['.ana@example.com', /misplaced dot/],
    ['ana(perez)@example.com', /not allowed/],
    ['"ana"@example.com', /not allowed/],
    ['ana@ex!ample.com', /not allowed|invalid label/],
    ['', /empty/],
    [null, /empty/],
  ])('%j is invalid (%s)', (raw, reason) => {
    const r = normalizeEmail(raw);
    expect(r).toMatchObject({ value: null, valid: false, relay: false });
    expect(r.reason).toMatch(reason);
  });

  it('accepts extra relay domains (white-label Conversation Tracker hosts)', () => {
    const domains = [...MARKETPLACE_RELAY_DOMAINS, 'ct.mitienda.com.ar'];
    expect(normalizeEmail('abc@ct.mitienda.com.ar', domains)).toMatchObject({ valid: true, relay: true });
    expect(normalizeEmail('abc@ct.mitienda.com.ar')).toMatchObject({ valid: true, relay: false });
    expect(normalizeEmail('abc@ct.vtex.com.br', domains)).toMatchObject({ relay: true });
  });
});

describe('normalizePhone', () => {
  it.each<[string, string, string, boolean]>([
    // Argentina: domestic with trunk 0 and the 15 mobile prefix → +54 9 AREA NUMBER
    ['011 15-5555-1234', 'AR', '+5491155551234', true],
    ['+54 9 11 5555-1234', 'AR', '+5491155551234', true],
    ['5491155551234', 'AR', '+5491155551234', true], // WhatsApp wa_id form, no +
    ['0054 9 11 5555 1234', 'AR', '+5491155551234', true],
    ['(+54) 9 11 5555-1234', 'AR', '+5491155551234', true],
    ['+54 (011) 15 5555-1234', 'AR', '+5491155551234', true],
    ['+54 9 11 5555-1234 ext. 12', 'AR', '+5491155551234', true], // extension dropped
    ['011 15-5555-1234', 'ar', '+5491155551234', true], // default country is case-insensitive
    // International without the 9: libphonenumber says FIXED_LINE → kept as a fixed line (documented choice)
    ['+54 11 5555-1234', 'AR', '+541155551234', false],
    ['11 5555-1234', 'AR', '+541155551234', false],
    ['011 4321-5678', 'AR', '+541143215678', false],
    // Rosario (341), Córdoba (351), Río Gallegos (2966)
    ['341 15 555 1234', 'AR', '+5493415551234', true],
    ['+5493415551234', 'AR', '+5493415551234', true],
    ['0351 15 612 3456', 'AR', '+5493516123456', true],
    ['(0351) 412-3456', 'AR', '+543514123456', false],
    ['02966 15 612345', 'AR', '+5492966612345', true],
    ['+54 9 2966 61 2345', 'AR', '+5492966612345', true],
    ['2966 42 1234', 'AR', '+542966421234', false],
    ['0800 333 4444', 'AR', '+548003334444', false], // toll free: valid, not a mobile
    // Other countries
    ['+56 9 6123 4567', 'AR', '+56961234567', true], // Chile: FIXED_LINE_OR_MOBILE counts as mobile
    ['9 6123 4567', 'CL', '+56961234567', true],
    ['(11) 91234-5678', 'BR', '+5511912345678', true],
    ['+55 11 91234-5678', 'AR', '+5511912345678', true],
    ['+52 55 1234 5678', 'AR', '+525512345678', true], // Mexico: FIXED_LINE_OR_MOBILE
    ['+598 94 123 456', 'AR', '+59894123456', true],
    ['+57 321 1234567', 'AR', '+573211234567', true],
    ['+54 9 11 5555-1234', 'XX', '+5491155551234', true], // unsupported default is irrelevant with +country code
  ])('%j (default %s) → %s mobile=%s', (raw, country, e164, mobile) => {
    expect(normalizePhone(raw, country)).toEqual({ e164, valid: true, mobile });
  });

  it.each<[string | null | undefined, string, RegExp]>([
    ['+54 9 999 555 1234', 'AR', /\+5499995551234 is not a valid AR phone number/], // no such area code (min metadata accepts it)
    ['+54 9 2966 123456', 'AR', /not a valid AR/], // 2966 mobiles do not start with 1 (min metadata accepts it)
    ['15 5555 1234', 'AR', /not a valid AR/], // 15 prefix without area code
    ['+54 9 11 5555 123', 'AR', /not a valid AR/],
    ['+54 9 11 5555 12345', 'AR', /not a valid AR/],
    ['+56 9 1234 5678', 'AR', /\+56912345678 is not a valid CL phone number/], // 9-1… is not an allocated Chilean range
    ['123', 'AR', /\+54123 is not a valid AR phone number \(too short\)/],
    ['1', 'AR', /too short/],
    ['12345678901234567890', 'AR', /too long/],
    ['abc', 'AR', /not a phone number/],
    ['011 15-5555-1234 celular', 'AR', /not a phone number/], // free text is rejected, not guessed at
    ['++54 9 11 5555 1234', 'AR', /not a phone number/],
    ['+999 1234567', 'AR', /unknown country calling code/],
    ['011 15-5555-1234', 'XX', /"XX" is not a supported default country/],
    ['', 'AR', /empty/],
    [null, 'AR', /empty/],
  ])('%j (default %s) is invalid (%s)', (raw, country, reason) => {
    const r = normalizePhone(raw, country);
    expect(r).toMatchObject({ e164: null, valid: false, mobile: false });
    expect(r.reason).toMatch(reason);
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('AR', 'BR', 'CL', 'MX', 'US', 'xx', ''), (raw, country) => {
        const r = normalizePhone(raw, country);
        if (r.valid) expect(r.e164).toMatch(/^\+[1-9]\d{6,14}$/);
        else expect(r.e164).toBeNull();
      }),
    );
  });
});

describe('foldName', () => {
  it.each<[string | null | undefined, string | null]>([
    ['José', 'jose'],
    ['  MARÍA   de los  Ángeles ', 'maria de los angeles'],
    ['Nuñez', 'nunez'],
    ['NÚÑEZ', 'nunez'],
    ["O'Brien", 'o brien'],
    ['O’Connor', 'o connor'], // typographic apostrophe
    ['D’Alessandro', 'd alessandro'],
    ['Pérez-García', 'perez garcia'],
    ['Pérez – García', 'perez garcia'],
    ['Müller', 'muller'],
    ['Çelik', 'celik'],
    ['Ｊｏｓé', 'jose'], // full-width (NFKD)
    ['Av. Corrientes 1234', 'av corrientes 1234'],
    ['Juan\tCarlos\nPérez', 'juan carlos perez'],
    ['Gómez, Ana', 'gomez ana'],
    ['', null],
    ['   ', null],
    ['---', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (raw, folded) => {
    expect(foldName(raw)).toBe(folded);
  });
});

describe('normalizeBirthDate', () => {
  it.each<[string | null, string | null]>([
    ['1990-05-17', '1990-05-17'],
    [' 1990-05-17 ', '1990-05-17'],
    ['2000-02-29', '2000-02-29'], // divisible by 400: leap
    ['2024-02-29', '2024-02-29'],
    ['1900-02-29', null], // divisible by 100: not leap
    ['2023-02-29', null],
    ['1990-04-31', null],
    ['1990-13-01', null],
    ['1990-00-10', null],
    ['1990-01-00', null],
    ['1990-5-17', null],
    ['17/05/1990', null],
    ['1990-05-17T00:00:00Z', null],
    ['', null],
    [null, null],
  ])('%j → %j', (raw, value) => {
    expect(normalizeBirthDate(raw)).toBe(value);
  });
});

describe('normalizePostalCode', () => {
  it.each<[string | null | undefined, string | null]>([
    ['C1425ABC', 'C1425ABC'], // Argentine CPA
    ['c1425abc', 'C1425ABC'],
    [' C 1425 ABC ', 'C1425ABC'],
    ['1425', '1425'],
    ['22630-011', '22630011'], // Brazilian CEP
    ['', null],
    ['  ', null],
    [undefined, null],
  ])('%j → %j', (raw, value) => {
    expect(normalizePostalCode(raw)).toBe(value);
  });
});

describe('normalizeIdentity', () => {
  const empty: IdentityInput = { email: null, dni: null, cuit: null, phone: null, firstName: null, lastName: null, birthDate: null, address: null };
  const AR = { defaultCountry: 'AR' };

  it('fills every field of a complete Argentine profile', () => {
    const n = normalizeIdentity(
      {
        email: ' Ana.Perez@Example.COM ',
        dni: '12.345.678',
        cuit: '27-32659430-5',
        phone: '011 15-5555-1234',
        firstName: '  MARÍA   de los  Ángeles ',
        lastName: 'Pérez-García',
        birthDate: '1990-05-17',
        address: { street: 'Av. Corrientes 1234', line2: '3º B', city: 'Ciudad Autónoma de Buenos Aires', province: 'CABA', postalCode: 'c1425abc', country: 'AR' },
      },
      AR,
    );
    expect(n).toEqual({
      dnis: ['12345678', '32659430'],
      cuits: ['27326594305'],
      email: 'ana.perez@example.com',
      phone: '+5491155551234',
      phoneIsMobile: true,
      firstName: 'maria de los angeles',
      lastName: 'perez garcia',
      birthDate: '1990-05-17',
      street: 'av corrientes 1234',
      city: 'ciudad autonoma de buenos aires',
      province: 'caba',
      postalCode: 'C1425ABC',
      issues: [],
    });
  });

  it('is empty, with no issues, for an empty profile (blank strings are absent, not invalid)', () => {
    expect(normalizeIdentity({ ...empty, email: '  ', dni: '', address: { street: ' ' } }, AR)).toEqual({
      dnis: [],
      cuits: [],
      email: null,
      phone: null,
      phoneIsMobile: false,
      firstName: null,
      lastName: null,
      birthDate: null,
      street: null,
      city: null,
      province: null,
      postalCode: null,
      issues: [],
    });
  });

  it('reports invalid documents, a relay e-mail and an invalid phone as issues and uses none of them', () => {
    const n = normalizeIdentity(
      { ...empty, dni: '123', cuit: '20-12345678-5', email: 'ff2e6348a53a4d449af92be2a1011328@ct.vtex.com.br', phone: '15 5555 1234', birthDate: '1990-02-30' },
      AR,
    );
    expect(n).toMatchObject({ dnis: [], cuits: [], email: null, phone: null, phoneIsMobile: false, birthDate: null });
    expect(n.issues).toEqual([
      { field: 'dni', value: '123', reason: 'DNI must have 7 or 8 digits, got 3' },
      { field: 'cuit', value: '20-12345678-5', reason: 'CUIT check digit is 5, expected 6' },
      { field: 'email', value: 'ff2e6348a53a4d449af92be2a1011328@ct.vtex.com.br', reason: 'marketplace relay address (ct.vtex.com.br)' },
      { field: 'phone', value: '15 5555 1234', reason: '+541555551234 is not a valid AR phone number' },
    ]);
  });

  it('reports a malformed e-mail with its syntax reason', () => {
    expect(normalizeIdentity({ ...empty, email: 'ana@@example.com' }, AR).issues).toEqual([
      { field: 'email', value: 'ana@@example.com', reason: 'email has more than one @' },
    ]);
  });

  it('takes the DNI embedded in a person CUIT, deduplicated against the DNI field', () => {
    const n = normalizeIdentity({ ...empty, dni: '12.345.678', cuit: '20-12345678-6' }, AR);
    expect(n).toMatchObject({ dnis: ['12345678'], cuits: ['20123456786'], issues: [] });
  });

  it('takes no DNI from a company CUIT', () => {
    expect(normalizeIdentity({ ...empty, cuit: '33-69345023-9' }, AR)).toMatchObject({ dnis: [], cuits: ['33693450239'], issues: [] });
  });

  it('accepts a valid CUIT/CUIL written in the DNI field (VTEX `document` mixes them)', () => {
    expect(normalizeIdentity({ ...empty, dni: '20-12345678-6' }, AR)).toMatchObject({ dnis: ['12345678'], cuits: ['20123456786'], issues: [] });
    expect(normalizeIdentity({ ...empty, dni: '20-12345678-5' }, AR).issues).toEqual([
      { field: 'dni', value: '20-12345678-5', reason: 'DNI must have 7 or 8 digits, got 11 (this looks like a CUIT/CUIL)' },
    ]);
  });

  it('keeps a +54 number without the 9 as a fixed line', () => {
    expect(normalizeIdentity({ ...empty, phone: '+54 11 5555-1234' }, AR)).toMatchObject({ phone: '+541155551234', phoneIsMobile: false, issues: [] });
  });

  it('uses the default country for national phone numbers', () => {
    expect(normalizeIdentity({ ...empty, phone: '(11) 91234-5678' }, { defaultCountry: 'BR' })).toMatchObject({ phone: '+5511912345678', phoneIsMobile: true });
  });

  it('honours extra relay domains', () => {
    const n = normalizeIdentity({ ...empty, email: 'x@ct.mitienda.com.ar' }, { defaultCountry: 'AR', relayDomains: ['ct.mitienda.com.ar'] });
    expect(n.email).toBeNull();
    expect(n.issues).toEqual([{ field: 'email', value: 'x@ct.mitienda.com.ar', reason: 'marketplace relay address (ct.mitienda.com.ar)' }]);
  });

  it('gives a DNI-only profile and a person-CUIT profile of the same person a shared document key', () => {
    const fromMl = normalizeIdentity({ ...empty, dni: '32.659.430', lastName: 'Sánchez' }, AR);
    const fromVtex = normalizeIdentity(
      { ...empty, cuit: '27-32659430-5', email: 'a27499cad31f42b7a771ae34f57c8358@ct.vtex.com.br', phone: '+54 9 11 5555-1234', lastName: 'SANCHEZ' },
      AR,
    );
    const a = matchKeys(fromMl, MATCH_RULES);
    const b = matchKeys(fromVtex, MATCH_RULES);
    expect(a).toEqual([{ rule: 'document', value: 'dni:32659430' }]);
    expect(b).toEqual([
      { rule: 'document', value: 'cuit:27326594305' },
      { rule: 'document', value: 'dni:32659430' },
      { rule: 'phone_last_name', value: 'phone:+5491155551234|sanchez' },
    ]);
    // The relay e-mail produced no key.
    expect(b.some((k) => k.rule === 'email')).toBe(false);
  });
});
