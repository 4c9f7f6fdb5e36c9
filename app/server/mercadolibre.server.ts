// MercadoLibre in the web app: the OAuth authorization-code flow (connect → ML → callback) and the notification
// endpoint, which stores each notification and answers at once; a workflow fetches the orders afterwards.
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { redirect } from 'react-router';
import { exchangeCode, MercadoLibreGrantError } from '#activities/connectors/mercadolibre/oauth.ts';
import { mercadolibreConfig, mercadolibreCredentials } from '#core/connectors/config.ts';
import { mlNotification, notificationEventId } from '#core/connectors/mercadolibre.ts';
import { getConnection, loadConnection, updateConnection } from '#db/queries/connections.ts';
import { consumeOAuthState, createOAuthState, findSellerConnections } from '#db/queries/mercadolibre.ts';
import { enqueueNotifications } from '#db/queries/webhook-inbox.ts';
import { randomToken } from '#platform/crypto.ts';
import { env } from '#platform/env.ts';
import { logger } from '#platform/logger.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { inboxSignal, mercadolibreInboxWorkflowId } from '#workflows/connectors/mercadolibre.contract.ts';
import type { mercadolibreInboxWorkflow } from '#workflows/connectors/mercadolibre.workflow.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { requireUser } from './auth.server.ts';
import { getDb } from './db.server.ts';
import { errorResponse, json } from './http.server.ts';

const log = logger('mercadolibre');
const MAX_NOTIFICATION_BYTES = 64 * 1024;

/** An authorization must come back within this long; the state is single-use either way. */
export const OAUTH_STATE_MAX_AGE_MS = 10 * 60_000;

/** Outcome of the connect flow, as `?mercadolibre=<result>` on the connection page (strings in i18n/areas/mercadolibre.ts). */
export type ConnectResult = 'connected' | 'denied' | 'expired' | 'invalid-state' | 'failed' | 'unreachable' | 'other-seller' | 'invalid-config';

const canManageConnections = (role: string) => role === 'owner' || role === 'admin';

/** The redirect URI registered in the MercadoLibre application: PUBLIC_URL when set (behind a proxy), else this origin. */
export function mercadolibreRedirectUri(request: Request): string {
  return `${(env().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, '')}/oauth/mercadolibre/callback`;
}

/** The URL MercadoLibre should POST notifications to (configured in the application, not via API). */
export function mercadolibreNotificationsUrl(request: Request): string {
  return `${(env().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, '')}/webhooks/mercadolibre`;
}

const connectionPage = (connectionId: string, result: ConnectResult, extra: Record<string, string> = {}) =>
  redirect(`/connections/${connectionId}?${new URLSearchParams({ mercadolibre: result, ...extra })}`);

/** GET /connections/:id/mercadolibre/connect — sends the signed-in admin to MercadoLibre to authorize the CDP. */
export async function startMercadoLibreConnect(request: Request, connectionId: string): Promise<Response> {
  const user = await requireUser(request);
  if (!canManageConnections(user.role)) throw new Response('Only owners and admins can connect accounts.', { status: 403 });
  const db = getDb();
  const c = await getConnection(db.$client, user.tenantId, connectionId);
  if (!c || c.kind !== 'mercadolibre') throw new Response('Connection not found.', { status: 404 });
  const config = mercadolibreConfig.safeParse(c.config);
  if (!config.success) return connectionPage(c.id, 'invalid-config');
  const state = randomToken();
  await createOAuthState(db.$client, { state, tenantId: user.tenantId, connectionId: c.id });
  const url = new URL('/authorization', config.data.authBaseUrl);
  url.search = new URLSearchParams({ response_type: 'code', client_id: config.data.clientId, redirect_uri: mercadolibreRedirectUri(request), state }).toString();
  return redirect(url.toString());
}

/**
 * GET /oauth/mercadolibre/callback — MercadoLibre sends the admin back with `code` and `state`. The state must be
 * one this workspace issued (single use, at most 10 minutes old); the code is exchanged for tokens, which are
 * stored encrypted, and the seller who authorized becomes the connection's seller.
 */
export async function finishMercadoLibreConnect(request: Request): Promise<Response> {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const state = params.get('state');
  const db = getDb();
  const s = state ? await consumeOAuthState(db.$client, state) : undefined;
  if (!s || s.tenantId !== user.tenantId) return redirect(`/connections?mercadolibre=${'invalid-state' satisfies ConnectResult}`);
  if (s.ageMs > OAUTH_STATE_MAX_AGE_MS) return connectionPage(s.connectionId, 'expired');
  if (params.get('error')) return connectionPage(s.connectionId, 'denied');
  const code = params.get('code');
  if (!code) return connectionPage(s.connectionId, 'invalid-state');

  const ring = credentialsKeyring();
  const c = await loadConnection(db.$client, ring, s.connectionId);
  if (!c || c.kind !== 'mercadolibre') return redirect(`/connections?mercadolibre=${'invalid-state' satisfies ConnectResult}`);
  const config = mercadolibreConfig.safeParse(c.config);
  const credentials = mercadolibreCredentials.safeParse(c.credentials);
  if (!config.success || !credentials.success) return connectionPage(c.id, 'invalid-config');

  let tokens;
  try {
    tokens = await exchangeCode({
      apiBaseUrl: config.data.apiBaseUrl,
      clientId: config.data.clientId,
      clientSecret: credentials.data.clientSecret,
      code,
      redirectUri: mercadolibreRedirectUri(request),
    });
  } catch (err) {
    if (err instanceof MercadoLibreGrantError) {
      log.warn({ connectionId: c.id, error: err.error }, 'MercadoLibre refused the authorization code');
      return connectionPage(c.id, 'failed', { reason: err.error });
    }
    if (err instanceof ApplicationFailure) {
      log.warn({ connectionId: c.id, err: err.message }, 'MercadoLibre token endpoint unreachable');
      return connectionPage(c.id, 'unreachable');
    }
    throw err;
  }
  // One connection, one seller: its orders and cursor belong to that seller.
  if (config.data.sellerId && config.data.sellerId !== tokens.userId) return connectionPage(c.id, 'other-seller', { seller: tokens.userId, expected: config.data.sellerId });

  await updateConnection(db, ring, user.tenantId, c.id, {
    config: { ...c.config, sellerId: tokens.userId },
    credentials: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt },
    // Reconnecting is how an `error` connection (refresh token refused) recovers.
    ...(c.status === 'error' ? { status: 'active' as const } : {}),
  });
  log.info({ connectionId: c.id, sellerId: tokens.userId }, 'MercadoLibre connected');
  return connectionPage(c.id, 'connected');
}

/** Wakes (or starts) the connection's inbox drain. Not awaited by the route: ML must get its 200 at once. */
function wakeInboxDrain(tenantId: string, connectionId: string): void {
  void (async () => {
    try {
      const client = await getTemporalClient();
      await client.workflow.signalWithStart<typeof mercadolibreInboxWorkflow>('mercadolibreInboxWorkflow', {
        workflowId: mercadolibreInboxWorkflowId(connectionId),
        taskQueue: TASK_QUEUES.connectors,
        args: [{ tenantId, connectionId }],
        signal: inboxSignal,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
      });
    } catch (err) {
      // Stored already: the connection's next scheduled sync drains the inbox.
      log.warn({ err, connectionId }, 'could not wake the MercadoLibre inbox drain; the next sync processes the notification');
    }
  })();
}

/**
 * POST /webhooks/mercadolibre — ML's notifications. Stored in the inbox (deduplicated per resource) and answered
 * 200 right away: ML retries slow answers and may disable the topic. Unknown sellers get 200 too, for the same
 * reason. Nothing here calls MercadoLibre.
 */
export async function receiveMercadoLibreNotification(request: Request): Promise<Response> {
  // Read as JSON whatever the Content-Type says: a 415 here would make ML retry and, in the end, disable the topic.
  const tooBig = () => errorResponse('payload_too_large', `A notification is at most ${MAX_NOTIFICATION_BYTES} bytes.`);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_NOTIFICATION_BYTES) return tooBig();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_NOTIFICATION_BYTES) return tooBig();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return errorResponse('invalid_json', 'The body is not JSON.');
  }
  const n = mlNotification.safeParse(body);
  if (!n.success)
    return errorResponse(
      'invalid_request',
      'Not a MercadoLibre notification.',
      n.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  const { data } = n;
  if (data.topic !== 'orders_v2') {
    log.debug({ topic: data.topic }, 'MercadoLibre notification of a topic the CDP does not use');
    return json({ ok: true, stored: 0 });
  }
  const db = getDb();
  const targets = (await findSellerConnections(db.$client, data.user_id, data.application_id)).filter((c) => c.status !== 'paused');
  if (!targets.length) {
    log.info({ sellerId: data.user_id, applicationId: data.application_id }, 'MercadoLibre notification for no connected seller; ignored');
    return json({ ok: true, stored: 0 });
  }
  const stored = await enqueueNotifications(
    db.$client,
    targets.map((c) => ({ tenantId: c.tenantId, connectionId: c.id, eventId: notificationEventId(data), topic: data.topic, resource: data.resource, payload: data })),
  );
  // A connection whose token was refused waits for a reconnect; its next sync drains the inbox.
  for (const c of targets) if (c.status === 'active') wakeInboxDrain(c.tenantId, c.id);
  return json({ ok: true, stored });
}
