// Shapes shared by normalization, match keys, probabilistic scoring and the resolution engine.

/** What identity resolution reads from a source profile (the columns of source_profiles, raw). */
export interface IdentityInput {
  email: string | null;
  dni: string | null;
  cuit: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
  address: {
    street?: string | undefined;
    line2?: string | undefined;
    city?: string | undefined;
    province?: string | undefined;
    postalCode?: string | undefined;
    country?: string | undefined;
  } | null;
}

/** A value the profile carries that cannot be used for matching, and why (reported, never a match key). */
export interface IdentityIssue {
  field: 'email' | 'dni' | 'cuit' | 'phone';
  value: string;
  reason: string;
}

/** Comparison-ready form of a profile. Every string is folded (lower case, no accents, single spaces). */
export interface NormalizedIdentity {
  /** Valid DNI numbers (7–8 digits, no leading zeros): from `dni`, and the one embedded in a person's CUIT/CUIL. */
  dnis: string[];
  /** Valid CUIT/CUIL (11 digits, check digit verified). */
  cuits: string[];
  /** Valid, non-relay email, lower-cased. */
  email: string | null;
  /** E.164, when the number is valid for its country. */
  phone: string | null;
  phoneIsMobile: boolean;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  street: string | null;
  city: string | null;
  province: string | null;
  postalCode: string | null;
  issues: IdentityIssue[];
}

export type MatchRule = 'document' | 'email' | 'phone_last_name';
export const MATCH_RULES: readonly MatchRule[] = ['document', 'email', 'phone_last_name'];

/** A deterministic match key: profiles that share one belong to the same person (when the rule is on). */
export interface MatchKey {
  rule: MatchRule;
  value: string;
}
