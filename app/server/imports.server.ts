// File imports for the API and the UI: receive an upload (stream → header → mapping → dry run, or staging with
// COPY and the import workflow), and present imports as the API returns them.
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { UserError, type FieldError } from '#core/errors.ts';
import { fileConfig } from '#core/connectors/config.ts';
import { type CsvDelimiter } from '#core/imports/csv.ts';
import { checkMapping, effectiveMapping, type ColumnMapping } from '#core/imports/mapping.ts';
import { bodyType, importQuery, parseMappingParam, type ImportQuery } from '#core/imports/request.ts';
import { isBlankRow, jsonColumns, jsonValues, parseJsonObject, rowReader, type RowOptions } from '#core/imports/rows.ts';
import { RowTally } from '#core/imports/tally.ts';
import type { ImportEntity, ImportFormat } from '#core/imports/targets.ts';
import { textValue } from '#core/imports/values.ts';
import { toFieldErrors } from '#core/ingest/validation.ts';
import { getConnection, updateConnection, type PublicConnection } from '#db/queries/connections.ts';
import { copyStagedLines, type StagedRecord } from '#db/queries/import-staging.ts';
import { finishImport, getImport, insertImport, recordDryRun, setUploadTotals, type ImportRecord } from '#db/queries/imports.ts';
import { getTenantById } from '#db/queries/tenants.ts';
import { logger } from '#platform/logger.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { importWorkflowId, type ImportWorkflowInput } from '#workflows/imports/import.contract.ts';
import type { importFileWorkflow } from '#workflows/imports/import.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import type { Db } from '#db/client.ts';
import { getDb } from './db.server.ts';
import { json } from './http.server.ts';
import { drainBody, fileItems, firstItem, MAX_IMPORT_BYTES, type BodyReader, type FileItem } from './import-upload.server.ts';
import { workflowUiUrl } from './identity.server.ts';

/** Uploads in progress in this process (each holds a database connection for its COPY). */
const MAX_CONCURRENT_UPLOADS = 4;
const MAX_COLUMNS = 1000;
let uploading = 0;

// ---- Presenting imports ----

export function importSummary(row: ImportRecord) {
  const rowsTotal = row.totalRows ?? null;
  const percent = row.status !== 'running' ? (row.status === 'succeeded' ? 100 : null) : rowsTotal ? Math.min(99, Math.floor((row.counts.rows / rowsTotal) * 100)) : 0;
  return {
    id: row.id,
    entity: row.entity,
    format: row.format,
    source: row.source,
    connectionId: row.connectionId,
    fileName: row.fileName,
    dryRun: row.dryRun,
    status: row.status,
    counts: row.counts,
    progress: { bytesRead: row.bytesRead, bytesTotal: row.bytesTotal, rowsDone: row.counts.rows, rowsTotal, percent },
    error: row.error,
    startedAt: new Date(row.startedAt).toISOString(),
    finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
    workflowId: row.dryRun ? null : importWorkflowId(row.id),
  };
}

/** One import with its mapping, options, columns and first errors (by line). */
export function importDetail(row: ImportRecord) {
  return {
    ...importSummary(row),
    mapping: row.mapping,
    options: row.options,
    columns: row.columns ?? [],
    errors: [...row.errors].sort((a, b) => a.line - b.line),
    temporalUiUrl: row.dryRun ? null : workflowUiUrl(importWorkflowId(row.id)),
  };
}

// ---- Receiving an upload ----

const mappingErrors = (problems: { target: string; message: string }[]): FieldError[] => problems.map((p) => ({ path: `mapping.${p.target}`, message: p.message }));

interface Plan {
  tenantId: string;
  query: ImportQuery;
  format: ImportFormat;
  encoding: string;
  connection?: PublicConnection;
  source: string;
  explicitMapping?: ColumnMapping;
  options: RowOptions & { delimiter?: CsvDelimiter; encoding: string };
}

/** Everything that can be checked before reading the body. */
async function planUpload(db: Db, tenantId: string, request: Request, body: BodyReader | undefined): Promise<Plan> {
  const url = new URL(request.url);
  const parsed = importQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new UserError('invalid_request', 'Invalid import parameters.', 400, toFieldErrors(parsed.error));
  const query = parsed.data;
  const type = bodyType(request.headers.get('content-type'), query.format);
  if (!type.ok) throw new UserError('unsupported_media_type', type.reason, 415);
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_IMPORT_BYTES) throw new UserError('payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES} bytes; split it.`, 413);
  if (!body) throw new UserError('empty_file', 'The request has no body: send the file as the body.');

  const encoding = normalizeEncoding(query.encoding ?? type.value.charset ?? 'utf-8');
  let connection: PublicConnection | undefined;
  if (query.connectionId) {
    connection = await getConnection(db.$client, tenantId, query.connectionId);
    if (!connection) throw new UserError('not_found', `No connection ${query.connectionId} in this workspace.`, 404);
    if (connection.kind !== 'file') throw new UserError('invalid_request', `Connection ${query.connectionId} is a ${connection.kind} connection; imports need a "file" connection.`, 400, [{ path: 'connectionId', message: 'not a file connection' }]);
  }
  const connectionSource = connection ? fileConfig.safeParse(connection.config).data?.source : undefined;
  if (query.source && connectionSource && query.source !== connectionSource)
    throw new UserError('invalid_request', `Connection "${connection!.name}" writes under source "${connectionSource}", not "${query.source}".`, 400, [{ path: 'source', message: 'differs from the connection\'s source' }]);
  let explicitMapping: ColumnMapping | undefined;
  if (query.mapping !== undefined) {
    const m = parseMappingParam(query.mapping);
    if (!m.ok) throw new UserError('invalid_mapping', m.reason, 400, [{ path: 'mapping', message: m.reason }]);
    explicitMapping = m.value;
  }
  const tenant = await getTenantById(db, tenantId);
  const format = type.value.format;
  const delimiter = query.delimiter;
  return {
    tenantId,
    query,
    format,
    encoding,
    connection,
    source: query.source ?? connectionSource ?? 'erp',
    explicitMapping,
    options: {
      currency: query.currency ?? 'ARS',
      // Filled in once the delimiter is known (";" files are Argentine Excel: decimal comma).
      decimal: query.decimal ?? 'auto',
      timeZone: tenant?.timezone ?? 'America/Argentina/Buenos_Aires',
      encoding,
      ...(delimiter ? { delimiter } : {}),
    },
  };
}

function normalizeEncoding(label: string): string {
  const l = label.trim().toLowerCase();
  if (l === 'utf-8' || l === 'utf8') return 'utf-8';
  if (['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'latin-1', 'iso8859-1'].includes(l)) return 'windows-1252';
  throw new UserError('unsupported_media_type', `Unsupported charset "${label}": use utf-8 or windows-1252.`, 415);
}

/** The file's header (CSV) or first record (JSON-lines): its columns, and the mapping checked against them. */
function readHeader(plan: Plan, first: FileItem | undefined, savedMapping?: ColumnMapping) {
  if (!first) throw new UserError('empty_file', plan.format === 'csv' ? 'The file is empty: it needs a header line and rows.' : 'The file has no JSON lines.');
  if (first.error) throw new UserError('invalid_file', `Line ${first.line} (${plan.format === 'csv' ? 'the header' : 'the first record'}) cannot be read: ${first.error}.`);
  let columns: string[];
  if (plan.format === 'csv') {
    columns = first.fields!.map((c) => c.trim());
    if (columns.length > MAX_COLUMNS) throw new UserError('invalid_file', `The header has ${columns.length} columns; at most ${MAX_COLUMNS}.`);
  } else {
    const obj = parseJsonObject(first.text!);
    if (!obj.ok) throw new UserError('invalid_file', `Line ${first.line} (the first record) is ${obj.reason}; its keys name the columns a mapping can use.`);
    columns = jsonColumns(obj.value);
  }
  const mapping = plan.explicitMapping ?? effectiveMapping(plan.query.entity, columns, savedMapping);
  const problems = checkMapping(plan.query.entity, mapping, columns);
  if (problems.length)
    throw new UserError(
      'invalid_mapping',
      `The column mapping does not fit the file: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`,
      400,
      mappingErrors(problems),
    );
  return { columns, mapping };
}

/** The order a line belongs to (order items are staged grouped by it); '' when it has none. */
function orderKeyOf(plan: Plan, mapping: ColumnMapping, columns: string[]) {
  const column = mapping.orderExternalId!;
  if (plan.format === 'csv') {
    const index = columns.indexOf(column);
    return (item: FileItem) => (item.fields ? (textValue(item.fields[index]) ?? '') : '');
  }
  return (item: FileItem) => {
    if (!item.text) return '';
    const obj = parseJsonObject(item.text);
    return obj.ok ? (textValue(jsonValues(obj.value)(column)) ?? '') : '';
  };
}

async function* allItems(first: FileItem, rest: FileItem[], items: AsyncIterator<FileItem[]>, includeFirst: boolean) {
  if (includeFirst) yield [first];
  if (rest.length) yield rest;
  for (;;) {
    const next = await items.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Handles POST /api/v1/imports and the UI's upload: 200 with a dry run's summary, or 202 with the started import. */
export async function receiveImport(tenantId: string, request: Request): Promise<Response> {
  const body = request.body?.getReader();
  if (uploading >= MAX_CONCURRENT_UPLOADS) {
    await drainBody(body);
    throw new UserError('unavailable', `${MAX_CONCURRENT_UPLOADS} uploads are already in progress; try again in a moment.`, 503);
  }
  uploading++;
  try {
    const db = getDb();
    const received = await stageUpload(db, tenantId, request, body);
    if (received.kind === 'dryRun') return json(importDetail(received.summary));
    const { importId, connection, entity, mapping } = received;
    if (connection) await saveMapping(tenantId, connection, entity, mapping);
    try {
      await startImportWorkflow(tenantId, importId);
    } catch (err) {
      logger('imports').error({ err, importId }, 'could not start the import workflow');
      await finishImport(db.$client, importId, { status: 'failed', error: 'Could not start processing (Temporal unavailable). Upload the file again.' });
      throw new UserError('unavailable', 'The file was received but processing could not start; upload it again in a moment.', 503);
    }
    const row = (await getImport(db.$client, tenantId, importId))!;
    return json(importDetail(row), { status: 202, headers: { location: `/api/v1/imports/${importId}` } });
  } catch (err) {
    // Answer only once the client has sent everything: closing mid-upload would reset the connection.
    await drainBody(body);
    throw err;
  } finally {
    uploading--;
  }
}

export type StagedUpload =
  | { kind: 'dryRun'; summary: ImportRecord }
  | { kind: 'staged'; importId: string; connection?: PublicConnection; entity: ImportEntity; mapping: ColumnMapping };

/**
 * Reads an upload to its end: a dry run validates every row and records its summary; otherwise the rows are
 * staged (COPY) with a new import row in one transaction. Starting the workflow is the caller's part.
 */
export async function stageUpload(db: Db, tenantId: string, request: Request, body: BodyReader | undefined): Promise<StagedUpload> {
  const plan = await planUpload(db, tenantId, request, body);
  const counter: { bytes: number; delimiter?: CsvDelimiter } = { bytes: 0 };
  const items = fileItems(body!, { format: plan.format, encoding: plan.encoding, delimiter: plan.options.delimiter, counter });
  const { first, rest } = await firstItem(items);
  const saved = plan.connection ? fileConfig.safeParse(plan.connection.config).data?.mappings[plan.query.entity] : undefined;
  const { columns, mapping } = readHeader(plan, first, saved);
  // The CSV header is no row; a JSON-lines file's first line is one.
  const rows = allItems(first!, rest, items, plan.format === 'jsonl');
  const options: Plan['options'] = { ...plan.options };
  if (plan.format === 'csv') {
    options.delimiter = counter.delimiter ?? ',';
    if (!plan.query.decimal) options.decimal = options.delimiter === ';' ? 'comma' : 'auto';
  }
  const record = {
    tenantId,
    connectionId: plan.connection?.id ?? null,
    entity: plan.query.entity,
    format: plan.format,
    source: plan.source,
    fileName: plan.query.fileName ?? fileNameOf(request),
    mapping,
    options,
    columns,
  };
  if (plan.query.dryRun) {
    const tally = new RowTally();
    const reader = rowReader({ entity: plan.query.entity, format: plan.format, mapping, options, columns });
    for await (const chunk of rows)
      for (const item of chunk) {
        if (item.error) tally.fail(item.line, item.error);
        else if (item.fields) {
          if (isBlankRow(item.fields)) continue;
          const r = reader.fromFields(item.fields);
          if (r.ok) tally.ok();
          else tally.fail(item.line, r.reason);
        } else {
          const r = reader.fromJsonText(item.text!);
          if (r.ok) tally.ok();
          else tally.fail(item.line, r.reason);
        }
      }
    if (!tally.rows) throw new UserError('empty_file', 'The file has a header but no rows.');
    const summary = await recordDryRun(db.$client, {
      ...record,
      counts: { rows: tally.rows, written: 0, inserted: 0, updated: 0, unchanged: 0, failed: tally.failed },
      errors: tally.errors,
      bytes: counter.bytes,
    });
    return { kind: 'dryRun', summary };
  }

  const orderKey = plan.query.entity === 'order_items' ? orderKeyOf(plan, mapping, columns) : undefined;
  async function* staged(): AsyncGenerator<StagedRecord[]> {
    for await (const chunk of rows) {
      const out: StagedRecord[] = [];
      for (const item of chunk) {
        if (item.error) out.push({ lineNo: item.line, bytes: item.bytes, error: item.error, groupKey: orderKey ? '' : null });
        else if (item.fields) {
          if (!isBlankRow(item.fields)) out.push({ lineNo: item.line, bytes: item.bytes, content: JSON.stringify(item.fields), groupKey: orderKey?.(item) ?? null });
        } else if (item.text!.includes('\u0000')) out.push({ lineNo: item.line, bytes: item.bytes, error: 'contains a NUL character', groupKey: orderKey ? '' : null });
        else out.push({ lineNo: item.line, bytes: item.bytes, content: item.text, groupKey: orderKey?.(item) ?? null });
      }
      yield out;
    }
  }

  const client = await db.$client.connect();
  let importId: string;
  try {
    // One transaction for the import row and its staged lines: an interrupted upload leaves nothing behind.
    await client.query('begin');
    importId = await insertImport(client, record);
    const count = await copyStagedLines(client, tenantId, importId, staged());
    if (!count) throw new UserError('empty_file', 'The file has a header but no rows.');
    await setUploadTotals(client, importId, { bytesTotal: counter.bytes, totalRows: count });
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }

  return { kind: 'staged', importId, connection: plan.connection, entity: plan.query.entity, mapping };
}

function fileNameOf(request: Request): string | null {
  const disposition = request.headers.get('content-disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!).slice(0, 255);
  } catch {
    return m[1]!.slice(0, 255);
  }
}

/** Saves the mapping on the connection, so the next upload of this entity starts from it. */
async function saveMapping(tenantId: string, connection: PublicConnection, entity: ImportEntity, mapping: ColumnMapping): Promise<void> {
  const config = fileConfig.safeParse(connection.config).data ?? { source: 'erp', mappings: {} };
  if (JSON.stringify(config.mappings[entity]) === JSON.stringify(mapping)) return;
  await updateConnection(getDb(), credentialsKeyring(), tenantId, connection.id, { config: { ...config, mappings: { ...config.mappings, [entity]: mapping } } });
}

/** `opts` lets scripts (demo seed) and tests use their own client and worker queue. */
export async function startImportWorkflow(tenantId: string, importId: string, opts: { client?: Client; taskQueue?: string } = {}): Promise<void> {
  const client = opts.client ?? (await getTemporalClient());
  await client.workflow.start<typeof importFileWorkflow>('importFileWorkflow', {
    workflowId: importWorkflowId(importId),
    taskQueue: opts.taskQueue ?? TASK_QUEUES.connectors,
    args: [{ tenantId, importId } satisfies ImportWorkflowInput],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
  });
}
