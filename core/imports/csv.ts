// Incremental CSV parser (RFC 4180 plus what spreadsheet exports really contain): feed it text chunks of any
// size, split anywhere, and it hands back complete records. Memory is bounded by the longest record it keeps
// (maxRecordChars), never by the file: a record over the limit is skipped and reported, not buffered.

export type CsvDelimiter = ',' | ';' | '\t';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

export interface CsvRecord {
  /** 1-based physical line where the record starts (a quoted field may span several lines). */
  line: number;
  fields: string[];
  /** The record's text as it was in the file, line break included: its size is what progress counts. */
  raw: string;
}

export interface CsvRecordError {
  line: number;
  error: string;
  /** As much of the record's text as was kept (the size of a skipped record is in `chars`). */
  chars: number;
}

export type CsvItem = CsvRecord | CsvRecordError;
export const isCsvError = (item: CsvItem): item is CsvRecordError => 'error' in item;

export interface CsvParserOptions {
  /** Fixed delimiter; by default it is detected from the first line (the header). */
  delimiter?: CsvDelimiter;
  /** Longest record kept, in characters (default 1 MiB). */
  maxRecordChars?: number;
}

export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The delimiter a header line uses: the most frequent of `,` `;` tab outside quotes (`,` when none or tied). */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of CSV_DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** Line breaks (LF, CRLF or a lone CR) in a piece of text. */
function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

type Scan =
  | { kind: 'record'; fields: string[]; end: number; lines: number }
  | { kind: 'malformed'; end: number; lines: number; error: string }
  | { kind: 'incomplete' };

export class CsvParser {
  private buf = '';
  private line = 1;
  private started = false;
  private delim: CsvDelimiter | undefined;
  private delimCode = 0;
  private readonly max: number;
  /** Skipping an over-long record: where it started, the scanner state, how much was skipped. */
  private skipping:
    { line: number; state: 'start' | 'plain' | 'quoted' | 'quote' | 'bad'; chars: number; lines: number; prevCr: boolean; endedAtCr: boolean }
    | undefined;

  constructor(opts: CsvParserOptions = {}) {
    this.max = opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    if (opts.delimiter) this.setDelimiter(opts.delimiter);
  }

  /** The delimiter in use, once known (given, or detected from the first line). */
  get delimiter(): CsvDelimiter | undefined {
    return this.delim;
  }

  private setDelimiter(d: CsvDelimiter) {
    this.delim = d;
    this.delimCode = d.charCodeAt(0);
  }

  /** Adds a chunk; returns the records it completed. */
  push(chunk: string): CsvItem[] {
    return this.run(chunk, false);
  }

  /** End of input: returns the last record (which needs no line break) and any unterminated one as an error. */
  end(): CsvItem[] {
    return this.run('', true);
  }

  private run(chunk: string, final: boolean): CsvItem[] {
    const out: CsvItem[] = [];
    if (!this.started) {
      this.buf += chunk;
      // A UTF-8 byte order mark (decoded as U+FEFF) is not part of the first header name.
      if (this.buf.length === 0 && !final) return out;
      if (this.buf.charCodeAt(0) === 0xfeff) this.buf = this.buf.slice(1);
      this.started = true;
      chunk = '';
    }
    if (this.skipping) {
      const rest = this.skip(chunk, final, out);
      if (rest === undefined) return out;
      this.buf = rest;
    } else this.buf += chunk;

    if (!this.delim) {
      const nl = this.buf.search(/[\r\n]/);
      if (nl < 0 && !final && this.buf.length <= this.max) return out;
      this.setDelimiter(detectDelimiter(nl < 0 ? this.buf : this.buf.slice(0, nl)));
    }

    let pos = 0;
    const buf = this.buf;
    for (;;) {
      if (pos >= buf.length) {
        this.buf = '';
        return out;
      }
      const scan = this.scanRecord(buf, pos, final);
      if (scan.kind === 'incomplete') {
        if (buf.length - pos > this.max) {
          // Too long to keep: remember only what is needed to find where it ends.
          this.skipping = { line: this.line, state: 'start', chars: 0, lines: 0, prevCr: false, endedAtCr: false };
          const rest = this.skip(buf.slice(pos), final, out);
          if (rest === undefined) {
            this.buf = '';
            return out;
          }
          this.buf = '';
          for (const item of this.run(rest, final)) out.push(item);
          return out;
        }
        if (final) {
          out.push({ line: this.line, error: 'unterminated quoted field (a `"` opens a field that never closes)', chars: buf.length - pos });
          this.line += countLineBreaks(buf.slice(pos));
          this.buf = '';
          return out;
        }
        this.buf = buf.slice(pos);
        return out;
      }
      const raw = buf.slice(pos, scan.end);
      if (raw.length > this.max) out.push({ line: this.line, error: `record longer than ${this.max} characters`, chars: raw.length });
      else if (scan.kind === 'malformed') out.push({ line: this.line, error: scan.error, chars: raw.length });
      else if (!(scan.fields.length === 1 && scan.fields[0] === '' && raw.charCodeAt(0) !== QUOTE)) out.push({ line: this.line, fields: scan.fields, raw });
      // else: a blank line, which is no record
      this.line += scan.lines;
      pos = scan.end;
    }
  }

  /**
   * Scans one record from `start`. `end` is past its line break; `lines` counts the line breaks it spans.
   * Incomplete when the data ends before the record does (or right after a CR or quote that the next
   * chunk could change the meaning of).
   */
  private scanRecord(buf: string, start: number, final: boolean): Scan {
    const n = buf.length;
    const D = this.delimCode;
    const fields: string[] = [];
    let i = start;
    let lines = 0;
    for (;;) {
      if (i < n && buf.charCodeAt(i) === QUOTE) {
        // Quoted field: runs to the next quote not followed by another quote ("" is an escaped quote).
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = buf.indexOf('"', from);
          if (q < 0) return { kind: 'incomplete' };
          if (q + 1 >= n && !final) return { kind: 'incomplete' };
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += buf.slice(from, q);
          i = q + 1;
          break;
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) lines += countLineBreaks(value);
        fields.push(value);
        if (i >= n) {
          if (!final) return { kind: 'incomplete' };
          return { kind: 'record', fields, end: i, lines };
        }
        const c = buf.charCodeAt(i);
        if (c === D) {
          i++;
          continue;
        }
        if (c === LF) return { kind: 'record', fields, end: i + 1, lines: lines + 1 };
        if (c === CR) {
          if (i + 1 >= n && !final) return { kind: 'incomplete' };
          return { kind: 'record', fields, end: buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1, lines: lines + 1 };
        }
        // Text after a closing quote: the record is malformed; skip to the end of its line.
        return this.malformed(buf, i, final, lines, `unexpected text after the closing quote of field ${fields.length}`);
      }
      // Unquoted field: up to the delimiter or line break. A stray quote inside (12" screen) is kept as text.
      let j = i;
      let c = 0;
      while (j < n) {
        c = buf.charCodeAt(j);
        if (c === D || c === LF || c === CR) break;
        j++;
      }
      if (j >= n) {
        if (!final) return { kind: 'incomplete' };
        fields.push(buf.slice(i, j));
        return { kind: 'record', fields, end: j, lines };
      }
      fields.push(buf.slice(i, j));
      if (c === D) {
        i = j + 1;
        continue;
      }
      if (c === LF) return { kind: 'record', fields, end: j + 1, lines: lines + 1 };
      if (j + 1 >= n && !final) return { kind: 'incomplete' };
      return { kind: 'record', fields, end: buf.charCodeAt(j + 1) === LF ? j + 2 : j + 1, lines: lines + 1 };
    }
  }

  private malformed(buf: string, from: number, final: boolean, lines: number, error: string): Scan {
    const n = buf.length;
    let j = from;
    while (j < n) {
      const c = buf.charCodeAt(j);
      if (c === LF) return { kind: 'malformed', end: j + 1, lines: lines + 1, error };
      if (c === CR) {
        if (j + 1 >= n && !final) return { kind: 'incomplete' };
        return { kind: 'malformed', end: buf.charCodeAt(j + 1) === LF ? j + 2 : j + 1, lines: lines + 1, error };
      }
      j++;
    }
    if (!final) return { kind: 'incomplete' };
    return { kind: 'malformed', end: n, lines, error };
  }

  /**
   * Consumes text of an over-long record without keeping it, running the scanner's state machine to find
   * where it ends. Returns the text after the record (and reports it), or undefined when the record continues.
   */
  private skip(text: string, final: boolean, out: CsvItem[]): string | undefined {
    const s = this.skipping!;
    const D = this.delimCode;
    if (s.endedAtCr) {
      // The record ended at a CR that closed the previous chunk: a following LF belongs to it.
      if (text.length === 0 && !final) return undefined;
      const lf = text.charCodeAt(0) === LF ? 1 : 0;
      s.chars += lf;
      return this.finishSkip(text.slice(lf), out);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const prevCr = s.prevCr;
      s.prevCr = c === CR;
      let ends = false;
      switch (s.state) {
        case 'quoted':
          if (c === QUOTE) s.state = 'quote';
          else if (c === CR || (c === LF && !prevCr)) s.lines++;
          continue;
        case 'quote':
          if (c === QUOTE) s.state = 'quoted';
          else if (c === D) s.state = 'start';
          else if (c === LF || c === CR) ends = true;
          else s.state = 'bad';
          break;
        case 'start':
          if (c === QUOTE) s.state = 'quoted';
          else if (c === LF || c === CR) ends = true;
          else if (c !== D) s.state = 'plain';
          break;
        case 'plain':
          if (c === D) s.state = 'start';
          else if (c === LF || c === CR) ends = true;
          break;
        case 'bad':
          if (c === LF || c === CR) ends = true;
          break;
      }
      if (!ends) continue;
      s.lines++;
      if (c === CR && i + 1 >= text.length && !final) {
        s.chars += i + 1;
        s.endedAtCr = true;
        return undefined;
      }
      const end = c === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
      s.chars += end;
      return this.finishSkip(text.slice(end), out);
    }
    s.chars += text.length;
    if (!final) return undefined;
    out.push({
      line: s.line,
      error: s.state === 'quoted' ? 'unterminated quoted field (a `"` opens a field that never closes)' : `record longer than ${this.max} characters`,
      chars: s.chars,
    });
    this.line = s.line + s.lines;
    this.skipping = undefined;
    return '';
  }

  private finishSkip(rest: string, out: CsvItem[]): string {
    const s = this.skipping!;
    out.push({ line: s.line, error: `record longer than ${this.max} characters`, chars: s.chars });
    this.line = s.line + s.lines;
    this.skipping = undefined;
    return rest;
  }
}

/** Parses a whole CSV text (tests, small files, the browser's preview of a file's first bytes). */
export function parseCsv(text: string, opts: CsvParserOptions = {}): CsvItem[] {
  const p = new CsvParser(opts);
  return [...p.push(text), ...p.end()];
}

/** Formats one field for CSV: quoted when it holds the delimiter, a quote or a line break. */
export function csvField(value: string, delimiter: CsvDelimiter = ','): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}
