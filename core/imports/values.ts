// Values as ERP exports and Argentine spreadsheets write them: "1.234,50", "$ 1.234,50", "31/12/1985",
// "2024-03-01 14:30". Each parser returns the value or a reason the row can show.
import { decimalToMinor } from '../ingest/orders.ts';

/**
 * How decimal numbers are written. `comma`: "1.234,50" (Argentina; "." only groups thousands).
 * `dot`: "1,234.50". `auto`: the later of "," and "." is the decimal separator.
 */
export type DecimalStyle = 'comma' | 'dot' | 'auto';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

/** A decimal as a plain "-1234.5" string, or a reason. Currency signs, spaces and codes around it are ignored. */
export function normalizeDecimal(input: string, style: DecimalStyle): Parsed<string> {
  let s = input.trim();
  // "(1.234,50)" is how accounting exports write negatives.
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/^(?:[A-Za-z]{3}|U\$S|US\$|u\$s|\$)\s*/i, '').replace(/\s*(?:[A-Za-z]{3}|\$)$/, '');
  s = s.replace(/[\s\u00a0']/g, '');
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return fail(`"${input.trim()}" is not a number`);
  let decimalSep: ',' | '.' | undefined;
  if (style === 'comma') decimalSep = ',';
  else if (style === 'dot') decimalSep = '.';
  else {
    const lastComma = s.lastIndexOf(',');
    const lastDot = s.lastIndexOf('.');
    if (lastComma >= 0 && lastDot >= 0) decimalSep = lastComma > lastDot ? ',' : '.';
    else if (lastComma >= 0) decimalSep = s.indexOf(',') === lastComma ? ',' : '.';
    else decimalSep = s.indexOf('.') === lastDot ? '.' : ',';
  }
  const groupSep = decimalSep === ',' ? '.' : ',';
  const parts = s.split(decimalSep);
  if (parts.length > 2) return fail(`"${input.trim()}" has more than one decimal separator "${decimalSep}"`);
  const [whole, frac = ''] = parts as [string, string?];
  if (frac.includes(groupSep)) return fail(`"${input.trim()}" has a thousands separator after the decimals`);
  if (whole.includes(groupSep)) {
    // Thousands groups are exactly three digits: "1.234,50" yes, "12.5" (a decimal written with the other style) no.
    const groups = whole.split(groupSep);
    if (!groups[0] || groups.slice(1).some((g) => g.length !== 3))
      return fail(`"${input.trim()}" is ambiguous: use "${decimalSep}" for decimals${decimalSep === ',' ? ' (e.g. 1234,50)' : ' (e.g. 1234.50)'}`);
  }
  const digits = whole.split(groupSep).join('') || '0';
  if (parts.length === 2 && !frac) return fail(`"${input.trim()}" ends in a decimal separator`);
  return ok(`${negative ? '-' : ''}${digits}${frac ? `.${frac}` : ''}`);
}

/** An amount in major units ("1.234,50", 1234.5) → integer minor units. */
export function parseMoney(value: unknown, style: DecimalStyle, digits = 2): Parsed<number> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail(`${value} is not an amount`);
    // Through the digit string: 1.005 must round to 101, not 100.
    return ok(decimalToMinor(String(value), digits)!);
  }
  if (typeof value !== 'string') return fail(`${JSON.stringify(value)} is not an amount`);
  const d = normalizeDecimal(value, style);
  if (!d.ok) return d;
  const minor = decimalToMinor(d.value, digits);
  if (minor === undefined || !Number.isSafeInteger(minor)) return fail(`"${value.trim()}" is not an amount`);
  return ok(minor);
}

/** A plain decimal number (quantities): "1,5" → 1.5 with the comma style. */
export function parseDecimal(value: unknown, style: DecimalStyle): Parsed<number> {
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fail(`${value} is not a number`);
  if (typeof value !== 'string') return fail(`${JSON.stringify(value)} is not a number`);
  const d = normalizeDecimal(value, style);
  if (!d.ok) return d;
  const n = Number(d.value);
  return Number.isFinite(n) ? ok(n) : fail(`"${value.trim()}" is not a number`);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

interface DateParts {
  y: number;
  m: number;
  d: number;
  time?: { h: number; mi: number; s: number; ms: number };
  /** Offset from UTC in minutes, when the value carries one (Z, -03:00). */
  offset?: number;
}

// dd/mm/yyyy (also - and .), optionally followed by a time; yyyy-mm-dd (also /), optionally with T or a space and a time.
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*(?:hs?\.?)?)?$/i;
const YMD = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function dateParts(input: string): Parsed<DateParts> {
  const s = input.trim();
  let m = YMD.exec(s);
  if (m) {
    const parts: DateParts = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
    if (m[4] !== undefined) parts.time = { h: Number(m[4]), mi: Number(m[5]), s: Number(m[6] ?? 0), ms: Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)) };
    if (m[8]) {
      if (m[8].toUpperCase() === 'Z') parts.offset = 0;
      else {
        const sign = m[8][0] === '-' ? -1 : 1;
        const digits = m[8].slice(1).replace(':', '');
        parts.offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
      }
    }
    return ok(parts);
  }
  m = DMY.exec(s);
  if (m) {
    if (m[3]!.length !== 4) return fail(`"${s}": write the year with four digits (dd/mm/yyyy)`);
    const parts: DateParts = { y: Number(m[3]), m: Number(m[2]), d: Number(m[1]) };
    if (m[4] !== undefined) parts.time = { h: Number(m[4]), mi: Number(m[5]), s: Number(m[6] ?? 0), ms: Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)) };
    return ok(parts);
  }
  return fail(`"${s}" is not a date (use dd/mm/yyyy or yyyy-mm-dd)`);
}

/** A calendar date (birth dates): dd/mm/yyyy or yyyy-mm-dd → "yyyy-mm-dd". */
export function parseDate(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(`${JSON.stringify(value)} is not a date`);
  const p = dateParts(value);
  if (!p.ok) return p;
  const { y, m, d } = p.value;
  if (!validDate(y, m, d)) return fail(`"${value.trim()}" is not a valid date (day/month out of range)`);
  return ok(`${y}-${pad(m)}-${pad(d)}`);
}

// Building an Intl.DateTimeFormat costs ~100 µs: one per zone, kept (a file has millions of dates, one zone).
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
/** Offsets by zone and hour: zones change offset on the hour at most once in a while, never within one. */
const zoneOffsets = new Map<string, number>();

/** Minutes to add to UTC to get the wall time in `timeZone` at the instant `utcMs`. */
function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
  const hour = Math.floor(utcMs / 3_600_000);
  const key = `${timeZone}|${hour}`;
  const cached = zoneOffsets.get(key);
  if (cached !== undefined) return cached;
  let fmt = zoneFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormats.set(timeZone, fmt);
  }
  const at = hour * 3_600_000;
  const parts = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  const offset = Math.round((asUtc - at) / 60_000);
  if (zoneOffsets.size > 100_000) zoneOffsets.clear();
  zoneOffsets.set(key, offset);
  return offset;
}

/**
 * A moment (order dates): ISO with an offset is taken as is; a wall time without one ("31/01/2024 14:30",
 * "2024-01-31", a date alone means midnight) is read in the tenant's time zone. Returns ISO 8601 in UTC.
 */
export function parseDateTime(value: unknown, timeZone: string): Parsed<string> {
  if (typeof value !== 'string') return fail(`${JSON.stringify(value)} is not a date`);
  const p = dateParts(value);
  if (!p.ok) return p;
  const { y, m, d, time = { h: 0, mi: 0, s: 0, ms: 0 }, offset } = p.value;
  if (!validDate(y, m, d)) return fail(`"${value.trim()}" is not a valid date (day/month out of range)`);
  if (time.h > 23 || time.mi > 59 || time.s > 59) return fail(`"${value.trim()}" has an invalid time`);
  const wall = Date.UTC(y, m - 1, d, time.h, time.mi, time.s, time.ms);
  let utc: number;
  if (offset !== undefined) utc = wall - offset * 60_000;
  else {
    // Two passes settle the offset around DST changes (Argentina has none today, other tenants may).
    utc = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
    utc = wall - zoneOffsetMinutes(utc, timeZone) * 60_000;
  }
  return ok(new Date(utc).toISOString());
}

const CURRENCY_ALIASES: Record<string, string> = { $: 'ARS', PESOS: 'ARS', PESO: 'ARS', 'AR$': 'ARS', 'US$': 'USD', U$S: 'USD', USS: 'USD', DOLARES: 'USD', 'DÓLARES': 'USD', DOLAR: 'USD' };

/** "ars", "$", "U$S" → ISO 4217. */
export function parseCurrency(value: unknown): Parsed<string> {
  if (typeof value !== 'string') return fail(`${JSON.stringify(value)} is not a currency`);
  const s = value.trim().toUpperCase();
  const code = CURRENCY_ALIASES[s] ?? s;
  return /^[A-Z]{3}$/.test(code) ? ok(code) : fail(`"${value.trim()}" is not a currency code (e.g. ARS, USD)`);
}

/** Text as a string; numbers and booleans from JSON-lines become their text. Empty → undefined. */
export function textValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
