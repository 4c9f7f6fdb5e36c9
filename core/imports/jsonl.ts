// Incremental JSON-lines reader: one JSON object per line (LF or CRLF), chunks split anywhere. Blank lines are
// skipped; a line longer than the limit is reported and skipped without being kept.

export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** Characters the line took in the file, line break included (for progress). */
  chars: number;
}

export interface JsonLineError {
  line: number;
  error: string;
  chars: number;
}

export type JsonLineItem = JsonLine | JsonLineError;
export const isJsonLineError = (item: JsonLineItem): item is JsonLineError => 'error' in item;

export const DEFAULT_MAX_LINE_CHARS = 1 << 20;

export class JsonLinesReader {
  private buf = '';
  private line = 1;
  private started = false;
  /** Characters of an over-long line skipped so far (undefined when not skipping). */
  private skipped: number | undefined;
  private readonly max: number;

  constructor(opts: { maxLineChars?: number } = {}) {
    this.max = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  }

  push(chunk: string): JsonLineItem[] {
    return this.run(chunk, false);
  }

  end(): JsonLineItem[] {
    return this.run('', true);
  }

  private emit(out: JsonLineItem[], text: string, chars: number) {
    const body = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (text.length > this.max) out.push({ line: this.line, error: `line longer than ${this.max} characters`, chars });
    else if (body.trim()) out.push({ line: this.line, text: body, chars });
    this.line++;
  }

  private run(chunk: string, final: boolean): JsonLineItem[] {
    const out: JsonLineItem[] = [];
    if (!this.started) {
      if (!chunk && !final) return out;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.started = true;
    }
    let from = 0;
    if (this.skipped !== undefined) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.skipped += chunk.length;
        if (final) this.reportSkipped(out);
        return out;
      }
      this.skipped += nl + 1;
      this.reportSkipped(out);
      from = nl + 1;
    }
    const buf = from === 0 ? this.buf + chunk : chunk.slice(from);
    this.buf = '';
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0) break;
      this.emit(out, buf.slice(pos, nl), nl + 1 - pos);
      pos = nl + 1;
    }
    const rest = buf.slice(pos);
    if (rest.length > this.max) {
      this.skipped = rest.length;
      if (final) this.reportSkipped(out);
    } else if (final) {
      if (rest) this.emit(out, rest, rest.length);
    } else this.buf = rest;
    return out;
  }

  private reportSkipped(out: JsonLineItem[]) {
    out.push({ line: this.line, error: `line longer than ${this.max} characters`, chars: this.skipped! });
    this.line++;
    this.skipped = undefined;
  }
}

/** Reads a whole JSON-lines text (tests, previews). */
export function readJsonLines(text: string, opts: { maxLineChars?: number } = {}): JsonLineItem[] {
  const r = new JsonLinesReader(opts);
  return [...r.push(text), ...r.end()];
}
