// The only module workers register: every workflow type the product runs.
export { ingestWorkflow } from './ingest/ingest.workflow.ts';
export { identityResolutionWorkflow, mergeCustomersWorkflow, unmergeCustomerWorkflow } from './identity/identity.workflow.ts';
export { connectionSyncWorkflow, scheduledSyncWorkflow } from './connectors/sync.workflow.ts';
export { mercadolibreInboxWorkflow, mercadolibreSyncWorkflow } from './connectors/mercadolibre.workflow.ts';
export { vtexSyncWorkflow } from './connectors/vtex.workflow.ts';
export { vtexConfigureHookWorkflow, vtexInboxWorkflow } from './connectors/vtex-hook.workflow.ts';
export { vtexWriteBackWorkflow } from './connectors/vtex-write-back.workflow.ts';
export { importFileWorkflow } from './imports/import.workflow.ts';
export { nightlyScoringWorkflow } from './scoring/scoring.workflow.ts';
export { activationWorkflow } from './activation/activation.workflow.ts';
export { journeyRunWorkflow } from './journeys/journey.workflow.ts';
export { journeyControlWorkflow } from './journeys/control.workflow.ts';
export { journeyBatchEntryWorkflow, journeyDateEntriesWorkflow } from './journeys/entries.workflow.ts';
export { segmentRecomputeWorkflow } from './segments/segments.workflow.ts';
export { experimentWorkflow } from './experiments/experiment.workflow.ts';
