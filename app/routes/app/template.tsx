// The template editor: fields, MJML + Liquid body, a live server-side preview in a sandboxed iframe (for sample data
// or a chosen customer), and test sends through the real SMTP path. `/templates/new` creates.
import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { data, redirect, useFetcher } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageTitle } from '#app/components/page-title.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { createTemplateFor, deleteTemplateFor, getTemplateFor, patchTemplateFor, previewContent, testSendFor } from '#app/server/messaging.server.ts';
import { createTemplateRequest, patchTemplateRequest } from '#core/messaging/api.ts';
import { UserError, type FieldError } from '#core/errors.ts';
import type { Route } from './+types/template';

const STARTER = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="20px">Hola {{ customer.firstName | default: "!" }}</mj-text>
        <mj-text>Elegimos estos productos para vos:</mj-text>
        {% for p in recommendations %}
        <mj-button href="{{ p.url }}">{{ p.name }} — {{ p.price }}</mj-button>
        {% endfor %}
        <mj-text font-size="11px" color="#888"><a href="{{ unsubscribe_url }}">Desuscribirme</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  if (params.id === 'new') return { template: null };
  try {
    const t = await getTemplateFor(user.tenantId, params.id);
    return { template: { id: t.id, name: t.name, channel: t.channel, category: t.category, subject: t.subject, preheader: t.preheader, body: t.body, archived: t.archivedAt !== null } };
  } catch (err) {
    if (err instanceof UserError) throw new Response('Not found', { status: 404 });
    throw err;
  }
}

type Outcome =
  | { outcome: 'saved' }
  | { outcome: 'errors'; message: string; details: FieldError[] }
  | { outcome: 'preview'; subject: string; html: string; text: string }
  | { outcome: 'tested'; status: string; reason: string; to: string }
  | { outcome: 'archived' };

const fields = (form: FormData) => ({
  name: String(form.get('name') ?? ''),
  channel: String(form.get('channel') ?? 'email'),
  category: String(form.get('category') ?? 'marketing'),
  subject: String(form.get('subject') ?? ''),
  preheader: String(form.get('preheader') ?? '') || null,
  body: String(form.get('body') ?? ''),
});

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get('intent');
  try {
    if (intent === 'save') {
      const f = fields(form);
      if (params.id === 'new') {
        const parsed = createTemplateRequest.safeParse(f);
        if (!parsed.success) return data<Outcome>({ outcome: 'errors', message: parsed.error.issues[0]!.message, details: parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message })) }, { status: 400 });
        const created = await createTemplateFor(user.tenantId, parsed.data);
        return redirect(`/templates/${created.id}`);
      }
      const { channel: _channel, ...rest } = f;
      const parsed = patchTemplateRequest.parse(rest);
      await patchTemplateFor(user.tenantId, params.id, parsed);
      return data<Outcome>({ outcome: 'saved' });
    }
    if (intent === 'preview') {
      const f = fields(form);
      const r = await previewContent(user.tenantId, { channel: f.channel as 'email', subject: f.subject, preheader: f.preheader, body: f.body }, { customerId: String(form.get('customerId') ?? '').trim() || undefined });
      return data<Outcome>({ outcome: 'preview', ...r });
    }
    if (intent === 'test') {
      const to = String(form.get('to') ?? '').trim();
      const r = await testSendFor(user.tenantId, params.id, { to, customerId: String(form.get('customerId') ?? '').trim() || undefined }, `user:${user.id}`);
      return data<Outcome>({ outcome: 'tested', status: r.status, reason: ('error' in r && r.error) || r.reason || '', to });
    }
    if (intent === 'delete') {
      const r = await deleteTemplateFor(user.tenantId, params.id);
      if (r.deleted) return redirect('/templates');
      return data<Outcome>({ outcome: 'archived' });
    }
  } catch (err) {
    if (err instanceof UserError) return data<Outcome>({ outcome: 'errors', message: err.message, details: err.details ?? [] }, { status: err.status });
    throw err;
  }
  return data<Outcome>({ outcome: 'errors', message: 'Unknown action.', details: [] }, { status: 400 });
}

function Errors({ result }: { result: Outcome | undefined }) {
  const t = useT();
  if (result?.outcome !== 'errors') return null;
  return (
    <Alert severity="error" sx={{ mb: 2 }} data-testid="template-errors">
      <strong>{t('templates.editor.errors')}</strong>: {result.message}
      {result.details.length > 1 && (
        <ul>
          {result.details.map((d, i) => (
            <li key={i}>
              {d.path}
              {d.line ? ` (${t('templates.editor.line', { line: d.line })})` : ''}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

export default function TemplatePage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const tpl = loaderData.template;
  const formRef = useRef<HTMLFormElement>(null);
  const preview = useFetcher<Outcome>();
  const test = useFetcher<Outcome>();
  const [customerId, setCustomerId] = useState('');
  const refresh = () => {
    if (!formRef.current) return;
    const fd = new FormData(formRef.current);
    fd.set('intent', 'preview');
    fd.set('customerId', customerId);
    void preview.submit(fd, { method: 'post' });
  };
  // Preview on open, and shortly after each edit.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const schedule = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(refresh, 600);
  };
  useEffect(() => refresh(), [customerId]);
  const shown = preview.data?.outcome === 'preview' ? preview.data : undefined;
  const result = actionData as Outcome | undefined;
  return (
    <>
      <PageTitle title={tpl?.name ?? t('templates.editor.newTitle')} />
      <Button href="/templates" startIcon={<ArrowBack />} size="small" sx={{ mb: 1, ml: -1 }}>
        {t('templates.editor.back')}
      </Button>
      <Typography variant="h4" component="h1" sx={{ mb: 2 }}>
        {tpl?.name ?? t('templates.editor.newTitle')}
      </Typography>
      {result?.outcome === 'saved' && <Alert severity="success" sx={{ mb: 2 }}>{t('templates.editor.saved')}</Alert>}
      {(result?.outcome === 'archived' || tpl?.archived) && <Alert severity="info" sx={{ mb: 2 }}>{t('templates.editor.archivedNotice')}</Alert>}
      <Errors result={result} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
        <Paper sx={{ p: 2 }}>
          <form method="post" ref={formRef} onChange={schedule}>
            <Stack spacing={2}>
              <TextField name="name" label={t('templates.editor.name')} defaultValue={tpl?.name ?? ''} required />
              <Stack direction="row" spacing={2}>
                <TextField select name="channel" label={t('templates.editor.channel')} defaultValue={tpl?.channel ?? 'email'} disabled={Boolean(tpl)} sx={{ flex: 1 }}>
                  {(['email', 'whatsapp', 'sms', 'push'] as const).map((c) => (
                    <MenuItem key={c} value={c}>
                      {t(`messaging.channel.${c}`)}
                    </MenuItem>
                  ))}
                </TextField>
                {tpl && <input type="hidden" name="channel" value={tpl.channel} />}
                <TextField select name="category" label={t('templates.editor.category')} defaultValue={tpl?.category ?? 'marketing'} sx={{ flex: 1 }}>
                  <MenuItem value="marketing">{t('templates.category.marketing')}</MenuItem>
                  <MenuItem value="transactional">{t('templates.category.transactional')}</MenuItem>
                </TextField>
              </Stack>
              <TextField name="subject" label={t('templates.editor.subject')} defaultValue={tpl?.subject ?? ''} slotProps={{ htmlInput: { 'data-testid': 'template-subject' } }} />
              <TextField name="preheader" label={t('templates.editor.preheader')} helperText={t('templates.editor.preheaderHelp')} defaultValue={tpl?.preheader ?? ''} />
              <TextField
                name="body"
                label={t('templates.editor.body')}
                helperText={t('templates.editor.bodyHelp')}
                defaultValue={tpl?.body ?? STARTER}
                multiline
                minRows={16}
                required
                slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'ui-monospace, monospace', fontSize: 13 }, 'data-testid': 'template-body' } }}
              />
              <Stack direction="row" spacing={2}>
                <Button type="submit" name="intent" value="save" variant="contained">
                  {t('templates.editor.save')}
                </Button>
                {tpl && (
                  <Button type="submit" name="intent" value="delete" color="error" formNoValidate>
                    {t('templates.editor.delete')}
                  </Button>
                )}
              </Stack>
            </Stack>
          </form>
        </Paper>
        <Paper sx={{ p: 2 }}>
          <Stack direction="row" spacing={2} sx={{ mb: 2, alignItems: 'center' }}>
            <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
              {t('templates.editor.preview')}
            </Typography>
            <Button onClick={refresh} size="small">
              {t('templates.editor.refresh')}
            </Button>
          </Stack>
          <TextField label={t('templates.editor.previewCustomer')} value={customerId} onChange={(e) => setCustomerId(e.target.value.trim())} fullWidth size="small" sx={{ mb: 2 }} />
          <Errors result={preview.data} />
          {shown && (
            <>
              <Typography sx={{ mb: 1 }} data-testid="preview-subject">
                {t('templates.editor.previewSubject', { subject: shown.subject })}
              </Typography>
              {/* sandbox="": no scripts, no same-origin access, no navigation of the app. */}
              <Box component="iframe" title={t('templates.editor.preview')} sandbox="" srcDoc={shown.html} data-testid="preview-frame" sx={{ width: '100%', height: 560, border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: '#fff' }} />
            </>
          )}
          {tpl ? (
            <test.Form method="post">
              <input type="hidden" name="intent" value="test" />
              <input type="hidden" name="customerId" value={customerId} />
              <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
                <TextField name="to" type="email" label={t('templates.editor.testTo')} required size="small" sx={{ flex: 1 }} />
                <Button type="submit" variant="outlined" disabled={test.state !== 'idle'}>
                  {t('templates.editor.testSend')}
                </Button>
              </Stack>
              {test.data?.outcome === 'tested' &&
                (test.data.status === 'sent' ? (
                  <Alert severity="success" sx={{ mt: 2 }}>{t('templates.editor.testSent', { to: test.data.to })}</Alert>
                ) : (
                  <Alert severity="error" sx={{ mt: 2 }}>{t('templates.editor.testFailed', { reason: test.data.reason })}</Alert>
                ))}
              <Errors result={test.data} />
            </test.Form>
          ) : (
            <Typography color="text.secondary" sx={{ mt: 2 }}>
              {t('templates.editor.saveFirst')}
            </Typography>
          )}
        </Paper>
      </Box>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
