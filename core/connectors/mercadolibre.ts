// MercadoLibre: the API responses the connector reads (validated at the boundary), their mapping to the CDP's
// profile and order records, and OAuth token timing. Pure: the clock comes in as an argument.
// Shapes: integrations.md §2 (orders, billing_info v2, OAuth, notifications).
import { z } from 'zod';
import { decimalToMinor, type OrderItemRecord, type OrderRecord } from '../ingest/orders.ts';
import type { ProfileRecord } from '../ingest/profiles.ts';

// ---------------------------------------------------------------------------------------------------------------
// Responses

/** ML ids are JSON numbers (orders have 16 digits, still exact in a double); some payloads quote them. */
const mlId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
const money = z.union([z.number(), z.string()]);
const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

export const mlOrderItem = z.object({
  item: z.object({
    id: z.string(),
    title: optionalText,
    category_id: optionalText,
    variation_id: z.union([z.number(), z.string()]).nullish(),
    seller_sku: optionalText,
  }),
  quantity: z.number().positive(),
  unit_price: money,
  full_unit_price: money.nullish(),
  currency_id: z.string().nullish(),
});

export const mlOrder = z.object({
  id: mlId,
  status: z.string().min(1),
  status_detail: z.unknown().optional(),
  date_created: z.iso.datetime({ offset: true }),
  date_closed: z.iso.datetime({ offset: true }).nullish(),
  last_updated: z.iso.datetime({ offset: true }).nullish(),
  pack_id: mlId.nullish(),
  order_items: z.array(mlOrderItem),
  total_amount: money,
  paid_amount: money.nullish(),
  currency_id: z.string().regex(/^[A-Z]{3}$/),
  buyer: z.object({
    id: mlId,
    nickname: optionalText,
    // Old payloads carried names; current ones usually do not (§2.2). Never an e-mail we may use.
    first_name: optionalText,
    last_name: optionalText,
  }),
  seller: z.object({ id: mlId }).optional(),
  shipping: z.object({ id: mlId.nullish() }).nullish(),
  tags: z.array(z.string()).nullish(),
  context: z.object({ site: z.string().nullish(), channel: z.string().nullish() }).nullish(),
});
export type MlOrder = z.output<typeof mlOrder>;

export const mlPaging = z.object({ total: z.number().int().nonnegative(), offset: z.number().int().nonnegative(), limit: z.number().int().nonnegative() });

/** `/orders/search`: results are validated one by one (a malformed order fails alone, not the page). */
export const mlOrderSearch = z.object({
  results: z.array(z.unknown()),
  paging: mlPaging,
});

const identification = z.object({ type: z.string().trim().min(1), number: z.string().trim().min(1) });

/** `/orders/{id}/billing_info` with `x-version: 2` (§2.3). */
export const mlBillingInfo = z.object({
  site_id: z.string().nullish(),
  buyer: z.object({
    cust_id: mlId.nullish(),
    billing_info: z
      .object({
        name: optionalText,
        last_name: optionalText,
        identification: identification.nullish(),
        taxes: z.object({ taxpayer_type: z.object({ id: z.string().nullish(), description: z.string().nullish() }).nullish() }).nullish(),
        address: z
          .object({
            street_name: optionalText,
            street_number: z.union([z.string(), z.number()]).nullish(),
            city_name: optionalText,
            state: z.object({ code: z.string().nullish(), name: optionalText }).nullish(),
            zip_code: optionalText,
            country_id: optionalText,
          })
          .nullish(),
        attributes: z.object({ cust_type: z.string().nullish() }).loose().nullish(),
      })
      .nullish(),
  }),
});
export type MlBillingInfo = z.output<typeof mlBillingInfo>;

/** `/users/me` (the seller who authorized the CDP). */
export const mlUser = z.object({ id: mlId, nickname: optionalText, site_id: optionalText, country_id: optionalText });

/** `POST /oauth/token`, both grants. */
export const mlTokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
  user_id: mlId,
  refresh_token: z.string().min(1),
});
export type MlTokenResponse = z.output<typeof mlTokenResponse>;

/** ML's error body (`{message, error, status, cause}`); `error` is what callers branch on (`invalid_grant`). */
export const mlError = z.object({ error: z.string().optional(), message: z.string().optional(), error_description: z.string().optional(), status: z.number().optional() }).loose();

/** A notification as ML POSTs it (§2.5), and as `/missed_feeds` lists it. */
export const mlNotification = z.object({
  _id: z.string().optional(),
  resource: z.string().trim().min(1).max(500),
  user_id: mlId,
  topic: z.string().trim().min(1).max(100),
  application_id: mlId,
  attempts: z.number().int().nonnegative(),
  sent: z.iso.datetime({ offset: true }),
  received: z.iso.datetime({ offset: true }),
});
export type MlNotification = z.output<typeof mlNotification>;

export const mlMissedFeeds = z.object({
  messages: z.array(z.unknown()),
  paging: z.object({ total: z.number().int().nonnegative().optional() }).loose().optional(),
});

/** The order id of an `orders_v2` resource (`/orders/2000003508419013`), or undefined. */
export function orderIdOfResource(resource: string): string | undefined {
  return /^\/orders\/(\d+)\/?$/.exec(resource.trim())?.[1];
}

/** Inbox dedupe key: one pending row per resource; a later notification for it re-queues the row. */
export const notificationEventId = (n: Pick<MlNotification, 'topic' | 'resource'>) => `${n.topic}:${n.resource.trim()}`;

// ---------------------------------------------------------------------------------------------------------------
// Mapping

/** Digits of each currency's minor unit (ISO 4217) among ML's sites; the rest use 2. */
const MINOR_DIGITS: Readonly<Record<string, number>> = { CLP: 0, PYG: 0 };
export const minorDigits = (currency: string) => MINOR_DIGITS[currency] ?? 2;

/** ML amounts are JSON decimals in the currency (499.9 ARS); through a string, so 1.005 is not 100.49999. */
export function amountToMinor(value: string | number, currency: string): number | undefined {
  return decimalToMinor(typeof value === 'number' ? String(value) : value, minorDigits(currency));
}

const clean = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

export class MappingError extends Error {
  override name = 'MappingError';
}

/**
 * The buyer of an order as a profile: externalId = ML buyer id (stable per person on ML). Documents come only
 * from billing_info (DNI → dni; CUIT/CUIL → cuit). ML never exposes the buyer's e-mail, so there is none.
 */
export function mapBuyer(order: MlOrder, billing?: MlBillingInfo): ProfileRecord {
  const b = billing?.buyer.billing_info ?? undefined;
  const doc = b?.identification ?? undefined;
  const docType = doc?.type.toUpperCase();
  const business = b?.attributes?.cust_type === 'BU';
  const a = b?.address ?? undefined;
  const street = [a?.street_name, a?.street_number != null ? String(a.street_number).trim() : undefined].filter(Boolean).join(' ');
  const address = a
    ? clean({ street: street || undefined, city: a.city_name, province: a.state?.name, postalCode: a.zip_code, country: a.country_id })
    : undefined;
  const attributes = clean({
    nickname: order.buyer.nickname,
    // A business buyer's billing "name" is the company: keep it, but not as a person's first name.
    companyName: business ? [b?.name, b?.last_name].filter(Boolean).join(' ') || undefined : undefined,
    taxpayerType: b?.taxes?.taxpayer_type?.description ?? undefined,
    customerType: b?.attributes?.cust_type ?? undefined,
    // Documents of other types (passport, LE/LC) are kept, but are not DNI/CUIT match keys.
    document: doc && docType !== 'DNI' && docType !== 'CUIT' && docType !== 'CUIL' ? { type: doc.type, number: doc.number } : undefined,
  });
  return clean({
    externalId: order.buyer.id,
    firstName: business ? undefined : (b?.name ?? order.buyer.first_name),
    lastName: business ? undefined : (b?.last_name ?? order.buyer.last_name),
    dni: docType === 'DNI' ? doc!.number : undefined,
    cuit: docType === 'CUIT' || docType === 'CUIL' ? doc!.number : undefined,
    address: address && Object.keys(address).length ? address : undefined,
    attributes,
  }) as ProfileRecord;
}

/** An ML order as the CDP's order: money in minor units, linked to its buyer's profile by buyer id. */
export function mapOrder(order: MlOrder): OrderRecord {
  const currency = order.currency_id;
  const minor = (v: string | number, what: string) => {
    const m = amountToMinor(v, currency);
    if (m === undefined) throw new MappingError(`order ${order.id}: ${what} ${JSON.stringify(v)} is not an amount`);
    return m;
  };
  let discount = 0;
  const items: OrderItemRecord[] = order.order_items.map((it, i) => {
    const unit = minor(it.unit_price, `order_items[${i}].unit_price`);
    const full = it.full_unit_price != null ? amountToMinor(it.full_unit_price, currency) : undefined;
    if (full !== undefined && full > unit) discount += Math.round((full - unit) * it.quantity);
    return clean({
      externalProductId: it.item.id,
      sku: it.item.seller_sku,
      name: it.item.title,
      category: it.item.category_id,
      quantity: it.quantity,
      unitPriceMinor: unit,
      totalMinor: Math.round(unit * it.quantity),
    }) as OrderItemRecord;
  });
  return clean({
    externalId: order.id,
    customerExternalId: order.buyer.id,
    status: order.status,
    currency,
    totalMinor: minor(order.total_amount, 'total_amount'),
    discountMinor: discount || undefined,
    placedAt: order.date_created,
    items,
    raw: clean({
      site: order.context?.site ?? undefined,
      channel: order.context?.channel ?? undefined,
      packId: order.pack_id ?? undefined,
      shippingId: order.shipping?.id ?? undefined,
      tags: order.tags ?? undefined,
      dateClosed: order.date_closed ?? undefined,
      lastUpdated: order.last_updated ?? undefined,
      paidMinor: order.paid_amount != null ? amountToMinor(order.paid_amount, currency) : undefined,
      buyerNickname: order.buyer.nickname,
    }),
  }) as OrderRecord;
}

/** Several orders of one buyer in a batch: one profile, the one with billing data (or the latest order's). */
export function mergeBuyerProfiles(profiles: readonly ProfileRecord[]): ProfileRecord[] {
  const out = new Map<string, ProfileRecord>();
  const richness = (p: ProfileRecord) => (p.dni || p.cuit ? 2 : 0) + (p.address ? 1 : 0);
  for (const p of profiles) {
    const prev = out.get(p.externalId);
    if (!prev || richness(p) >= richness(prev)) out.set(p.externalId, p);
  }
  return [...out.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and tokens

/** ML's search filters take ISO timestamps with an explicit offset (`2026-01-01T00:00:00.000-00:00`). */
export const mlDate = (iso: string) => new Date(Date.parse(iso)).toISOString().replace(/Z$/, '-00:00');

/** Refresh this long before the access token expires (it lives 6 h), so a call never starts with a dying token. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** When a token issued at `nowMs` with ML's `expires_in` (seconds) expires, as ISO. */
export const tokenExpiresAt = (nowMs: number, expiresInSeconds: number) => new Date(nowMs + expiresInSeconds * 1000).toISOString();

/** True when there is no usable access token at `nowMs`: none, no known expiry, or expiring within the margin. */
export function needsRefresh(creds: { accessToken?: string; expiresAt?: string }, nowMs: number, marginMs = TOKEN_REFRESH_MARGIN_MS): boolean {
  if (!creds.accessToken || !creds.expiresAt) return true;
  const expires = Date.parse(creds.expiresAt);
  return !Number.isFinite(expires) || expires - marginMs <= nowMs;
}
