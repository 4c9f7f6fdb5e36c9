// /customers/:id/messaging — the customer page's consent and message log cards load and save here (session cookie).
import { data } from 'react-router';
import { UserError } from '#core/errors.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { consentsFor, messageLogFor, putConsentsFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/customer-messaging';

const CHANNELS = ['email', 'whatsapp', 'sms', 'push'] as const;

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  try {
    const [consents, log] = await Promise.all([consentsFor(user.tenantId, params.id), messageLogFor(user.tenantId, params.id, { limit: 20 })]);
    return data(
      {
        consents: consents.consents.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })),
        messages: log.messages.map((m) => ({
          id: m.id,
          subject: m.subject,
          templateName: m.templateName,
          status: m.status,
          skipReason: m.skipReason,
          createdAt: m.createdAt.toISOString(),
          events: m.events.map((e) => ({ kind: e.kind, at: String(e.at) })),
        })),
        missing: false,
      },
      { headers: { 'Cache-Control': 'no-store' } },
    );
  } catch (err) {
    // A fetcher of a customer merged away meanwhile revalidates after the merge: answer "nothing" rather than a
    // thrown 404, which would replace the survivor's page with the error boundary.
    if (err instanceof UserError && err.status === 404) return data({ consents: [], messages: [], missing: true }, { headers: { 'Cache-Control': 'no-store' } });
    if (err instanceof UserError) throw new Response(err.message, { status: err.status });
    throw err;
  }
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const channel = String(form.get('channel'));
  const status = String(form.get('status'));
  if (!CHANNELS.includes(channel as (typeof CHANNELS)[number]) || (status !== 'granted' && status !== 'revoked')) return data({ ok: false }, { status: 400 });
  await putConsentsFor(user.tenantId, params.id, { consents: [{ channel: channel as (typeof CHANNELS)[number], status }], source: `admin:${user.email}` });
  return { ok: true };
}
