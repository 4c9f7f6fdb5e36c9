/** Task queues. A worker process polls all of them unless WORKER_TASK_QUEUES narrows it. */
export const TASK_QUEUES = {
  /** Ingest and identity: turning raw profiles and identify events into customers. */
  ingest: 'cdp-ingest',
  /** Full re-resolution, manual merges and unmerges. */
  identity: 'cdp-identity',
  /** Connector syncs (VTEX, MercadoLibre), write-backs and file imports: bound by outside APIs, kept apart. */
  connectors: 'cdp-connectors',
  /** Nightly scoring: long, CPU- and database-heavy runs, kept from delaying ingest or syncs. */
  scoring: 'cdp-scoring',
  /** Activation: segment refresh, journey dispatch, per-customer journey runs and message sends. */
  journeys: 'cdp-journeys',
} as const;

export type TaskQueue = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
export const allTaskQueues: TaskQueue[] = Object.values(TASK_QUEUES);
