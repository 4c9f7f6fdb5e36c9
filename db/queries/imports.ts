// File imports: the import row (mapping, counts, progress, errors), its staged lines and their batches.
import type pg from 'pg';
import type { ImportCounts, ImportRowError } from '#core/connectors/types.ts';
import type { ColumnMapping } from '#core/imports/mapping.ts';
import type { ImportEntity, ImportFormat } from '#core/imports/targets.ts';
import { MAX_IMPORT_ERRORS } from '#core/imports/tally.ts';
import type { ImportRow } from '../schema/connections.ts';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export type ImportStatus = ImportRow['status'];

/** An import as the API and UI show it. */
export interface ImportRecord {
  id: string;
  tenantId: string;
  connectionId: string | null;
  entity: ImportEntity;
  format: ImportFormat;
  source: string;
  fileName: string | null;
  dryRun: boolean;
  status: ImportStatus;
  mapping: ColumnMapping;
  options: Record<string, unknown>;
  columns: string[] | null;
  counts: ImportCounts;
  errors: ImportRowError[];
  bytesRead: number;
  bytesTotal: number | null;
  totalRows: number | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const columns = `id, tenant_id as "tenantId", connection_id as "connectionId", entity, format, source, file_name as "fileName",
  dry_run as "dryRun", status, mapping, options, columns, counts, errors, bytes_read as "bytesRead", bytes_total as "bytesTotal",
  total_rows as "totalRows", error, started_at as "startedAt", finished_at as "finishedAt"`;

export interface NewImport {
  tenantId: string;
  connectionId?: string | null;
  entity: ImportEntity;
  format: ImportFormat;
  source: string;
  fileName?: string | null;
  mapping: ColumnMapping;
  options: object;
  columns: string[];
  dryRun?: boolean;
}

export async function insertImport(q: Queryable, i: NewImport): Promise<string> {
  const r = await q.query<{ id: string }>(
    `insert into imports (tenant_id, connection_id, entity, format, source, file_name, mapping, options, columns, dry_run)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10) returning id`,
    [i.tenantId, i.connectionId ?? null, i.entity, i.format, i.source, i.fileName ?? null, JSON.stringify(i.mapping), JSON.stringify(i.options), JSON.stringify(i.columns), i.dryRun ?? false],
  );
  return r.rows[0]!.id;
}

/** A finished dry run: counts and first errors, nothing staged, nothing written. */
export async function recordDryRun(q: Queryable, i: NewImport & { counts: ImportCounts; errors: ImportRowError[]; bytes: number }): Promise<ImportRecord> {
  const r = await q.query<ImportRecord>(
    `insert into imports (tenant_id, connection_id, entity, format, source, file_name, mapping, options, columns, dry_run, status,
                          counts, errors, bytes_read, bytes_total, total_rows, finished_at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, true, 'succeeded', $10::jsonb, $11::jsonb, $12, $12, $13, now())
     returning ${columns}`,
    [
      i.tenantId,
      i.connectionId ?? null,
      i.entity,
      i.format,
      i.source,
      i.fileName ?? null,
      JSON.stringify(i.mapping),
      JSON.stringify(i.options),
      JSON.stringify(i.columns),
      JSON.stringify(i.counts),
      JSON.stringify(i.errors.slice(0, MAX_IMPORT_ERRORS)),
      i.bytes,
      i.counts.rows,
    ],
  );
  return r.rows[0]!;
}

/** After the upload: how big the file was and how many rows wait in staging. */
export async function setUploadTotals(q: Queryable, importId: string, totals: { bytesTotal: number; totalRows: number }): Promise<void> {
  await q.query('update imports set bytes_total = $2, total_rows = $3 where id = $1', [importId, totals.bytesTotal, totals.totalRows]);
}

export async function getImport(q: Queryable, tenantId: string, id: string): Promise<ImportRecord | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return (await q.query<ImportRecord>(`select ${columns} from imports where tenant_id = $1 and id = $2`, [tenantId, id])).rows[0];
}

const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');

export function decodeImportCursor(raw: string): { at: string; id: string } | undefined {
  const [at, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return { at, id };
}

/** Newest first, keyset-paged (the cursor keeps microseconds, so no import is skipped or repeated). */
export async function listImports(q: Queryable, tenantId: string, opts: { limit: number; cursor?: { at: string; id: string } }): Promise<{ data: ImportRecord[]; nextCursor: string | null }> {
  const r = await q.query<ImportRecord & { cursorAt: string }>(
    `select ${columns}, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt" from imports where tenant_id = $1
       and ($3::timestamptz is null or (started_at, id) < ($3::timestamptz, $4::uuid))
     order by started_at desc, id desc limit $2`,
    [tenantId, opts.limit + 1, opts.cursor?.at ?? null, opts.cursor?.id ?? null],
  );
  const more = r.rows.length > opts.limit;
  const rows = r.rows.slice(0, opts.limit);
  const last = rows[rows.length - 1];
  return { data: rows.map(({ cursorAt: _c, ...row }) => row), nextCursor: more && last ? encodeCursor(last.cursorAt, last.id) : null };
}

export async function anyImportRunning(q: Queryable, tenantId: string): Promise<boolean> {
  const r = await q.query<{ running: boolean }>(`select exists(select 1 from imports where tenant_id = $1 and status = 'running') as running`, [tenantId]);
  return r.rows[0]!.running;
}

// ---- The workflow's side: batches of staged lines ----

export interface StagedLine {
  lineNo: number;
  groupKey: string | null;
  bytes: number;
  content: string | null;
  error: string | null;
}

/** The import a batch works on, locked for the batch's transaction (a second attempt waits, then sees the lines gone). */
export async function lockImportForBatch(tx: pg.PoolClient, importId: string) {
  const r = await tx.query<Pick<ImportRecord, 'tenantId' | 'entity' | 'format' | 'source' | 'mapping' | 'options' | 'columns' | 'status'>>(
    `select tenant_id as "tenantId", entity, format, source, mapping, options, columns, status from imports where id = $1 for update`,
    [importId],
  );
  return r.rows[0];
}

/**
 * The next lines in file order, at most `limit` and (after the first) at most `maxBytes` of them.
 * Order items come grouped by order (group_key), so an order's lines can be kept in one batch.
 */
export async function nextStagedLines(tx: pg.PoolClient, importId: string, opts: { limit: number; maxBytes: number; grouped: boolean }): Promise<StagedLine[]> {
  const order = opts.grouped ? 'group_key, line_no' : 'line_no';
  const r = await tx.query<StagedLine>(
    `select "lineNo", "groupKey", bytes, content, error from (
       select line_no as "lineNo", group_key as "groupKey", bytes, content, error, sum(bytes) over (order by ${order}) as cum
       from import_lines where import_id = $1 ${opts.grouped ? 'and group_key is not null' : ''}
       order by ${order} limit $2
     ) t where cum - bytes < $3 order by ${opts.grouped ? '"groupKey", "lineNo"' : '"lineNo"'}`,
    [importId, opts.limit, opts.maxBytes],
  );
  return r.rows;
}

/** The rest of one order's lines after `afterLine`, at most `limit`. */
export async function moreLinesOfGroup(tx: pg.PoolClient, importId: string, groupKey: string, afterLine: number, limit: number): Promise<StagedLine[]> {
  const r = await tx.query<StagedLine>(
    `select line_no as "lineNo", group_key as "groupKey", bytes, content, error from import_lines
     where import_id = $1 and group_key = $2 and line_no > $3 order by line_no limit $4`,
    [importId, groupKey, afterLine, limit],
  );
  return r.rows;
}

/** Drops every remaining line of one order (too many lines to store); returns how many and the first line numbers. */
export async function dropGroup(tx: pg.PoolClient, importId: string, groupKey: string): Promise<{ count: number; bytes: number; firstLines: number[] }> {
  const r = await tx.query<{ count: number; bytes: number; firstLines: number[] | null }>(
    `with d as (delete from import_lines where import_id = $1 and group_key = $2 returning line_no, bytes)
     select count(*)::int as count, coalesce(sum(bytes), 0)::bigint as bytes, (array_agg(line_no order by line_no))[1:${MAX_IMPORT_ERRORS}] as "firstLines" from d`,
    [importId, groupKey],
  );
  const row = r.rows[0]!;
  return { count: row.count, bytes: Number(row.bytes), firstLines: row.firstLines ?? [] };
}

export async function deleteStagedLines(tx: pg.PoolClient, importId: string, lineNos: number[]): Promise<void> {
  if (lineNos.length) await tx.query('delete from import_lines where import_id = $1 and line_no = any($2::int[])', [importId, lineNos]);
}

export async function hasStagedLines(tx: Queryable, importId: string): Promise<boolean> {
  return (await tx.query<{ more: boolean }>('select exists(select 1 from import_lines where import_id = $1) as more', [importId])).rows[0]!.more;
}

/** Adds a batch's counts, errors and bytes to its import. Call in the batch's transaction. */
export async function recordImportBatch(tx: Queryable, importId: string, batch: { counts: ImportCounts; errors: ImportRowError[]; bytes: number }): Promise<void> {
  const c = batch.counts;
  await tx.query(
    `update imports set
       counts = jsonb_build_object('rows', (counts->>'rows')::bigint + $2, 'written', (counts->>'written')::bigint + $3,
         'inserted', (counts->>'inserted')::bigint + $4, 'updated', (counts->>'updated')::bigint + $5,
         'unchanged', (counts->>'unchanged')::bigint + $6, 'failed', (counts->>'failed')::bigint + $7),
       errors = case when jsonb_array_length(errors) >= ${MAX_IMPORT_ERRORS} then errors
                     else (select coalesce(jsonb_agg(e), '[]'::jsonb) from (
                             select e from jsonb_array_elements(errors || $8::jsonb) e limit ${MAX_IMPORT_ERRORS}) x) end,
       bytes_read = bytes_read + $9
     where id = $1`,
    [importId, c.rows, c.written, c.inserted, c.updated, c.unchanged, c.failed, JSON.stringify(batch.errors.slice(0, MAX_IMPORT_ERRORS)), batch.bytes],
  );
}

/**
 * Ends an import: removes what is left in staging and records the outcome. Only a running import changes
 * (a retried call, or a cancel racing the last batch, leaves the first outcome).
 */
export async function finishImport(q: Queryable, importId: string, outcome: { status: 'succeeded' | 'failed'; error?: string }): Promise<ImportRecord | undefined> {
  await q.query('delete from import_lines where import_id = $1', [importId]);
  const r = await q.query<ImportRecord>(
    `update imports set status = $2, error = $3, finished_at = now(),
       bytes_read = case when $2 = 'succeeded' then coalesce(bytes_total, bytes_read) else bytes_read end
     where id = $1 and status = 'running' returning ${columns}`,
    [importId, outcome.status, outcome.error ?? null],
  );
  return r.rows[0] ?? (await q.query<ImportRecord>(`select ${columns} from imports where id = $1`, [importId])).rows[0];
}
