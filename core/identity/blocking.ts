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
const initial = (s: string | null) => (s === null ? '' : (compact(s)[0] ?? ''));

/** The two names in a fixed order, so that a profile with first and last name swapped gets the same key. */
function sortedPair(x: string, y: string): string {
  return x <= y ? `${x}|${y}` : `${y}|${x}`;
}

/**
 * Blocking keys of a profile. Key families (prefix → rule):
 * - `doc:<DNI or CUIT>`           exact document (the deterministic rule)
 * - `dp:<first 6 digits of DNI>`  documents with a typo in the last digits
 * - `ds:<last 6 digits of DNI>`   documents with a typo in the first digits
 * - `em:<email>`, `eu:<email user part>`  exact email; same mailbox at a misspelled domain
 * - `ph:<phone>`                  exact phone
 * - `nm:<first>|<last>`           both names (in sorted order: catches swapped names)
 * - `lb:<last>|<birth year>`      last name + year of birth
 * - `sb:<soundex last>|<birth date>` phonetic last name + full birth date
 * - `sf:<soundex last>|<soundex first>` phonetic names (sorted: catches swaps)
 * - `pi:<postal code>|<initials>` postal code + sorted name initials
 * - `st:<street>|<postal code>`   same address (catches profiles whose names were both mistyped)
 * - `bp:<birth date>|<postal code>` birth date + postal code
 * Keys are plain strings: index them as (tenant, key) → profile.
 */
export function blockingKeys(n: NormalizedIdentity): string[] {
  const keys: string[] = [];
  for (const d of n.dnis) {
    keys.push(`doc:${d}`);
    keys.push(`dp:${d.slice(0, 6)}`);
    keys.push(`ds:${d.slice(-6)}`);
  }
  for (const c of n.cuits) keys.push(`doc:${c}`);
  if (n.email !== null) {
    keys.push(`em:${n.email}`);
    const at = n.email.lastIndexOf('@');
    if (at > 2) keys.push(`eu:${n.email.slice(0, at)}`);
  }
  if (n.phone !== null) keys.push(`ph:${n.phone}`);

  const first = n.firstName === null ? null : compact(n.firstName);
  const last = n.lastName === null ? null : compact(n.lastName);
  const year = n.birthDate === null ? null : n.birthDate.slice(0, 4);
  if (first && last) keys.push(`nm:${sortedPair(first, last)}`);
  if (last && year) keys.push(`lb:${last}|${year}`);
  const sxLast = last ? soundex(last) : '';
  const sxFirst = first ? soundex(first) : '';
  if (sxLast && n.birthDate !== null) keys.push(`sb:${sxLast}|${n.birthDate}`);
  if (sxLast && sxFirst) keys.push(`sf:${sortedPair(sxLast, sxFirst)}`);
  if (n.postalCode !== null) {
    const ini = [initial(n.firstName), initial(n.lastName)].filter((x) => x !== '').sort().join('');
    if (ini.length === 2) keys.push(`pi:${n.postalCode}|${ini}`);
    if (n.street !== null) keys.push(`st:${n.street}|${n.postalCode}`);
    if (n.birthDate !== null) keys.push(`bp:${n.birthDate}|${n.postalCode}`);
  }
  return [...new Set(keys)];
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
