// The browser's side of an upload: peek at a file's header, validate the whole file locally (a dry run with
// the same parser, mapping and validation the server uses, streamed from disk), and upload it with progress.
import { CsvParser } from '#core/imports/csv.ts';
import { JsonLinesReader } from '#core/imports/jsonl.ts';
import type { ColumnMapping } from '#core/imports/mapping.ts';
import { isBlankRow, jsonColumns, parseJsonObject, rowReader, type RowOptions } from '#core/imports/rows.ts';
import { RowTally } from '#core/imports/tally.ts';
import type { ImportEntity, ImportFormat } from '#core/imports/targets.ts';

export type BrowserEncoding = 'utf-8' | 'windows-1252';

export interface FilePreview {
  format: ImportFormat;
  encoding: BrowserEncoding;
  delimiter?: ',' | ';' | '\t';
  columns: string[];
  /** The first data rows, by column (for examples next to the mapping). */
  sample: Record<string, string>[];
  /** Why the header could not be read. */
  error?: string;
}

const PEEK_BYTES = 256 * 1024;

export const formatOfName = (name: string): ImportFormat => (/\.(jsonl|ndjson|json)$/i.test(name) ? 'jsonl' : 'csv');

/** Reads the first bytes of the file: encoding (UTF-8 unless that fails), delimiter, columns and a few rows. */
export async function previewFile(file: File, format: ImportFormat): Promise<FilePreview> {
  const bytes = new Uint8Array(await file.slice(0, PEEK_BYTES).arrayBuffer());
  const whole = file.size <= PEEK_BYTES;
  let encoding: BrowserEncoding = 'utf-8';
  let text: string;
  try {
    // The cut may split a character: only a failure before the last 4 bytes means "not UTF-8".
    new TextDecoder('utf-8', { fatal: true }).decode(whole ? bytes : bytes.subarray(0, Math.max(0, bytes.length - 4)));
    text = new TextDecoder('utf-8').decode(bytes);
  } catch {
    encoding = 'windows-1252';
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  if (format === 'csv') {
    const parser = new CsvParser();
    const items = [...parser.push(text), ...(whole ? parser.end() : [])];
    const [header, ...rows] = items;
    if (!header) return { format, encoding, columns: [], sample: [], error: 'empty' };
    if ('error' in header) return { format, encoding, columns: [], sample: [], error: header.error };
    const columns = header.fields.map((c) => c.trim());
    const sample = rows
      .slice(0, 5)
      .flatMap((r) => ('fields' in r && !isBlankRow(r.fields) ? [Object.fromEntries(columns.map((c, i) => [c, r.fields[i] ?? '']))] : []));
    return { format, encoding, delimiter: parser.delimiter, columns, sample };
  }
  const reader = new JsonLinesReader();
  const lines = [...reader.push(text), ...(whole ? reader.end() : [])];
  const objects = lines.slice(0, 5).flatMap((l) => {
    if ('error' in l) return [];
    const o = parseJsonObject(l.text);
    return o.ok ? [o.value] : [];
  });
  const first = lines[0];
  if (!first) return { format, encoding, columns: [], sample: [], error: 'empty' };
  if ('error' in first || !objects.length) return { format, encoding, columns: [], sample: [], error: 'error' in first ? first.error : 'not a JSON object' };
  const columns = jsonColumns(objects[0]!);
  const sample = objects.map((o) => Object.fromEntries(columns.map((c) => [c, flat(c.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o))])));
  return { format, encoding, columns, sample };
}

const flat = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export interface DryRunResult {
  rows: number;
  failed: number;
  errors: { line: number; reason: string }[];
}

/** Validates every row of the file, streamed from disk; `onProgress` gets the fraction read. */
export async function dryRunInBrowser(
  file: File,
  plan: { entity: ImportEntity; format: ImportFormat; encoding: BrowserEncoding; mapping: ColumnMapping; options: RowOptions; columns: string[]; delimiter?: ',' | ';' | '\t' },
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<DryRunResult> {
  const tally = new RowTally();
  const reader = rowReader({ entity: plan.entity, format: plan.format, mapping: plan.mapping, options: plan.options, columns: plan.columns });
  const csv = plan.format === 'csv' ? new CsvParser(plan.delimiter ? { delimiter: plan.delimiter } : {}) : undefined;
  const jsonl = plan.format === 'jsonl' ? new JsonLinesReader() : undefined;
  let header = plan.format === 'csv';
  const take = (items: ReturnType<CsvParser['push']> | ReturnType<JsonLinesReader['push']>) => {
    for (const item of items) {
      if (header) {
        header = false;
        continue;
      }
      if ('error' in item) tally.fail(item.line, item.error);
      else if ('fields' in item) {
        if (isBlankRow(item.fields)) continue;
        const r = reader.fromFields(item.fields);
        if (r.ok) tally.ok();
        else tally.fail(item.line, r.reason);
      } else {
        const r = reader.fromJsonText(item.text);
        if (r.ok) tally.ok();
        else tally.fail(item.line, r.reason);
      }
    }
  };
  const decoder = new TextDecoder(plan.encoding);
  const stream = file.stream().getReader();
  let read = 0;
  for (;;) {
    if (signal?.aborted) throw new DOMException('Dry run stopped', 'AbortError');
    const { done, value } = await stream.read();
    if (done) break;
    read += value.byteLength;
    const text = decoder.decode(value, { stream: true });
    take(csv ? csv.push(text) : jsonl!.push(text));
    onProgress(read / (file.size || 1));
  }
  const tail = decoder.decode();
  if (tail) take(csv ? csv.push(tail) : jsonl!.push(tail));
  take(csv ? csv.end() : jsonl!.end());
  return { rows: tally.rows, failed: tally.failed, errors: tally.errors };
}

export interface UploadAnswer {
  status: number;
  body: unknown;
}

/** POSTs the file as the raw body (streamed from disk by the browser), reporting upload progress. */
export function uploadFile(url: string, file: File, contentType: string, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}
