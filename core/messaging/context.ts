// The Liquid variables every template may use (docs: brief of issue 6). Built from plain data the activity loads,
// so previews, test sends and journey sends see exactly the same shape. Missing values are simply absent: Liquid
// renders them empty.
import { formatMoney } from './money.ts';

export interface ContextCustomer {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  birthDate?: string | null;
  address?: { city?: string | null } | null;
  attributes?: Record<string, unknown> | null;
}

export interface ContextScores {
  rfmSegment?: string | null;
  lifecycleState?: string | null;
  clv1yMinor?: number | null;
  clv3yMinor?: number | null;
  clv5yMinor?: number | null;
  churnRisk?: number | null;
  currency?: string | null;
}

export interface ContextProduct {
  productId: string;
  name: string;
  url?: string | null;
  imageUrl?: string | null;
  priceMinor?: number | null;
  currency?: string | null;
}

export interface ContextTenant {
  name: string;
  currency: string;
  locale: string;
}

export interface RenderContextInput {
  tenant: ContextTenant;
  customer?: ContextCustomer | null;
  scores?: ContextScores | null;
  recommendations?: readonly ContextProduct[];
  /** The journey's entry event properties (a cart event: cart_id, cart_url, products[]). */
  event?: Record<string, unknown> | null;
  journey?: { name?: string | null } | null;
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** Anything else the caller passes (SendMessageInput.context), merged last except over the fixed keys above. */
  extra?: Record<string, unknown>;
}

const orUndef = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** The Liquid scope for one message. */
export function buildRenderContext(input: RenderContextInput): Record<string, unknown> {
  const { tenant } = input;
  const money = (minor: number | null | undefined, currency?: string | null) => formatMoney(minor, currency ?? tenant.currency, tenant.locale);
  const c = input.customer;
  const s = input.scores;
  const customer = c
    ? {
        id: c.id,
        firstName: orUndef(c.firstName),
        lastName: orUndef(c.lastName),
        email: orUndef(c.email),
        phone: orUndef(c.phone),
        birthDate: orUndef(c.birthDate),
        city: orUndef(c.address?.city),
        attributes: c.attributes ?? {},
      }
    : { attributes: {} };
  const scores = s
    ? {
        rfmSegment: orUndef(s.rfmSegment),
        lifecycleState: orUndef(s.lifecycleState),
        clv1y: money(s.clv1yMinor, s.currency),
        clv3y: money(s.clv3yMinor, s.currency),
        clv5y: money(s.clv5yMinor, s.currency),
        churnRisk: s.churnRisk === null || s.churnRisk === undefined ? undefined : Math.round(s.churnRisk * 100) / 100,
      }
    : {};
  const recommendations = (input.recommendations ?? []).map((p) => ({
    productId: p.productId,
    name: p.name,
    url: orUndef(p.url),
    imageUrl: orUndef(p.imageUrl),
    price: money(p.priceMinor, p.currency),
  }));
  return {
    ...(input.extra ?? {}),
    customer,
    scores,
    recommendations,
    event: input.event ?? (input.extra?.event as Record<string, unknown> | undefined) ?? {},
    journey: { ...((input.extra?.journey as Record<string, unknown> | undefined) ?? {}), ...(input.journey?.name ? { name: input.journey.name } : {}) },
    tenant: { name: tenant.name },
    unsubscribe_url: input.unsubscribeUrl,
    preferences_url: input.preferencesUrl,
  };
}

/** Sample data for previews without a customer, so a marketer sees something in every slot. */
export function sampleContextInput(tenant: ContextTenant, unsubscribeUrl: string): RenderContextInput {
  return {
    tenant,
    customer: { id: '00000000-0000-0000-0000-000000000000', firstName: 'Ana', lastName: 'García', email: 'ana@example.com', address: { city: 'Buenos Aires' }, attributes: {} },
    scores: { rfmSegment: 'champions', lifecycleState: 'ACTIVE', clv1yMinor: 12345600, clv3yMinor: 30000000, clv5yMinor: 45000000, churnRisk: 0.12, currency: tenant.currency },
    recommendations: [{ productId: 'sample', name: 'Producto recomendado', url: 'https://example.com/p/1', imageUrl: 'https://example.com/p/1.jpg', priceMinor: 1999900, currency: tenant.currency }],
    event: {
      cart_id: 'cart-123',
      cart_url: 'https://example.com/cart/123',
      products: [{ name: 'Zapatillas', price: formatMoney(4599000, tenant.currency, tenant.locale), quantity: 1, image_url: 'https://example.com/z.jpg', url: 'https://example.com/z' }],
    },
    journey: { name: 'Preview' },
    unsubscribeUrl,
    preferencesUrl: unsubscribeUrl,
  };
}
