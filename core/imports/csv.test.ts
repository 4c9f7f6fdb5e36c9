import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, CsvParser, detectDelimiter, parseCsv, type CsvDelimiter, type CsvItem } from './csv.ts';

const rows = (items: CsvItem[]) => items.map((i) => ('error' in i ? { line: i.line, error: i.error } : { line: i.line, fields: i.fields }));

/** Feeds `text` to a parser in pieces cut at `cuts`. */
function parseInChunks(text: string, cuts: number[], opts: ConstructorParameters<typeof CsvParser>[0] = {}): CsvItem[] {
  const p = new CsvParser(opts);
  const out: CsvItem[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...p.push(text.slice(from, cut)));
    from = cut;
  }
  out.push(...p.push(text.slice(from)), ...p.end());
  return out;
}

describe('CSV parser: table', () => {
  it.each([
    ['plain, LF', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['CRLF and no final line break', 'a,b\r\n1,2', [['a', 'b'], ['1', '2']]],
    ['lone CR line breaks (old Mac exports)', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
    ['quoted fields with delimiter, escaped quotes and newlines', 'a,b\n"x,y","he said ""hola""\nbye"\n', [['a', 'b'], ['x,y', 'he said "hola"\nbye']]],
    ['empty fields, quoted and not', 'a,b,c\n,"",\n', [['a', 'b', 'c'], ['', '', '']]],
    ['a UTF-8 BOM is not part of the first name', '\uFEFFnombre;apellido\nAna;Pérez\n', [['nombre', 'apellido'], ['Ana', 'Pérez']]],
    ['blank lines are no records', 'a\n\n1\r\n\r\n2\n', [['a'], ['1'], ['2']]],
    ['a stray quote inside an unquoted field is text', 'name,size\nMonitor 24",1\n', [['name', 'size'], ['Monitor 24"', '1']]],
    ['tab-separated', 'a\tb\n1\t2\n', [['a', 'b'], ['1', '2']]],
  ])('%s', (_name, text, expected) => {
    const items = parseCsv(text);
    expect(items.every((i) => !('error' in i))).toBe(true);
    expect(items.map((i) => ('fields' in i ? i.fields : null))).toEqual(expected);
  });

  it('numbers records by the physical line they start on, counting line breaks inside quotes', () => {
    const items = parseCsv('h1;h2\n1;"two\r\nlines"\n\n3;"a\rb\nc"\n4;x\n');
    expect(rows(items)).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['1', 'two\r\nlines'] },
      { line: 5, fields: ['3', 'a\rb\nc'] },
      { line: 8, fields: ['4', 'x'] },
    ]);
  });

  it('reports an unterminated quote at the end with the line it opened on', () => {
    expect(rows(parseCsv('a,b\n1,2\n3,"never closed\n4,5\n'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, error: expect.stringContaining('unterminated') },
    ]);
  });

  it('reports text after a closing quote and goes on with the next line', () => {
    expect(rows(parseCsv('a,b\n"x"y,2\n3,4\n'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: expect.stringContaining('after the closing quote') },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('skips a record over the size limit without keeping it, and resumes after it', () => {
    const p = new CsvParser({ maxRecordChars: 16, delimiter: ',' });
    const items = [...p.push('a,b\n1,"' + 'x'.repeat(10)), ...p.push('y'.repeat(50) + '\nstill inside",2\n3'), ...p.push(',4\n'), ...p.end()];
    expect(rows(items)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: 'record longer than 16 characters' },
      { line: 4, fields: ['3', '4'] },
    ]);
    expect((items[1] as { chars: number }).chars).toBe('1,"'.length + 10 + 50 + '\nstill inside",2\n'.length);
  });

  it.each([
    ['nombre;apellido;dni', ';'],
    ['name,email', ','],
    ['"a;b",c,d', ','],
    ['"x,y";"z";w', ';'],
    ['only', ','],
    ['a\tb\tc', '\t'],
  ])('detects the delimiter of %j as %j', (header, d) => {
    expect(detectDelimiter(header)).toBe(d);
  });

  it('detects the delimiter from the header line even when it arrives in pieces', () => {
    const p = new CsvParser();
    expect(p.push('nombre;ape')).toEqual([]);
    expect(p.delimiter).toBeUndefined();
    expect(rows(p.push('llido\nAna;Paz\n'))).toEqual([
      { line: 1, fields: ['nombre', 'apellido'] },
      { line: 2, fields: ['Ana', 'Paz'] },
    ]);
    expect(p.delimiter).toBe(';');
  });

  it('keeps each record\'s raw text, so the sizes add up to the file', () => {
    const text = 'a;b\r\n"1\n2";3\r\n\r\n4;5';
    const items = parseCsv(text) as { raw: string }[];
    expect(items.map((i) => i.raw).join('')).toBe(text.replace('\r\n\r\n', '\r\n'));
  });
});

describe('CSV parser: properties', () => {
  // Text made of the characters that matter to CSV, so the generator finds the edge cases.
  const csvish = fc.string({ unit: fc.constantFrom('a', 'é', ',', ';', '"', '\n', '\r', ' ', '\uFEFF'), maxLength: 200 });
  const cuts = (text: string) => fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 });

  it('gives the same items whatever the chunk boundaries (any input, even malformed)', () => {
    fc.assert(
      fc.property(
        csvish.chain((text) => fc.tuple(fc.constant(text), cuts(text))),
        ([text, at]) => {
          expect(parseInChunks(text, at)).toEqual(parseCsv(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same items whatever the chunk boundaries when records overflow the size limit', () => {
    fc.assert(
      fc.property(
        csvish.chain((text) => fc.tuple(fc.constant(text), cuts(text), fc.integer({ min: 1, max: 20 }))),
        ([text, at, max]) => {
          expect(parseInChunks(text, at, { maxRecordChars: max, delimiter: ',' })).toEqual(parseCsv(text, { maxRecordChars: max, delimiter: ',' }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads back any table written with csvField, for both delimiters and line endings', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Ñ', ',', ';', '"', '\n', '\r', ' ', 'x'), maxLength: 12 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((width) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
        fc.constantFrom<CsvDelimiter>(',', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (table, d, eol, finalBreak) => {
          const text = table.map((r) => r.map((f) => csvField(f, d)).join(d)).join(eol) + (finalBreak ? eol : '');
          const items = parseCsv(text, { delimiter: d });
          expect(items.map((i) => ('fields' in i ? i.fields : i))).toEqual(table);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('numbers lines so that every record starts where its raw text says', () => {
    fc.assert(
      fc.property(csvish, (text) => {
        const body = text.replace(/^\uFEFF/, '');
        let line = 1;
        let consumed = 0;
        for (const item of parseCsv(text, { delimiter: ',' })) {
          if (!('raw' in item)) return; // after an error the raw text is not kept; the earlier records were checked
          const before = body.slice(consumed, body.indexOf(item.raw, consumed));
          line += (before.match(/\r\n|\r|\n/g) ?? []).length;
          expect(item.line).toBe(line);
          line += (item.raw.match(/\r\n|\r|\n/g) ?? []).length;
          consumed = body.indexOf(item.raw, consumed) + item.raw.length;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
