// Sticky, deterministic assignment: the same customer always lands in the same variant of the same experiment, with
// no randomness to record in workflow history. MurmurHash3 (x86, 32-bit) over UTF-8 bytes.

/** UTF-8 bytes, by hand: plain ECMAScript, so it runs the same in Temporal's workflow sandbox as anywhere else. */
export function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    let c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate, as TextEncoder does
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

export function murmur3(text: string, seed = 0): number {
  const data = utf8(text);
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = data.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (data.length & 3) {
    case 3:
      k ^= data[blocks + 2]! << 16;
    // falls through
    case 2:
      k ^= data[blocks + 1]! << 8;
    // falls through
    case 1:
      k ^= data[blocks]!;
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform position in [0, 1) for (key, customer). Distinct seeds give independent draws. */
export function bucket(key: string, customerId: string, seed = 0): number {
  return murmur3(`${key}\u0000${customerId}`, seed) / 2 ** 32;
}

export type VariantAssignment = { kind: 'variant'; variantId: string } | { kind: 'holdout' };

const HOLDOUT_SEED = 0x9e3779b9;

/**
 * Assigns a customer to a variant by weight (weights need not sum to 100; they are normalized), after first holding
 * out `holdoutPercent` of customers. The holdout draw and the variant draw use independent hashes, so changing the
 * holdout share does not reshuffle who gets which variant among the rest.
 */
export function assignVariant(experimentKey: string, customerId: string, variants: readonly { id: string; weight: number }[], holdoutPercent = 0): VariantAssignment {
  if (holdoutPercent > 0 && bucket(experimentKey, customerId, HOLDOUT_SEED) * 100 < holdoutPercent) return { kind: 'holdout' };
  const total = variants.reduce((s, v) => s + Math.max(0, v.weight), 0);
  if (total <= 0) throw new Error('an experiment needs a variant with positive weight');
  const x = bucket(experimentKey, customerId) * total;
  let acc = 0;
  for (const v of variants) {
    acc += Math.max(0, v.weight);
    if (x < acc) return { kind: 'variant', variantId: v.id };
  }
  // Floating point: the last positive-weight variant takes the remainder.
  return { kind: 'variant', variantId: [...variants].reverse().find((v) => v.weight > 0)!.id };
}

/** Whether a customer is in the journey-level control group (never receives the journey's actions). */
export function inJourneyHoldout(journeyId: string, customerId: string, holdoutPercent: number): boolean {
  return holdoutPercent > 0 && bucket(`journey:${journeyId}`, customerId, HOLDOUT_SEED) * 100 < holdoutPercent;
}
