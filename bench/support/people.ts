// Synthetic Argentine customers with realistic duplicates, for bench:identity. Seeded: same input, same data.
import { fakerES as faker } from '@faker-js/faker';
import type { ProfileRecord } from '#core/ingest/profiles.ts';
import { prng } from '#tests/support/prng.ts';


const PROVINCES: [province: string, city: string, area: string, cpa: string][] = [
  ['CABA', 'Buenos Aires', '11', 'C1425'],
  ['Buenos Aires', 'La Plata', '221', 'B1900'],
  ['Buenos Aires', 'Mar del Plata', '223', 'B7600'],
  ['Córdoba', 'Córdoba', '351', 'X5000'],
  ['Santa Fe', 'Rosario', '341', 'S2000'],
  ['Mendoza', 'Mendoza', '261', 'M5500'],
  ['Tucumán', 'San Miguel de Tucumán', '381', 'T4000'],
  ['Salta', 'Salta', '387', 'A4400'],
  ['Neuquén', 'Neuquén', '299', 'Q8300'],
  ['Santa Cruz', 'Río Gallegos', '2966', 'Z9400'],
];
const DOMAINS = ['gmail.com', 'hotmail.com', 'yahoo.com.ar', 'outlook.com', 'fibertel.com.ar'];
const SOURCES = ['erp', 'vtex', 'meli', 'web'];

interface Person {
  first: string;
  last: string;
  dni: string;
  email: string;
  phoneLocal: string;
  area: string;
  birth: string;
  street: string;
  province: string;
  city: string;
  cpa: string;
}

const cuitOf = (dni: string, prefix: string) => {
  const body = prefix + dni.padStart(8, '0');
  const w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  const r = 11 - (sum % 11);
  return r === 10 ? null : `${body}${r === 11 ? 0 : r}`;
};

/** One typo: drop, swap or replace a character. */
function typo(s: string, rnd: () => number): string {
  if (s.length < 4) return s;
  const i = 1 + Math.floor(rnd() * (s.length - 2));
  const k = rnd();
  if (k < 0.33) return s.slice(0, i) + s.slice(i + 1);
  if (k < 0.66) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  return s.slice(0, i) + 'aeiou'[Math.floor(rnd() * 5)] + s.slice(i + 1);
}

export function makePeopleGenerator(seed = 42) {
  faker.seed(seed);
  const rnd = prng(seed);
  const firsts = Array.from({ length: 3000 }, () => faker.person.firstName());
  const lasts = Array.from({ length: 3000 }, () => faker.person.lastName());
  const streets = Array.from({ length: 800 }, () => faker.location.street());
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const people: Person[] = [];

  function newPerson(i: number): Person {
    const first = pick(firsts);
    const last = pick(lasts);
    const [province, city, area, cpa] = pick(PROVINCES);
    const local = String(Math.floor(4_000_000 + rnd() * 5_999_999));
    const year = 1950 + Math.floor(rnd() * 55);
    const birth = `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const handle = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z.]/g, '');
    return {
      first,
      last,
      dni: String(10_000_000 + ((i * 7919 + Math.floor(rnd() * 1000)) % 85_000_000)),
      email: `${handle}${i}@${pick(DOMAINS)}`,
      phoneLocal: local.slice(0, 10 - area.length).padStart(10 - area.length, '5'),
      area,
      birth,
      street: `${pick(streets)} ${1 + Math.floor(rnd() * 4000)}`,
      province,
      city,
      // CPA: province letter + 4 digits + 3 letters for the block side (a city has thousands).
      cpa: `${cpa[0]}${1000 + Math.floor(rnd() * 9000)}${String.fromCharCode(65 + Math.floor(rnd() * 26), 65 + Math.floor(rnd() * 26), 65 + Math.floor(rnd() * 26))}`,
    };
  }

  function asRecord(p: Person, externalId: string, dup: boolean): ProfileRecord {
    const r: ProfileRecord = { externalId, firstName: p.first, lastName: p.last, birthDate: p.birth, address: { street: p.street, city: p.city, province: p.province, postalCode: p.cpa, country: 'AR' } };
    if (!dup) return { ...r, dni: p.dni, email: p.email, phone: `+54 9 ${p.area} ${p.phoneLocal}` };
    // A duplicate seen by another system: some identifiers missing, reformatted or mistyped.
    const k = rnd();
    const out: ProfileRecord = { ...r };
    if (k < 0.5) out.dni = rnd() < 0.5 ? p.dni.replace(/(\d{2})(\d{3})(\d{3})$/, '$1.$2.$3') : (cuitOf(p.dni, '20') ?? p.dni);
    if (k > 0.3) out.email = rnd() < 0.8 ? p.email.toUpperCase() : typo(p.email, rnd);
    if (rnd() < 0.5) out.phone = `0${p.area} 15-${p.phoneLocal}`;
    if (rnd() < 0.3) out.firstName = typo(p.first, rnd);
    if (rnd() < 0.2) out.lastName = typo(p.last, rnd);
    if (rnd() < 0.2) delete out.birthDate;
    return out;
  }

  /** Records in arrival order: about `dupRate` of them are another source's view of an earlier person. */
  return function* records(count: number, dupRate = 0.2): Generator<{ source: string; record: ProfileRecord }> {
    for (let i = 0; i < count; i++) {
      if (people.length > 10 && rnd() < dupRate) {
        const p = people[Math.floor(rnd() * people.length)]!;
        yield { source: pick(SOURCES), record: asRecord(p, `d-${i}`, true) };
      } else {
        const p = newPerson(people.length);
        people.push(p);
        yield { source: pick(SOURCES), record: asRecord(p, `p-${i}`, false) };
      }
    }
  };
}
