// What the connection page's actions answer (shared by the route module and its components).
export type ConnectionIntent = 'check' | 'sync' | 'pause' | 'resume' | 'update' | 'delete';

export type ConnectionActionResult =
  | { outcome: 'checked'; ok: boolean; message: string }
  | { outcome: 'syncStarted'; workflowId: string; runId: string; temporalUiUrl: string; alreadyRunning: boolean }
  | { outcome: 'paused' | 'resumed' | 'saved' }
  | { outcome: 'invalid'; fields: string[] }
  | { outcome: 'error'; intent: ConnectionIntent | null; code: string; message: string; fields: string[] };

/** Fetcher keys: the buttons share one, the settings form has its own. */
export const actionsFetcherKey = (id: string) => `connection-actions:${id}`;
export const settingsFetcherKey = (id: string) => `connection-settings:${id}`;
