// The meaning of values and time ranges, shared by the SQL compiler and the in-memory evaluator so both give the same
// answer: typed JSON extraction, the accepted date strings, and the bounds of every relative window.
import type { DatePredicate, Predicate, TimeWindow, ValueType } from './rule.ts';

export const DAY_MS = 86_400_000;

/**
 * Date strings a JSON value may hold to count as a date: ISO 8601 calendar date, optionally a time (seconds and up to
 * millisecond fractions optional) and an offset. Without an offset the value is UTC. Written to mean the same in
 * JavaScript and PostgreSQL regular expressions.
 */
export const DATE_STRING_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,3})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?$';
export const OFFSET_PATTERN = '(Z|[+-][0-9]{2}:[0-9]{2})$';
const dateString = new RegExp(DATE_STRING_PATTERN);
const withOffset = new RegExp(OFFSET_PATTERN);

/** A date string as an instant, or undefined when it is not one (including impossible days such as Feb 30). */
export function parseDateString(s: string): Date | undefined {
  if (!dateString.test(s)) return undefined;
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  if (s.length === 10) return day;
  const iso = s.replace(' ', 'T');
  const t = Date.parse(withOffset.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** A rule's date bound (a calendar date is midnight UTC). Bounds are validated by the schema. */
export function dateBound(value: string): Date {
  const d = value.length === 10 ? parseDateString(value) : new Date(Date.parse(value));
  if (!d || Number.isNaN(d.getTime())) throw new Error(`invalid date bound ${value}`);
  return d;
}

/** The typed value of a JSON value, or undefined when absent or of another type. */
export function typedJson(value: unknown, type: ValueType): string | number | boolean | Date | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'date':
      return typeof value === 'string' ? parseDateString(value) : undefined;
  }
}

/** Reads a dot path (already split) inside a JSON value; non-objects along the way give undefined. */
export function readPath(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export interface Range {
  gt?: Date;
  gte?: Date;
  lt?: Date;
  lte?: Date;
}

/** Bounds of an order or event window; no window means all time. */
export function windowRange(window: TimeWindow | undefined, now: Date): Range {
  if (!window) return {};
  if (window.kind === 'last_days') return { gt: new Date(now.getTime() - window.days * DAY_MS), lte: now };
  return { gte: dateBound(window.from), lt: dateBound(window.to) };
}

/** Bounds a date predicate places on a value (exists / not_exists have none). */
export function dateRange(p: DatePredicate, now: Date): Range | undefined {
  switch (p.op) {
    case 'before':
      return { lt: dateBound(p.value) };
    case 'after':
      return { gt: dateBound(p.value) };
    case 'between':
      return { gte: dateBound(p.from), lt: dateBound(p.to) };
    case 'within_last_days':
      return { gt: new Date(now.getTime() - p.days * DAY_MS), lte: now };
    case 'more_than_days_ago':
      return { lte: new Date(now.getTime() - p.days * DAY_MS) };
    default:
      return undefined;
  }
}

export function inRange(t: Date, r: Range): boolean {
  const v = t.getTime();
  return (
    (r.gt === undefined || v > r.gt.getTime()) &&
    (r.gte === undefined || v >= r.gte.getTime()) &&
    (r.lt === undefined || v < r.lt.getTime()) &&
    (r.lte === undefined || v <= r.lte.getTime())
  );
}

/** Splits a property path into keys. */
export function splitPath(path: string): string[] {
  return path.split('.');
}

/** A typed value (undefined = absent, as for a customer with no row in the table the condition reads). */
export type Value = string | number | boolean | Date | undefined;

/** A predicate over an already typed value (undefined = absent); every operator but not_exists needs a value. */
export function testPredicate(x: Value, p: Predicate, now: Date): boolean {
  if (p.op === 'exists') return x !== undefined;
  if (p.op === 'not_exists') return x === undefined;
  if (x === undefined) return false;
  switch (p.type) {
    case 'string': {
      if (typeof x !== 'string') return false;
      switch (p.op) {
        case 'equals':
          return x === p.value;
        case 'not_equals':
          return x !== p.value;
        case 'contains':
          return x.includes(p.value);
        case 'not_contains':
          return !x.includes(p.value);
        case 'starts_with':
          return x.startsWith(p.value);
        case 'ends_with':
          return x.endsWith(p.value);
        case 'in':
          return p.values.includes(x);
        case 'not_in':
          return !p.values.includes(x);
      }
      return false;
    }
    case 'number': {
      if (typeof x !== 'number') return false;
      switch (p.op) {
        case 'eq':
          return x === p.value;
        case 'neq':
          return x !== p.value;
        case 'gt':
          return x > p.value;
        case 'gte':
          return x >= p.value;
        case 'lt':
          return x < p.value;
        case 'lte':
          return x <= p.value;
        case 'between':
          return x >= p.min && x <= p.max;
      }
      return false;
    }
    case 'date': {
      if (!(x instanceof Date)) return false;
      const r = dateRange(p, now);
      return r ? inRange(x, r) : false;
    }
    case 'boolean':
      if (typeof x !== 'boolean') return false;
      return p.op === 'is_true' ? x : !x;
  }
}
