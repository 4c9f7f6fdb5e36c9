// Time-ordered UUIDs (RFC 9562 version 7) for rows created in bulk: consecutive ids land next to each other in a
// B-tree, where random ids touch a random page of every index per insert (docs/decisions/004).
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
// Random bytes drawn in bulk: one system call per 4,096 ids instead of one per id.
const pool = new Uint8Array(10 * 4096);
let offset = pool.length;
let lastMs = 0;
let counter = 0;

/** A version 7 UUID; ids from this process are strictly increasing (a 12-bit counter orders ids of one millisecond). */
export function timeOrderedUuid(now: number = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  if (now > lastMs) {
    lastMs = now;
    counter = ((pool[r]! & 0x07) << 8) | pool[r + 1]!; // a random start below 2048 leaves room to count up
  } else if (++counter > 0xfff) {
    // More ids in one millisecond than the counter holds: borrow the next millisecond (stays increasing).
    lastMs++;
    counter = 0;
  }
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000);
  const b = (i: number) => HEX[pool[r + i]!]!;
  return (
    HEX[(hi >>> 24) & 0xff]! + HEX[(hi >>> 16) & 0xff]! + HEX[(hi >>> 8) & 0xff]! + HEX[hi & 0xff]! + '-' +
    HEX[(ms >>> 8) & 0xff]! + HEX[ms & 0xff]! + '-' +
    HEX[0x70 | (counter >>> 8)]! + HEX[counter & 0xff]! + '-' +
    HEX[0x80 | (pool[r + 2]! & 0x3f)]! + b(3) + '-' + b(4) + b(5) + b(6) + b(7) + b(8) + b(9)
  );
}
