// Reading an order detail (`GET /api/oms/pvt/orders/{orderId}`) is the sync's hottest step: one ~3.6 KB body per
// order. A hand-written check of the consumed fields accepts a well-formed order in a fraction of zod's time and
// builds exactly what `vtexOrder.parse` would (only the schema's keys, same values). Anything it does not accept
// goes through the zod schema, which stays the definition: it accepts what the check was unsure of, or rejects
// the record with its usual per-field reason. tests/unit/vtex-order-read.test.ts holds the two to the same output.
import { vtexOrder, type VtexOrder } from './vtex.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Unset means "not copied", as zod leaves an absent optional key absent. */
const UNSET = Symbol('unset');

/** string | null | undefined (optStr), copied to out when present. */
function optStrs(src: Obj, out: Obj, keys: readonly string[]): boolean {
  for (const k of keys) {
    const v = src[k];
    if (v === undefined) {
      if (k in src) out[k] = undefined;
      continue;
    }
    if (v !== null && typeof v !== 'string') return false;
    out[k] = v;
  }
  return true;
}

/** `cents` (z.number().int(): safe integers), optionally nullish. */
function cents(v: unknown, nullish: boolean): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : UNSET;
  if (nullish && (v === null || v === undefined)) return v;
  return UNSET;
}
function optBool(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'boolean';
}

/** A nested optional object of optStr fields: undefined/null copied as such, else checked and stripped. */
function optStrObject(src: Obj, key: string, keys: readonly string[], out: Obj): boolean {
  const v = src[key];
  if (v === undefined || v === null) {
    if (key in src) out[key] = v;
    return true;
  }
  if (!isObj(v)) return false;
  const o: Obj = {};
  if (!optStrs(v, o, keys)) return false;
  out[key] = o;
  return true;
}

const ORDER_STRS = ['sequence', 'origin', 'salesChannel', 'affiliateId', 'hostname', 'status', 'lastChange'] as const;
const ITEM_STRS = ['id', 'productId', 'refId', 'ean', 'name', 'imageUrl', 'detailUrl'] as const;
const PROFILE_STRS = ['email', 'firstName', 'lastName', 'document', 'documentType', 'phone', 'corporateName', 'corporateDocument', 'userProfileId'] as const;
const ADDRESS_STRS = ['street', 'number', 'complement', 'city', 'state', 'postalCode', 'country'] as const;
const MARKETING_STRS = ['utmSource', 'utmMedium', 'utmCampaign', 'coupon'] as const;
const STORE_STRS = ['countryCode', 'currencyCode'] as const;

function item(src: unknown): Obj | undefined {
  if (!isObj(src)) return undefined;
  const out: Obj = {};
  if (!optStrs(src, out, ITEM_STRS)) return undefined;
  const q = src.quantity;
  if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) return undefined;
  out.quantity = q;
  for (const k of ['price', 'listPrice', 'sellingPrice'] as const) {
    const c = cents(src[k], true);
    if (c === UNSET) return undefined;
    if (c !== undefined || k in src) out[k] = c;
  }
  if (!optBool(src.isGift)) return undefined;
  if ('isGift' in src) out.isGift = src.isGift;
  const info = src.additionalInfo;
  if (info === undefined || info === null) {
    if ('additionalInfo' in src) out.additionalInfo = info;
  } else {
    if (!isObj(info)) return undefined;
    const o: Obj = {};
    if (!optStrs(info, o, ['brandName', 'categoriesIds'])) return undefined;
    const cats = info.categories;
    if (cats === undefined || cats === null) {
      if ('categories' in info) o.categories = cats;
    } else {
      if (!Array.isArray(cats)) return undefined;
      const list: Obj[] = [];
      for (const c of cats) {
        if (!isObj(c)) return undefined;
        const id = c.id;
        if (!((typeof id === 'number' && Number.isFinite(id)) || typeof id === 'string') || typeof c.name !== 'string') return undefined;
        list.push({ id, name: c.name });
      }
      o.categories = list;
    }
    out.additionalInfo = o;
  }
  const pd = src.priceDefinition;
  if (pd === undefined || pd === null) {
    if ('priceDefinition' in src) out.priceDefinition = pd;
  } else {
    if (!isObj(pd)) return undefined;
    const total = cents(pd.total, true);
    if (total === UNSET) return undefined;
    out.priceDefinition = total !== undefined || 'total' in pd ? { total } : {};
  }
  return out;
}

/** The fast check: the order as zod would output it, or undefined when zod must decide. */
function fastOrder(body: unknown): VtexOrder | undefined {
  if (!isObj(body)) return undefined;
  const out: Obj = {};
  const id = body.orderId;
  if (typeof id !== 'string' || id.length < 1) return undefined;
  out.orderId = id;
  if (!optStrs(body, out, ORDER_STRS)) return undefined;
  const value = cents(body.value, false);
  if (value === UNSET) return undefined;
  out.value = value;
  if (typeof body.creationDate !== 'string') return undefined;
  out.creationDate = body.creationDate;

  const totals = body.totals;
  if (totals === undefined || totals === null) {
    if ('totals' in body) out.totals = totals;
  } else {
    if (!Array.isArray(totals)) return undefined;
    const list: Obj[] = [];
    for (const t of totals) {
      if (!isObj(t) || typeof t.id !== 'string') return undefined;
      const v = cents(t.value, false);
      if (v === UNSET) return undefined;
      list.push({ id: t.id, value: v });
    }
    out.totals = list;
  }

  const items = body.items;
  if (items === undefined || items === null) {
    if ('items' in body) out.items = items;
  } else {
    if (!Array.isArray(items)) return undefined;
    const list: Obj[] = [];
    for (const it of items) {
      const m = item(it);
      if (!m) return undefined;
      list.push(m);
    }
    out.items = list;
  }

  const p = body.clientProfileData;
  if (p === undefined || p === null) {
    if ('clientProfileData' in body) out.clientProfileData = p;
  } else {
    if (!isObj(p)) return undefined;
    const o: Obj = {};
    if (!optStrs(p, o, PROFILE_STRS) || !optBool(p.isCorporate)) return undefined;
    if ('isCorporate' in p) o.isCorporate = p.isCorporate;
    out.clientProfileData = o;
  }

  const prefs = body.clientPreferencesData;
  if (prefs === undefined || prefs === null) {
    if ('clientPreferencesData' in body) out.clientPreferencesData = prefs;
  } else {
    if (!isObj(prefs) || !optBool(prefs.optinNewsLetter)) return undefined;
    out.clientPreferencesData = 'optinNewsLetter' in prefs ? { optinNewsLetter: prefs.optinNewsLetter } : {};
  }

  if (!optStrObject(body, 'storePreferencesData', STORE_STRS, out)) return undefined;

  const shipping = body.shippingData;
  if (shipping === undefined || shipping === null) {
    if ('shippingData' in body) out.shippingData = shipping;
  } else {
    if (!isObj(shipping)) return undefined;
    const o: Obj = {};
    if (!optStrObject(shipping, 'address', ADDRESS_STRS, o)) return undefined;
    out.shippingData = o;
  }

  if (!optStrObject(body, 'marketingData', MARKETING_STRS, out)) return undefined;
  return out as VtexOrder;
}

export type ReadOrder = { order: VtexOrder } | { error: string };

/** An order detail body → the order (only the consumed fields), or why it is not in the documented shape. */
export function readVtexOrder(body: unknown): ReadOrder {
  const fast = fastOrder(body);
  if (fast) return { order: fast };
  const r = vtexOrder.safeParse(body);
  if (r.success) return { order: r.data };
  return {
    error: `unexpected order shape: ${r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ')}`,
  };
}
