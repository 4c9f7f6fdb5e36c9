// Golden record survivorship: for each field, the most recent non-empty value among a customer's
// source profiles wins. Pure; identity resolution (issue 3) adds per-field source priority on top.

export interface Address {
  street?: string;
  line2?: string;
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

export interface SurvivorshipOptions {
  /** Per field, sources in order of trust. Unlisted sources rank after listed ones. */
  sourcePriority?: Partial<Record<GoldenField, readonly string[]>>;
}

/**
 * Field-level survivorship. For each field: the value from the most trusted source (sourcePriority),
 * then the most recent; empty values never win. Deterministic: ties break on (source, externalId), so
 * input order never matters. Attributes merge key by key, most recent last.
 */
export function buildGoldenRecord(profiles: readonly ProfileForGolden[], opts: SurvivorshipOptions = {}): GoldenRecord {
  const byRecency = [...profiles].sort(
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
  for (const field of goldenFields) {
    const priority = opts.sourcePriority?.[field] ?? [];
    const rank = (source: string) => {
      const i = priority.indexOf(source);
      return i === -1 ? priority.length : i;
    };
    let best: ProfileForGolden | undefined;
    // Later entries of byRecency are more recent: among equal rank the later one wins.
    for (const p of byRecency) {
      if (isEmpty(valueOf(p, field))) continue;
      if (!best || rank(p.source) <= rank(best.source)) best = p;
    }
    if (!best) continue;
    (out as unknown as Record<string, unknown>)[field] = valueOf(best, field);
    out.fieldSources[field] = { source: best.source, externalId: best.externalId, at: best.updatedAt };
  }
  for (const p of byRecency) for (const [k, v] of Object.entries(p.attributes)) if (!isEmpty(v)) out.attributes[k] = v;
  return out;
}
