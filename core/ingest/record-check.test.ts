import { describe, expect, it } from 'vitest';
import { mapOrder, vtexOrder } from '#core/connectors/vtex.ts';
import { VtexDataset } from '#tests/fakes/vtex-data.ts';
import { orderRecord, productRecord } from './orders.ts';
import { profileRecord } from './profiles.ts';
import { fitsOrderRecord, fitsProductRecord, fitsProfileRecord } from './record-check.ts';

/** A mapped order, loose enough for the mutations below. */
type Loose = Record<string, unknown> & { items: Record<string, unknown>[] };

const data = new VtexDataset({ seed: 5, customers: 150, products: 40 });
const orders = data.addOrders(200, { from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 5, 1) });
const mapped = () => orders.map((o) => mapOrder(vtexOrder.parse(data.orderDetail(o, 'store'))));

/** A fit check may say "not sure"; when it says yes, the schema must accept the record and return it unchanged. */
function agrees<T>(fits: (r: T) => boolean, schema: { safeParse: (v: unknown) => { success: boolean; data?: unknown } }, r: T) {
  const ref = schema.safeParse(r);
  if (fits(r)) {
    expect(ref.success).toBe(true);
    expect(ref.data).toStrictEqual(r);
  }
  return fits(r);
}

describe('record fit checks', () => {
  it('accept the records the VTEX mapping builds from the fake store', () => {
    for (const m of mapped()) {
      expect(agrees(fitsOrderRecord, orderRecord, m.order)).toBe(true);
      if (m.profile) expect(agrees(fitsProfileRecord, profileRecord, m.profile)).toBe(true);
      for (const p of m.products) expect(agrees(fitsProductRecord, productRecord, p)).toBe(true);
    }
  });

  const first = mapped()[0]!.order;
  const order = () => structuredClone(first) as Loose;
  it.each<[string, (o: Loose) => void]>([
    ['no currency', (o) => (o.currency = '')],
    ['lower-case currency', (o) => (o.currency = 'ars')],
    ['padded status', (o) => (o.status = ' paid ')],
    ['status too long', (o) => (o.status = 'x'.repeat(101))],
    ['non-breaking space at the end', (o) => (o.externalId = 'abc\u00a0')],
    ['decimal total', (o) => (o.totalMinor = 1.5)],
    ['placedAt with an offset', (o) => (o.placedAt = '2025-01-01T10:00:00.000-03:00')],
    ['placedAt on 31 February', (o) => (o.placedAt = '2025-02-31T10:00:00.000Z')],
    ['placedAt not a date', (o) => (o.placedAt = 'yesterday')],
    ['unknown key', (o) => (o.extra = 1)],
    ['item quantity too large', (o) => (o.items[0]!.quantity = 2_000_000)],
    ['item quantity 0', (o) => (o.items[0]!.quantity = 0)],
    ['item unknown key', (o) => (o.items[0]!.colour = 'red')],
    ['item name empty', (o) => (o.items[0]!.name = '')],
    ['raw an array', (o) => (o.raw = [])],
  ])('orders: %s', (_n, mutate) => {
    const o = order();
    mutate(o);
    agrees(fitsOrderRecord, orderRecord, o as never);
    // Each of these is one the fast path must leave to the schema.
    expect(fitsOrderRecord(o as never)).toBe(false);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['plain', { externalId: 'u1', email: 'ana@example.com', dni: '30111222' }, true],
    ['upper-case e-mail', { externalId: 'u1', email: 'Ana@example.com' }, false],
    ['padded e-mail', { externalId: 'u1', email: ' ana@example.com' }, false],
    ['invalid e-mail', { externalId: 'u1', email: 'ana@' }, false],
    ['birth date', { externalId: 'u1', birthDate: '1990-02-28' }, true],
    ['impossible birth date', { externalId: 'u1', birthDate: '1990-02-30' }, false],
    ['address', { externalId: 'u1', address: { city: 'Rosario', country: 'AR' } }, true],
    ['address with an unknown key', { externalId: 'u1', address: { town: 'Rosario' } }, false],
    ['postal code too long', { externalId: 'u1', address: { postalCode: '1'.repeat(21) } }, false],
    ['unknown key', { externalId: 'u1', nickname: 'x' }, false],
  ])('profiles: %s', (_n, p, fits) => {
    expect(agrees(fitsProfileRecord, profileRecord, p as never)).toBe(fits);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['plain', { externalId: 'p1', name: 'Remera', priceMinor: 100, currency: 'ARS', attributes: { ean: '1' } }, true],
    ['no name', { externalId: 'p1' }, false],
    ['decimal price', { externalId: 'p1', name: 'Remera', priceMinor: 1.5 }, false],
    ['bad currency', { externalId: 'p1', name: 'Remera', currency: 'ARSX' }, false],
    ['external id too long', { externalId: 'p'.repeat(256), name: 'Remera' }, false],
  ])('products: %s', (_n, p, fits) => {
    expect(agrees(fitsProductRecord, productRecord, p as never)).toBe(fits);
  });
});
