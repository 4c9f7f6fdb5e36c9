import { CancellationScope, continueAsNew, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ImportActivities } from '#activities/imports/imports.activities.ts';
import type { ImportCounts } from '#core/connectors/types.ts';
import { notifyIngest } from '../shared/notify-ingest.ts';
import { IMPORT_BATCH_BYTES, IMPORT_BATCH_ROWS, importProgressQuery, type ImportWorkflowInput, type ImportWorkflowProgress } from './import.contract.ts';

const acts = proxyActivities<ImportActivities>({
  startToCloseTimeout: '5 minutes',
  // A batch is one transaction: retried until the database is back, never half-applied.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, nonRetryableErrorTypes: ['ImportGone'] },
});

const DEFAULT_MAX_BATCHES_PER_RUN = 1000;

/**
 * Processes an uploaded file staged in import_lines, batch by batch. Each batch commits its records, its
 * counts and the removal of its lines together, so the staged lines are the durable cursor: a retry or a
 * replay after a crash resumes exactly where the last commit left off. Cancelling the workflow (Temporal UI)
 * ends the import as failed and clears its staged lines; what earlier batches wrote stays written.
 */
export async function importFileWorkflow(input: ImportWorkflowInput): Promise<ImportCounts | undefined> {
  const { tenantId, importId, batchRows = IMPORT_BATCH_ROWS, maxBatchesPerRun = DEFAULT_MAX_BATCHES_PER_RUN } = input;
  const progress: ImportWorkflowProgress = input.progress ?? { batches: 0, rows: 0, failed: 0 };
  setHandler(importProgressQuery, () => progress);
  let done = false;
  try {
    for (let i = 0; !done; i++) {
      // At least one batch per run, so a run always makes progress before continuing as new.
      if (i > 0 && (i >= maxBatchesPerRun || workflowInfo().continueAsNewSuggested)) break;
      const r = await acts.processImportBatch({ importId, batchRows, batchBytes: IMPORT_BATCH_BYTES });
      progress.batches++;
      progress.rows += r.rows;
      progress.failed += r.failed;
      if (r.profilesChanged) await notifyIngest(tenantId);
      done = r.done;
    }
    if (done) return (await acts.finishImport({ importId, status: 'succeeded' }))?.counts;
  } catch (err) {
    const error = isCancellation(err) ? 'Cancelled.' : `Processing failed: ${(err as Error).message}`;
    await CancellationScope.nonCancellable(() => acts.finishImport({ importId, status: 'failed', error }));
    throw err;
  }
  return continueAsNew<typeof importFileWorkflow>({ ...input, progress });
}
