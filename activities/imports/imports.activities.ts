// Activities of the file import workflow: batches over the staged lines, and the import's end.
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '#db/client.ts';
import { inTransaction } from '#db/queries/connections.ts';
import { finishImport } from '#db/queries/imports.ts';
import { runImportBatch, type BatchResult } from './batch.ts';

export function createImportActivities({ db }: { db: Db }) {
  return {
    /** Processes the next batch of staged lines in one transaction (see batch.ts). */
    async processImportBatch(input: { importId: string; batchRows: number; batchBytes: number }): Promise<BatchResult> {
      const r = await inTransaction(db, (tx) => runImportBatch(tx, input.importId, { limit: input.batchRows, maxBytes: input.batchBytes }));
      if (r === 'gone') throw ApplicationFailure.nonRetryable(`Import ${input.importId} no longer exists (its tenant or the import was deleted).`, 'ImportGone');
      return r;
    },
    /** Records the outcome and clears what is left in staging. Returns the final counts. */
    async finishImport(input: { importId: string; status: 'succeeded' | 'failed'; error?: string }) {
      const done = await finishImport(db.$client, input.importId, input);
      return done ? { status: done.status, counts: done.counts } : undefined;
    },
  };
}

export type ImportActivities = ReturnType<typeof createImportActivities>;
