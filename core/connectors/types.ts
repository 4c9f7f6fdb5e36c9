// Shapes shared by the connectors' API, workflows, activities and UI.
import { z } from 'zod';

export const CONNECTION_KINDS = ['vtex', 'mercadolibre', 'file'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** `error`: the last run failed on credentials (401/403); scheduled runs continue once they are fixed. */
export const CONNECTION_STATUSES = ['active', 'paused', 'error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** What a sync run did, summed over its pages. */
export interface SyncCounts {
  fetched: number;
  inserted: number;
  updated: number;
  /** Fetched but unchanged (a resent identical record), or not ours to store (e.g. a relay e-mail only). */
  skipped: number;
  /** Records that could not be mapped (reported in the run's error list, never half-written). */
  failed: number;
}

export const emptyCounts = (): SyncCounts => ({ fetched: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 });

export function addCounts(a: SyncCounts, b: Partial<SyncCounts>): SyncCounts {
  return {
    fetched: a.fetched + (b.fetched ?? 0),
    inserted: a.inserted + (b.inserted ?? 0),
    updated: a.updated + (b.updated ?? 0),
    skipped: a.skipped + (b.skipped ?? 0),
    failed: a.failed + (b.failed ?? 0),
  };
}

/** Backfill progress: windows of the time range done out of total, per stream. */
export interface SyncProgress {
  stream?: string;
  doneWindows?: number;
  totalWindows?: number;
  /** The window being fetched, ISO timestamps. */
  window?: { from: string; to: string };
}

export interface ImportCounts {
  /** Data rows read (header excluded). */
  rows: number;
  /** Rows stored: inserted + updated + unchanged. */
  written: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface ImportRowError {
  /** 1-based line number in the file (the CSV header is line 1). */
  line: number;
  reason: string;
}

export const syncIntervalMinutes = z.number().int().min(5).max(24 * 60);
