import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/**
 * Staging of an uploaded file, one row per record, written by the upload (COPY) and consumed by the import
 * workflow: each batch deletes the lines it wrote in the same transaction, so what is left is what is to do.
 * No foreign keys, on purpose: checking two per copied row made staging 2.4x slower (docs/decisions/005). The
 * rows only ever exist between an upload's commit and its workflow's end, which deletes them whatever the
 * outcome (also when the import or its tenant was deleted meanwhile).
 */
export const importLines = pgTable(
  'import_lines',
  {
    tenantId: uuid().notNull(),
    importId: uuid().notNull(),
    /** 1-based line of the file where the record starts. */
    lineNo: integer().notNull(),
    /** Order items: the order's external id, so one batch holds all the lines of an order. */
    groupKey: text(),
    /** The record's size in the file, for progress. */
    bytes: integer().notNull(),
    /** CSV: the fields as a JSON array; JSON-lines: the line. Null when the record could not be read. */
    content: text(),
    /** Why the record could not be read (an unterminated quote, a record over the size limit). */
    error: text(),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.lineNo] }),
    index('import_lines_group_idx')
      .on(t.importId, t.groupKey, t.lineNo)
      .where(sql`${t.groupKey} is not null`),
  ],
);
