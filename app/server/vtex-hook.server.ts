// VTEX order hook endpoint: answers the setup ping, authenticates by the secret header the CDP chose, stores the
// notification (deduplicated) and wakes the connection's inbox workflow. VTEX wants 200 within 5 s, so nothing
// here waits for VTEX or for the order to be applied.
import { createHash, timingSafeEqual } from 'node:crypto';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { HOOK_SECRET_HEADER } from '#activities/connectors/vtex/status.activities.ts';
import { vtexHookNotification, vtexHookPing } from '#core/connectors/vtex.ts';
import type { Db } from '#db/client.ts';
import { loadConnection } from '#db/queries/connections.ts';
import { storeNotification } from '#db/queries/webhook-inbox.ts';
import { logger } from '#platform/logger.ts';
import type { Keyring } from '#platform/secrets.ts';
import { getTemporalClient } from '#platform/temporal.ts';
import { vtexInboxSignal, vtexInboxWorkflowId, type VtexInboxInput } from '#workflows/connectors/vtex.contract.ts';
import { TenantIdKey } from '#workflows/shared/search-attributes.ts';
import { TASK_QUEUES } from '#workflows/shared/task-queues.ts';
import { errorResponse, json, methodNotAllowed } from './http.server.ts';

const MAX_BODY = 64 * 1024;

export interface VtexHookDeps {
  db: Db;
  keyring: Keyring;
  /** Signals (or starts) the connection's inbox workflow. Must not throw: the notification is stored already. */
  wake(tenantId: string, connectionId: string): void;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
/** Constant-time comparison (of digests, so lengths never leak either). */
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export async function handleVtexHook(request: Request, connectionId: string, deps: VtexHookDeps): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY) return errorResponse('payload_too_large', `The body is larger than ${MAX_BODY} bytes.`);
  const text = await request.text();
  if (text.length > MAX_BODY) return errorResponse('payload_too_large', `The body is larger than ${MAX_BODY} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return errorResponse('invalid_json', 'The body is not valid JSON.');
  }
  // VTEX pings the URL when the hook is saved and refuses the configuration unless it gets 200.
  if (vtexHookPing.safeParse(body).success) return json({ ok: true });

  const c = /^[0-9a-f-]{36}$/i.test(connectionId) ? await loadConnection(deps.db.$client, deps.keyring, connectionId) : undefined;
  if (!c || c.kind !== 'vtex') return errorResponse('not_found', 'No VTEX hook here.');
  const secret = typeof c.credentials.hookSecret === 'string' ? c.credentials.hookSecret : undefined;
  const given = request.headers.get(HOOK_SECRET_HEADER);
  if (!secret || !given || !sameSecret(secret, given)) return errorResponse('unauthorized', `Missing or wrong ${HOOK_SECRET_HEADER} header.`);
  const parsed = vtexHookNotification.safeParse(body);
  if (!parsed.success)
    return errorResponse(
      'invalid_request',
      'Not a VTEX order notification.',
      parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  const n = parsed.data;
  const account = typeof c.config.account === 'string' ? c.config.account : undefined;
  if (n.Origin?.Account && account && n.Origin.Account.toLowerCase() !== account.toLowerCase())
    return errorResponse('forbidden', `The notification comes from account ${n.Origin.Account}, not from this connection's account.`);
  const fresh = await storeNotification(deps.db.$client, c.tenantId, c.id, {
    eventId: `${n.OrderId}|${n.State ?? ''}|${n.CurrentChange ?? ''}`,
    topic: 'order-status',
    resource: n.OrderId,
    payload: body as Record<string, unknown>,
  });
  if (fresh && c.status !== 'paused') deps.wake(c.tenantId, c.id);
  return json({ ok: true, duplicate: !fresh });
}

const inFlight = new Map<string, Promise<void>>();
const again = new Set<string>();

/**
 * Signal-with-start of the connection's inbox workflow, coalesced per connection (one RPC in flight plus one
 * trailing). A failure is logged, not thrown: the notification is stored, and the next scheduled sync sweeps it.
 */
export function wakeVtexInbox(tenantId: string, connectionId: string, taskQueue: string = TASK_QUEUES.connectors): void {
  if (inFlight.has(connectionId)) {
    again.add(connectionId);
    return;
  }
  const run = (async () => {
    try {
      const client = await getTemporalClient();
      await client.workflow.signalWithStart('vtexInboxWorkflow', {
        workflowId: vtexInboxWorkflowId(connectionId),
        taskQueue,
        args: [{ tenantId, connectionId } satisfies VtexInboxInput],
        signal: vtexInboxSignal,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: TenantIdKey, value: tenantId }],
      });
    } catch (err) {
      logger('temporal').warn({ err, connectionId }, 'could not wake the VTEX inbox workflow; the next sync applies the notification');
    } finally {
      inFlight.delete(connectionId);
      if (again.delete(connectionId)) wakeVtexInbox(tenantId, connectionId, taskQueue);
    }
  })();
  inFlight.set(connectionId, run);
}
