import { describe, expect, it } from 'vitest';
import { VtexDataset } from '#tests/fakes/vtex-data.ts';
import {
  creationDateFilter,
  documentOf,
  isRelayEmail,
  latestUpdatedIn,
  mapCatalogProduct,
  mapClDocument,
  mapClPage,
  mapOrder,
  mapOrdersPage,
  profileExternalId,
  realEmail,
  relayLookups,
  vtexCatalogProduct,
  vtexClDocument,
  vtexInstant,
  vtexOrder,
  type VtexOrder,
} from './vtex.ts';

const baseOrder = (over: Partial<VtexOrder> = {}): VtexOrder =>
  vtexOrder.parse({
    orderId: '1172452900788-01',
    sequence: '502556',
    origin: 'Marketplace',
    salesChannel: '1',
    status: 'invoiced',
    value: 21_500_00,
    creationDate: '2025-11-04T20:09:43.8999580+00:00',
    lastChange: '2025-11-05T10:00:00.0000000+00:00',
    totals: [
      { id: 'Items', name: 'Total de los items', value: 20_000_00 },
      { id: 'Discounts', name: 'Descuentos', value: -1_000_00 },
      { id: 'Shipping', name: 'Envío', value: 2_500_00 },
      { id: 'Tax', name: 'Impuestos', value: 0 },
    ],
    items: [
      {
        id: '20001',
        productId: '1001',
        refId: 'REF-1',
        name: 'Remera lisa de algodón',
        quantity: 2,
        price: 10_000_00,
        listPrice: 10_000_00,
        sellingPrice: 9_500_00,
        imageUrl: 'https://x.vteximg.com.br/a.jpg',
        detailUrl: '/remera/p',
        additionalInfo: { brandName: 'Pampa Textil', categoriesIds: '/1/12/', categories: [{ id: 12, name: 'Remeras' }, { id: 1, name: 'Indumentaria' }] },
        priceDefinition: { total: 19_000_00 },
      },
    ],
    clientProfileData: {
      email: 'lucia.gomez@gmail.com',
      firstName: 'Lucía',
      lastName: 'Gómez',
      documentType: 'dni',
      document: '30.123.456',
      phone: '+5491145678901',
      isCorporate: false,
      userProfileId: 'b1f0c0de-0000-4000-a000-000000000001',
    },
    storePreferencesData: { countryCode: 'ARG', currencyCode: 'ARS' },
    shippingData: { address: { street: 'Av. Corrientes', number: '1234', city: 'Buenos Aires', state: 'CABA', postalCode: 'C1043AAZ', country: 'ARG' } },
    ...over,
  });

describe('relay e-mails', () => {
  it.each([
    ['a27499cad31f42b7a771ae34f57c8358@ct.vtex.com.br', true],
    ['johndoe@vtex.com.br-207700027841b.ct.vtex.com.br', true],
    ['JOHN@CT.VTEX.COM.BR', true],
    ['buyer.x1+2@mail.mercadolibre.com', true],
    ['lucia@gmail.com', false],
    ['someone@vtex.com.br', false],
    ['', false],
    [null, false],
  ])('%s → %s', (email, relay) => {
    expect(isRelayEmail(email)).toBe(relay);
  });

  it.each([
    ['Lucia@Gmail.com ', 'lucia@gmail.com'],
    ['x@ct.vtex.com.br', undefined],
    ['not-an-email', undefined],
    [undefined, undefined],
  ])('realEmail(%s) = %s', (input, out) => {
    expect(realEmail(input)).toBe(out);
  });
});

describe('documents', () => {
  it.each([
    ['30123456', 'dni', { dni: '30123456' }],
    ['30.123.456', 'DNI', { dni: '30123456' }],
    ['7123456', 'dni', { dni: '7123456' }],
    ['20-30123456-7', 'cuit', { cuit: '20301234567' }],
    ['20301234567', 'CUIL', { cuit: '20301234567' }],
    // The label is free text per store: the digit count wins when they disagree.
    ['20301234567', 'dni', { cuit: '20301234567' }],
    ['30123456', 'cuit', { dni: '30123456' }],
    ['30123456', '', { dni: '30123456' }],
    ['845.134.270-19', 'cpf', {}],
    ['', 'dni', {}],
    [null, null, {}],
  ])('%s (%s) → %o', (doc, type, out) => {
    expect(documentOf(doc, type)).toEqual(out);
  });

  it.each([
    [{ userProfileId: 'u-1', document: '30123456', documentType: 'dni', email: 'a@b.com' }, 'u-1'],
    [{ userProfileId: null, document: '30123456', documentType: 'dni', email: 'a@b.com' }, 'dni:30123456'],
    [{ userProfileId: '', document: '20301234567', documentType: 'cuit' }, 'cuit:20301234567'],
    [{ email: 'A@b.com' }, 'email:a@b.com'],
    [{ email: 'x@ct.vtex.com.br' }, undefined],
    [{}, undefined],
  ])('profileExternalId(%o) = %s', (input, out) => {
    expect(profileExternalId(input)).toBe(out);
  });
});

describe('mapOrder', () => {
  it('maps money (already cents), items, buyer and products', () => {
    const m = mapOrder(baseOrder());
    expect(m.order).toMatchObject({
      externalId: '1172452900788-01',
      customerExternalId: 'b1f0c0de-0000-4000-a000-000000000001',
      status: 'invoiced',
      currency: 'ARS',
      totalMinor: 2_150_000,
      subtotalMinor: 2_000_000,
      discountMinor: 100_000,
      shippingMinor: 250_000,
      taxMinor: 0,
      placedAt: '2025-11-04T20:09:43.899Z',
      raw: { sequence: '502556', lastChange: '2025-11-05T10:00:00.000Z', origin: 'Marketplace', salesChannel: '1' },
    });
    expect(m.order.items).toEqual([
      { externalProductId: '1001', sku: '20001', name: 'Remera lisa de algodón', category: 'Remeras', quantity: 2, unitPriceMinor: 950_000, totalMinor: 1_900_000 },
    ]);
    expect(m.profile).toEqual({
      externalId: 'b1f0c0de-0000-4000-a000-000000000001',
      email: 'lucia.gomez@gmail.com',
      dni: '30123456',
      phone: '+5491145678901',
      firstName: 'Lucía',
      lastName: 'Gómez',
      address: { street: 'Av. Corrientes 1234', city: 'Buenos Aires', province: 'CABA', postalCode: 'C1043AAZ', country: 'AR' },
    });
    expect(m.products).toEqual([
      {
        externalId: '1001',
        sku: '20001',
        name: 'Remera lisa de algodón',
        category: 'Remeras',
        brand: 'Pampa Textil',
        priceMinor: 1_000_000,
        currency: 'ARS',
        url: '/remera/p',
        imageUrl: 'https://x.vteximg.com.br/a.jpg',
        attributes: { refId: 'REF-1' },
      },
    ]);
  });

  const relay = 'a27499cad31f42b7a771ae34f57c8358@ct.vtex.com.br';
  const withEmail = (email: string, userProfileId: string | null = 'u-9') => baseOrder({ clientProfileData: { ...baseOrder().clientProfileData!, email, userProfileId } });

  it.each([
    ['a real address is kept', withEmail('Real@Example.com'), new Map(), 'real@example.com'],
    ['a relay resolved through CL gets the CL address', withEmail(relay), new Map([['u-9', 'lucia@gmail.com']]), 'lucia@gmail.com'],
    ['an unresolved relay leaves no e-mail', withEmail(relay), new Map(), undefined],
    ['a soft relay is a relay too', withEmail('lucia@gmail.com-1234b.ct.vtex.com.br'), new Map(), undefined],
    ['a relay resolved to another relay stays empty', withEmail(relay), new Map([['u-9', 'x@ct.vtex.com.br']]), undefined],
  ])('%s', (_name, order, resolved, email) => {
    const m = mapOrder(order, resolved);
    expect(m.profile?.email).toBe(email);
    expect(JSON.stringify(m)).not.toContain('ct.vtex.com.br');
  });

  it('keys the buyer on the document when there is no userProfileId, and the order follows', () => {
    const m = mapOrder(withEmail(relay, null));
    expect(m.profile?.externalId).toBe('dni:30123456');
    expect(m.order.customerExternalId).toBe('dni:30123456');
  });

  it('an order with no identifiable buyer is stored without a customer', () => {
    const m = mapOrder(baseOrder({ clientProfileData: { email: relay, firstName: 'X', userProfileId: null, document: null } }));
    expect(m.profile).toBeUndefined();
    expect(m.order.customerExternalId).toBeUndefined();
  });

  it('relayLookups lists each userProfileId whose orders carry only a relay', () => {
    expect(relayLookups([withEmail(relay, 'u-2'), withEmail(relay, 'u-1'), withEmail(relay, 'u-1'), withEmail('a@b.com', 'u-3'), withEmail(relay, null)])).toEqual(['u-1', 'u-2']);
  });
});

describe('mapOrdersPage', () => {
  it('merges a repeat buyer into one profile (later orders win) and dedupes products', () => {
    const first = baseOrder({ orderId: 'o-1', clientProfileData: { ...baseOrder().clientProfileData!, phone: '+5491100000000' } });
    const second = baseOrder({ orderId: 'o-2', clientProfileData: { ...baseOrder().clientProfileData!, phone: '+5491199999999', email: null } });
    const page = mapOrdersPage([first, second]);
    expect(page.orders.map((o) => o.externalId)).toEqual(['o-1', 'o-2']);
    expect(page.profiles).toHaveLength(1);
    expect(page.profiles[0]).toMatchObject({ phone: '+5491199999999', email: 'lucia.gomez@gmail.com' });
    expect(page.products).toHaveLength(1);
    expect(page.errors).toEqual([]);
  });

  it('reports an order it cannot store and skips it whole', () => {
    const bad = baseOrder({ orderId: 'o-bad', storePreferencesData: { currencyCode: null } });
    const page = mapOrdersPage([bad, baseOrder({ orderId: 'o-ok' })]);
    expect(page.orders.map((o) => o.externalId)).toEqual(['o-ok']);
    expect(page.errors).toEqual([{ externalId: 'o-bad', reason: expect.stringContaining('currency') }]);
  });

  it('round-trips the fake store: amounts equal VTEX totals, no relay stored', () => {
    const data = new VtexDataset({ seed: 3, customers: 200, products: 40 });
    const orders = data.addOrders(300, { from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 5, 1) });
    const details = orders.map((o) => vtexOrder.parse(data.orderDetail(o, 'store')));
    const resolved = new Map(relayLookups(details).map((u) => [u, data.byUserId.get(u)!.email]));
    const page = mapOrdersPage(details, resolved);
    expect(page.errors).toEqual([]);
    expect(page.orders).toHaveLength(300);
    for (const o of page.orders) {
      const src = data.byId.get(o.externalId)!;
      expect(o.totalMinor).toBe(data.totals(src).value);
      expect(o.items!.reduce((s, it) => s + it.totalMinor, 0)).toBe(data.totals(src).items + data.totals(src).discounts);
    }
    expect(JSON.stringify(page)).not.toContain('ct.vtex.com.br');
    for (const p of page.profiles) {
      const c = data.byUserId.get(p.externalId);
      if (c) expect(p.email).toBe(c.email);
    }
  });
});

describe('Master Data CL', () => {
  it.each([
    [
      'a shopper with a VTEX profile',
      { id: 'cl-1', userId: 'u-1', email: 'Ana@Gmail.com', document: '30.123.456', documentType: 'DNI', phone: '+5491145678901', birthDate: '1990-05-12T00:00:00Z', isNewsletterOptIn: true, updatedIn: '2025-01-01T00:00:00Z' },
      { externalId: 'u-1', email: 'ana@gmail.com', dni: '30123456', phone: '+5491145678901', birthDate: '1990-05-12', attributes: { vtexClId: 'cl-1', newsletterOptIn: true } },
    ],
    ['no userId: keyed on the CUIT', { id: 'cl-2', document: '30-71234567-1', documentType: 'cuit', isCorporate: true, corporateName: 'Acme SRL' }, { externalId: 'cuit:30712345671', cuit: '30712345671', attributes: { vtexClId: 'cl-2', isCorporate: true, corporateName: 'Acme SRL' } }],
    ['a relay e-mail is dropped', { id: 'cl-3', userId: 'u-3', email: 'x@ct.vtex.com.br', homePhone: '011 4567-8901' }, { externalId: 'u-3', phone: '011 4567-8901', attributes: { vtexClId: 'cl-3' } }],
    ['nothing identifying', { id: 'cl-4', firstName: 'Solo' }, undefined],
  ])('%s', (_name, doc, profile) => {
    expect(mapClDocument(vtexClDocument.parse(doc))).toEqual(profile);
  });

  it('pages: skips documents that identify nobody, cursor is the latest updatedIn', () => {
    const docs = [
      { id: 'a', userId: 'u-a', updatedIn: '2025-03-01T10:00:00.000Z' },
      { id: 'b', updatedIn: '2025-03-02T10:00:00.000Z' },
      { id: 'c', userId: 'u-c', updatedIn: '2025-02-01T10:00:00.000Z' },
    ].map((d) => vtexClDocument.parse(d));
    const page = mapClPage(docs);
    expect(page.profiles.map((p) => p.externalId)).toEqual(['u-a', 'u-c']);
    expect(page.skipped).toBe(1);
    expect(latestUpdatedIn(docs)).toBe('2025-03-02T10:00:00.000Z');
    expect(latestUpdatedIn([], '2025-01-01T00:00:00.000Z')).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('catalog and windows', () => {
  it('maps a catalog product with decimal prices to minor units', () => {
    const p = vtexCatalogProduct.parse({
      productId: '1001',
      productName: 'Remera',
      brand: 'Pampa',
      link: 'https://x/remera/p',
      categories: ['/Indumentaria/Remeras/', '/Indumentaria/'],
      items: [{ itemId: '20001', images: [{ imageUrl: 'https://img/1.jpg' }], sellers: [{ sellerDefault: true, commertialOffer: { Price: 12345.5, ListPrice: 15000 } }] }],
    });
    expect(mapCatalogProduct(p, 'ARS')).toMatchObject({ externalId: '1001', sku: '20001', category: 'Remeras', priceMinor: 1_234_550, currency: 'ARS', imageUrl: 'https://img/1.jpg' });
    expect(mapCatalogProduct(p, undefined)).not.toHaveProperty('priceMinor');
  });

  it('turns a half-open window into VTEX’s inclusive filter', () => {
    expect(creationDateFilter({ from: '2025-01-01T00:00:00.000Z', to: '2025-01-02T00:00:00.000Z' })).toBe('creationDate:[2025-01-01T00:00:00.000Z TO 2025-01-01T23:59:59.999Z]');
    expect(vtexInstant('2019-08-12T20:54:23.7153839Z')).toBe('2019-08-12T20:54:23.715Z');
    expect(vtexInstant('nope')).toBeUndefined();
  });
});
