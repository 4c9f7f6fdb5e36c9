// Maps Segment identify traits onto the fields of a source profile. Pure.
import type { ProfileRecord } from './profiles.ts';
import { profileRecord } from './profiles.ts';

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** The first value that is a non-blank string or a number (Segment clients mix camelCase and snake_case). */
const first = (...values: unknown[]) => values.map(str).find((v) => v !== undefined);

const known = new Set([
  'email', 'phone', 'firstName', 'first_name', 'lastName', 'last_name', 'name', 'birthday', 'birthDate',
  'dni', 'cuit', 'cuil', 'address',
]);

/**
 * Segment spec traits (email, phone, firstName, lastName, name, birthday, address{street,city,state,postalCode,country})
 * plus the Argentine documents (dni, cuit/cuil). Unknown traits become attributes; invalid values are dropped
 * from the typed fields but kept in attributes, so nothing the client sent is lost.
 */
export function traitsToProfile(externalId: string, traits: Record<string, unknown>): ProfileRecord {
  let firstName = first(traits.firstName, traits.first_name);
  let lastName = first(traits.lastName, traits.last_name);
  const name = str(traits.name);
  if (name && !firstName && !lastName) {
    const [first, ...rest] = name.split(/\s+/);
    firstName = first;
    lastName = rest.join(' ') || undefined;
  }
  const birthday = first(traits.birthday, traits.birthDate)?.slice(0, 10);
  const addr = typeof traits.address === 'object' && traits.address !== null ? (traits.address as Record<string, unknown>) : undefined;
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(traits)) if (!known.has(k)) attributes[k] = v;

  const candidate = {
    externalId,
    email: str(traits.email)?.toLowerCase(),
    phone: str(traits.phone),
    firstName,
    lastName,
    birthDate: birthday,
    dni: str(traits.dni),
    cuit: first(traits.cuit, traits.cuil),
    address: addr && {
      street: str(addr.street),
      city: str(addr.city),
      province: first(addr.state, addr.province),
      postalCode: first(addr.postalCode, addr.postal_code),
      country: str(addr.country),
    },
    attributes,
  };
  const parsed = profileRecord.safeParse(stripUndefined(candidate));
  if (parsed.success) return parsed.data;
  // Keep every field that is valid on its own; park the rest under attributes.invalidTraits.
  const out: Record<string, unknown> = { externalId, attributes: { ...attributes } };
  const invalid: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stripUndefined(candidate))) {
    if (k === 'externalId' || k === 'attributes') continue;
    const field = profileRecord.shape[k as keyof typeof profileRecord.shape];
    if (field.safeParse(v).success) out[k] = v;
    else invalid[k] = v;
  }
  if (Object.keys(invalid).length) (out.attributes as Record<string, unknown>).invalidTraits = invalid;
  return profileRecord.parse(out);
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && k === 'address') {
      const a = stripUndefined(v as Record<string, unknown>);
      if (Object.keys(a).length) out[k] = a;
    } else out[k] = v;
  }
  return out as T;
}
