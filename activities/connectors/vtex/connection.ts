// Opens a VTEX connection for an activity: config and decrypted credentials, validated, or a clear failure.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { vtexConfig, vtexCredentials, type VtexConfig, type VtexCredentials } from '#core/connectors/config.ts';
import type { Db } from '#db/client.ts';
import { loadConnection } from '#db/queries/connections.ts';
import { credentialsKeyring, type Keyring } from '#platform/secrets.ts';
import { FAILURE } from '#workflows/connectors/sync.contract.ts';
import { vtexClient, type VtexClient } from './client.ts';

export interface VtexDeps {
  db: Db;
  keyring?: Keyring;
}

export interface OpenVtex {
  tenantId: string;
  connectionId: string;
  config: VtexConfig;
  credentials: VtexCredentials;
  client: VtexClient;
}

export async function openVtex(deps: VtexDeps, input: { tenantId: string; connectionId: string }): Promise<OpenVtex> {
  const c = await loadConnection(deps.db.$client, deps.keyring ?? credentialsKeyring(), input.connectionId);
  if (!c || c.tenantId !== input.tenantId || c.kind !== 'vtex') throw ApplicationFailure.nonRetryable(`The VTEX connection ${input.connectionId} no longer exists.`, FAILURE.gone);
  if (c.status === 'paused') throw ApplicationFailure.nonRetryable('The connection was paused while the sync was running.', FAILURE.gone);
  const config = vtexConfig.safeParse(c.config);
  if (!config.success) throw ApplicationFailure.nonRetryable(`The connection's settings are invalid: ${config.error.issues[0]?.path.join('.')}: ${config.error.issues[0]?.message}`, FAILURE.rejected);
  const credentials = vtexCredentials.safeParse(c.credentials);
  // Missing keys are a credentials problem: the connection goes to `error` like a 401 would put it.
  if (!credentials.success) throw ApplicationFailure.nonRetryable('The connection has no valid VTEX app key and token: set them and sync again.', FAILURE.auth);
  return { tenantId: c.tenantId, connectionId: c.id, config: config.data, credentials: credentials.data, client: vtexClient(config.data, credentials.data) };
}

/** The attempt number of the running activity (1 outside Temporal). */
export function attempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export function heartbeat(details?: unknown) {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity
  }
}

/** ISO timestamp of now; activities may read the clock, workflows and core may not. */
export const nowIso = () => new Date().toISOString();
