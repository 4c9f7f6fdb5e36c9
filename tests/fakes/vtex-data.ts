// Realistic Argentine store data for the fake VTEX server: customers (Master Data CL), catalog products and OMS
// orders, seeded (same seed, same data) and cheap enough to build 200,000 orders in a second or two. Orders are
// kept compact and rendered to VTEX's JSON shapes on request.
import { fakerES as faker } from '@faker-js/faker';
import { prng } from '../support/prng.ts';


export interface VtexCustomer {
  /** Master Data CL document id. */
  clId: string;
  /** The VTEX profile id (orders' clientProfileData.userProfileId); null for the odd legacy guest checkout. */
  userId: string | null;
  /** False: the shopper has no CL document (orders still carry their profile). */
  inCl: boolean;
  firstName: string;
  lastName: string;
  email: string;
  /** As the store typed it: "30123456", "30.123.456" or an 11-digit CUIT. */
  document: string;
  documentType: string;
  phone: string;
  birthDate: string | null;
  isNewsletterOptIn: boolean;
  createdIn: number;
  updatedIn: number;
  isCorporate: boolean;
  corporateName: string | null;
  address: { street: string; number: string; city: string; state: string; postalCode: string };
  /** Custom CL fields written by PATCH (write-back). */
  custom: Record<string, unknown>;
}

export interface VtexProduct {
  productId: string;
  skuId: string;
  refId: string;
  ean: string;
  name: string;
  brand: string;
  brandId: number;
  department: { id: number; name: string };
  category: { id: number; name: string };
  priceCents: number;
  listPriceCents: number;
  linkText: string;
}

export type EmailMode = 'real' | 'hard' | 'soft';

export interface VtexOrder {
  orderId: string;
  sequence: number;
  createdMs: number;
  lastChangeMs: number;
  customer: number;
  status: string;
  items: { product: number; quantity: number; sellingPrice: number }[];
  shippingCents: number;
  /** How clientProfileData.email reaches integrations: the real address or a Conversation Tracker alias. */
  emailMode: EmailMode;
  relayHex: string;
  paymentSystem: string;
  installments: number;
  utmSource: string | null;
}

const STATUS_DESCRIPTIONS: Record<string, string> = {
  'payment-pending': 'Pagamento Pendente',
  'payment-approved': 'Pagamento Aprovado',
  'ready-for-handling': 'Pronto para o manuseio',
  handling: 'Preparando Entrega',
  invoiced: 'Faturado',
  canceled: 'Cancelado',
};
export const statusDescription = (s: string) => STATUS_DESCRIPTIONS[s] ?? s;

const STATUSES: [string, number][] = [
  ['invoiced', 0.7],
  ['canceled', 0.08],
  ['handling', 0.1],
  ['ready-for-handling', 0.07],
  ['payment-approved', 0.05],
];

const PLACES: [state: string, city: string, area: string, cpa: string][] = [
  ['Ciudad Autónoma de Buenos Aires', 'Buenos Aires', '11', 'C'],
  ['Buenos Aires', 'La Plata', '221', 'B'],
  ['Buenos Aires', 'Mar del Plata', '223', 'B'],
  ['Buenos Aires', 'Bahía Blanca', '291', 'B'],
  ['Córdoba', 'Córdoba', '351', 'X'],
  ['Santa Fe', 'Rosario', '341', 'S'],
  ['Mendoza', 'Mendoza', '261', 'M'],
  ['Tucumán', 'San Miguel de Tucumán', '381', 'T'],
  ['Salta', 'Salta', '387', 'A'],
  ['Neuquén', 'Neuquén', '299', 'Q'],
];
const AR_FIRST = ['Lucía', 'Martina', 'Valentina', 'Sofía', 'Camila', 'Florencia', 'Agustina', 'Milagros', 'Mateo', 'Santiago', 'Benjamín', 'Joaquín', 'Tomás', 'Facundo', 'Nicolás', 'Gonzalo', 'Matías', 'Lautaro', 'Franco', 'Julieta'];
const AR_LAST = ['González', 'Rodríguez', 'Gómez', 'Fernández', 'López', 'Díaz', 'Martínez', 'Pérez', 'Romero', 'Sosa', 'Álvarez', 'Torres', 'Ruiz', 'Ramírez', 'Flores', 'Acosta', 'Benítez', 'Medina', 'Herrera', 'Aguirre'];
const DOMAINS = ['gmail.com', 'hotmail.com', 'yahoo.com.ar', 'outlook.com', 'fibertel.com.ar', 'live.com.ar'];
const BRANDS = ['Pampa Textil', 'Andes Outdoor', 'Rioplatense', 'Patagonia Gourmet', 'Casa Criolla', 'Mate & Co', 'Norte Cuero', 'Litoral Deco'];
const DEPARTMENTS: [string, string[]][] = [
  ['Indumentaria', ['Remeras', 'Camperas', 'Jeans', 'Zapatillas']],
  ['Hogar', ['Bazar', 'Textil Hogar', 'Iluminación']],
  ['Almacén', ['Yerba Mate', 'Vinos', 'Dulces Regionales']],
  ['Tecnología', ['Celulares', 'Auriculares', 'Notebooks']],
];
const PAYMENTS: [string, number][] = [
  ['Visa', 0.35],
  ['Mastercard', 0.25],
  ['Mercado Pago', 0.25],
  ['American Express', 0.05],
  ['Transferencia', 0.1],
];

export const cuitCheckDigit = (first10: string) => {
  const w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const r = 11 - ([...first10].reduce((s, d, i) => s + Number(d) * w[i]!, 0) % 11);
  return r === 11 ? 0 : r;
};

const strip = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z]/g, '');

export interface DatasetOptions {
  seed?: number;
  customers?: number;
  products?: number;
}

export class VtexDataset {
  readonly customers: VtexCustomer[] = [];
  readonly products: VtexProduct[] = [];
  /** Sorted by (creation time, orderId): the order the OMS lists them in. */
  readonly orders: VtexOrder[] = [];
  readonly byId = new Map<string, VtexOrder>();
  readonly byUserId = new Map<string, VtexCustomer>();
  readonly byClId = new Map<string, VtexCustomer>();
  private readonly rnd: () => number;
  private readonly firsts: string[];
  private readonly lasts: string[];
  private readonly streets: string[];
  private sequence = 500_000;

  constructor(opts: DatasetOptions = {}) {
    const seed = opts.seed ?? 1;
    this.rnd = prng(seed);
    faker.seed(seed);
    this.firsts = [...AR_FIRST, ...Array.from({ length: 400 }, () => faker.person.firstName())];
    this.lasts = [...AR_LAST, ...Array.from({ length: 400 }, () => faker.person.lastName())];
    this.streets = Array.from({ length: 300 }, () => faker.location.street());
    const adjectives = Array.from({ length: 60 }, () => faker.commerce.productAdjective());
    const materials = Array.from({ length: 30 }, () => faker.commerce.productMaterial());
    for (let i = 0; i < (opts.products ?? 300); i++) this.products.push(this.newProduct(i, adjectives, materials));
    for (let i = 0; i < (opts.customers ?? 2000); i++) this.addCustomer(Date.UTC(2022, 0, 1) + Math.floor(this.rnd() * 3 * 365 * 86_400_000));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }
  private weighted(xs: readonly [string, number][]): string {
    let r = this.rnd();
    for (const [v, w] of xs) if ((r -= w) < 0) return v;
    return xs[0]![0];
  }
  private hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.rnd() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
  private uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  private newProduct(i: number, adjectives: string[], materials: string[]): VtexProduct {
    const [dept, cats] = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const catIndex = Math.floor(this.rnd() * cats.length);
    const catName = cats[catIndex]!;
    const name = `${catName.replace(/s$/, '')} ${this.pick(adjectives)} de ${this.pick(materials)}`;
    const listPrice = (5_000 + Math.floor(this.rnd() * 295_000)) * 100;
    const discounted = this.rnd() < 0.3;
    const brandIndex = Math.floor(this.rnd() * BRANDS.length);
    return {
      productId: String(1000 + i),
      skuId: String(20_000 + i),
      refId: `REF-${(1000 + i).toString(36).toUpperCase()}`,
      ean: String(7790000000000 + i * 13),
      name,
      brand: BRANDS[brandIndex]!,
      brandId: 2000000 + brandIndex,
      department: { id: 1 + DEPARTMENTS.findIndex(([d]) => d === dept), name: dept },
      category: { id: 100 + (i % DEPARTMENTS.length) * 10 + catIndex, name: catName },
      priceCents: discounted ? Math.round((listPrice * 0.85) / 100) * 100 : listPrice,
      listPriceCents: listPrice,
      linkText: `${strip(catName)}-${i}`,
    };
  }

  /** A new shopper (a CL document unless a guest); returns its index. */
  addCustomer(createdIn: number): number {
    const i = this.customers.length;
    const firstName = this.pick(this.firsts);
    const lastName = this.pick(this.lasts);
    const [state, city, area, cpaLetter] = this.pick(PLACES);
    const dni = String(20_000_000 + ((i * 7919 + Math.floor(this.rnd() * 997)) % 25_000_000));
    const corporate = this.rnd() < 0.05;
    let document = dni;
    let documentType = this.rnd() < 0.5 ? 'dni' : 'DNI';
    if (corporate) {
      const body = `30${dni}`;
      document = `${body}${cuitCheckDigit(body)}`;
      documentType = 'cuit';
    } else if (this.rnd() < 0.15) document = dni.replace(/(\d{2})(\d{3})(\d{3})$/, '$1.$2.$3');
    const local = String(4_000_000 + Math.floor(this.rnd() * 5_999_999)).slice(0, 10 - area.length);
    const guest = this.rnd() < 0.02;
    const c: VtexCustomer = {
      clId: this.uuid(),
      userId: guest ? null : this.uuid(),
      inCl: !guest && this.rnd() >= 0.06,
      firstName,
      lastName,
      email: `${strip(firstName)}.${strip(lastName)}${i}@${this.pick(DOMAINS)}`,
      document,
      documentType,
      phone: this.rnd() < 0.7 ? `+549${area}${local}` : `+54 9 ${area} ${local.slice(0, -4)}-${local.slice(-4)}`,
      birthDate: this.rnd() < 0.6 ? `${1955 + Math.floor(this.rnd() * 50)}-${String(1 + Math.floor(this.rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(this.rnd() * 28)).padStart(2, '0')}T00:00:00Z` : null,
      isNewsletterOptIn: this.rnd() < 0.4,
      createdIn,
      updatedIn: createdIn + Math.floor(this.rnd() * 30 * 86_400_000),
      isCorporate: corporate,
      corporateName: corporate ? `${lastName} Hnos. S.R.L.` : null,
      address: {
        street: this.pick(this.streets),
        number: String(1 + Math.floor(this.rnd() * 4500)),
        city,
        state,
        postalCode: `${cpaLetter}${1000 + Math.floor(this.rnd() * 9000)}${String.fromCharCode(65 + Math.floor(this.rnd() * 26), 65 + Math.floor(this.rnd() * 26), 65 + Math.floor(this.rnd() * 26))}`,
      },
      custom: {},
    };
    this.customers.push(c);
    if (c.userId) this.byUserId.set(c.userId, c);
    if (c.inCl) this.byClId.set(c.clId, c);
    return i;
  }

  /** A CL document changed (profile edit): new phone and a later updatedIn. */
  touchCustomer(index: number, at: number): VtexCustomer {
    const c = this.customers[index]!;
    c.phone = `+54911${String(50_000_000 + Math.floor(this.rnd() * 49_999_999))}`;
    c.updatedIn = at;
    return c;
  }

  /**
   * Adds `count` orders created in [from, to) (ms), spread evenly at random; `spike` puts that many of them in
   * [spike.at, spike.at + spike.spanMs) (a Hot Sale day). Returns the new orders.
   */
  addOrders(count: number, range: { from: number; to: number; spike?: { at: number; spanMs: number; count: number } }): VtexOrder[] {
    const out: VtexOrder[] = [];
    const spike = range.spike?.count ?? 0;
    const nCustomers = this.customers.length;
    for (let k = 0; k < count; k++) {
      const created =
        k < spike ? range.spike!.at + Math.floor(this.rnd() * range.spike!.spanMs) : range.from + Math.floor(this.rnd() * (range.to - range.from));
      // Repeat buyers: a skewed pick, so some customers have many orders.
      const customer = Math.floor(nCustomers * this.rnd() ** 1.6);
      const c = this.customers[customer]!;
      const nItems = 1 + Math.floor(this.rnd() ** 2 * 4);
      const items: VtexOrder['items'] = [];
      const used = new Set<number>();
      for (let j = 0; j < nItems; j++) {
        const product = Math.floor(this.rnd() * this.products.length);
        if (used.has(product)) continue;
        used.add(product);
        const p = this.products[product]!;
        items.push({ product, quantity: this.rnd() < 0.85 ? 1 : 2 + Math.floor(this.rnd() * 3), sellingPrice: this.rnd() < 0.2 ? Math.round(p.priceCents * 0.9) : p.priceCents });
      }
      const r = this.rnd();
      const emailMode: EmailMode = c.inCl && c.userId ? (r < 0.2 ? 'hard' : r < 0.27 ? 'soft' : 'real') : 'real';
      const seq = ++this.sequence;
      const o: VtexOrder = {
        orderId: `${1300000000000 + seq * 37}-01`,
        sequence: seq,
        createdMs: created,
        lastChangeMs: Math.min(created + Math.floor(this.rnd() * 3 * 86_400_000), Math.max(created, range.to)),
        customer,
        status: this.weighted(STATUSES),
        items,
        shippingCents: this.rnd() < 0.3 ? 0 : (2_000 + Math.floor(this.rnd() * 8_000)) * 100,
        emailMode,
        relayHex: this.hex(32),
        paymentSystem: this.weighted(PAYMENTS),
        installments: this.rnd() < 0.6 ? 1 : this.pick([3, 6, 12]),
        utmSource: this.rnd() < 0.3 ? this.pick(['google', 'facebook', 'instagram', 'newsletter']) : null,
      };
      out.push(o);
    }
    this.insertSorted(out);
    return out;
  }

  private insertSorted(batch: VtexOrder[]) {
    const cmp = (a: VtexOrder, b: VtexOrder) => a.createdMs - b.createdMs || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
    for (const o of batch) this.byId.set(o.orderId, o);
    const merged = [...this.orders, ...batch].sort(cmp);
    this.orders.length = 0;
    for (const o of merged) this.orders.push(o);
  }

  /** Index of the first order created at or after `ms`. */
  lowerBound(ms: number): number {
    let lo = 0;
    let hi = this.orders.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.orders[mid]!.createdMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // ---- VTEX JSON shapes ----------------------------------------------------------------------------------

  /** Order money totals, in cents, as VTEX's `totals[]`. */
  totals(o: VtexOrder) {
    let items = 0;
    let discounts = 0;
    for (const it of o.items) {
      const p = this.products[it.product]!;
      items += p.listPriceCents * it.quantity;
      discounts += (it.sellingPrice - p.listPriceCents) * it.quantity;
    }
    return { items, discounts, shipping: o.shippingCents, tax: 0, value: items + discounts + o.shippingCents };
  }

  clientEmail(o: VtexOrder): string {
    const c = this.customers[o.customer]!;
    if (o.emailMode === 'hard') return `${o.relayHex}@ct.vtex.com.br`;
    if (o.emailMode === 'soft') return `${c.email}-${o.sequence}b.ct.vtex.com.br`;
    return c.email;
  }

  listEntry(o: VtexOrder) {
    const c = this.customers[o.customer]!;
    return {
      orderId: o.orderId,
      creationDate: vtexDate(o.createdMs, false),
      clientName: `${c.firstName} ${c.lastName}`,
      items: null,
      totalValue: this.totals(o).value,
      paymentNames: o.paymentSystem,
      status: o.status,
      statusDescription: statusDescription(o.status),
      marketPlaceOrderId: null,
      sequence: String(o.sequence),
      salesChannel: '1',
      affiliateId: '',
      origin: 'Marketplace',
      workflowInErrorState: false,
      workflowInRetry: false,
      lastMessageUnread: null,
      ShippingEstimatedDate: vtexDate(o.createdMs + 5 * 86_400_000, false),
      orderIsComplete: true,
      listId: null,
      listType: null,
      authorizedDate: vtexDate(o.createdMs + 600_000, false),
      callCenterOperatorName: null,
      totalItems: o.items.reduce((s, it) => s + it.quantity, 0),
      currencyCode: 'ARS',
      lastChange: vtexDate(o.lastChangeMs, true),
    };
  }

  orderDetail(o: VtexOrder, account: string) {
    const c = this.customers[o.customer]!;
    const t = this.totals(o);
    return {
      orderId: o.orderId,
      sequence: String(o.sequence),
      marketplaceOrderId: '',
      sellerOrderId: `00-${o.orderId}`,
      origin: 'Marketplace',
      affiliateId: '',
      salesChannel: '1',
      merchantName: null,
      status: o.status,
      statusDescription: statusDescription(o.status),
      value: t.value,
      creationDate: vtexDate(o.createdMs, true),
      lastChange: vtexDate(o.lastChangeMs, true),
      authorizedDate: vtexDate(o.createdMs + 600_000, true),
      invoicedDate: o.status === 'invoiced' ? vtexDate(o.createdMs + 86_400_000, true) : null,
      orderGroup: String(o.sequence * 10),
      followUpEmail: `${o.relayHex.slice(0, 16)}@ct.vtex.com.br`,
      hostname: account,
      isCompleted: true,
      emailTracked: `${o.relayHex}@ct.vtex.com.br`,
      totals: [
        { id: 'Items', name: 'Total de los items', value: t.items },
        { id: 'Discounts', name: 'Total de descuentos', value: t.discounts },
        { id: 'Shipping', name: 'Costo total del envío', value: t.shipping },
        { id: 'Tax', name: 'Total de impuestos', value: t.tax },
      ],
      items: o.items.map((it, i) => {
        const p = this.products[it.product]!;
        return {
          uniqueId: `${o.relayHex.slice(0, 24)}${String(i).padStart(8, '0')}`.toUpperCase(),
          id: p.skuId,
          productId: p.productId,
          ean: p.ean,
          refId: p.refId,
          quantity: it.quantity,
          seller: '1',
          name: p.name,
          price: p.listPriceCents,
          listPrice: p.listPriceCents,
          sellingPrice: it.sellingPrice,
          costPrice: Math.round(p.listPriceCents * 0.55),
          isGift: false,
          imageUrl: `https://${account}.vteximg.com.br/arquivos/ids/${p.skuId}-55-55/${p.linkText}.jpg`,
          detailUrl: `/${p.linkText}/p`,
          additionalInfo: {
            brandName: p.brand,
            brandId: String(p.brandId),
            categoriesIds: `/${p.department.id}/${p.category.id}/`,
            categories: [
              { id: p.category.id, name: p.category.name },
              { id: p.department.id, name: p.department.name },
            ],
            productClusterId: '',
            commercialConditionId: '1',
          },
          priceDefinition: { total: it.sellingPrice * it.quantity, calculatedSellingPrice: it.sellingPrice, sellingPrices: [{ value: it.sellingPrice, quantity: it.quantity }] },
        };
      }),
      clientProfileData: {
        id: 'clientProfileData',
        email: this.clientEmail(o),
        firstName: c.firstName,
        lastName: c.lastName,
        documentType: c.documentType,
        document: c.document,
        phone: c.phone,
        corporateName: c.corporateName,
        tradeName: null,
        corporateDocument: c.isCorporate ? c.document : null,
        stateInscription: null,
        corporatePhone: null,
        isCorporate: c.isCorporate,
        userProfileId: c.userId,
        userProfileVersion: null,
        customerClass: null,
        customerCode: null,
      },
      clientPreferencesData: { locale: 'es-AR', optinNewsLetter: c.isNewsletterOptIn },
      marketingData: o.utmSource ? { utmSource: o.utmSource, utmMedium: 'cpc', utmCampaign: 'hotsale', utmiCampaign: null, coupon: null, marketingTags: [] } : null,
      storePreferencesData: {
        countryCode: 'ARG',
        currencyCode: 'ARS',
        currencyFormatInfo: { CurrencyDecimalDigits: 2, CurrencyDecimalSeparator: ',', CurrencyGroupSeparator: '.', CurrencyGroupSize: 3, StartsWithCurrencySymbol: true },
        currencyLocale: 11274,
        currencySymbol: '$',
        timeZone: 'Argentina Standard Time',
      },
      shippingData: {
        address: {
          addressType: 'residential',
          receiverName: `${c.firstName} ${c.lastName}`,
          postalCode: c.address.postalCode,
          city: c.address.city,
          state: c.address.state,
          country: 'ARG',
          street: c.address.street,
          number: c.address.number,
          neighborhood: null,
          complement: null,
          geoCoordinates: [],
        },
      },
      paymentData: {
        transactions: [{ isActive: true, payments: [{ paymentSystemName: o.paymentSystem, value: t.value, installments: o.installments, group: o.paymentSystem === 'Transferencia' ? 'bankTransfer' : 'creditCard' }] }],
      },
    };
  }

  /**
   * orderDetail(o) as JSON text, built from cached fragments (per product, per customer) instead of an object
   * graph and a full JSON.stringify: the fake must serve far faster than the connector consumes, or the
   * benchmark's baseline measures the fake. Same document as JSON.stringify(orderDetail(o, account)).
   */
  orderDetailJson(o: VtexOrder, account: string): string {
    const t = this.totals(o);
    const j = JSON.stringify;
    const items = o.items
      .map((it, i) => {
        const p = this.products[it.product]!;
        return `{"uniqueId":${j(`${o.relayHex.slice(0, 24)}${String(i).padStart(8, '0')}`.toUpperCase())},${this.productFragment(it.product, account)},"quantity":${it.quantity},"seller":"1","name":${j(p.name)},"price":${p.listPriceCents},"listPrice":${p.listPriceCents},"sellingPrice":${it.sellingPrice},${this.productTail(it.product, account)},"priceDefinition":{"total":${it.sellingPrice * it.quantity},"calculatedSellingPrice":${it.sellingPrice},"sellingPrices":[{"value":${it.sellingPrice},"quantity":${it.quantity}}]}}`;
      })
      .join(',');
    const marketing = o.utmSource ? `{"utmSource":${j(o.utmSource)},"utmMedium":"cpc","utmCampaign":"hotsale","utmiCampaign":null,"coupon":null,"marketingTags":[]}` : 'null';
    const seq = String(o.sequence);
    return (
      `{"orderId":${j(o.orderId)},"sequence":${j(seq)},"marketplaceOrderId":"","sellerOrderId":${j(`00-${o.orderId}`)},"origin":"Marketplace","affiliateId":"","salesChannel":"1","merchantName":null,` +
      `"status":${j(o.status)},"statusDescription":${j(statusDescription(o.status))},"value":${t.value},"creationDate":"${vtexDate(o.createdMs, true)}","lastChange":"${vtexDate(o.lastChangeMs, true)}",` +
      `"authorizedDate":"${vtexDate(o.createdMs + 600_000, true)}","invoicedDate":${o.status === 'invoiced' ? `"${vtexDate(o.createdMs + 86_400_000, true)}"` : 'null'},"orderGroup":"${o.sequence * 10}",` +
      `"followUpEmail":"${o.relayHex.slice(0, 16)}@ct.vtex.com.br","hostname":${j(account)},"isCompleted":true,"emailTracked":"${o.relayHex}@ct.vtex.com.br",` +
      `"totals":[{"id":"Items","name":"Total de los items","value":${t.items}},{"id":"Discounts","name":"Total de descuentos","value":${t.discounts}},{"id":"Shipping","name":"Costo total del envío","value":${t.shipping}},{"id":"Tax","name":"Total de impuestos","value":${t.tax}}],` +
      `"items":[${items}],"clientProfileData":{"id":"clientProfileData","email":${j(this.clientEmail(o))},${this.customerFragment(o.customer)},"marketingData":${marketing},` +
      `${STORE_PREFERENCES},"paymentData":{"transactions":[{"isActive":true,"payments":[{"paymentSystemName":${j(o.paymentSystem)},"value":${t.value},"installments":${o.installments},"group":"${o.paymentSystem === 'Transferencia' ? 'bankTransfer' : 'creditCard'}"}]}]}}`
    );
  }

  private readonly fragments = new Map<string, string>();
  private productFragment(i: number, account: string): string {
    const key = `p:${account}:${i}`;
    let f = this.fragments.get(key);
    if (f === undefined) {
      const p = this.products[i]!;
      f = JSON.stringify({ id: p.skuId, productId: p.productId, ean: p.ean, refId: p.refId }).slice(1, -1);
      this.fragments.set(key, f);
    }
    return f;
  }
  private productTail(i: number, account: string): string {
    const key = `t:${account}:${i}`;
    let f = this.fragments.get(key);
    if (f === undefined) {
      const p = this.products[i]!;
      f = JSON.stringify({
        costPrice: Math.round(p.listPriceCents * 0.55),
        isGift: false,
        imageUrl: `https://${account}.vteximg.com.br/arquivos/ids/${p.skuId}-55-55/${p.linkText}.jpg`,
        detailUrl: `/${p.linkText}/p`,
        additionalInfo: {
          brandName: p.brand,
          brandId: String(p.brandId),
          categoriesIds: `/${p.department.id}/${p.category.id}/`,
          categories: [
            { id: p.category.id, name: p.category.name },
            { id: p.department.id, name: p.department.name },
          ],
          productClusterId: '',
          commercialConditionId: '1',
        },
      }).slice(1, -1);
      this.fragments.set(key, f);
    }
    return f;
  }
  /** The rest of clientProfileData (after email), clientPreferencesData and shippingData; rebuilt when the shopper changes. */
  private customerFragment(index: number): string {
    const c = this.customers[index]!;
    const key = `c:${index}`;
    const stamp = `${c.updatedIn}|${c.phone}|`;
    const f = this.fragments.get(key);
    if (f?.startsWith(stamp)) return f.slice(stamp.length);
    const body = JSON.stringify({
      firstName: c.firstName,
      lastName: c.lastName,
      documentType: c.documentType,
      document: c.document,
      phone: c.phone,
      corporateName: c.corporateName,
      tradeName: null,
      corporateDocument: c.isCorporate ? c.document : null,
      stateInscription: null,
      corporatePhone: null,
      isCorporate: c.isCorporate,
      userProfileId: c.userId,
      userProfileVersion: null,
      customerClass: null,
      customerCode: null,
    }).slice(1);
    const rest = JSON.stringify({
      clientPreferencesData: { locale: 'es-AR', optinNewsLetter: c.isNewsletterOptIn },
      shippingData: {
        address: {
          addressType: 'residential',
          receiverName: `${c.firstName} ${c.lastName}`,
          postalCode: c.address.postalCode,
          city: c.address.city,
          state: c.address.state,
          country: 'ARG',
          street: c.address.street,
          number: c.address.number,
          neighborhood: null,
          complement: null,
          geoCoordinates: [],
        },
      },
    }).slice(1, -1);
    const out = `${body},${rest}`;
    this.fragments.set(key, stamp + out);
    return out;
  }

  clDocument(c: VtexCustomer): Record<string, unknown> {
    return {
      id: c.clId,
      userId: c.userId,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      document: c.document,
      documentType: c.documentType,
      phone: c.phone,
      homePhone: null,
      birthDate: c.birthDate,
      isNewsletterOptIn: c.isNewsletterOptIn,
      isCorporate: c.isCorporate,
      corporateName: c.corporateName,
      localeDefault: 'es-AR',
      createdIn: new Date(c.createdIn).toISOString(),
      updatedIn: new Date(c.updatedIn).toISOString(),
      ...c.custom,
    };
  }

  /** A product as the public catalog search returns it (prices are decimals here, unlike the OMS). */
  catalogProduct(p: VtexProduct, account: string) {
    return {
      productId: p.productId,
      productName: p.name,
      brand: p.brand,
      brandId: p.brandId,
      linkText: p.linkText,
      productReference: p.refId,
      categoryId: String(p.category.id),
      categories: [`/${p.department.name}/${p.category.name}/`, `/${p.department.name}/`],
      categoriesIds: [`/${p.department.id}/${p.category.id}/`, `/${p.department.id}/`],
      link: `https://${account}.vtexcommercestable.com.br/${p.linkText}/p`,
      description: `${p.name} — ${p.brand}`,
      items: [
        {
          itemId: p.skuId,
          name: p.name,
          ean: p.ean,
          referenceId: [{ Key: 'RefId', Value: p.refId }],
          images: [{ imageId: p.skuId, imageUrl: `https://${account}.vteximg.com.br/arquivos/ids/${p.skuId}/${p.linkText}.jpg` }],
          sellers: [
            {
              sellerId: '1',
              sellerDefault: true,
              commertialOffer: { Price: p.priceCents / 100, ListPrice: p.listPriceCents / 100, PriceWithoutDiscount: p.listPriceCents / 100, AvailableQuantity: 100, IsAvailable: true },
            },
          ],
        },
      ],
    };
  }
}

const STORE_PREFERENCES = JSON.stringify({
  storePreferencesData: {
    countryCode: 'ARG',
    currencyCode: 'ARS',
    currencyFormatInfo: { CurrencyDecimalDigits: 2, CurrencyDecimalSeparator: ',', CurrencyGroupSeparator: '.', CurrencyGroupSize: 3, StartsWithCurrencySymbol: true },
    currencyLocale: 11274,
    currencySymbol: '$',
    timeZone: 'Argentina Standard Time',
  },
}).slice(1, -1);

/** VTEX writes OMS dates with 7 fractional digits in details and none in lists, always with an offset. */
export function vtexDate(ms: number, fraction: boolean): string {
  const iso = new Date(ms).toISOString(); // 2024-02-04T20:09:43.899Z
  return fraction ? `${iso.slice(0, 23)}0000+00:00` : `${iso.slice(0, 19)}+00:00`;
}
