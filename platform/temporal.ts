// One Temporal Connection per process (it is heavyweight); Clients on top of it are cheap.
import { Client, Connection } from '@temporalio/client';
import Long from 'long';
import { productSearchAttributes } from '#workflows/shared/search-attributes.ts';
import { env } from './env.ts';

let connection: Promise<Connection> | undefined;
let client: Promise<Client> | undefined;

export function temporalAddress(): string {
  const e = env();
  return e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_DEV_PORT}`;
}

export function getTemporalConnection(): Promise<Connection> {
  connection ??= Connection.connect({ address: temporalAddress(), connectTimeout: '5s' }).catch((err: unknown) => {
    connection = undefined;
    throw err;
  });
  return connection;
}

export function getTemporalClient(): Promise<Client> {
  // Like the connection: a failed first connect must not stick, or the process never recovers from an outage.
  client ??= getTemporalConnection()
    .then((c) => new Client({ connection: c, namespace: env().TEMPORAL_NAMESPACE }))
    .catch((err: unknown) => {
      client = undefined;
      throw err;
    });
  return client;
}

export async function closeTemporal(): Promise<void> {
  const c = connection;
  connection = undefined;
  client = undefined;
  await (await c?.catch(() => undefined))?.close();
}

const RETENTION_SECONDS = 7 * 24 * 3600;

// temporal.api.enums.v1.IndexedValueType
const typeNames: Record<string, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

/**
 * Makes a namespace fit for the product: retention of at least 7 days (the dev server creates
 * namespaces with 24 h, after which closed workflows vanish from the UI) and the product's search
 * attributes registered. Idempotent; used for the embedded dev server and for external servers.
 */
export async function prepareNamespace(conn: Connection, namespace: string): Promise<{ retentionDays: number; added: string[] }> {
  const desc = await conn.workflowService.describeNamespace({ namespace });
  let retention = Number(desc.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (retention < RETENTION_SECONDS) {
    await conn.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(RETENTION_SECONDS) } },
    });
    retention = RETENTION_SECONDS;
  }
  const existing = await conn.operatorService.listSearchAttributes({ namespace });
  const missing = productSearchAttributes.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (missing.length) {
    await conn.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, typeNames[k.type] ?? 1])),
    });
  }
  return { retentionDays: retention / 86400, added: missing.map((k) => k.name) };
}
