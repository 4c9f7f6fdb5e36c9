// Per-kind connection settings (stored in connections.config, returned by the API) and credentials (encrypted,
// never returned). Every base URL is overridable per connection: tests and demos point them at local fakes.
import { z } from 'zod';
import { syncIntervalMinutes } from './types.ts';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());
const source = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'lowercase letters, digits, "_", "." or "-"');

/** Scores and segments written back to VTEX Master Data CL: CDP field → CL custom field name. */
export const vtexWriteBack = z
  .object({
    enabled: z.boolean().default(false),
    fields: z
      .object({
        rfmSegment: z.string().min(1).max(100).optional(),
        lifecycleState: z.string().min(1).max(100).optional(),
        clv: z.string().min(1).max(100).optional(),
        churnRisk: z.string().min(1).max(100).optional(),
        segments: z.string().min(1).max(100).optional(),
      })
      .strict()
      .default({}),
    /** PATCHes per second (VTEX allows ~6000 requests/minute per account, shared with everything else). */
    requestsPerSecond: z.number().min(0.1).max(50).default(10),
  })
  .strict();

export const vtexConfig = z
  .object({
    account: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'the VTEX account name, e.g. "mystore"'),
    environment: z.string().trim().min(1).default('vtexcommercestable'),
    /** Overrides https://{account}.{environment}.com.br. */
    baseUrl: z.url().optional(),
    /** First sync backfills orders created since this date (VTEX lists only the last 2 years). */
    backfillFrom: isoDate.optional(),
    streams: z
      .object({ orders: z.boolean().default(true), customers: z.boolean().default(true), products: z.boolean().default(true) })
      .strict()
      .default({ orders: true, customers: true, products: true }),
    writeBack: vtexWriteBack.default({ enabled: false, fields: {}, requestsPerSecond: 10 }),
    /** Source name under which profiles, orders and products are stored. */
    source: source.default('vtex'),
  })
  .strict()
  .meta({ id: 'VtexConfig' });
export type VtexConfig = z.output<typeof vtexConfig>;

export const vtexCredentials = z
  .object({
    appKey: z.string().trim().min(1).max(200),
    appToken: z.string().trim().min(1).max(500),
    /** Secret the CDP puts in the Hook's headers; generated when the hook is configured. */
    hookSecret: z.string().min(16).optional(),
  })
  .strict()
  .meta({ id: 'VtexCredentials' });
export type VtexCredentials = z.output<typeof vtexCredentials>;

export const vtexBaseUrl = (c: Pick<VtexConfig, 'account' | 'environment' | 'baseUrl'>) => c.baseUrl ?? `https://${c.account}.${c.environment}.com.br`;

export const mercadolibreConfig = z
  .object({
    /** The CDP's MercadoLibre application. */
    clientId: z.string().trim().min(1).max(100),
    siteId: z.string().trim().regex(/^M[A-Z]{2}$/, 'a site id such as MLA').default('MLA'),
    /** Filled by the OAuth callback: the seller who authorized the CDP. */
    sellerId: z.string().trim().min(1).optional(),
    apiBaseUrl: z.url().default('https://api.mercadolibre.com'),
    authBaseUrl: z.url().default('https://auth.mercadolibre.com.ar'),
    backfillFrom: isoDate.optional(),
    source: source.default('mercadolibre'),
  })
  .strict()
  .meta({ id: 'MercadoLibreConfig' });
export type MercadoLibreConfig = z.output<typeof mercadolibreConfig>;

export const mercadolibreCredentials = z
  .object({
    clientSecret: z.string().trim().min(1).max(200),
    /** Set by the OAuth flow and each refresh; refresh tokens are single-use. */
    accessToken: z.string().optional(),
    refreshToken: z.string().optional(),
    /** ISO timestamp when the access token expires. */
    expiresAt: z.string().optional(),
  })
  .strict()
  .meta({ id: 'MercadoLibreCredentials' });
export type MercadoLibreCredentials = z.output<typeof mercadolibreCredentials>;

export const fileConfig = z
  .object({
    source: source.default('erp'),
    /** Saved column mappings per entity: target field → file column. */
    mappings: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  })
  .strict()
  .meta({ id: 'FileConfig' });
export type FileConfig = z.output<typeof fileConfig>;

export const connectionSchemas = {
  vtex: { config: vtexConfig, credentials: vtexCredentials },
  mercadolibre: { config: mercadolibreConfig, credentials: mercadolibreCredentials },
  file: { config: fileConfig, credentials: z.object({}).strict() },
} as const;

export { syncIntervalMinutes };
