// VTEX → CDP: the response shapes the connector consumes (validated at the boundary) and their mapping to
// profiles, orders (+ items) and products. Pure: the activities fetch, this decides what is stored.
import { z } from 'zod';
import { relayDomainOf } from '../identity/normalize.ts';
import { decimalToMinor, orderRecord, productRecord, type OrderItemRecord, type OrderRecord, type ProductRecord } from '../ingest/orders.ts';
import { profileRecord, type ProfileRecord } from '../ingest/profiles.ts';
import { fitsOrderRecord, fitsProductRecord, fitsProfileRecord } from '../ingest/record-check.ts';

// ---- Response schemas (only what is consumed; unknown fields are dropped) ---------------------------------

const str = z.string();
const optStr = z.string().nullish();
const cents = z.number().int();

/** `GET /api/oms/pvt/orders` (list: summaries only; `items` is null since 2018). */
export const vtexOrderList = z.object({
  list: z.array(
    z.object({
      orderId: str.min(1),
      creationDate: str,
      status: optStr,
      lastChange: optStr,
    }),
  ),
  paging: z.object({ total: z.number().int().min(0), pages: z.number().int().min(0), currentPage: z.number().int(), perPage: z.number().int() }),
});
export type VtexOrderList = z.infer<typeof vtexOrderList>;

const vtexOrderItem = z.object({
  id: optStr,
  productId: optStr,
  refId: optStr,
  ean: optStr,
  name: optStr,
  quantity: z.number().positive(),
  price: cents.nullish(),
  listPrice: cents.nullish(),
  sellingPrice: cents.nullish(),
  imageUrl: optStr,
  detailUrl: optStr,
  isGift: z.boolean().nullish(),
  additionalInfo: z
    .object({
      brandName: optStr,
      categoriesIds: optStr,
      categories: z.array(z.object({ id: z.union([z.number(), z.string()]), name: str })).nullish(),
    })
    .nullish(),
  priceDefinition: z.object({ total: cents.nullish() }).nullish(),
});

const vtexClientProfile = z.object({
  email: optStr,
  firstName: optStr,
  lastName: optStr,
  document: optStr,
  documentType: optStr,
  phone: optStr,
  corporateName: optStr,
  corporateDocument: optStr,
  isCorporate: z.boolean().nullish(),
  userProfileId: optStr,
});

/** `GET /api/oms/pvt/orders/{orderId}`: money in integer cents. */
export const vtexOrder = z.object({
  orderId: str.min(1),
  sequence: optStr,
  origin: optStr,
  salesChannel: optStr,
  affiliateId: optStr,
  hostname: optStr,
  status: optStr,
  value: cents,
  creationDate: str,
  lastChange: optStr,
  totals: z.array(z.object({ id: str, value: cents })).nullish(),
  items: z.array(vtexOrderItem).nullish(),
  clientProfileData: vtexClientProfile.nullish(),
  clientPreferencesData: z.object({ optinNewsLetter: z.boolean().nullish() }).nullish(),
  storePreferencesData: z.object({ countryCode: optStr, currencyCode: optStr }).nullish(),
  shippingData: z
    .object({
      address: z
        .object({ street: optStr, number: optStr, complement: optStr, city: optStr, state: optStr, postalCode: optStr, country: optStr })
        .nullish(),
    })
    .nullish(),
  marketingData: z.object({ utmSource: optStr, utmMedium: optStr, utmCampaign: optStr, coupon: optStr }).nullish(),
});
export type VtexOrder = z.infer<typeof vtexOrder>;

/** Master Data v1 CL document (the fields the connector asks for in `_fields`). */
export const vtexClDocument = z.object({
  id: str.min(1),
  userId: optStr,
  email: optStr,
  firstName: optStr,
  lastName: optStr,
  document: optStr,
  documentType: optStr,
  phone: optStr,
  homePhone: optStr,
  birthDate: optStr,
  isNewsletterOptIn: z.boolean().nullish(),
  isCorporate: z.boolean().nullish(),
  corporateName: optStr,
  updatedIn: optStr,
});
export type VtexClDocument = z.infer<typeof vtexClDocument>;
export const vtexClDocuments = z.array(vtexClDocument);
/** The CL fields the customers stream and relay-email lookups ask for. */
export const CL_FIELDS = Object.keys(vtexClDocument.shape);

/** `GET /api/catalog_system/pub/products/search`: prices are decimals here. */
export const vtexCatalogProduct = z.object({
  productId: str.min(1),
  productName: str.min(1),
  brand: optStr,
  linkText: optStr,
  link: optStr,
  productReference: optStr,
  categories: z.array(str).nullish(),
  items: z
    .array(
      z.object({
        itemId: optStr,
        ean: optStr,
        images: z.array(z.object({ imageUrl: optStr })).nullish(),
        sellers: z
          .array(z.object({ sellerDefault: z.boolean().nullish(), commertialOffer: z.object({ Price: z.number().nullish(), ListPrice: z.number().nullish() }).nullish() }))
          .nullish(),
      }),
    )
    .nullish(),
});
export type VtexCatalogProduct = z.infer<typeof vtexCatalogProduct>;
export const vtexCatalogPage = z.array(vtexCatalogProduct);

/** Feed v3 item (`GET /api/orders/feed`). */
export const vtexFeedItem = z.object({
  eventId: str.min(1),
  handle: str.min(1),
  orderId: str.min(1),
  state: optStr,
  lastState: optStr,
  currentChange: optStr,
});
export const vtexFeedItems = z.array(vtexFeedItem);
export type VtexFeedItem = z.infer<typeof vtexFeedItem>;

/** Order hook notification (`POST` to the CDP), or the setup ping. */
export const vtexHookPing = z.object({ hookConfig: z.literal('ping') });
export const vtexHookNotification = z.object({
  Domain: optStr,
  OrderId: str.min(1).max(255),
  State: optStr,
  LastState: optStr,
  LastChange: optStr,
  CurrentChange: optStr,
  Origin: z.object({ Account: optStr, Key: optStr }).nullish(),
});
export type VtexHookNotification = z.infer<typeof vtexHookNotification>;

// ---- Identity helpers --------------------------------------------------------------------------------------

/**
 * Conversation Tracker aliases (`…@ct.vtex.com.br`, soft `…@x.com-123b.ct.vtex.com.br`) and other marketplace
 * relays: order-scoped, expiring, not the buyer's address. Never stored as an e-mail, never a match key.
 */
export function isRelayEmail(email: string | null | undefined): boolean {
  if (!email) return false;
  const domain = email.trim().toLowerCase().split('@').pop() ?? '';
  return /(^|\.)ct\.vtex\.com\.br$/.test(domain) || relayDomainOf(domain) !== null;
}

const emailSchema = profileRecord.shape.email;
/** A real, valid e-mail address or undefined. */
export function realEmail(email: string | null | undefined): string | undefined {
  if (!email || isRelayEmail(email)) return undefined;
  const r = emailSchema.safeParse(email);
  return r.success ? r.data : undefined;
}

/**
 * Argentine documents: VTEX's documentType is free text configured by each store, so the digit count decides
 * when the label disagrees (a "dni" of 11 digits is a CUIT/CUIL, a "cuit" of 8 digits is a DNI).
 */
export function documentOf(document: string | null | undefined, documentType: string | null | undefined): { dni?: string; cuit?: string } {
  const digits = (document ?? '').replace(/\D/g, '');
  if (!digits) return {};
  const type = (documentType ?? '').trim().toLowerCase();
  if (digits.length === 11 && (type === '' || ['cuit', 'cuil', 'dni', 'document'].includes(type))) return { cuit: digits };
  if ((digits.length === 7 || digits.length === 8) && (type === '' || ['dni', 'cuit', 'cuil', 'document', 'le', 'lc'].includes(type))) return { dni: digits };
  return {};
}

/** The source profile key: VTEX's userProfileId when present (stable across e-mail changes), else document, else e-mail. */
export function profileExternalId(p: { userProfileId?: string | null; document?: string | null; documentType?: string | null; email?: string | null }): string | undefined {
  if (p.userProfileId?.trim()) return p.userProfileId.trim();
  const doc = documentOf(p.document, p.documentType);
  if (doc.cuit) return `cuit:${doc.cuit}`;
  if (doc.dni) return `dni:${doc.dni}`;
  const email = realEmail(p.email);
  return email ? `email:${email}` : undefined;
}

const COUNTRY_ALPHA2: Record<string, string> = { ARG: 'AR', BRA: 'BR', CHL: 'CL', URY: 'UY', PRY: 'PY', BOL: 'BO', PER: 'PE', COL: 'CO', MEX: 'MX', USA: 'US' };

/** OMS dates carry 7 fractional digits and an offset; stored as ISO milliseconds UTC. */
export function vtexInstant(s: string): string | undefined {
  // Fast path for UTC (what the OMS writes): Date.parse of 7 fractional digits is slow, and it runs per order.
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|\+00:00)$/.exec(s);
  if (m) return `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const clip = (s: string | null | undefined, max: number) => {
  const t = s?.trim();
  return t ? t.slice(0, max) : undefined;
};
/** Drops undefined and null fields (in place: it runs several times per order). */
function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k in o) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}

// ---- Orders --------------------------------------------------------------------------------------------

/** userProfileIds whose orders carry only a relay e-mail: their real address is looked up in CL. */
export function relayLookups(orders: readonly VtexOrder[]): string[] {
  const ids = new Set<string>();
  for (const o of orders) {
    const p = o.clientProfileData;
    if (p?.userProfileId && isRelayEmail(p.email)) ids.add(p.userProfileId);
  }
  return [...ids].sort();
}

export interface MappedOrder {
  order: OrderRecord;
  profile?: ProfileRecord;
  products: ProductRecord[];
}

function categoryOf(info: NonNullable<z.infer<typeof vtexOrderItem>['additionalInfo']>): string | undefined {
  const cats = info.categories ?? [];
  // categoriesIds is the path root → leaf ("/1/12/"); the leaf's name is the most specific category.
  const leaf = (info.categoriesIds ?? '').split('/').filter(Boolean).pop();
  return clip(cats.find((c) => String(c.id) === leaf)?.name ?? cats[0]?.name, 300);
}

/**
 * One order detail → the order (+ items), the buyer's profile and the products its items name.
 * `resolvedEmails` maps userProfileId → the real address found in CL for orders that carry only a relay.
 */
export function mapOrder(o: VtexOrder, resolvedEmails: ReadonlyMap<string, string> = new Map()): MappedOrder {
  const currency = (o.storePreferencesData?.currencyCode ?? '').toUpperCase();
  const totals = new Map((o.totals ?? []).map((t) => [t.id.toLowerCase(), t.value]));
  const p = o.clientProfileData;
  let profile: ProfileRecord | undefined;
  if (p) {
    const email = realEmail(p.email) ?? (p.userProfileId ? realEmail(resolvedEmails.get(p.userProfileId)) : undefined);
    const externalId = profileExternalId({ userProfileId: p.userProfileId, document: p.document, documentType: p.documentType, email });
    if (externalId) {
      const a = o.shippingData?.address;
      const street = [a?.street, a?.number].filter((x) => x?.trim()).join(' ');
      const address = a
        ? defined({
            street: clip(street, 300),
            line2: clip(a.complement, 300),
            city: clip(a.city, 200),
            province: clip(a.state, 200),
            postalCode: clip(a.postalCode, 20),
            country: clip(a.country ? (COUNTRY_ALPHA2[a.country.toUpperCase()] ?? a.country) : undefined, 60),
          })
        : undefined;
      profile = defined({
        externalId: externalId.slice(0, 255),
        email,
        ...documentOf(p.document, p.documentType),
        phone: clip(p.phone, 40),
        firstName: clip(p.firstName, 200),
        lastName: clip(p.lastName, 200),
        address: address && Object.keys(address).length ? address : undefined,
        attributes: p.isCorporate ? defined({ isCorporate: true, corporateName: clip(p.corporateName, 200) }) : undefined,
      });
    }
  }
  const products: ProductRecord[] = [];
  const items: OrderItemRecord[] = (o.items ?? []).map((it) => {
    const unit = it.sellingPrice ?? it.price ?? 0;
    const info = it.additionalInfo;
    const category = info ? categoryOf(info) : undefined;
    if (it.productId && it.name)
      products.push(
        defined({
          externalId: it.productId,
          sku: clip(it.id, 255),
          name: clip(it.name, 500)!,
          category,
          brand: clip(info?.brandName, 200),
          priceMinor: it.price ?? undefined,
          currency: it.price !== null && it.price !== undefined && currency ? currency : undefined,
          url: clip(it.detailUrl, 2000),
          imageUrl: clip(it.imageUrl, 2000),
          attributes: defined({ refId: it.refId ?? undefined, ean: it.ean ?? undefined }),
        }),
      );
    return defined({
      externalProductId: clip(it.productId, 255),
      sku: clip(it.id, 255),
      name: clip(it.name, 500),
      category,
      quantity: it.quantity,
      unitPriceMinor: unit,
      totalMinor: it.priceDefinition?.total ?? Math.round(unit * it.quantity),
    });
  });
  const discounts = totals.get('discounts');
  const order = defined({
    externalId: o.orderId,
    customerExternalId: profile?.externalId,
    status: clip(o.status, 100) ?? 'unknown',
    currency,
    totalMinor: o.value,
    subtotalMinor: totals.get('items'),
    // VTEX reports discounts as a negative total; stored as the (positive) amount taken off.
    discountMinor: discounts === undefined ? undefined : Math.abs(discounts),
    shippingMinor: totals.get('shipping'),
    taxMinor: totals.get('tax'),
    placedAt: vtexInstant(o.creationDate) ?? o.creationDate,
    items,
    raw: defined({
      sequence: o.sequence ?? undefined,
      origin: o.origin ?? undefined,
      salesChannel: o.salesChannel ?? undefined,
      affiliateId: o.affiliateId || undefined,
      lastChange: o.lastChange ? vtexInstant(o.lastChange) : undefined,
      utmSource: o.marketingData?.utmSource ?? undefined,
      utmCampaign: o.marketingData?.utmCampaign ?? undefined,
      coupon: o.marketingData?.coupon ?? undefined,
    }),
  }) as OrderRecord;
  return { order, profile, products };
}

export interface RecordError {
  externalId: string;
  reason: string;
}

const reasonOf = (e: z.ZodError) =>
  e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/** Later records of one key fill what earlier ones left out and win where both speak. */
function mergeByKey<T extends { externalId: string }>(records: readonly T[]): T[] {
  const out = new Map<string, T>();
  for (const r of records) {
    const prev = out.get(r.externalId);
    out.set(r.externalId, prev ? ({ ...prev, ...defined(r as unknown as Record<string, unknown>) } as T) : r);
  }
  // Sorted keys: concurrent pages lock shared rows (a repeat buyer) in the same order, so they never deadlock.
  return [...out.values()].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
}

export interface MappedPage {
  orders: OrderRecord[];
  profiles: ProfileRecord[];
  products: ProductRecord[];
  errors: RecordError[];
}

/**
 * A page of order details → what to write, each record validated. An order that cannot be stored is reported and
 * skipped whole (with its profile), never half-written. Orders should be in creation order: a repeat buyer's
 * profile takes the latest order's data.
 */
export function mapOrdersPage(details: readonly VtexOrder[], resolvedEmails: ReadonlyMap<string, string> = new Map()): MappedPage {
  const orders: OrderRecord[] = [];
  const profiles: ProfileRecord[] = [];
  const products: ProductRecord[] = [];
  const errors: RecordError[] = [];
  for (const d of details) {
    const m = mapOrder(d, resolvedEmails);
    // The fit checks accept what the schema would accept unchanged; anything else is decided by the schema.
    const o = fitsOrderRecord(m.order) ? ({ success: true, data: m.order } as const) : orderRecord.safeParse(m.order);
    if (!o.success) {
      errors.push({ externalId: d.orderId, reason: reasonOf(o.error) });
      continue;
    }
    let profile: ProfileRecord | undefined;
    if (m.profile) {
      const p = fitsProfileRecord(m.profile) ? ({ success: true, data: m.profile } as const) : profileRecord.safeParse(m.profile);
      if (!p.success) {
        errors.push({ externalId: d.orderId, reason: `buyer: ${reasonOf(p.error)}` });
        continue;
      }
      profile = p.data;
    }
    orders.push(o.data);
    if (profile) profiles.push(profile);
    for (const pr of m.products) {
      if (fitsProductRecord(pr)) {
        products.push(pr);
        continue;
      }
      const r = productRecord.safeParse(pr);
      if (r.success) products.push(r.data);
    }
  }
  return { orders, profiles: mergeByKey(profiles), products: mergeByKey(products), errors };
}

// ---- Master Data CL ------------------------------------------------------------------------------------

/** A CL document → the shopper's profile (same key as their orders' buyer); undefined if it identifies nobody. */
export function mapClDocument(d: VtexClDocument): ProfileRecord | undefined {
  const email = realEmail(d.email);
  const externalId = profileExternalId({ userProfileId: d.userId, document: d.document, documentType: d.documentType, email });
  if (!externalId) return undefined;
  const birth = d.birthDate?.slice(0, 10);
  return defined({
    externalId: externalId.slice(0, 255),
    email,
    ...documentOf(d.document, d.documentType),
    phone: clip(d.phone ?? d.homePhone, 40),
    firstName: clip(d.firstName, 200),
    lastName: clip(d.lastName, 200),
    birthDate: birth && /^\d{4}-\d{2}-\d{2}$/.test(birth) && Number.isFinite(Date.parse(birth)) ? birth : undefined,
    // The CL id is where write-back PATCHes go.
    attributes: defined({
      vtexClId: d.id,
      newsletterOptIn: d.isNewsletterOptIn ?? undefined,
      isCorporate: d.isCorporate || undefined,
      corporateName: d.isCorporate ? clip(d.corporateName, 200) : undefined,
    }),
  });
}

export function mapClPage(docs: readonly VtexClDocument[]): { profiles: ProfileRecord[]; skipped: number; errors: RecordError[] } {
  const profiles: ProfileRecord[] = [];
  const errors: RecordError[] = [];
  let skipped = 0;
  for (const d of docs) {
    const m = mapClDocument(d);
    if (!m) {
      skipped++;
      continue;
    }
    const r = profileRecord.safeParse(m);
    if (r.success) profiles.push(r.data);
    else errors.push({ externalId: `CL:${d.id}`, reason: reasonOf(r.error) });
  }
  return { profiles: mergeByKey(profiles), skipped, errors };
}

/** The latest `updatedIn` of a CL page (the customers stream's cursor), ISO. */
export function latestUpdatedIn(docs: readonly VtexClDocument[], after?: string): string | undefined {
  let best = after ? Date.parse(after) : -Infinity;
  for (const d of docs) {
    const t = d.updatedIn ? Date.parse(d.updatedIn) : NaN;
    if (Number.isFinite(t) && t > best) best = t;
  }
  return Number.isFinite(best) ? new Date(best).toISOString() : undefined;
}

// ---- Catalog -------------------------------------------------------------------------------------------

/** A catalog search product → ProductRecord; prices (decimals here) need the store's currency. */
export function mapCatalogProduct(p: VtexCatalogProduct, currency: string | undefined): ProductRecord | undefined {
  const sku = p.items?.[0];
  const seller = sku?.sellers?.find((s) => s.sellerDefault) ?? sku?.sellers?.[0];
  const price = seller?.commertialOffer?.Price;
  const priceMinor = currency && typeof price === 'number' && price > 0 ? decimalToMinor(price) : undefined;
  // categories are paths ("/Indumentaria/Remeras/"), most specific first.
  const category = p.categories?.[0]?.split('/').filter(Boolean).pop();
  const r = productRecord.safeParse(
    defined({
      externalId: p.productId,
      sku: clip(sku?.itemId, 255),
      name: clip(p.productName, 500),
      category: clip(category, 300),
      brand: clip(p.brand, 200),
      priceMinor,
      currency: priceMinor !== undefined ? currency : undefined,
      url: clip(p.link, 2000),
      imageUrl: clip(sku?.images?.[0]?.imageUrl, 2000),
      attributes: defined({ refId: p.productReference ?? undefined, ean: sku?.ean ?? undefined, linkText: p.linkText ?? undefined }),
    }),
  );
  return r.success ? r.data : undefined;
}

// ---- Time windows for the OMS list ------------------------------------------------------------------------

/** VTEX's list filter is inclusive at both ends; windows are half-open, so the upper bound is `to` − 1 ms. */
export function creationDateFilter(w: { from: string; to: string }): string {
  return `creationDate:[${w.from} TO ${new Date(Date.parse(w.to) - 1).toISOString()}]`;
}

/** The OMS lists at most 30 pages of 100: a window holding more must be split. */
export const VTEX_LIST_CAP = 30 * 100;
