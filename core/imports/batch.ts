// Shaping a batch of rows for the write path, without I/O.

/**
 * Splits records into waves in which every key appears once, keeping file order: the n-th occurrence of a key
 * goes to wave n. Writing the waves one after another gives exactly what writing the rows one by one would
 * (a later row of the same id updates the earlier one), while each wave is one set-based statement.
 */
export function waves<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const seen = new Map<string, number>();
  const out: T[][] = [];
  for (const item of items) {
    const k = key(item);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    (out[n] ??= []).push(item);
  }
  return out;
}

/** Items per order, as orderRecord allows. */
export const MAX_ITEMS_PER_ORDER = 1000;
