// The connections API: what clients send (create, patch) and what they get back (never credentials).
import { z } from 'zod';
import { fileConfig, mercadolibreConfig, mercadolibreCredentials, vtexConfig, vtexCredentials } from '../connectors/config.ts';
import { CONNECTION_KINDS, CONNECTION_STATUSES, syncIntervalMinutes, type ConnectionKind } from '../connectors/types.ts';

const name = z.string().trim().min(1, 'Give the connection a name').max(100);
const interval = syncIntervalMinutes.describe('Minutes between scheduled syncs (5 to 1440).');

/** Credentials a client may send per kind. MercadoLibre tokens come from the OAuth flow; VTEX's hook secret from the hook setup. */
export const vtexCredentialsInput = vtexCredentials.pick({ appKey: true, appToken: true }).strict().meta({
  id: 'VtexCredentialsInput',
  description: 'A VTEX app key and token (License Manager) with read access to OMS orders, Master Data CL and the catalog. Write-only.',
});
export const mercadolibreCredentialsInput = mercadolibreCredentials.pick({ clientSecret: true }).strict().meta({
  id: 'MercadoLibreCredentialsInput',
  description: 'The client secret of your MercadoLibre application. Write-only; access and refresh tokens come from "Connect with MercadoLibre".',
});
export const fileCredentialsInput = z.object({}).strict().meta({ id: 'FileCredentialsInput', description: 'File connections have no credentials.' });

/** Config a client may send per kind: the MercadoLibre seller is set by the OAuth callback, not by hand. */
export const mercadolibreConfigInput = mercadolibreConfig.omit({ sellerId: true }).strict().meta({
  id: 'MercadoLibreConfigInput',
  description: 'Your MercadoLibre application (client id) and site. The seller is filled in when they authorize the CDP.',
});

export const connectionInputSchemas = {
  vtex: { config: vtexConfig, credentials: vtexCredentialsInput },
  mercadolibre: { config: mercadolibreConfigInput, credentials: mercadolibreCredentialsInput },
  file: { config: fileConfig, credentials: fileCredentialsInput },
} as const satisfies Record<ConnectionKind, { config: z.ZodType; credentials: z.ZodType }>;

export const createVtexConnection = z
  .object({ kind: z.literal('vtex'), name, config: vtexConfig, credentials: vtexCredentialsInput, syncIntervalMinutes: interval.default(15) })
  .strict()
  .meta({ id: 'CreateVtexConnection' });

export const createMercadolibreConnection = z
  .object({
    kind: z.literal('mercadolibre'),
    name,
    config: mercadolibreConfigInput,
    credentials: mercadolibreCredentialsInput,
    syncIntervalMinutes: interval.default(15),
  })
  .strict()
  .meta({ id: 'CreateMercadoLibreConnection' });

export const createFileConnection = z
  .object({
    kind: z.literal('file'),
    name,
    config: fileConfig.default({ source: 'erp', mappings: {} }),
    credentials: fileCredentialsInput.optional(),
    syncIntervalMinutes: interval.default(15),
  })
  .strict()
  .meta({ id: 'CreateFileConnection' });

export const createConnectionRequest = z
  .discriminatedUnion('kind', [createVtexConnection, createMercadolibreConnection, createFileConnection])
  .meta({
    id: 'CreateConnectionRequest',
    description: 'A new connection. VTEX and MercadoLibre connections get a sync schedule (a Temporal Schedule) right away.',
  });
export type CreateConnectionRequest = z.output<typeof createConnectionRequest>;

export const patchConnectionRequest = z
  .object({
    name: name.optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Keys of the kind's config (VtexConfig, MercadoLibreConfigInput or FileConfig), merged over the stored ones; null removes an optional key."),
    credentials: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Keys of the kind's credentials, merged over the stored ones (send only what changes). Write-only."),
    syncIntervalMinutes: interval.optional(),
    status: z.enum(['active', 'paused']).optional().describe('`paused` pauses the sync schedule; `active` resumes it.'),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Send at least one field to change', path: [] })
  .meta({ id: 'PatchConnectionRequest' });
export type PatchConnectionRequest = z.output<typeof patchConnectionRequest>;

const isoOrNull = z.string().nullable();

export const syncCounts = z
  .object({ fetched: z.number().int(), inserted: z.number().int(), updated: z.number().int(), skipped: z.number().int(), failed: z.number().int() })
  .meta({ id: 'SyncCounts', description: 'Records fetched from the provider, and what became of them.' });

export const syncRun = z
  .object({
    id: z.uuid(),
    trigger: z.enum(['schedule', 'manual', 'webhook']),
    status: z.enum(['running', 'succeeded', 'failed']),
    counts: syncCounts,
    progress: z
      .object({
        stream: z.string().optional(),
        doneWindows: z.number().int().optional(),
        totalWindows: z.number().int().optional(),
        window: z.object({ from: z.string(), to: z.string() }).optional(),
      })
      .describe('Backfill progress: time windows done out of total, for the stream being synced.'),
    error: isoOrNull.describe('Why the run failed.'),
    recordErrors: z.array(z.object({ stream: z.string(), externalId: z.string(), reason: z.string() })).describe('The first records that could not be stored.'),
    startedAt: z.string(),
    finishedAt: isoOrNull,
    durationMs: z.number().int().nullable().describe('Null while running.'),
    workflowId: z.string(),
    workflowRunId: z.string(),
    temporalUiUrl: z.string().describe('This run in the Temporal UI.'),
  })
  .meta({ id: 'SyncRun' });
export type SyncRunView = z.output<typeof syncRun>;

export const syncRunList = z.object({ data: z.array(syncRun) }).meta({ id: 'SyncRunList' });

export const connectionSchedule = z
  .object({
    id: z.string().describe('The Temporal Schedule id.'),
    state: z
      .enum(['active', 'paused', 'missing', 'unknown'])
      .describe('`missing`: the schedule is not in Temporal (it is recreated on the next start or `npm run cdp -- reconcile-schedules`); `unknown`: Temporal did not answer.'),
    nextRunAt: z.array(z.string()).describe('The next few scheduled run times.'),
    temporalUiUrl: z.string(),
  })
  .meta({ id: 'ConnectionSchedule' });
export type ConnectionScheduleView = z.output<typeof connectionSchedule>;

export const connection = z
  .object({
    id: z.uuid(),
    kind: z.enum(CONNECTION_KINDS),
    name: z.string(),
    status: z.enum(CONNECTION_STATUSES).describe('`error`: the last run was refused by the provider (credentials); runs continue once they are fixed.'),
    config: z.record(z.string(), z.unknown()).describe('Non-secret settings of the kind (VtexConfig, MercadoLibreConfig, FileConfig).'),
    hasCredentials: z.boolean().describe('Credentials are never returned; this says whether any are stored.'),
    syncIntervalMinutes: z.number().int(),
    lastSyncAt: isoOrNull,
    lastError: isoOrNull,
    lastErrorAt: isoOrNull,
    createdAt: z.string(),
    updatedAt: z.string(),
    schedule: connectionSchedule.nullable().describe('Null for file connections, which only receive uploads.'),
    latestRun: syncRun.nullable(),
  })
  .meta({ id: 'Connection' });
export type ConnectionView = z.output<typeof connection>;

export const connectionList = z.object({ data: z.array(connection) }).meta({ id: 'ConnectionList' });

export const connectionDeleted = z.object({ id: z.uuid(), deleted: z.literal(true) }).meta({ id: 'ConnectionDeleted' });

export const connectionCheck = z
  .object({
    ok: z.boolean(),
    message: z.string().describe('What the provider answered, in words (never the credentials).'),
  })
  .meta({ id: 'ConnectionCheck' });
export type ConnectionCheck = z.output<typeof connectionCheck>;

export const syncStarted = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    temporalUiUrl: z.string(),
    alreadyRunning: z.boolean().describe('True when a sync of this connection was already running and this request joined it.'),
  })
  .meta({ id: 'SyncStarted' });

export const runListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
