// Settings page sections: the email provider (SMTP, with "send test") and the global frequency caps. They load and
// save through /settings/messaging, so the Settings page only places them.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useFetcher } from 'react-router';
import { SectionCard } from '#app/components/section-card.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { loader, action } from '#app/routes/app/messaging-settings.ts';

type Data = Awaited<ReturnType<typeof loader>>['data'];
type Result = Awaited<ReturnType<typeof action>>['data'];
const CHANNELS = ['email', 'whatsapp', 'sms', 'push'] as const;

function useMessagingSettings() {
  const load = useFetcher<Data>({ key: 'messaging-settings' });
  useEffect(() => {
    if (load.state === 'idle' && !load.data) void load.load('/settings/messaging');
  }, [load]);
  return load.data;
}

function Feedback({ result }: { result?: Result }) {
  const t = useT();
  if (!result) return null;
  if (result.outcome === 'emailSaved') return <Alert severity="success" sx={{ mb: 2 }}>{t('settings.email.saved')}</Alert>;
  if (result.outcome === 'capsSaved') return <Alert severity="success" sx={{ mb: 2 }}>{t('settings.caps.saved')}</Alert>;
  if (result.outcome === 'tested')
    return result.status === 'sent' ? (
      <Alert severity="success" sx={{ mb: 2 }} data-testid="email-test-result">{t('settings.email.testSent', { to: result.to })}</Alert>
    ) : (
      <Alert severity="error" sx={{ mb: 2 }} data-testid="email-test-result">{t('settings.email.testFailed', { reason: result.reason })}</Alert>
    );
  if (result.outcome === 'invalid') return <Alert severity="error" sx={{ mb: 2 }}>{result.fields.join(', ')}</Alert>;
  return <Alert severity="error" sx={{ mb: 2 }}>{result.message}</Alert>;
}

export function EmailSettingsSection() {
  const t = useT();
  const d = useMessagingSettings();
  const save = useFetcher<Result>();
  const test = useFetcher<Result>();
  if (!d) return null;
  const s = d.email.configured ? d.email.settings : undefined;
  return (
    <SectionCard title={t('settings.email.title')} id="email">
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {t('settings.email.subtitle')}
      </Typography>
      {!d.email.configured && <Alert severity={d.email.serverDefault ? 'info' : 'warning'} sx={{ mb: 2 }}>{t(d.email.serverDefault ? 'settings.email.serverDefault' : 'settings.email.notConfigured')}</Alert>}
      <Feedback result={save.data} />
      <save.Form method="post" action="/settings/messaging">
        <input type="hidden" name="intent" value="saveEmail" />
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr' } }}>
          <TextField name="host" label={t('settings.email.host')} defaultValue={s?.host ?? ''} required disabled={!d.canManage} />
          <TextField name="port" label={t('settings.email.port')} type="number" defaultValue={s?.port ?? 587} required disabled={!d.canManage} />
          <TextField name="user" label={t('settings.email.user')} defaultValue={s?.user ?? ''} disabled={!d.canManage} />
          <TextField name="password" label={t('settings.email.password')} type="password" autoComplete="new-password" helperText={s?.hasPassword ? t('settings.email.passwordStored') : ' '} disabled={!d.canManage} />
          <TextField name="from" label={t('settings.email.from')} defaultValue={s?.from ?? ''} required disabled={!d.canManage} />
          <TextField name="replyTo" label={t('settings.email.replyTo')} defaultValue={s?.replyTo ?? ''} disabled={!d.canManage} />
          <TextField name="unsubscribeMailto" label={t('settings.email.unsubscribeMailto')} defaultValue={s?.unsubscribeMailto ?? ''} disabled={!d.canManage} />
          <FormControlLabel control={<Checkbox name="secure" defaultChecked={s?.secure ?? false} disabled={!d.canManage} />} label={t('settings.email.secure')} />
        </Box>
        {d.canManage && (
          <Button type="submit" variant="contained" sx={{ mt: 2 }} disabled={save.state !== 'idle'}>
            {t('settings.email.save')}
          </Button>
        )}
      </save.Form>
      {d.canManage && (
        <Box sx={{ mt: 3 }}>
          <Feedback result={test.data} />
          {d.templates.length === 0 ? (
            <Typography color="text.secondary">{t('settings.email.noTemplate')}</Typography>
          ) : (
            <test.Form method="post" action="/settings/messaging">
              <input type="hidden" name="intent" value="sendTest" />
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
                <TextField select name="templateId" label={t('templates.column.name')} defaultValue={d.templates[0]!.id} sx={{ minWidth: 200 }}>
                  {d.templates.map((tpl) => (
                    <MenuItem key={tpl.id} value={tpl.id}>
                      {tpl.name}
                    </MenuItem>
                  ))}
                </TextField>
                <TextField name="to" type="email" label={t('settings.email.testTo')} required />
                <Button type="submit" variant="outlined" disabled={test.state !== 'idle'}>
                  {t('settings.email.sendTest')}
                </Button>
              </Stack>
            </test.Form>
          )}
        </Box>
      )}
    </SectionCard>
  );
}

interface CapRow {
  channel: (typeof CHANNELS)[number] | null;
  maxMessages: number;
  days: number;
}

export function FrequencyCapsSection() {
  const t = useT();
  const d = useMessagingSettings();
  const save = useFetcher<Result>();
  const [rows, setRows] = useState<CapRow[] | undefined>();
  useEffect(() => {
    if (d && !rows) setRows(d.caps.map((c) => ({ channel: c.channel, maxMessages: c.maxMessages, days: Math.round((c.windowSeconds / 86_400) * 100) / 100 })));
  }, [d, rows]);
  if (!d || !rows) return null;
  const set = (i: number, patch: Partial<CapRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const caps = rows.map((r) => ({ channel: r.channel, maxMessages: r.maxMessages, windowSeconds: Math.round(r.days * 86_400) }));
  return (
    <SectionCard title={t('settings.caps.title')} id="frequency-caps">
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {t('settings.caps.subtitle')}
      </Typography>
      <Feedback result={save.data} />
      {rows.length === 0 && <Typography sx={{ mb: 2 }}>{t('settings.caps.none')}</Typography>}
      <Stack spacing={2}>
        {rows.map((r, i) => (
          <Stack key={i} direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
            <TextField select label={t('settings.caps.channel')} value={r.channel ?? 'any'} onChange={(e) => set(i, { channel: e.target.value === 'any' ? null : (e.target.value as CapRow['channel']) })} sx={{ minWidth: 180 }} disabled={!d.canManage}>
              <MenuItem value="any">{t('settings.caps.anyChannel')}</MenuItem>
              {CHANNELS.map((c) => (
                <MenuItem key={c} value={c}>
                  {t(`messaging.channel.${c}`)}
                </MenuItem>
              ))}
            </TextField>
            <TextField type="number" label={t('settings.caps.max')} value={r.maxMessages} onChange={(e) => set(i, { maxMessages: Number(e.target.value) })} slotProps={{ htmlInput: { min: 1 } }} disabled={!d.canManage} />
            <TextField type="number" label={t('settings.caps.window')} value={r.days} onChange={(e) => set(i, { days: Number(e.target.value) })} slotProps={{ htmlInput: { min: 0.05, step: 'any' } }} disabled={!d.canManage} />
            {d.canManage && <Button onClick={() => setRows(rows.filter((_, j) => j !== i))}>{t('settings.caps.remove')}</Button>}
          </Stack>
        ))}
      </Stack>
      {d.canManage && (
        <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
          <Button onClick={() => setRows([...rows, { channel: 'email', maxMessages: 3, days: 7 }])}>{t('settings.caps.add')}</Button>
          <Button variant="contained" disabled={save.state !== 'idle'} onClick={() => void save.submit({ intent: 'saveCaps', caps: JSON.stringify(caps) }, { method: 'post', action: '/settings/messaging' })}>
            {t('settings.caps.save')}
          </Button>
        </Stack>
      )}
    </SectionCard>
  );
}
