import { describe, expect, it } from 'vitest';
import { orderRecord } from '../ingest/orders.ts';
import { profileRecord } from '../ingest/profiles.ts';
import {
  amountToMinor,
  mapBuyer,
  mapOrder,
  mergeBuyerProfiles,
  mlBillingInfo,
  mlDate,
  mlNotification,
  mlOrder,
  mlTokenResponse,
  needsRefresh,
  notificationEventId,
  orderIdOfResource,
  tokenExpiresAt,
} from './mercadolibre.ts';

// The reference's order example (integrations.md §2.2), with a second item and a promotion.
const order = {
  id: 2000003508419013,
  status: 'paid',
  status_detail: null,
  date_created: '2013-05-27T10:01:50.000-04:00',
  date_closed: '2013-05-27T10:04:07.000-04:00',
  last_updated: '2013-05-27T11:00:00.000-04:00',
  pack_id: null,
  order_items: [
    {
      item: { id: 'MLA12345678', title: 'Zapatillas Running', category_id: 'MLA1234', variation_id: null, seller_sku: 'ZR-42', variation_attributes: [] },
      quantity: 2,
      unit_price: 499.9,
      full_unit_price: 599.9,
      currency_id: 'ARS',
      sale_fee: 50,
    },
    { item: { id: 'MLA999', title: 'Medias', category_id: null, variation_id: null, seller_sku: null }, quantity: 1, unit_price: 1.005, full_unit_price: 1.005, currency_id: 'ARS' },
  ],
  total_amount: 1000.81,
  paid_amount: 1000.81,
  currency_id: 'ARS',
  buyer: { id: 123456789, nickname: 'COMPRADORTESTE' },
  seller: { id: 555 },
  payments: [{ id: 1, status: 'approved', transaction_amount: 1000.81 }],
  shipping: { id: 4000 },
  tags: ['paid', 'delivered'],
  context: { channel: 'marketplace', site: 'MLA' },
};

const billing = (identification: { type: string; number: string } | null, custType = 'CO', name = 'Juan', lastName = 'Sanchez') => ({
  site_id: 'MLA',
  buyer: {
    cust_id: '123123123',
    billing_info: {
      name,
      last_name: lastName,
      identification,
      taxes: { taxpayer_type: { id: '01', description: 'Consumidor Final' } },
      address: { street_name: 'Aysen', street_number: '30', city_name: 'Buenos Aires', state: { code: '01', name: 'Buenos Aires' }, zip_code: '5000', country_id: 'AR' },
      attributes: { vat_discriminated_billing: 'true', is_normalized: true, cust_type: custType },
    },
  },
  seller: { cust_id: 0 },
});

describe('MercadoLibre order mapping', () => {
  it('maps money to minor units, items, status and the buyer link', () => {
    const o = mapOrder(mlOrder.parse(order));
    expect(orderRecord.parse(o)).toEqual(o);
    expect(o).toMatchObject({
      externalId: '2000003508419013',
      customerExternalId: '123456789',
      status: 'paid',
      currency: 'ARS',
      totalMinor: 100081,
      discountMinor: 20000,
      placedAt: '2013-05-27T10:01:50.000-04:00',
    });
    expect(o.items).toEqual([
      { externalProductId: 'MLA12345678', sku: 'ZR-42', name: 'Zapatillas Running', category: 'MLA1234', quantity: 2, unitPriceMinor: 49990, totalMinor: 99980 },
      { externalProductId: 'MLA999', name: 'Medias', quantity: 1, unitPriceMinor: 101, totalMinor: 101 },
    ]);
    expect(o.raw).toMatchObject({ site: 'MLA', shippingId: '4000', tags: ['paid', 'delivered'], paidMinor: 100081, buyerNickname: 'COMPRADORTESTE' });
  });

  it.each([
    [499, 'ARS', 49900],
    [499.99, 'ARS', 49999],
    ['1234.5', 'ARS', 123450],
    [0.1 + 0.2, 'ARS', 30],
    [15990, 'CLP', 15990],
    [12.34, 'BRL', 1234],
  ])('amount %s %s → %s minor units', (value, currency, minor) => {
    expect(amountToMinor(value, currency)).toBe(minor);
  });

  it('rejects an order whose amount is not a number instead of storing garbage', () => {
    expect(() => mapOrder(mlOrder.parse({ ...order, total_amount: 'n/a' }))).toThrow(/total_amount/);
  });

  it.each([
    ['DNI', { type: 'DNI', number: '30772273' }, 'CO', { dni: '30772273', firstName: 'Juan', lastName: 'Sanchez' }],
    ['CUIL', { type: 'CUIL', number: '20-30772273-5' }, 'CO', { cuit: '20-30772273-5', firstName: 'Juan', lastName: 'Sanchez' }],
    ['CUIT of a company', { type: 'CUIT', number: '30-71234567-1' }, 'BU', { cuit: '30-71234567-1', attributes: expect.objectContaining({ companyName: 'Juan Sanchez' }) }],
    ['a passport', { type: 'PAS', number: 'AB123456' }, 'CO', { attributes: expect.objectContaining({ document: { type: 'PAS', number: 'AB123456' } }) }],
  ])('buyer with %s', (_label, identification, custType, expected) => {
    const p = mapBuyer(mlOrder.parse(order), mlBillingInfo.parse(billing(identification, custType)));
    expect(profileRecord.parse(p)).toEqual(p);
    expect(p).toMatchObject({ externalId: '123456789', ...expected });
    expect(p).not.toHaveProperty('email');
    if (custType === 'BU') expect(p).not.toHaveProperty('firstName');
    if (identification.type === 'PAS') expect(p).not.toHaveProperty('dni');
    expect(p.address).toEqual({ street: 'Aysen 30', city: 'Buenos Aires', province: 'Buenos Aires', postalCode: '5000', country: 'AR' });
  });

  it('without billing info the buyer is the ML id and nickname only (no invented e-mail or document)', () => {
    const p = mapBuyer(mlOrder.parse({ ...order, buyer: { id: 1, nickname: 'PEPE', email: 'pepe.x1@mail.mercadolibre.com' } }));
    expect(p).toEqual({ externalId: '1', attributes: { nickname: 'PEPE' } });
  });

  it('keeps one profile per buyer in a batch, preferring the one with documents', () => {
    const bare = { externalId: '7', attributes: { nickname: 'X' } };
    const rich = { externalId: '7', dni: '30111222', attributes: { nickname: 'X' } };
    expect(mergeBuyerProfiles([rich, bare, { externalId: '8' }])).toEqual([rich, { externalId: '8' }]);
  });

  it('reads the legacy (v1) billing shape as invalid, so a missing x-version header cannot pass silently', () => {
    expect(mlBillingInfo.safeParse({ billing_info: { doc_type: 'DNI', doc_number: '1' } }).success).toBe(false);
  });
});

describe('MercadoLibre protocol helpers', () => {
  it.each([
    ['/orders/2000003508419013', '2000003508419013'],
    ['/orders/12/', '12'],
    ['/orders/12/billing_info', undefined],
    ['/items/MLA1', undefined],
  ])('resource %s → order %s', (resource, id) => {
    expect(orderIdOfResource(resource)).toBe(id);
  });

  it('parses notifications and keys the inbox by resource', () => {
    const n = mlNotification.parse({
      _id: 'abc',
      resource: '/orders/2000003508419013',
      user_id: 123456789,
      topic: 'orders_v2',
      application_id: 89745685555,
      attempts: 1,
      sent: '2024-01-15T10:30:00.000Z',
      received: '2024-01-15T10:30:00.050Z',
    });
    expect(n.user_id).toBe('123456789');
    expect(notificationEventId(n)).toBe('orders_v2:/orders/2000003508419013');
    expect(mlNotification.safeParse({ resource: '/orders/1', topic: 'orders_v2' }).success).toBe(false);
  });

  it('formats search dates with an explicit offset', () => {
    expect(mlDate('2026-01-01T03:00:00.000Z')).toBe('2026-01-01T03:00:00.000-00:00');
    expect(mlDate('2026-01-01T00:00:00.000-03:00')).toBe('2026-01-01T03:00:00.000-00:00');
  });

  const now = Date.parse('2026-03-01T12:00:00.000Z');
  it.each([
    ['no token', {}, true],
    ['no expiry known', { accessToken: 'a' }, true],
    ['valid for hours', { accessToken: 'a', expiresAt: '2026-03-01T18:00:00.000Z' }, false],
    ['expires within the margin', { accessToken: 'a', expiresAt: '2026-03-01T12:04:00.000Z' }, true],
    ['already expired', { accessToken: 'a', expiresAt: '2026-03-01T11:00:00.000Z' }, true],
    ['unparseable expiry', { accessToken: 'a', expiresAt: 'soon' }, true],
  ])('%s → refresh: %s', (_label, creds, expected) => {
    expect(needsRefresh(creds, now)).toBe(expected);
  });

  it('computes expiry from expires_in and reads the token response', () => {
    expect(tokenExpiresAt(now, 21600)).toBe('2026-03-01T18:00:00.000Z');
    const t = mlTokenResponse.parse({ access_token: 'APP_USR-1', token_type: 'Bearer', expires_in: 21600, scope: 'offline_access read write', user_id: 146322322, refresh_token: 'TG-1' });
    expect(t.user_id).toBe('146322322');
  });
});
