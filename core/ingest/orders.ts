// Orders and products as every connector hands them to the write path: money in integer minor units.
import { z } from 'zod';

const text = (max = 200) => z.string().trim().min(1).max(max);
const minor = z.number().int().describe('Integer minor units (centavos)');

export const orderItemRecord = z
  .object({
    externalProductId: text(255).optional(),
    sku: text(255).optional(),
    name: text(500).optional(),
    category: text(300).optional(),
    quantity: z.number().positive().max(1_000_000),
    unitPriceMinor: minor,
    totalMinor: minor,
  })
  .strict()
  .meta({ id: 'OrderItemRecord' });
export type OrderItemRecord = z.infer<typeof orderItemRecord>;

export const orderRecord = z
  .object({
    externalId: text(255).describe("The source's order id; (source, externalId) is the idempotency key."),
    /** The buyer's profile external id in the same source: links the order to the customer. */
    customerExternalId: text(255).optional(),
    status: text(100),
    currency: z.string().trim().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. ARS'),
    totalMinor: minor,
    subtotalMinor: minor.optional(),
    discountMinor: minor.optional(),
    shippingMinor: minor.optional(),
    taxMinor: minor.optional(),
    placedAt: z.iso.datetime({ offset: true }),
    /** Items replace the order's previous items when given; omitted, the stored items are kept. */
    items: z.array(orderItemRecord).max(1000).optional(),
    raw: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'OrderRecord' });
export type OrderRecord = z.infer<typeof orderRecord>;

export const productRecord = z
  .object({
    externalId: text(255),
    sku: text(255).optional(),
    name: text(500),
    category: text(300).optional(),
    brand: text(200).optional(),
    priceMinor: minor.optional(),
    currency: z.string().trim().regex(/^[A-Z]{3}$/).optional(),
    url: text(2000).optional(),
    imageUrl: text(2000).optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .meta({ id: 'ProductRecord' });
export type ProductRecord = z.infer<typeof productRecord>;

/** Decimal money (as catalogs and CSVs write it: "1234.5", "1.234,50") to minor units, or undefined. */
export function decimalToMinor(value: string | number, digits = 2): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 10 ** digits) : undefined;
  let s = value.trim().replace(/[^\d.,-]/g, '');
  if (!s) return undefined;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  // The later of "," and "." is the decimal separator; the other groups thousands.
  if (lastComma > lastDot) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  // Digit strings, not floats: 1.005 must not become 100.49999.
  const frac = (m[3] ?? '').padEnd(digits + 1, '0');
  const whole = Number(m[2]) * 10 ** digits + Number(frac.slice(0, digits)) + (Number(frac[digits]) >= 5 ? 1 : 0);
  return m[1] ? -whole : whole;
}
