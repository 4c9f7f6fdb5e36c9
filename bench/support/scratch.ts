// A bench's scratch directory and its teardown: whatever the bench starts registers a stop; stops run in reverse
// on the way out or on Ctrl-C, then the directory goes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchScratch {
  dataDir: string;
  /** Register a stop; they run last-first. */
  onStop(stop: () => Promise<unknown>): void;
  stopAll(): Promise<void>;
}

export function benchScratch(name: string): BenchScratch {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `nerdistan-bench-${name}-`));
  // Embedded PostgreSQL runs as another user when the bench runs as root.
  fs.chmodSync(dataDir, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error('stop failed:', err));
    stops.length = 0;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  return { dataDir, onStop: (s) => stops.push(s), stopAll };
}
