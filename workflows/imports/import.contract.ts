// What callers (the upload handler, tests) need to start and watch file imports.
import { defineQuery } from '@temporalio/workflow';

export interface ImportWorkflowInput {
  tenantId: string;
  importId: string;
  /** Rows per batch (one transaction each). Default IMPORT_BATCH_ROWS. */
  batchRows?: number;
  /** Continue-as-new after this many batches even if the server does not suggest it. */
  maxBatchesPerRun?: number;
  /** Carried across continue-as-new. */
  progress?: ImportWorkflowProgress;
}

export interface ImportWorkflowProgress {
  batches: number;
  rows: number;
  failed: number;
}

export const importWorkflowId = (importId: string) => `import:${importId}`;
export const importProgressQuery = defineQuery<ImportWorkflowProgress>('progress');

/** Big enough to amortise round trips, small enough for a short transaction. */
export const IMPORT_BATCH_ROWS = 5000;
/** A batch also stops at this many bytes of staged text (a file of very wide rows). */
export const IMPORT_BATCH_BYTES = 8 * 1024 * 1024;
