// Every table and column the segment compiler touches, in one map, so the db layer can adapt names without touching
// the compiler. Identifiers in generated SQL come only from here (and are checked and quoted); values are parameters.

export const segmentSqlSchema = {
  customers: {
    table: 'customers',
    id: 'id',
    tenantId: 'tenant_id',
    email: 'email',
    phone: 'phone',
    documentNumber: 'document_number',
    firstName: 'first_name',
    lastName: 'last_name',
    /** `date` column. */
    birthDate: 'birth_date',
    createdAt: 'created_at',
    /** jsonb: street, city, province, postalCode, country. */
    address: 'address',
    /** jsonb custom attributes. */
    attributes: 'attributes',
  },
  orders: {
    table: 'orders',
    id: 'id',
    tenantId: 'tenant_id',
    customerId: 'customer_id',
    status: 'status',
    currency: 'currency',
    totalMinor: 'total_minor',
    placedAt: 'placed_at',
  },
  orderItems: {
    table: 'order_items',
    orderId: 'order_id',
    tenantId: 'tenant_id',
    productId: 'product_id',
    sku: 'sku',
    category: 'category',
    totalMinor: 'total_minor',
  },
  /** Orders in these statuses never count (db/queries/customers.ts uses the same list). */
  excludedOrderStatuses: ['cancelled', 'canceled', 'refunded'] as readonly string[],
  events: {
    table: 'events',
    tenantId: 'tenant_id',
    type: 'type',
    event: 'event',
    userId: 'user_id',
    properties: 'properties',
    timestamp: 'timestamp',
  },
  /** Only track events are "performed". */
  trackType: 'track',
  /** Events reach their customer through the source profile with this source and external id = user id. */
  eventProfiles: {
    table: 'source_profiles',
    tenantId: 'tenant_id',
    source: 'source',
    externalId: 'external_id',
    customerId: 'customer_id',
  },
  eventSource: 'events',
  scores: {
    table: 'customer_scores',
    tenantId: 'tenant_id',
    customerId: 'customer_id',
    rfmSegment: 'rfm_segment',
    lifecycleState: 'lifecycle_state',
    clv1y: 'clv1y_minor',
    clv3y: 'clv3y_minor',
    clv5y: 'clv5y_minor',
    churnRisk: 'churn_risk',
    pAlive: 'p_alive',
    /** jsonb: category → probability. */
    propensity: 'propensity',
  },
  consents: {
    table: 'customer_consents',
    tenantId: 'tenant_id',
    customerId: 'customer_id',
    channel: 'channel',
    status: 'status',
  },
  /** The consent status that means "may send on this channel". */
  consentGranted: 'granted',
  memberships: {
    table: 'segment_memberships',
    tenantId: 'tenant_id',
    segmentId: 'segment_id',
    customerId: 'customer_id',
    /** Null while the customer is a member. */
    exitedAt: 'exited_at',
  },
};

export type SegmentSqlSchema = typeof segmentSqlSchema;

const identifier = /^[a-z_][a-z0-9_]*$/;

/** Quotes an identifier from the map; anything else is a programming error, never user input. */
export function ident(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}
