import { describe, expect, it } from 'vitest';
import { profileRecord } from './profiles.ts';
import { traitsToProfile } from './traits.ts';

describe('traitsToProfile', () => {
  it('maps Segment spec traits onto profile fields', () => {
    const p = traitsToProfile('user-1', {
      email: ' Ana@Example.COM ',
      phone: '+54 11 5555-1234',
      firstName: 'Ana',
      lastName: 'Pérez',
      birthday: '1990-05-17',
      address: { street: 'Av. Siempre Viva 742', city: 'Rosario', state: 'Santa Fe', postalCode: 'S2000', country: 'AR' },
    });
    expect(p).toEqual({
      externalId: 'user-1',
      email: 'ana@example.com',
      phone: '+54 11 5555-1234',
      firstName: 'Ana',
      lastName: 'Pérez',
      birthDate: '1990-05-17',
      address: { street: 'Av. Siempre Viva 742', city: 'Rosario', province: 'Santa Fe', postalCode: 'S2000', country: 'AR' },
      attributes: {},
    });
    // What comes out is always a valid profile record.
    expect(profileRecord.parse(p)).toEqual(p);
  });

  it('accepts snake_case first_name / last_name / postal_code', () => {
    const p = traitsToProfile('u', { first_name: 'Juan', last_name: 'Gómez', address: { postal_code: '1425', province: 'CABA' } });
    expect(p).toMatchObject({ firstName: 'Juan', lastName: 'Gómez', address: { postalCode: '1425', province: 'CABA' } });
  });

  it('prefers address.state over address.province', () => {
    expect(traitsToProfile('u', { address: { state: 'Córdoba', province: 'Mendoza' } }).address).toEqual({ province: 'Córdoba' });
  });

  it('splits name into first and last name when they are not given', () => {
    expect(traitsToProfile('u', { name: 'Juan Carlos  Pérez' })).toMatchObject({ firstName: 'Juan', lastName: 'Carlos Pérez' });
    const single = traitsToProfile('u', { name: 'Cher' });
    expect(single.firstName).toBe('Cher');
    expect(single).not.toHaveProperty('lastName');
    // explicit names win over name
    expect(traitsToProfile('u', { name: 'Juan Pérez', firstName: 'Ana' })).toMatchObject({ firstName: 'Ana' });
    expect(traitsToProfile('u', { name: 'Juan Pérez', firstName: 'Ana' })).not.toHaveProperty('lastName');
  });

  it('takes the date part of birthday (or birthDate)', () => {
    expect(traitsToProfile('u', { birthday: '1985-12-01T03:00:00.000Z' }).birthDate).toBe('1985-12-01');
    expect(traitsToProfile('u', { birthDate: '2001-02-03' }).birthDate).toBe('2001-02-03');
  });

  it('maps dni, and cuit or cuil (numbers become strings)', () => {
    expect(traitsToProfile('u', { dni: 30123456, cuit: '20-30123456-7' })).toMatchObject({ dni: '30123456', cuit: '20-30123456-7' });
    expect(traitsToProfile('u', { cuil: '27-12345678-9' })).toMatchObject({ cuit: '27-12345678-9' });
    expect(traitsToProfile('u', { cuit: '20-1-1', cuil: '27-2-2' }).cuit).toBe('20-1-1');
  });

  it('puts unknown traits into attributes, untouched', () => {
    const p = traitsToProfile('u', { email: 'a@b.co', plan: 'gold', logins: 3, prefs: { newsletter: true }, tags: ['x'] });
    expect(p.attributes).toEqual({ plan: 'gold', logins: 3, prefs: { newsletter: true }, tags: ['x'] });
    expect(p.email).toBe('a@b.co');
  });

  it('drops blank and non-string values from typed fields', () => {
    const p = traitsToProfile('u', { email: '   ', phone: null, firstName: '', lastName: { x: 1 }, address: 'Calle 1' });
    expect(p).toEqual({ externalId: 'u', attributes: {} });
  });

  it('keeps an invalid email under attributes.invalidTraits, not as email, and keeps the valid fields', () => {
    const p = traitsToProfile('u', { email: 'not-an-email', firstName: 'Ana', plan: 'gold' });
    expect(p).not.toHaveProperty('email');
    expect(p.firstName).toBe('Ana');
    expect(p.attributes).toEqual({ plan: 'gold', invalidTraits: { email: 'not-an-email' } });
  });

  it('parks every invalid field (bad birthday, over-long document) under invalidTraits', () => {
    const p = traitsToProfile('u', { birthday: '17/05/1990', dni: '1'.repeat(21), phone: '+54 9 341 555-0000' });
    expect(p).not.toHaveProperty('birthDate');
    expect(p).not.toHaveProperty('dni');
    expect(p.phone).toBe('+54 9 341 555-0000');
    expect(p.attributes).toEqual({ invalidTraits: { birthDate: '17/05/1990', dni: '1'.repeat(21) } });
  });
});
