// Golden record survivorship: for each field, the most recent non-empty value among a customer's
// source profiles wins. Pure; identity resolution (issue 3) adds per-field source priority on top.

export interface Address {
  street?: string;
  city?: string;
  province?: string;
  postalCode?: string;
  country?: string;
}

export const goldenFields = ['email', 'phone', 'documentNumber', 'firstName', 'lastName', 'birthDate', 'address'] as const;
export type GoldenField = (typeof goldenFields)[number];

export interface FieldSource {
  source: string;
  externalId: string;
  /** ISO timestamp of the profile version the value came from. */
  at: string;
}
export type FieldSources = Partial<Record<GoldenField, FieldSource>>;

export interface ProfileForGolden {
  source: string;
  externalId: string;
  updatedAt: string;
  email: string | null;
  phone: string | null;
  dni: string | null;
  cuit: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  address: Address | null;
  attributes: Record<string, unknown>;
}

export interface GoldenRecord {
  email: string | null;
  phone: string | null;
  documentNumber: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  address: Address | null;
  attributes: Record<string, unknown>;
  fieldSources: FieldSources;
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'object' && Object.keys(v).length === 0);

function valueOf(p: ProfileForGolden, field: GoldenField): unknown {
  // A DNI is the person's document; a CUIT/CUIL stands in when no DNI was given.
  if (field === 'documentNumber') return isEmpty(p.dni) ? p.cuit : p.dni;
  return p[field];
}

/** Deterministic: ties on updatedAt break on (source, externalId) so input order never matters. */
export function buildGoldenRecord(profiles: readonly ProfileForGolden[]): GoldenRecord {
  const ordered = [...profiles].sort(
    (a, b) =>
      a.updatedAt.localeCompare(b.updatedAt) || a.source.localeCompare(b.source) || a.externalId.localeCompare(b.externalId),
  );
  const out: GoldenRecord = {
    email: null,
    phone: null,
    documentNumber: null,
    firstName: null,
    lastName: null,
    birthDate: null,
    address: null,
    attributes: {},
    fieldSources: {},
  };
  for (const p of ordered) {
    for (const field of goldenFields) {
      const v = valueOf(p, field);
      if (isEmpty(v)) continue;
      (out as unknown as Record<string, unknown>)[field] = v;
      out.fieldSources[field] = { source: p.source, externalId: p.externalId, at: p.updatedAt };
    }
    for (const [k, v] of Object.entries(p.attributes)) if (!isEmpty(v)) out.attributes[k] = v;
  }
  return out;
}
