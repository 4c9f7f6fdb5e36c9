// The only module that reads process.env. Everything else asks for `env()`.
import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v ? v : undefined));

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Unset: info for `npm run web|worker`; `npm start` quiets its child processes to warn. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Where embedded PostgreSQL, the Temporal SQLite file and the CLI binary live. */
  DATA_DIR: z.string().default('./.data'),
  HOST: z.string().default('0.0.0.0'),
  PORT: port(3000),
  /** Public URL of the web app, used in links that leave the app. */
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  /** When unset, `npm start` runs an embedded PostgreSQL. */
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_PORT: port(5433),
  /** When unset, `npm start` runs `temporal server start-dev`. */
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  /** Base URL of the Temporal Web UI, for deep links from the app. */
  TEMPORAL_UI_URL: optionalString.pipe(z.url().optional()),
  /** Comma-separated task queues this worker process polls; default: all. */
  WORKER_TASK_QUEUES: optionalString,
  /** Session cookies carry `Secure` in production; set "false" only behind plain HTTP on a trusted network. */
  SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  /** 32 bytes (hex or base64) that encrypt connection credentials; `npm start` keeps one in DATA_DIR when unset. */
  CREDENTIALS_KEY: optionalString,
  /** Comma-separated older keys, still accepted for decryption while `npm run cdp -- rotate-credentials` re-encrypts. */
  CREDENTIALS_PREVIOUS_KEYS: optionalString,
  /**
   * May connectors call private, loopback or link-local addresses (a tenant could point a base URL at internal
   * hosts)? Default: allowed in development and test (local fakes), denied in production.
   */
  CONNECTOR_PRIVATE_URLS: z.enum(['allow', 'deny']).optional(),
  /**
   * Fallback SMTP server for tenants without email settings of their own, e.g. `smtp://user:pass@mail:587`
   * (`smtps://` for implicit TLS). Unset: such tenants have no email channel configured.
   */
  SMTP_URL: optionalString.pipe(z.url().optional()),
  /** From address used with SMTP_URL. */
  SMTP_FROM: optionalString,
  /** Searched for the `temporal` binary. */
  PATH: z.string().default(''),
});

export type Env = z.infer<typeof envSchema> & {
  dataDir: string;
  temporalUiUrl: string;
  /** PUBLIC_URL without a trailing slash, or http://localhost:<PORT>: the base of links in emails. */
  publicUrl: string;
  secureCookies: boolean;
  connectorPrivateUrls: boolean;
};

export class EnvError extends Error {
  override name = 'EnvError';
}

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // A variable set to an empty (or blank) string counts as unset, so `PORT=` falls back to its default.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return {
    ...e,
    dataDir: path.resolve(e.DATA_DIR),
    temporalUiUrl: e.TEMPORAL_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === 'true' : e.NODE_ENV === 'production',
    connectorPrivateUrls: e.CONNECTOR_PRIVATE_URLS ? e.CONNECTOR_PRIVATE_URLS === 'allow' : e.NODE_ENV !== 'production',
  };
}

/** Validated configuration of this process, read once. Throws EnvError with every problem listed. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For child processes spawned by the launcher and test harness: the environment they inherit plus overrides. */
export function childEnv(overrides: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...overrides })) if (v !== undefined) out[k] = v;
  return out;
}
