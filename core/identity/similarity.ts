// String similarity for probabilistic matching. Pure and deterministic; written for throughput
// (millions of pairs in a benchmark): no per-call allocation except when a module-level scratch
// buffer has to grow. The buffers never carry state between calls (every cell read is written
// first in the same call), so results depend only on the arguments.
//
// Strings are compared by UTF-16 code unit. Inputs are expected to be folded already
// (NormalizedIdentity: lower case, no accents), so that is the same as comparing characters.

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);
let row0 = new Int32Array(64);
let row1 = new Int32Array(64);
let row2 = new Int32Array(64);

function ensureFlags(n: number): void {
  if (flagsA.length < n) {
    const size = Math.max(n, flagsA.length * 2);
    flagsA = new Uint8Array(size);
    flagsB = new Uint8Array(size);
  }
}

function ensureRows(n: number): void {
  if (row0.length < n) {
    const size = Math.max(n, row0.length * 2);
    row0 = new Int32Array(size);
    row1 = new Int32Array(size);
    row2 = new Int32Array(size);
  }
}

/** Jaro similarity in [0, 1]. Two empty strings are identical (1); one empty string matches nothing (0). */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  ensureFlags(Math.max(la, lb));
  const fa = flagsA;
  const fb = flagsB;
  fa.fill(0, 0, la);
  fb.fill(0, 0, lb);

  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i > window ? i - window : 0;
    const hi = Math.min(i + window + 1, lb);
    const c = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if (fb[j] === 0 && b.charCodeAt(j) === c) {
        fa[i] = 1;
        fb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  // Half the number of matched characters that are out of order.
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (fa[i] === 0) continue;
    while (fb[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/**
 * Jaro–Winkler similarity in [0, 1] (Winkler 1990): prefix scale 0.1, common prefix counted up to 4
 * characters, boost applied only when the Jaro similarity exceeds 0.7 (Winkler's boost threshold, as in
 * jellyfish/recordlinkage and rapidfuzz/DuckDB, which Splink uses).
 */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  if (j <= 0.7) return j;
  const max = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Levenshtein edit distance (insertions, deletions, substitutions; each costs 1). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  // Keep the shorter string on the row axis: O(min(la, lb)) memory.
  if (a.length < b.length) {
    const t = a;
    a = b;
    b = t;
  }
  const la = a.length;
  const lb = b.length;
  if (lb === 0) return la;
  ensureRows(lb + 1);
  const row = row0;
  for (let j = 0; j <= lb; j++) row[j] = j;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    let diag = row[0]!; // d[i-1][j-1]
    row[0] = i;
    for (let j = 1; j <= lb; j++) {
      const up = row[j]!; // d[i-1][j]
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      let best = diag + cost;
      const del = up + 1;
      if (del < best) best = del;
      const ins = row[j - 1]! + 1;
      if (ins < best) best = ins;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb]!;
}

/**
 * Damerau–Levenshtein distance, optimal string alignment variant: Levenshtein plus transposition of two
 * adjacent characters (cost 1), no substring edited twice. Catches swapped digits in documents and dates:
 * damerauLevenshtein('20123456', '21023456') === 1.
 */
export function damerauLevenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < b.length) {
    const t = a;
    a = b;
    b = t;
  }
  const la = a.length;
  const lb = b.length;
  if (lb === 0) return la;
  ensureRows(lb + 1);
  // Three rolling rows: prev2 = d[i-2], prev = d[i-1], cur = d[i].
  let prev2 = row0;
  let prev = row1;
  let cur = row2;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    cur[0] = i;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let best = prev[j - 1]! + cost;
      const del = prev[j]! + 1;
      if (del < best) best = del;
      const ins = cur[j - 1]! + 1;
      if (ins < best) best = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const tr = prev2[j - 2]! + 1;
        if (tr < best) best = tr;
      }
      cur[j] = best;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

/**
 * Whether the OSA Damerau–Levenshtein distance is at most 1, without a matrix: equal, one substitution,
 * one insertion/deletion, or one adjacent transposition.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  let la = a.length;
  let lb = b.length;
  if (la < lb) {
    const t = a;
    a = b;
    b = t;
    la = a.length;
    lb = b.length;
  }
  if (la - lb > 1) return false;
  let i = 0;
  while (i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // Substitution at i: the rest must be equal; or transposition of i and i+1.
    if (sameTail(a, i + 1, b, i + 1)) return true;
    return i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameTail(a, i + 2, b, i + 2);
  }
  // Deletion of a[i].
  return sameTail(a, i + 1, b, i);
}

function sameTail(a: string, ia: number, b: string, ib: number): boolean {
  if (a.length - ia !== b.length - ib) return false;
  while (ia < a.length) {
    if (a.charCodeAt(ia++) !== b.charCodeAt(ib++)) return false;
  }
  return true;
}

/** 1 − levenshtein / max(length): 1 for identical strings (including two empty ones), 0 for nothing in common. */
export function levenshteinSimilarity(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  if (max === 0) return 1;
  return 1 - levenshtein(a, b) / max;
}
