// Pooled SMTP transports, one per tenant settings version (and one for SMTP_URL), reused across sends and closed
// when the settings change or the worker stops.
import nodemailer, { type Transporter } from 'nodemailer';
import { loadEmailTransportConfig } from '#db/queries/messaging-settings.ts';
import { env } from '#platform/env.ts';
import type { Keyring } from '#platform/secrets.ts';
import type pg from 'pg';

export interface EmailTransport {
  transporter: Transporter;
  from: string;
  replyTo?: string;
  unsubscribeMailto?: string;
  /** Which settings it came from, for logs. */
  origin: 'tenant' | 'env';
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

const cache = new Map<string, { version: string; transport: EmailTransport }>();

function pooled(options: Parameters<typeof nodemailer.createTransport>[0]): Transporter {
  return nodemailer.createTransport(options);
}

const common = { pool: true, maxConnections: 3, maxMessages: 200, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 } as const;

/** The tenant's transport, the SMTP_URL one when the tenant has no settings, or undefined (not configured). */
export async function resolveEmailTransport(q: Queryable, ring: Keyring, tenantId: string): Promise<EmailTransport | undefined> {
  const cfg = await loadEmailTransportConfig(q, ring, tenantId);
  if (cfg) {
    const hit = cache.get(tenantId);
    if (hit?.version === cfg.version) return hit.transport;
    hit?.transport.transporter.close();
    const transport: EmailTransport = {
      transporter: pooled({
        ...common,
        host: cfg.host,
        port: cfg.port,
        secure: cfg.secure,
        ...(cfg.user ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
      }),
      from: cfg.from,
      replyTo: cfg.replyTo ?? undefined,
      unsubscribeMailto: cfg.unsubscribeMailto ?? undefined,
      origin: 'tenant',
    };
    cache.set(tenantId, { version: cfg.version, transport });
    return transport;
  }
  const e = env();
  if (!e.SMTP_URL) return undefined;
  const key = '\u0000env';
  const hit = cache.get(key);
  if (hit?.version === e.SMTP_URL) return hit.transport;
  const url = new URL(e.SMTP_URL);
  const transport: EmailTransport = {
    transporter: pooled({
      ...common,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    }),
    from: e.SMTP_FROM ?? `no-reply@${url.hostname}`,
    origin: 'env',
  };
  cache.set(key, { version: e.SMTP_URL, transport });
  return transport;
}

/** Closes every pooled SMTP connection (worker shutdown, tests). */
export function closeEmailTransports(): void {
  for (const { transport } of cache.values()) transport.transporter.close();
  cache.clear();
}
