// Streams an upload's records into import_lines with COPY: constant memory, one round trip per 64 KB.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface StagedRecord {
  lineNo: number;
  groupKey?: string | null;
  bytes: number;
  content?: string | null;
  error?: string | null;
}

/** COPY text format: backslash, tab and line breaks are escaped; \N is null. */
const copyText = (v: string | null | undefined) =>
  v === null || v === undefined ? '\\N' : /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;

const FLUSH_CHARS = 64 * 1024;

/**
 * Copies records into the staging table, on the caller's client (inside the transaction that created the
 * import, so an interrupted upload leaves nothing behind). Backpressure: chunks of records are pulled as PostgreSQL
 * takes them. Returns how many were staged.
 */
export async function copyStagedLines(client: pg.PoolClient, tenantId: string, importId: string, chunks: AsyncIterable<StagedRecord[]>): Promise<number> {
  let count = 0;
  async function* lines() {
    let buf = '';
    for await (const records of chunks)
      for (const r of records) {
        buf += `${tenantId}\t${importId}\t${r.lineNo}\t${copyText(r.groupKey)}\t${r.bytes}\t${copyText(r.content)}\t${copyText(r.error)}\n`;
        count++;
        if (buf.length >= FLUSH_CHARS) {
          yield buf;
          buf = '';
        }
      }
    if (buf) yield buf;
  }
  const copy = client.query(copyFrom('copy import_lines (tenant_id, import_id, line_no, group_key, bytes, content, error) from stdin'));
  await pipeline(Readable.from(lines(), { objectMode: false, highWaterMark: 1 }), copy);
  return count;
}
