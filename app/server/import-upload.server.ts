// Reading an uploaded file from the request body as it arrives: bytes → text → records, in chunks, with
// bounded buffers (a chunk, plus at most one unfinished record) whatever the file's size.
import { CsvParser, type CsvDelimiter } from '#core/imports/csv.ts';
import { JsonLinesReader } from '#core/imports/jsonl.ts';
import type { ImportFormat } from '#core/imports/targets.ts';
import { UserError } from '#core/errors.ts';

/** Uploads larger than this are refused (the staging table and the workflow handle any size below it). */
export const MAX_IMPORT_BYTES = 2 * 1024 ** 3;

/** One record of the file: CSV fields or a JSON-lines line, or why it could not be read. */
export interface FileItem {
  line: number;
  /** Size in the file, in bytes (progress). */
  bytes: number;
  fields?: string[];
  text?: string;
  error?: string;
}

export const SUPPORTED_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1', 'latin1'] as const;

export type BodyReader = ReadableStreamDefaultReader<Uint8Array>;

/** The body's bytes, counted. The reader is never cancelled (see drainBody), so an error can still be answered. */
async function* bodyBytes(reader: BodyReader, counter: { bytes: number }) {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    counter.bytes += value.byteLength;
    if (counter.bytes > MAX_IMPORT_BYTES) throw new UserError('payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES} bytes; split it.`, 413);
    yield value;
  }
}

/**
 * Reads the rest of a body we stopped using, so the client (still sending) receives our answer instead of a
 * reset connection (cancelling the stream would destroy the socket). Errors (the client went away) are ignored.
 */
export async function drainBody(reader: BodyReader | undefined): Promise<void> {
  if (!reader) return;
  try {
    while (!(await reader.read()).done) {
      // discard
    }
  } catch {
    // nothing to answer to
  }
}

async function* bodyText(body: BodyReader, encoding: string, counter: { bytes: number }) {
  let decoder: TextDecoder | undefined;
  let offset = 0;
  for await (const chunk of bodyBytes(body, counter)) {
    // A UTF-8 byte order mark settles the encoding, whatever the request said.
    decoder ??= new TextDecoder(chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 'utf-8' : encoding, { fatal: true });
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      throw new UserError(
        'invalid_file',
        `The file is not valid ${decoder.encoding.toUpperCase()} (near byte ${offset}). Files saved by Excel are often Windows-1252: send them with "Content-Type: text/csv; charset=windows-1252" or encoding=windows-1252.`,
      );
    }
    offset += chunk.byteLength;
  }
  if (decoder) {
    try {
      const tail = decoder.decode();
      if (tail) yield tail;
    } catch {
      throw new UserError('invalid_file', `The file ends in the middle of a ${decoder.encoding.toUpperCase()} character.`);
    }
  }
}

/**
 * The file's records in chunks (one array per body chunk). Record sizes are measured in the file's encoding:
 * UTF-8 bytes, or characters for the single-byte encodings.
 */
export async function* fileItems(
  body: BodyReader,
  opts: { format: ImportFormat; encoding: string; delimiter?: CsvDelimiter; counter: { bytes: number; delimiter?: CsvDelimiter } },
): AsyncGenerator<FileItem[]> {
  const utf8 = opts.encoding === 'utf-8';
  const size = (s: string) => (utf8 ? Buffer.byteLength(s) : s.length);
  if (opts.format === 'csv') {
    const parser = new CsvParser(opts.delimiter ? { delimiter: opts.delimiter } : {});
    const convert = (items: ReturnType<CsvParser['push']>): FileItem[] =>
      items.map((i) => ('error' in i ? { line: i.line, bytes: i.chars, error: i.error } : { line: i.line, bytes: size(i.raw), fields: i.fields }));
    for await (const text of bodyText(body, opts.encoding, opts.counter)) {
      const items = parser.push(text);
      opts.counter.delimiter ??= parser.delimiter;
      if (items.length) yield convert(items);
    }
    const last = parser.end();
    opts.counter.delimiter ??= parser.delimiter;
    if (last.length) yield convert(last);
    return;
  }
  const reader = new JsonLinesReader();
  const convert = (items: ReturnType<JsonLinesReader['push']>): FileItem[] =>
    items.map((i) => ('error' in i ? { line: i.line, bytes: i.chars, error: i.error } : { line: i.line, bytes: size(i.text) + (i.chars - i.text.length), text: i.text }));
  for await (const text of bodyText(body, opts.encoding, opts.counter)) {
    const items = reader.push(text);
    if (items.length) yield convert(items);
  }
  const last = reader.end();
  if (last.length) yield convert(last);
}

/** Pulls the first record off a chunked item stream, keeping the rest for the caller. */
export async function firstItem(items: AsyncIterator<FileItem[]>): Promise<{ first: FileItem | undefined; rest: FileItem[] }> {
  for (;;) {
    const next = await items.next();
    if (next.done) return { first: undefined, rest: [] };
    if (next.value.length) return { first: next.value[0], rest: next.value.slice(1) };
  }
}
