// /settings/messaging — the Settings page's email provider and frequency cap sections load and save here
// (session cookie; owners and admins change them).
import { data } from 'react-router';
import { emailSettingsRequest, frequencyCapsRequest } from '#core/messaging/api.ts';
import { UserError } from '#core/errors.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { emailSettingsFor, frequencyCapsFor, listTemplatesFor, putEmailSettingsFor, putFrequencyCapsFor, testSendFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/messaging-settings';

const NO_STORE = { 'Cache-Control': 'no-store' };
const canManage = (role: string) => role === 'owner' || role === 'admin';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const [email, caps, templates] = await Promise.all([emailSettingsFor(user.tenantId), frequencyCapsFor(user.tenantId), listTemplatesFor(user.tenantId, { channel: 'email' })]);
  return data({ email, caps: caps.caps, templates: templates.map((t) => ({ id: t.id, name: t.name })), canManage: canManage(user.role) }, { headers: NO_STORE });
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  if (!canManage(user.role)) return data({ outcome: 'error' as const, message: 'forbidden' }, { status: 403 });
  const form = await request.formData();
  const intent = form.get('intent');
  try {
    if (intent === 'saveEmail') {
      const parsed = emailSettingsRequest.safeParse({
        host: text(form, 'host'),
        port: text(form, 'port') || 587,
        secure: form.get('secure') === 'on',
        user: text(form, 'user') || null,
        password: text(form, 'password') || undefined,
        from: text(form, 'from'),
        replyTo: text(form, 'replyTo') || null,
        unsubscribeMailto: text(form, 'unsubscribeMailto') || null,
      });
      if (!parsed.success) return data({ outcome: 'invalid' as const, fields: parsed.error.issues.map((i) => String(i.path[0])) }, { status: 400 });
      await putEmailSettingsFor(user.tenantId, parsed.data);
      return data({ outcome: 'emailSaved' as const }, { headers: NO_STORE });
    }
    if (intent === 'sendTest') {
      const r = await testSendFor(user.tenantId, text(form, 'templateId'), { to: text(form, 'to') }, `user:${user.id}`);
      return data({ outcome: 'tested' as const, status: r.status, reason: ('error' in r && r.error) || r.reason || '', to: text(form, 'to') }, { headers: NO_STORE });
    }
    if (intent === 'saveCaps') {
      const caps = JSON.parse(text(form, 'caps') || '[]') as unknown;
      const parsed = frequencyCapsRequest.safeParse({ caps });
      if (!parsed.success) return data({ outcome: 'invalid' as const, fields: ['caps'] }, { status: 400 });
      await putFrequencyCapsFor(user.tenantId, parsed.data.caps);
      return data({ outcome: 'capsSaved' as const }, { headers: NO_STORE });
    }
  } catch (err) {
    if (err instanceof UserError) return data({ outcome: 'error' as const, message: err.message }, { status: err.status });
    if (err instanceof SyntaxError) return data({ outcome: 'invalid' as const, fields: ['caps'] }, { status: 400 });
    throw err;
  }
  return data({ outcome: 'error' as const, message: 'unknown intent' }, { status: 400 });
}
