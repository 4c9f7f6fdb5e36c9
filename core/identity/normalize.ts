// Normalization of identity fields for resolution: Argentine documents (DNI, CUIT/CUIL), e-mail, phones (E.164),
// names and address parts. Pure: no I/O, no clock, no environment. See docs: integrations.md §0.4, §1.5, §2.2, §11.
import { isSupportedCountry, parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { IdentityInput, IdentityIssue, NormalizedIdentity } from './types.ts';

const isBlank = (raw: string | null | undefined): raw is null | undefined | '' => raw == null || raw.trim() === '';

// ---------------------------------------------------------------------------------------------------------------
// DNI

export interface DniResult {
  /** Digits without leading zeros, when valid. */
  value: string | null;
  valid: boolean;
  reason?: string;
}

/**
 * DNI: dots, spaces and dashes are separators (`12.345.678`, `12 345 678`); leading zeros are dropped
 * (`012345678` is DNI 12345678, the zero-padded form used inside a CUIT). Valid DNIs have 7 or 8 digits; there is
 * no check digit, so this is only a format check.
 */
export function normalizeDni(raw: string | null | undefined): DniResult {
  if (isBlank(raw)) return { value: null, valid: false, reason: 'DNI is empty' };
  const compact = raw.replace(/[.\s-]/g, '');
  if (!/^\d+$/.test(compact)) return { value: null, valid: false, reason: 'DNI must contain only digits (and . - or spaces)' };
  const digits = compact.replace(/^0+/, '');
  if (digits.length < 7 || digits.length > 8) {
    const hint = digits.length === 11 ? ' (this looks like a CUIT/CUIL)' : '';
    return { value: null, valid: false, reason: `DNI must have 7 or 8 digits, got ${digits.length}${hint}` };
  }
  return { value: digits, valid: true };
}

// ---------------------------------------------------------------------------------------------------------------
// CUIT / CUIL

export type CuitKind = 'person' | 'company';

export interface CuitResult {
  /** Canonical 11 digits `TTNNNNNNNNV`, when valid. */
  value: string | null;
  valid: boolean;
  kind: CuitKind | null;
  /** For a person's CUIT/CUIL: the embedded DNI (digits 3–10, leading zeros removed) when it is a valid DNI. */
  dni: string | null;
  reason?: string;
}

/** Type prefixes AFIP assigns. 23/24 and 33/34 are the alternatives used when 20/27 or 30 would need verifier 10. */
export const CUIT_PREFIXES: Readonly<Record<string, CuitKind>> = {
  '20': 'person',
  '23': 'person',
  '24': 'person',
  '27': 'person',
  '30': 'company',
  '33': 'company',
  '34': 'company',
};

const CUIT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * The mod-11 verifier of the first 10 digits of a CUIT/CUIL: `r = 11 − (Σ dᵢ·wᵢ mod 11)`, 11 → 0.
 * Returns 10 when no verifier exists for these 10 digits (AFIP then changes the prefix instead: 20/27 → 23, 30 → 33).
 */
export function cuitCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < CUIT_WEIGHTS.length; i++) sum += Number(first10.charAt(i)) * (CUIT_WEIGHTS[i] ?? 0);
  const r = 11 - (sum % 11);
  return r === 11 ? 0 : r;
}

const invalidCuit = (reason: string): CuitResult => ({ value: null, valid: false, kind: null, dni: null, reason });

/**
 * CUIT/CUIL `TT-NNNNNNNN-V`: dashes, dots, spaces and slashes are separators. Valid when it has 11 digits, a known
 * type prefix and a correct check digit. A valid check digit does not prove the CUIT is assigned (that needs AFIP).
 */
export function normalizeCuit(raw: string | null | undefined): CuitResult {
  if (isBlank(raw)) return invalidCuit('CUIT is empty');
  const digits = raw.replace(/[.\s/-]/g, '');
  if (!/^\d+$/.test(digits)) return invalidCuit('CUIT must contain only digits (and - . / or spaces)');
  if (digits.length !== 11) return invalidCuit(`CUIT must have 11 digits, got ${digits.length}`);
  const prefix = digits.slice(0, 2);
  const kind = CUIT_PREFIXES[prefix];
  if (!kind) return invalidCuit(`CUIT type prefix ${prefix} is not one of ${Object.keys(CUIT_PREFIXES).join(', ')}`);
  const expected = cuitCheckDigit(digits.slice(0, 10));
  if (expected === 10) return invalidCuit(`no check digit exists for ${digits.slice(0, 10)} (AFIP would use prefix ${kind === 'person' ? '23' : '33'})`);
  const given = Number(digits.charAt(10));
  if (given !== expected) return invalidCuit(`CUIT check digit is ${given}, expected ${expected}`);
  const dni = kind === 'person' ? normalizeDni(digits.slice(2, 10)) : null;
  return { value: digits, valid: true, kind, dni: dni?.valid ? dni.value : null };
}

// ---------------------------------------------------------------------------------------------------------------
// E-mail

/**
 * Marketplace relay (masked) e-mail domains: addresses that forward to the buyer for one order or one
 * seller–buyer pair. They identify nobody across channels, may expire, and the marketplaces forbid marketing on
 * them, so they are never match keys or marketing addresses.
 *
 * An entry matches that domain and any subdomain of it. A trailing `.*` stands for a marketplace's per-site public
 * suffix: `com`, `com.xx`, `net`, `org`, `net.xx`, `org.xx` or a two-letter ccTLD (so `mail.mercadolibre.*` matches
 * `mail.mercadolibre.com`, `mail.mercadolibre.com.mx`, `mail.mercadolibre.cl`, but not `mail.mercadolibre.evil.io`).
 */
export const MARKETPLACE_RELAY_DOMAINS: readonly string[] = [
  // VTEX Conversation Tracker (integrations.md §1.5): hard alias `<hex>@ct.vtex.com.br`, soft alias
  // `john@vtex.com.br-<id>.ct.vtex.com.br` (a subdomain). Order-scoped, expires, VTEX forbids marketing on it.
  'ct.vtex.com.br',
  // Mercado Libre buyer alias (`buyer.email`, `secure_email`), e.g. `jperez.a1b2c3+2-ogeyd…@mail.mercadolibre.com`;
  // per-site variants seen in API payloads: `.com`, `.com.mx`, `.com.ve`. ML never exposes the real address (§2.2).
  'mail.mercadolibre.*',
  // Mercado Livre (Brazil), the same relay: `…@mail.mercadolivre.com` (integrations.md §2.2).
  'mail.mercadolivre.*',
  // Amazon buyer–seller messaging: order `BuyerEmail` is `<token>@marketplace.amazon.<site>` (`.com`, `.com.br`,
  // `.com.mx`, …); Amazon never reveals the buyer's address and the token is per buyer–seller pair.
  'marketplace.amazon.*',
];

const PUBLIC_SUFFIX = String.raw`(?:(?:com|net|org)(?:\.[a-z]{2})?|[a-z]{2})`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function relayMatcher(entry: string): RegExp {
  const e = entry.trim().toLowerCase();
  const body = e.endsWith('.*') ? `${escapeRegExp(e.slice(0, -2))}\\.${PUBLIC_SUFFIX}` : escapeRegExp(e);
  return new RegExp(`(?:^|\\.)${body}$`);
}

const defaultRelayMatchers = MARKETPLACE_RELAY_DOMAINS.map((d) => [d, relayMatcher(d)] as const);

/** The relay entry an (ASCII, lower-case) e-mail domain matches, if any. */
export function relayDomainOf(domain: string, relayDomains: readonly string[] = MARKETPLACE_RELAY_DOMAINS): string | null {
  const matchers = relayDomains === MARKETPLACE_RELAY_DOMAINS ? defaultRelayMatchers : relayDomains.map((d) => [d, relayMatcher(d)] as const);
  const d = domain.toLowerCase();
  for (const [entry, re] of matchers) if (re.test(d)) return entry;
  return null;
}

export interface EmailResult {
  /** Trimmed, lower-cased, domain in ASCII (IDNA/punycode) form, when the syntax is valid. */
  value: string | null;
  /** Syntactically valid. A relay address is valid but must not be used (see `relay`). */
  valid: boolean;
  /** A marketplace relay (masked) address: never a match key, never a marketing address. */
  relay: boolean;
  reason?: string;
}

// RFC 5322 `atext` plus dots, and any non-ASCII letter/mark/number (RFC 6531 internationalized local parts).
const LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An IDN domain in ASCII form (`ñandú.com.ar` → `xn--and-6ma2c.com.ar`), via the WHATWG URL host parser (UTS #46). */
function domainToAscii(domain: string): string | null {
  if (/^[\x21-\x7e]*$/.test(domain)) return domain;
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(domain)) return null;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
}

const invalidEmail = (reason: string): EmailResult => ({ value: null, valid: false, relay: false, reason });

/**
 * Practical e-mail syntax check and canonical form (trim, NFC, lower case, ASCII domain). Not RFC 5322 in full:
 * no quoted local parts, comments or IP-literal domains, which real customer addresses do not use.
 *
 * Deliberately NOT done: stripping `+tags` or removing dots in Gmail local parts. Both are provider-specific
 * (`a.b@example.com` and `ab@example.com` are different mailboxes almost everywhere; `+` is a legal character that
 * many providers, and Mercado Libre's relay aliases, use as part of the mailbox name), and a Google Workspace
 * custom domain cannot be recognised from its name. Folding them would merge different people on a deterministic
 * key, which is worse than a missed merge. Per-platform hash inputs (Google's Gmail rule) are derived at export time.
 */
export function normalizeEmail(raw: string | null | undefined, relayDomains: readonly string[] = MARKETPLACE_RELAY_DOMAINS): EmailResult {
  if (isBlank(raw)) return invalidEmail('email is empty');
  const s = raw.trim().normalize('NFC').toLowerCase();
  if (/\s/u.test(s)) return invalidEmail('email must not contain spaces');
  const parts = s.split('@');
  if (parts.length === 1) return invalidEmail('email has no @');
  if (parts.length > 2) return invalidEmail('email has more than one @');
  const [local = '', unicodeDomain = ''] = parts;
  if (local === '') return invalidEmail('email local part (before @) is empty');
  if (local.length > 64) return invalidEmail('email local part is longer than 64 characters');
  if (!LOCAL_PART.test(local)) return invalidEmail('email local part has characters that are not allowed');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return invalidEmail('email local part has a misplaced dot');
  if (unicodeDomain === '') return invalidEmail('email domain (after @) is empty');
  const domain = domainToAscii(unicodeDomain);
  if (domain === null) return invalidEmail('email domain has characters that are not allowed');
  if (domain.length > 253) return invalidEmail('email domain is longer than 253 characters');
  const labels = domain.split('.');
  if (labels.length < 2) return invalidEmail('email domain must contain a dot');
  if (!labels.every((l) => DNS_LABEL.test(l))) return invalidEmail('email domain has an invalid label');
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return invalidEmail('email domain must end in a top-level domain');
  const value = `${local}@${domain}`;
  const relay = relayDomainOf(domain, relayDomains);
  return relay ? { value, valid: true, relay: true, reason: `marketplace relay address (${relay})` } : { value, valid: true, relay: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Phone

export interface PhoneResult {
  /** E.164 (`+5491155551234`), when valid. */
  e164: string | null;
  valid: boolean;
  /** libphonenumber classifies it as MOBILE or FIXED_LINE_OR_MOBILE. */
  mobile: boolean;
  reason?: string;
}

const LENGTH_ERRORS: Record<string, string> = { TOO_SHORT: 'too short', TOO_LONG: 'too long', INVALID_LENGTH: 'wrong length' };
const PARSE_ERRORS: Record<string, string> = {
  NOT_A_NUMBER: 'not a phone number',
  TOO_SHORT: 'phone number is too short',
  TOO_LONG: 'phone number is too long',
  INVALID_LENGTH: 'phone number has an invalid length',
};

const invalidPhone = (reason: string): PhoneResult => ({ e164: null, valid: false, mobile: false, reason });

/**
 * Phone → E.164 with libphonenumber-js's full (`max`) metadata. The `min` metadata only checks lengths (it accepts
 * `+54 9 999 555 1234`, an area code that does not exist) and cannot tell mobiles apart, so it is not used.
 *
 * Argentina: national input with trunk `0` and the `15` mobile prefix (`011 15-5555-1234`, `341 15 555 1234`) is
 * rewritten by the AR metadata to the international mobile form `+54 9 AREA NUMBER`.
 *
 * `+54 11 5555-1234` (international without the mobile `9`) is kept as what libphonenumber says it is: a FIXED_LINE,
 * `+541155551234`, `mobile: false`. Argentine fixed and mobile numbers share the same 10-digit shape and the
 * metadata cannot tell which blocks are mobile, so inserting the `9` would be a guess (and would turn every
 * landline into a "mobile"). Consequence: that number never equals `+5491155551234` and gives no phone key.
 *
 * `mobile` is true for MOBILE and FIXED_LINE_OR_MOBILE (the US, Mexico since the 2019 reform, Chile: numbering plans
 * that do not distinguish). Extensions are dropped. Free text around the number ("011 4321-5678 (casa)") is rejected
 * rather than guessed at; parentheses and the usual separators are fine.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry: string): PhoneResult {
  if (isBlank(raw)) return invalidPhone('phone is empty');
  const country = defaultCountry.trim().toUpperCase();
  const defaultCc = isSupportedCountry(country) ? country : undefined;
  // `(+54) 9 11 …` and `(011) …`: libphonenumber rejects a `+` after an opening parenthesis.
  const text = raw.replace(/[()]/g, ' ').trim();
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text, { defaultCountry: defaultCc, extract: false });
  } catch (error) {
    if (error instanceof ParseError && error.message === 'INVALID_COUNTRY') {
      return invalidPhone(
        text.startsWith('+') || defaultCc ? 'unknown country calling code' : `no +country code and "${defaultCountry}" is not a supported default country`,
      );
    }
    if (error instanceof ParseError) return invalidPhone(PARSE_ERRORS[error.message] ?? `not a phone number (${error.message})`);
    return invalidPhone('not a phone number');
  }
  // With the `max` metadata isValid() is getType() !== undefined: one type look-up instead of two (it is the
  // costliest step of resolution's per-profile work).
  const type = parsed.getType();
  if (type === undefined) {
    const length = parsed.isPossible() ? undefined : validatePhoneNumberLength(text, { defaultCountry: defaultCc });
    const detail = length && LENGTH_ERRORS[length] ? ` (${LENGTH_ERRORS[length]})` : '';
    return invalidPhone(`${parsed.number} is not a valid ${parsed.country ?? `+${parsed.countryCallingCode}`} phone number${detail}`);
  }
  return { e164: parsed.number, valid: true, mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' };
}

// ---------------------------------------------------------------------------------------------------------------
// Names and address parts

/**
 * Comparison form of a name or address part: lower case, accents removed (NFKD + combining marks stripped, so
 * ñ → n, ü → u; NFKD also unfolds compatibility forms such as `ª` and full-width letters), every run of characters
 * that are not letters or digits (punctuation, apostrophes, hyphens, symbols, whitespace) becomes one space, trimmed.
 * `O'Brien` → `o brien`, `Pérez-García` → `perez garcia`. Empty → null. For comparison only, never for display.
 */
export function foldName(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const folded = raw
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded === '' ? null : folded;
}

/** Postal code: upper case, whitespace, dots and dashes removed (`c1425 abc` → `C1425ABC`, `22630-011` → `22630011`). */
export function normalizePostalCode(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.toUpperCase().replace(/[\s.-]+/gu, '');
  return s === '' ? null : s;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** `YYYY-MM-DD` when it is a real calendar date (leap years included), else null. No range check beyond that. */
export function normalizeBirthDate(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= max ? s : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Whole profile

export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 country for phone numbers written without `+country code` (e.g. `AR`). */
  defaultCountry: string;
  /** Relay e-mail domains; defaults to MARKETPLACE_RELAY_DOMAINS (extend it for white-label hosts like `ct.<store>.com.br`). */
  relayDomains?: readonly string[];
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Comparison-ready form of a source profile. Values that are present but unusable (invalid documents or phone,
 * invalid or relay e-mail) are reported in `issues` with the raw value and never become identity values.
 * A valid CUIT/CUIL found in the DNI field is accepted as a CUIT (sources such as VTEX `document` mix them).
 */
export function normalizeIdentity(input: IdentityInput, opts: NormalizeOptions): NormalizedIdentity {
  const issues: IdentityIssue[] = [];
  const dnis: string[] = [];
  const cuits: string[] = [];
  const addCuit = (c: CuitResult) => {
    if (c.value) cuits.push(c.value);
    if (c.dni) dnis.push(c.dni);
  };

  if (!isBlank(input.dni)) {
    const dni = normalizeDni(input.dni);
    const asCuit = dni.valid ? null : normalizeCuit(input.dni);
    if (dni.valid && dni.value) dnis.push(dni.value);
    else if (asCuit?.valid) addCuit(asCuit);
    else issues.push({ field: 'dni', value: input.dni, reason: dni.reason ?? 'invalid DNI' });
  }
  if (!isBlank(input.cuit)) {
    const cuit = normalizeCuit(input.cuit);
    if (cuit.valid) addCuit(cuit);
    else issues.push({ field: 'cuit', value: input.cuit, reason: cuit.reason ?? 'invalid CUIT' });
  }

  let email: string | null = null;
  if (!isBlank(input.email)) {
    const e = normalizeEmail(input.email, opts.relayDomains);
    if (e.valid && !e.relay) email = e.value;
    else issues.push({ field: 'email', value: input.email, reason: e.reason ?? 'invalid email' });
  }

  let phone: string | null = null;
  let phoneIsMobile = false;
  if (!isBlank(input.phone)) {
    const p = normalizePhone(input.phone, opts.defaultCountry);
    if (p.valid) {
      phone = p.e164;
      phoneIsMobile = p.mobile;
    } else issues.push({ field: 'phone', value: input.phone, reason: p.reason ?? 'invalid phone' });
  }

  const address = input.address;
  return {
    dnis: sortedUnique(dnis),
    cuits: sortedUnique(cuits),
    email,
    phone,
    phoneIsMobile,
    firstName: foldName(input.firstName),
    lastName: foldName(input.lastName),
    birthDate: normalizeBirthDate(input.birthDate),
    street: foldName(address?.street),
    city: foldName(address?.city),
    province: foldName(address?.province),
    postalCode: normalizePostalCode(address?.postalCode),
    issues,
  };
}
