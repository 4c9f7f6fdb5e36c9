// Realistic, seeded Argentine MercadoLibre data for the fake server: buyers with nicknames, names and documents
// (DNI, CUIL, company CUIT with valid check digits), orders with ARS decimal amounts as ML returns them.
import { fakerES } from '@faker-js/faker';

export interface FakeBuyer {
  id: number;
  nickname: string;
  firstName: string;
  lastName: string;
  /** DNI for most people, CUIL for some, CUIT for companies (cust_type BU). */
  identification: { type: 'DNI' | 'CUIL' | 'CUIT'; number: string };
  business: boolean;
  address: { street_name: string; street_number: string; city_name: string; state: { code: string; name: string }; zip_code: string; country_id: 'AR' };
}

export interface FakeOrder {
  /** The order JSON as `/orders/{id}` returns it. */
  order: Record<string, any> & { id: number; date_created: string; last_updated: string; buyer: { id: number; nickname: string }; seller: { id: number } };
  /** Billing data, if ML has any for this order (only some order types carry it). */
  buyer?: FakeBuyer;
}

const PROVINCES: [code: string, name: string, city: string, zip: string][] = [
  ['C', 'Capital Federal', 'Buenos Aires', '1425'],
  ['B', 'Buenos Aires', 'La Plata', '1900'],
  ['B', 'Buenos Aires', 'Mar del Plata', '7600'],
  ['X', 'Córdoba', 'Córdoba', '5000'],
  ['S', 'Santa Fe', 'Rosario', '2000'],
  ['M', 'Mendoza', 'Mendoza', '5500'],
  ['T', 'Tucumán', 'San Miguel de Tucumán', '4000'],
  ['Q', 'Neuquén', 'Neuquén', '8300'],
];

const PRODUCTS: [title: string, category: string, price: number][] = [
  ['Zapatillas Running Hombre', 'MLA109027', 89999.99],
  ['Mate Imperial Calabaza Con Bombilla', 'MLA1071', 24500],
  ['Auriculares Bluetooth Inalámbricos', 'MLA3697', 35999.5],
  ['Yerba Mate 1kg Pack x 3', 'MLA178700', 12890.9],
  ['Remera Algodón Peinado', 'MLA109276', 15999],
  ['Cafetera Express 15 Bar', 'MLA9761', 219999.99],
  ['Mochila Urbana Notebook 15.6', 'MLA26538', 45999],
  ['Termo Acero Inoxidable 1L', 'MLA1071', 38500.75],
  ['Pelota Fútbol N°5', 'MLA1276', 27999],
  ['Set Sábanas 2 1/2 Plazas', 'MLA1632', 52999.99],
];

/** CUIT/CUIL check digit (integrations.md §11.2); undefined when the prefix has no verifier for this body. */
export function cuitFor(prefix: string, dni: string): string | undefined {
  const body = prefix + dni.padStart(8, '0');
  const w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  const r = 11 - (sum % 11);
  if (r === 10) return undefined;
  return `${body}${r === 11 ? 0 : r}`;
}

/** ML's timestamps: Argentine local time with its offset (`2026-01-15T10:30:00.000-03:00`). */
export function mlTimestamp(ms: number): string {
  return new Date(ms - 3 * 3600_000).toISOString().replace(/Z$/, '-03:00');
}

export function createBuyerGenerator(seed = 1) {
  const f = fakerES;
  f.seed(seed);
  let next = 100_000_000 + seed * 1_000_000;
  return function buyer(): FakeBuyer {
    const firstName = f.person.firstName();
    const lastName = f.person.lastName();
    const dni = String(f.number.int({ min: 18_000_000, max: 46_000_000 }));
    const kind = f.number.float({ min: 0, max: 1 });
    const [code, state, city, zip] = f.helpers.arrayElement(PROVINCES);
    let identification: FakeBuyer['identification'];
    let business = false;
    if (kind < 0.7) identification = { type: 'DNI', number: dni };
    else if (kind < 0.9) identification = { type: 'CUIL', number: cuitFor(f.helpers.arrayElement(['20', '27']), dni) ?? cuitFor('23', dni)! };
    else {
      business = true;
      const body = String(f.number.int({ min: 50_000_000, max: 72_000_000 }));
      identification = { type: 'CUIT', number: cuitFor('30', body) ?? cuitFor('33', body)! };
    }
    const nick = `${firstName}${lastName}`.normalize('NFD').replace(/[^A-Za-z]/g, '').toUpperCase().slice(0, 12);
    return {
      id: next++,
      nickname: `${nick}${f.number.int({ min: 1, max: 9999 })}`,
      firstName: business ? `${lastName} Hnos.` : firstName,
      lastName: business ? 'S.R.L.' : lastName,
      identification,
      business,
      address: {
        street_name: f.location.street(),
        street_number: String(f.number.int({ min: 1, max: 5000 })),
        city_name: city,
        state: { code: `AR-${code}`, name: state },
        zip_code: zip,
        country_id: 'AR',
      },
    };
  };
}

export interface GenerateOptions {
  sellerId: number;
  /** Orders are spread evenly over [from, to). */
  from: string;
  to: string;
  seed?: number;
  /** Distinct buyers; buyers repeat across orders. Default count/3. */
  buyers?: number;
  /** Share of orders with billing info (default 0.85). */
  billingRate?: number;
  /** First order id (16 digits like ML's). */
  firstId?: number;
}

export function generateOrders(count: number, o: GenerateOptions): FakeOrder[] {
  const seed = o.seed ?? 7;
  const nextBuyer = createBuyerGenerator(seed);
  const pool = Array.from({ length: Math.max(1, o.buyers ?? Math.ceil(count / 3)) }, nextBuyer);
  const f = fakerES;
  f.seed(seed + 1);
  const start = Date.parse(o.from);
  const span = Date.parse(o.to) - start;
  const out: FakeOrder[] = [];
  for (let i = 0; i < count; i++) {
    const buyer = f.helpers.arrayElement(pool);
    const created = start + Math.floor((span * i) / count);
    const items = Array.from({ length: f.number.int({ min: 1, max: 3 }) }, () => {
      const [title, category, price] = f.helpers.arrayElement(PRODUCTS);
      const onSale = f.number.float({ min: 0, max: 1 }) < 0.3;
      const unit = onSale ? Math.round(price * 0.85 * 100) / 100 : price;
      return {
        item: { id: `MLA${f.number.int({ min: 1_000_000_000, max: 1_999_999_999 })}`, title, category_id: category, variation_id: null, seller_sku: `SKU-${category.slice(3)}`, variation_attributes: [] },
        quantity: f.number.int({ min: 1, max: 3 }),
        unit_price: unit,
        full_unit_price: price,
        currency_id: 'ARS',
        sale_fee: Math.round(unit * 0.13 * 100) / 100,
      };
    });
    const total = Math.round(items.reduce((s, it) => s + it.unit_price * it.quantity, 0) * 100) / 100;
    const status = f.helpers.weightedArrayElement([
      { weight: 90, value: 'paid' },
      { weight: 6, value: 'cancelled' },
      { weight: 4, value: 'partially_refunded' },
    ]);
    const id = (o.firstId ?? 2_000_008_000_000_000) + i;
    out.push({
      order: {
        id,
        status,
        status_detail: null,
        date_created: mlTimestamp(created),
        date_closed: mlTimestamp(created + 60_000),
        last_updated: mlTimestamp(created + 120_000),
        pack_id: null,
        order_items: items,
        total_amount: total,
        paid_amount: status === 'cancelled' ? 0 : total,
        currency_id: 'ARS',
        buyer: { id: buyer.id, nickname: buyer.nickname },
        seller: { id: o.sellerId },
        payments: [{ id: id + 1_000_000, status: status === 'cancelled' ? 'cancelled' : 'approved', transaction_amount: total, currency_id: 'ARS', date_approved: mlTimestamp(created + 30_000) }],
        shipping: { id: 40_000_000_000 + i },
        tags: status === 'paid' ? ['paid', 'delivered'] : [status],
        context: { channel: 'marketplace', site: 'MLA', flows: [] },
      },
      buyer: f.number.float({ min: 0, max: 1 }) < (o.billingRate ?? 0.85) ? buyer : undefined,
    });
  }
  return out;
}

/** `/orders/{id}/billing_info` with `x-version: 2` (integrations.md §2.3). */
export function billingInfoV2(b: FakeBuyer, sellerId: number) {
  return {
    site_id: 'MLA',
    buyer: {
      cust_id: String(b.id),
      billing_info: {
        name: b.firstName,
        last_name: b.lastName,
        identification: b.identification,
        taxes: { taxpayer_type: b.business ? { id: '02', description: 'IVA Responsable Inscripto' } : { id: '01', description: 'Consumidor Final' } },
        address: b.address,
        attributes: { vat_discriminated_billing: String(b.business), doc_type_number: b.identification.number, is_normalized: true, cust_type: b.business ? 'BU' : 'CO' },
      },
    },
    seller: { cust_id: sellerId },
  };
}

/** The legacy v1 shape ML answers without `x-version: 2`. */
export function billingInfoV1(b: FakeBuyer) {
  return {
    billing_info: {
      doc_type: b.identification.type,
      doc_number: b.identification.number,
      additional_info: [
        { type: 'FIRST_NAME', value: b.firstName },
        { type: 'LAST_NAME', value: b.lastName },
        { type: 'DOC_TYPE', value: b.identification.type },
        { type: 'DOC_NUMBER', value: b.identification.number },
        { type: 'STREET_NAME', value: b.address.street_name },
        { type: 'ZIP_CODE', value: b.address.zip_code },
        { type: 'CITY_NAME', value: b.address.city_name },
        { type: 'STATE_NAME', value: b.address.state.name },
      ],
    },
  };
}
