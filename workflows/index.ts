// The only module workers register: every workflow type the product runs.
export { ingestWorkflow } from './ingest/ingest.workflow.ts';
export { identityResolutionWorkflow, mergeCustomersWorkflow, unmergeCustomerWorkflow } from './identity/identity.workflow.ts';
export { connectionSyncWorkflow } from './connectors/sync.workflow.ts';
export { importFileWorkflow } from './imports/import.workflow.ts';
