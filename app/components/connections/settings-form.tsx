import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useFetcher } from 'react-router';
import type { ConnectionView } from '#core/api/connections.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import { SectionCard } from '../section-card.tsx';
import { credentialFields, Field, fieldTestId, IntervalField } from './connection-fields.tsx';
import { settingsFetcherKey, type ConnectionActionResult } from './connection-result.ts';

/** Name, interval and (write-only) credentials. Blank credential inputs keep what is stored. */
export function SettingsForm({ connection: c }: { connection: ConnectionView }) {
  const t = useT();
  const fetcher = useFetcher<ConnectionActionResult>({ key: settingsFetcherKey(c.id) });
  const busy = fetcher.state !== 'idle';
  const result = fetcher.data;
  const invalid = result?.outcome === 'invalid' || result?.outcome === 'error' ? result.fields : [];
  const creds = credentialFields[c.kind];
  return (
    <SectionCard title={t('connections.settings.title')}>
      {result?.outcome === 'saved' ? (
        <Alert severity="success" sx={{ mb: 2 }} data-testid="settings-saved">
          {t('connections.settings.saved')}
        </Alert>
      ) : null}
      {result?.outcome === 'invalid' || result?.outcome === 'error' ? (
        <Alert severity="error" role="alert" sx={{ mb: 2 }} data-testid="settings-error">
          {result.outcome === 'invalid'
            ? t('connections.new.invalid')
            : result.code === 'conflict'
              ? t('connections.error.nameTaken')
              : result.code === 'unavailable'
                ? t('connections.error.unavailable')
                : result.message}
        </Alert>
      ) : null}
      {/* Keyed on the saved state: after a save, the write-only inputs start blank again. */}
      <fetcher.Form method="post" noValidate key={c.updatedAt}>
        <input type="hidden" name="intent" value="update" />
        <Stack spacing={2}>
          <TextField
            name="name"
            label={t('connections.field.name')}
            defaultValue={c.name}
            error={invalid.includes('name')}
            helperText={invalid.includes('name') ? t('connections.field.name.error') : undefined}
            fullWidth
            slotProps={{ htmlInput: { maxLength: 100, 'data-testid': fieldTestId('name') } }}
          />
          {c.schedule ? <IntervalField defaultValue={c.syncIntervalMinutes} invalid={invalid.includes('syncIntervalMinutes')} /> : null}
          {creds.length ? (
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                {t('connections.settings.credentials')}
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
                {t('connections.settings.credentialsHelp')}
              </Typography>
              <Stack spacing={2}>
                {creds.map((def) => (
                  <Field key={def.name} def={{ ...def, type: 'password', defaultValue: undefined, placeholder: undefined }} invalid={invalid.includes(def.name)} writeOnly />
                ))}
              </Stack>
            </Box>
          ) : null}
          <Box>
            <Button type="submit" variant="contained" disabled={busy} data-testid="save-settings">
              {busy ? t('connections.settings.saving') : t('connections.settings.save')}
            </Button>
          </Box>
        </Stack>
      </fetcher.Form>
    </SectionCard>
  );
}
