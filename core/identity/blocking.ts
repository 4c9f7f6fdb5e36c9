// Blocking: which profile pairs are worth scoring. Each profile gets a few keys; profiles that share
// any key become a candidate pair (the database groups on the keys). Keys are chosen so that true
// duplicates with typos in one or two fields still share at least one, while blocks stay small.
// Pure.
import type { NormalizedIdentity } from './types.ts';

const SOUNDEX_CODES: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3',
  l: '4',
  m: '5', n: '5',
  r: '6',
};

/**
 * American Soundex (letter + 3 digits; h and w do not separate equal codes) of the letters of a folded
 * string; '' when it has no letter a–z. soundex('robert') === soundex('rupert') === 'r163'.
 */
export function soundex(value: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < value.length && out.length < 4; i++) {
    const ch = value[i]!;
    if (ch < 'a' || ch > 'z') continue;
    const code = SOUNDEX_CODES[ch] ?? '';
    if (out === '') {
      out = ch;
      last = code;
      continue;
    }
    if (code !== '' && code !== last) out += code;
    if (ch !== 'h' && ch !== 'w') last = code;
  }
  return out === '' ? '' : out.padEnd(4, '0');
}

const compact = (s: string) => s.replaceAll(' ', '');

/** The two names in a fixed order, so that a profile with first and last name swapped gets the same key. */
function sortedPair(x: string, y: string): string {
  return x <= y ? `${x}|${y}` : `${y}|${x}`;
}

/**
 * The string itself and every string one deletion away from it. Two strings within one OSA edit
 * (substitution, insertion, deletion, adjacent transposition) always share one of these
 * (the "deletion neighbourhood" used by SymSpell).
 */
export function deletionNeighbourhood(value: string): string[] {
  const out = new Set<string>([value]);
  for (let i = 0; i < value.length; i++) out.add(value.slice(0, i) + value.slice(i + 1));
  return [...out];
}

/**
 * Blocking keys of a profile. Key families (prefix → rule):
 * - `dni:<DNI>` and `dni:<DNI with one digit deleted>` (×7–8): documents within one typo share a key
 * - `cuit:<CUIT>`                     exact CUIT/CUIL
 * - `em:<email>`                      exact email
 * - `eu:<user part>`                  same mailbox name at a misspelled or other domain (user part ≥ 5 chars)
 * - `ph:<E.164>`                      exact phone
 * - `lb:<last name>|<birth year>`     last name (spaces removed) + year of birth
 * - `sb:<soundex last>|<birth date>`  phonetic last name + full birth date
 * - `sy:<soundex pair>|<birth year>`  phonetic first and last name in sorted order (catches swapped names) + year
 * - `pi:<postal code>|<initials>`     postal code + the two name initials, sorted
 * - `st:<street>|<postal code>`       same address (catches profiles whose names were both mistyped)
 * - `bp:<birth date>|<postal code>`   birth date + postal code
 * Keys are plain strings, unique per profile: index them as (tenant, key) → profile and pair the profiles of
 * each key (see candidatePairs). Pairs found by several keys are one candidate.
 */
export function blockingKeys(n: NormalizedIdentity): string[] {
  const keys = new Set<string>();
  // A document with one mistyped digit keeps one half intact: halves + phonetic name (2 keys, where the
  // full deletion neighbourhood cost 9 per DNI and dominated resolution time; measured recall unchanged on
  // Febrl 2, −0.004 on Febrl 1).
  const nameCode = soundex(n.lastName === null ? '' : compact(n.lastName)) || soundex(n.firstName === null ? '' : compact(n.firstName));
  for (const d of n.dnis) {
    keys.add(`dni:${d}`);
    if (nameCode) {
      keys.add(`dh:${d.slice(0, 4)}|${nameCode}`);
      keys.add(`dt:${d.slice(-4)}|${nameCode}`);
    }
  }
  for (const c of n.cuits) keys.add(`cuit:${c}`);
  if (n.email !== null) {
    keys.add(`em:${n.email}`);
    const at = n.email.lastIndexOf('@');
    if (at >= 5) keys.add(`eu:${n.email.slice(0, at)}`);
  }
  if (n.phone !== null) keys.add(`ph:${n.phone}`);

  const first = n.firstName === null ? '' : compact(n.firstName);
  const last = n.lastName === null ? '' : compact(n.lastName);
  const date = n.birthDate;
  const year = date === null ? '' : date.slice(0, 4);
  const sxFirst = soundex(first);
  const sxLast = soundex(last);
  if (last && year) keys.add(`lb:${last}|${year}`);
  if (sxLast && date !== null) keys.add(`sb:${sxLast}|${date}`);
  if (sxFirst && sxLast && year) keys.add(`sy:${sortedPair(sxFirst, sxLast)}|${year}`);
  const pc = n.postalCode;
  if (pc !== null) {
    if (first && last) keys.add(`pi:${pc}|${[first[0], last[0]].sort().join('')}`);
    if (n.street !== null) keys.add(`st:${n.street}|${pc}`);
    if (date !== null) keys.add(`bp:${date}|${pc}`);
  }
  return [...keys];
}

export interface CandidatePairs {
  /** Index pairs [i, j], i < j, each once, in ascending order. */
  pairs: Array<[number, number]>;
  /** Largest block (profiles sharing one key) that was expanded. */
  maxBlockSize: number;
  /** Keys whose block exceeded maxBlockSize and were skipped. */
  skippedKeys: string[];
}

/**
 * The candidate pairs of a batch: every pair of profiles that share a key. Blocks larger than
 * `maxBlockSize` are skipped (a key that common — "gonzalez|1980" in a big tenant — separates nothing;
 * the other keys still pair real duplicates). Reference for the database engine and the quality harness.
 */
export function candidatePairs(keysPerProfile: readonly (readonly string[])[], options: { maxBlockSize?: number } = {}): CandidatePairs {
  const limit = options.maxBlockSize ?? Infinity;
  const blocks = new Map<string, number[]>();
  keysPerProfile.forEach((keys, i) => {
    for (const k of keys) {
      const block = blocks.get(k);
      if (block) block.push(i);
      else blocks.set(k, [i]);
    }
  });
  const n = keysPerProfile.length;
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  const skippedKeys: string[] = [];
  let maxBlockSize = 0;
  for (const [key, block] of blocks) {
    if (block.length < 2) continue;
    if (block.length > limit) {
      skippedKeys.push(key);
      continue;
    }
    if (block.length > maxBlockSize) maxBlockSize = block.length;
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length; y++) {
        const i = block[x]!;
        const j = block[y]!;
        if (i === j) continue;
        const lo = i < j ? i : j;
        const hi = i < j ? j : i;
        const id = lo * n + hi;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([lo, hi]);
      }
    }
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  skippedKeys.sort();
  return { pairs, maxBlockSize, skippedKeys };
}
