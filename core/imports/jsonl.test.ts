import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonLinesReader, readJsonLines, type JsonLineItem } from './jsonl.ts';

function inChunks(text: string, cuts: number[], max?: number): JsonLineItem[] {
  const r = new JsonLinesReader({ maxLineChars: max });
  const out: JsonLineItem[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...r.push(text.slice(from, cut)));
    from = cut;
  }
  out.push(...r.push(text.slice(from)), ...r.end());
  return out;
}

describe('JSON-lines reader', () => {
  it('splits LF and CRLF lines, skips blank lines and a BOM, and numbers lines from 1', () => {
    expect(readJsonLines('\uFEFF{"a":1}\r\n\n  \n{"b":2}\n{"c":3}')).toEqual([
      { line: 1, text: '{"a":1}', chars: 9 },
      { line: 4, text: '{"b":2}', chars: 8 },
      { line: 5, text: '{"c":3}', chars: 7 },
    ]);
  });

  it('reports and skips a line over the limit without keeping it', () => {
    const r = new JsonLinesReader({ maxLineChars: 10 });
    const items = [...r.push('{"a":1}\n{"long":"'), ...r.push('x'.repeat(100)), ...r.push('"}\n{"b":2}\n'), ...r.end()];
    expect(items).toEqual([
      { line: 1, text: '{"a":1}', chars: 8 },
      { line: 2, error: 'line longer than 10 characters', chars: 112 },
      { line: 3, text: '{"b":2}', chars: 8 },
    ]);
  });

  it('gives the same lines whatever the chunk boundaries', () => {
    const text = fc.string({ unit: fc.constantFrom('{', '}', 'a', '\n', '\r', ' ', 'ñ', '"'), maxLength: 120 });
    fc.assert(
      fc.property(
        text.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.integer({ min: 0, max: t.length }), { maxLength: 10 }), fc.integer({ min: 1, max: 15 }))),
        ([t, cuts, max]) => {
          expect(inChunks(t, cuts)).toEqual(readJsonLines(t));
          expect(inChunks(t, cuts, max)).toEqual(readJsonLines(t, { maxLineChars: max }));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
