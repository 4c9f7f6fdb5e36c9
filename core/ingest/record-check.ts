// Fast proofs that a record a connector built already satisfies its schema (orderRecord, profileRecord,
// productRecord) exactly as given: zod would accept it and return an equal object. A connector maps thousands of
// records a second; when the proof fails, the caller runs the zod schema, which decides and gives the reason.
// So these may say "not sure" (false) freely but must never say true for a record zod rejects or changes:
// tests/unit/record-check.test.ts compares them with the schemas.
import { regexes } from 'zod';
import type { OrderRecord, ProductRecord } from './orders.ts';
import type { ProfileRecord } from './profiles.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** `text(max)` = z.string().trim().min(1).max(max), and trimming changes nothing. */
function text(v: unknown, max: number): boolean {
  if (typeof v !== 'string' || v.length < 1 || v.length > max) return false;
  // Printable ASCII at both ends cannot be trimmed; anything else is checked the slow way.
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(v.length - 1);
  return (a > 32 && a < 127 && b > 32 && b < 127) || v.trim() === v;
}
const optText = (v: unknown, max: number) => v === undefined || text(v, max);
const minor = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
const optMinor = (v: unknown) => v === undefined || minor(v);
const CURRENCY = /^[A-Z]{3}$/;
const currency = (v: unknown) => typeof v === 'string' && CURRENCY.test(v);
const record = (v: unknown) => v === undefined || isObj(v);
/** ISO instant in milliseconds UTC that round-trips through Date (so a real calendar date and time). */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
function instant(v: unknown): boolean {
  if (typeof v !== 'string' || !INSTANT.test(v)) return false;
  const t = Date.parse(v);
  return Number.isFinite(t) && new Date(t).toISOString() === v;
}
/** Only these keys (the schemas are strict). */
function onlyKeys(o: Obj, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
}

const ITEM_KEYS = new Set(['externalProductId', 'sku', 'name', 'category', 'quantity', 'unitPriceMinor', 'totalMinor']);
const ORDER_KEYS = new Set([
  'externalId',
  'customerExternalId',
  'status',
  'currency',
  'totalMinor',
  'subtotalMinor',
  'discountMinor',
  'shippingMinor',
  'taxMinor',
  'placedAt',
  'items',
  'raw',
]);

export function fitsOrderRecord(o: OrderRecord): boolean {
  const r = o as unknown as Obj;
  if (!isObj(r) || !onlyKeys(r, ORDER_KEYS)) return false;
  if (!text(r.externalId, 255) || !optText(r.customerExternalId, 255) || !text(r.status, 100) || !currency(r.currency)) return false;
  if (!minor(r.totalMinor) || !optMinor(r.subtotalMinor) || !optMinor(r.discountMinor) || !optMinor(r.shippingMinor) || !optMinor(r.taxMinor)) return false;
  if (!instant(r.placedAt) || !record(r.raw)) return false;
  const items = r.items;
  if (items === undefined) return true;
  if (!Array.isArray(items) || items.length > 1000) return false;
  for (const it of items as unknown[]) {
    if (!isObj(it) || !onlyKeys(it, ITEM_KEYS)) return false;
    if (!optText(it.externalProductId, 255) || !optText(it.sku, 255) || !optText(it.name, 500) || !optText(it.category, 300)) return false;
    const q = it.quantity;
    if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0 || q > 1_000_000 || !minor(it.unitPriceMinor) || !minor(it.totalMinor)) return false;
  }
  return true;
}

const PRODUCT_KEYS = new Set(['externalId', 'sku', 'name', 'category', 'brand', 'priceMinor', 'currency', 'url', 'imageUrl', 'attributes']);

export function fitsProductRecord(p: ProductRecord): boolean {
  const r = p as unknown as Obj;
  if (!isObj(r) || !onlyKeys(r, PRODUCT_KEYS)) return false;
  return (
    text(r.externalId, 255) &&
    optText(r.sku, 255) &&
    text(r.name, 500) &&
    optText(r.category, 300) &&
    optText(r.brand, 200) &&
    optMinor(r.priceMinor) &&
    (r.currency === undefined || currency(r.currency)) &&
    optText(r.url, 2000) &&
    optText(r.imageUrl, 2000) &&
    record(r.attributes)
  );
}

const PROFILE_KEYS = new Set(['externalId', 'email', 'dni', 'cuit', 'phone', 'firstName', 'lastName', 'birthDate', 'address', 'attributes']);
const ADDRESS_KEYS = new Set(['street', 'line2', 'city', 'province', 'postalCode', 'country']);
const DATE = /^\d{4}-\d\d-\d\d$/;

/** zod's e-mail pipeline (trim, lower-case, z.email()) leaves it as it is. */
function email(v: unknown): boolean {
  return typeof v === 'string' && v.trim() === v && v.toLowerCase() === v && regexes.email.test(v);
}

export function fitsProfileRecord(p: ProfileRecord): boolean {
  const r = p as unknown as Obj;
  if (!isObj(r) || !onlyKeys(r, PROFILE_KEYS)) return false;
  if (!text(r.externalId, 255) || (r.email !== undefined && !email(r.email))) return false;
  if (!optText(r.dni, 20) || !optText(r.cuit, 20) || !optText(r.phone, 40) || !optText(r.firstName, 200) || !optText(r.lastName, 200)) return false;
  // A birth date: the slow path (z.iso.date() checks the calendar).
  if (r.birthDate !== undefined && !(typeof r.birthDate === 'string' && DATE.test(r.birthDate) && new Date(`${r.birthDate}T00:00:00.000Z`).toISOString().slice(0, 10) === r.birthDate))
    return false;
  if (!record(r.attributes)) return false;
  const a = r.address;
  if (a === undefined) return true;
  if (!isObj(a) || !onlyKeys(a, ADDRESS_KEYS)) return false;
  return optText(a.street, 300) && optText(a.line2, 300) && optText(a.city, 200) && optText(a.province, 200) && optText(a.postalCode, 20) && optText(a.country, 60);
}
