import { describe, expect, it } from 'vitest';
import { VtexDataset } from '#tests/fakes/vtex-data.ts';
import { vtexOrder } from './vtex.ts';
import { readVtexOrder } from './vtex-order-read.ts';

/** A parsed order body, loose enough for the mutations below. */
type Body = Record<string, unknown> & { items: Record<string, unknown>[]; totals: Record<string, unknown>[]; clientProfileData: Record<string, unknown> };

/** What zod makes of a body: the reference the fast check must reproduce exactly. */
const viaZod = (body: unknown) => {
  const r = vtexOrder.safeParse(body);
  return r.success ? { order: r.data } : undefined;
};

const data = new VtexDataset({ seed: 11, customers: 150, products: 40 });
const bodies = data.addOrders(200, { from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 5, 1) }).map((o) => JSON.stringify(data.orderDetail(o, 'store')));
/** Fresh copies of the fake store's order details, as the client receives them (parsed JSON). */
const details = () => bodies.map((b) => JSON.parse(b) as Record<string, unknown>);

describe('readVtexOrder', () => {
  it('reads what the schema reads from the fake store, unknown fields dropped', () => {
    for (const body of details()) {
      const r = readVtexOrder(body);
      expect(r).toStrictEqual(viaZod(body));
      expect('order' in r && 'paymentData' in r.order).toBe(false);
    }
  });

  // Each mutation of a valid order: the fast path must agree with zod, accepting or rejecting.
  const mutations: [string, (o: Body) => void][] = [
    ['value as a decimal', (o) => (o.value = 12.5)],
    ['value as a string', (o) => (o.value = '1250')],
    ['value beyond safe integers', (o) => (o.value = 2 ** 60)],
    ['no orderId', (o) => delete o.orderId],
    ['empty orderId', (o) => (o.orderId = '')],
    ['creationDate null', (o) => (o.creationDate = null)],
    ['status null', (o) => (o.status = null)],
    ['status a number', (o) => (o.status = 5)],
    ['totals null', (o) => (o.totals = null as never)],
    ['a total without value', (o) => delete o.totals[0]!.value],
    ['items null', (o) => (o.items = null as never)],
    ['items an object', (o) => (o.items = {} as never)],
    ['quantity 0', (o) => (o.items[0]!.quantity = 0)],
    ['quantity a string', (o) => (o.items[0]!.quantity = '2')],
    ['price a decimal', (o) => (o.items[0]!.price = 10.5)],
    ['price null', (o) => (o.items[0]!.price = null)],
    ['sellingPrice absent', (o) => delete o.items[0]!.sellingPrice],
    ['isGift a string', (o) => (o.items[0]!.isGift = 'no')],
    ['additionalInfo null', (o) => (o.items[0]!.additionalInfo = null)],
    ['category id an object', (o) => (o.items[0]!.additionalInfo = { categories: [{ id: {}, name: 'x' }] })],
    ['category name missing', (o) => (o.items[0]!.additionalInfo = { categories: [{ id: 1 }] })],
    ['priceDefinition without total', (o) => (o.items[0]!.priceDefinition = {})],
    ['priceDefinition total a decimal', (o) => (o.items[0]!.priceDefinition = { total: 1.5 })],
    ['clientProfileData null', (o) => (o.clientProfileData = null as never)],
    ['clientProfileData an array', (o) => (o.clientProfileData = [] as never)],
    ['email a number', (o) => (o.clientProfileData.email = 7)],
    ['isCorporate a string', (o) => (o.clientProfileData.isCorporate = 'true')],
    ['optinNewsLetter absent', (o) => (o.clientPreferencesData = {})],
    ['storePreferencesData a string', (o) => (o.storePreferencesData = 'ARS')],
    ['shippingData without address', (o) => (o.shippingData = {})],
    ['address null', (o) => (o.shippingData = { address: null })],
    ['address number a number', (o) => (o.shippingData = { address: { number: 123 } })],
    ['marketingData null', (o) => (o.marketingData = null)],
    ['coupon a number', (o) => (o.marketingData = { coupon: 5 })],
  ];
  it.each(mutations)('agrees with the schema: %s', (_name, mutate) => {
    const body = details()[0]! as Body;
    mutate(body);
    const r = readVtexOrder(body);
    const ref = viaZod(body);
    if (ref) expect(r).toStrictEqual(ref);
    else expect(r).toEqual({ error: expect.stringMatching(/^unexpected order shape: \S/) });
  });

  it('says which field is wrong', () => {
    const body = details()[0]! as Body;
    (body.items as Record<string, unknown>[])[0]!.quantity = -1;
    expect(readVtexOrder(body)).toEqual({ error: expect.stringContaining('items.0.quantity') });
    expect(readVtexOrder(null)).toEqual({ error: expect.stringContaining('unexpected order shape') });
  });
});
