// One batch of an import: read staged lines, map and validate them, upsert the good ones, and record counts,
// errors and progress while deleting the lines, all in one transaction. The staged lines are the cursor: a
// committed batch's lines are gone, so a retried attempt can neither write nor count them twice.
import type pg from 'pg';
import type { ImportCounts, ImportRowError } from '#core/connectors/types.ts';
import { MAX_ITEMS_PER_ORDER, waves } from '#core/imports/batch.ts';
import { rowReader, type ImportRecordOf, type RowOptions } from '#core/imports/rows.ts';
import type { ImportEntity } from '#core/imports/targets.ts';
import type { OrderItemRecord } from '#core/ingest/orders.ts';
import { upsertProfiles } from '#db/queries/ingest.ts';
import {
  deleteStagedLines,
  dropGroup,
  hasStagedLines,
  lockImportForBatch,
  moreLinesOfGroup,
  nextStagedLines,
  recordImportBatch,
  type StagedLine,
} from '#db/queries/imports.ts';
import { replaceOrderItems, type ItemsOutcome } from '#db/queries/order-items.ts';
import { upsertOrders, upsertProducts, type UpsertCounts } from '#db/queries/orders.ts';

export interface BatchResult {
  /** Rows this batch took (0 when there was nothing left). */
  rows: number;
  failed: number;
  /** Profiles were inserted or changed: identity resolution has work. */
  profilesChanged: boolean;
  /** Nothing left in staging (or the import is no longer running). */
  done: boolean;
}

interface Row<R> {
  line: number;
  record: R;
}

const emptyImportCounts = (): ImportCounts => ({ rows: 0, written: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 });

/** Errors a single bad value can cause in PostgreSQL (data exceptions, constraint violations, size limits). */
const isDataError = (err: unknown) => /^(22|23|54)/.test(String((err as { code?: unknown }).code ?? ''));

class BatchTally {
  readonly counts = emptyImportCounts();
  readonly errors: ImportRowError[] = [];
  fail(line: number, reason: string) {
    this.counts.rows++;
    this.counts.failed++;
    this.errors.push({ line, reason });
  }
  wrote(c: Pick<UpsertCounts, 'inserted' | 'updated' | 'unchanged'>) {
    const n = c.inserted + c.updated + c.unchanged;
    this.counts.rows += n;
    this.counts.written += n;
    this.counts.inserted += c.inserted;
    this.counts.updated += c.updated;
    this.counts.unchanged += c.unchanged;
  }
}

/**
 * Writes rows with one set-based statement; if PostgreSQL rejects a value, finds the culprits one by one
 * (each under a savepoint) so a single bad record does not hold back the batch or retry it forever.
 */
async function writeIsolated<R>(tx: pg.PoolClient, rows: Row<R>[], write: (records: R[]) => Promise<UpsertCounts>, tally: BatchTally): Promise<void> {
  if (!rows.length) return;
  await tx.query('savepoint batch_write');
  try {
    tally.wrote(await write(rows.map((r) => r.record)));
    await tx.query('release savepoint batch_write');
    return;
  } catch (err) {
    if (!isDataError(err)) throw err;
    await tx.query('rollback to savepoint batch_write');
  }
  for (const row of rows) {
    await tx.query('savepoint row_write');
    try {
      tally.wrote(await write([row.record]));
      await tx.query('release savepoint row_write');
    } catch (err) {
      if (!isDataError(err)) throw err;
      await tx.query('rollback to savepoint row_write');
      tally.fail(row.line, `not stored: ${(err as Error).message}`);
    }
  }
}

async function writeWaves<R>(tx: pg.PoolClient, rows: Row<R>[], key: (r: R) => string, write: (records: R[]) => Promise<UpsertCounts>, tally: BatchTally) {
  for (const wave of waves(rows, (r) => key(r.record))) await writeIsolated(tx, wave, write, tally);
}

interface ItemGroup {
  orderExternalId: string;
  rows: Row<OrderItemRecord>[];
  /** Lines of the order that failed: then none of its lines is written (its items stay as they were). */
  bad: { line: number; reason: string }[];
}

async function writeItemGroups(tx: pg.PoolClient, tenantId: string, source: string, groups: ItemGroup[], tally: BatchTally) {
  const ready: ItemGroup[] = [];
  for (const g of groups) {
    if (g.bad.length) {
      const badLines = new Set(g.bad.map((b) => b.line));
      for (const b of g.bad) tally.fail(b.line, b.reason);
      const first = Math.min(...badLines);
      for (const r of g.rows) tally.fail(r.line, `not written: line ${first} of order "${g.orderExternalId}" is invalid, and an order's lines are written together`);
    } else if (g.rows.length > MAX_ITEMS_PER_ORDER) {
      for (const r of g.rows) tally.fail(r.line, `order "${g.orderExternalId}" has ${g.rows.length} lines; at most ${MAX_ITEMS_PER_ORDER} per order`);
    } else ready.push(g);
  }
  const apply = (outcomes: Map<string, ItemsOutcome>, gs: ItemGroup[]) => {
    for (const g of gs) {
      const o = outcomes.get(g.orderExternalId)!;
      if (o === 'missing') for (const r of g.rows) tally.fail(r.line, `order "${g.orderExternalId}" is not in source "${source}": import the orders first`);
      else tally.wrote({ inserted: o === 'inserted' ? g.rows.length : 0, updated: o === 'updated' ? g.rows.length : 0, unchanged: o === 'unchanged' ? g.rows.length : 0 });
    }
  };
  const write = (gs: ItemGroup[]) => replaceOrderItems(tx, tenantId, source, gs.map((g) => ({ orderExternalId: g.orderExternalId, items: g.rows.map((r) => r.record) })));
  if (!ready.length) return;
  await tx.query('savepoint batch_write');
  try {
    apply(await write(ready), ready);
    await tx.query('release savepoint batch_write');
    return;
  } catch (err) {
    if (!isDataError(err)) throw err;
    await tx.query('rollback to savepoint batch_write');
  }
  for (const g of ready) {
    await tx.query('savepoint row_write');
    try {
      apply(await write([g]), [g]);
      await tx.query('release savepoint row_write');
    } catch (err) {
      if (!isDataError(err)) throw err;
      await tx.query('rollback to savepoint row_write');
      for (const r of g.rows) tally.fail(r.line, `not stored: ${(err as Error).message}`);
    }
  }
}

/** Takes the next batch; for order items, completes the last order's lines so an order is never split. */
async function takeLines(tx: pg.PoolClient, importId: string, grouped: boolean, limit: number, maxBytes: number, tally: BatchTally) {
  const lines = await nextStagedLines(tx, importId, { limit, maxBytes, grouped });
  let droppedBytes = 0;
  if (!grouped || !lines.length) return { lines, droppedBytes };
  const last = lines[lines.length - 1]!;
  if (!last.groupKey) return { lines, droppedBytes };
  const inBatch = lines.filter((l) => l.groupKey === last.groupKey).length;
  const more = await moreLinesOfGroup(tx, importId, last.groupKey, last.lineNo, MAX_ITEMS_PER_ORDER - inBatch + 1);
  if (inBatch + more.length <= MAX_ITEMS_PER_ORDER) return { lines: [...lines, ...more], droppedBytes };
  // More lines than an order can hold: fail all of them (also those staged beyond this batch).
  const kept = lines.filter((l) => l.groupKey !== last.groupKey);
  const dropped = await dropGroup(tx, importId, last.groupKey);
  const reason = `order "${last.groupKey}" has ${dropped.count} lines; at most ${MAX_ITEMS_PER_ORDER} per order`;
  for (const line of dropped.firstLines) tally.fail(line, reason);
  const rest = dropped.count - dropped.firstLines.length;
  tally.counts.rows += rest;
  tally.counts.failed += rest;
  droppedBytes = dropped.bytes;
  return { lines: kept, droppedBytes };
}

export async function runImportBatch(tx: pg.PoolClient, importId: string, opts: { limit: number; maxBytes: number }): Promise<BatchResult | 'gone'> {
  const imp = await lockImportForBatch(tx, importId);
  if (!imp) return 'gone';
  if (imp.status !== 'running') return { rows: 0, failed: 0, profilesChanged: false, done: true };
  const entity = imp.entity;
  const tally = new BatchTally();
  const { lines, droppedBytes } = await takeLines(tx, importId, entity === 'order_items', opts.limit, opts.maxBytes, tally);
  if (!lines.length && !tally.counts.rows) return { rows: 0, failed: 0, profilesChanged: false, done: !(await hasStagedLines(tx, importId)) };

  const reader = rowReader({ entity, format: imp.format, mapping: imp.mapping, options: imp.options as unknown as RowOptions, columns: imp.columns ?? [] });
  const rows: Row<ImportRecordOf[ImportEntity]>[] = [];
  const failedLines: StagedLine[] = [];
  const reasons = new Map<number, string>();
  for (const l of lines) {
    const r = l.content === null ? { ok: false as const, reason: l.error ?? 'unreadable record' } : reader.fromStaged(l.content);
    if (r.ok) rows.push({ line: l.lineNo, record: r.record });
    else {
      failedLines.push(l);
      reasons.set(l.lineNo, r.reason);
    }
  }

  let profilesChanged = false;
  if (entity === 'order_items') {
    // Group by the staged key (the order id as uploaded); a line that failed still belongs to its order.
    const groups = new Map<string, ItemGroup>();
    const groupOf = (key: string) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { orderExternalId: key, rows: [], bad: [] }));
      return g;
    };
    const keyByLine = new Map(lines.map((l) => [l.lineNo, l.groupKey ?? '']));
    for (const l of failedLines) {
      const key = keyByLine.get(l.lineNo)!;
      if (key) groupOf(key).bad.push({ line: l.lineNo, reason: reasons.get(l.lineNo)! });
      else tally.fail(l.lineNo, reasons.get(l.lineNo)!);
    }
    for (const r of rows as Row<ImportRecordOf['order_items']>[]) groupOf(r.record.orderExternalId).rows.push({ line: r.line, record: r.record.item });
    await writeItemGroups(tx, imp.tenantId, imp.source, [...groups.values()], tally);
  } else {
    for (const l of failedLines) tally.fail(l.lineNo, reasons.get(l.lineNo)!);
    if (entity === 'customers') {
      const before = tally.counts.inserted + tally.counts.updated;
      await writeWaves(tx, rows as Row<ImportRecordOf['customers']>[], (r) => r.externalId, (records) => upsertProfiles(tx, imp.tenantId, imp.source, records), tally);
      profilesChanged = tally.counts.inserted + tally.counts.updated > before;
    } else if (entity === 'orders')
      await writeWaves(tx, rows as Row<ImportRecordOf['orders']>[], (r) => r.externalId, (records) => upsertOrders(tx, imp.tenantId, imp.source, records), tally);
    else await writeWaves(tx, rows as Row<ImportRecordOf['products']>[], (r) => r.externalId, (records) => upsertProducts(tx, imp.tenantId, imp.source, records), tally);
  }

  await deleteStagedLines(
    tx,
    importId,
    lines.map((l) => l.lineNo),
  );
  tally.errors.sort((a, b) => a.line - b.line);
  await recordImportBatch(tx, importId, { counts: tally.counts, errors: tally.errors, bytes: lines.reduce((s, l) => s + l.bytes, 0) + droppedBytes });
  return { rows: tally.counts.rows, failed: tally.counts.failed, profilesChanged, done: !(await hasStagedLines(tx, importId)) };
}
