import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Alert from '@mui/material/Alert';
import { useState } from 'react';
import type { MetricType } from '#core/experiments/definition.ts';
import { useT } from '#app/i18n/i18n-context.tsx';

export const METRIC_TYPES: MetricType[] = ['conversion', 'revenue_per_customer', 'average_order_value', 'email_open_rate', 'email_click_rate'];

export interface PageError {
  message: string;
  details?: { path: string; message: string }[];
}

/** Define a metric: what it counts and over which window after exposure. `onCreate` posts it (page action). */
export function MetricDialog({ open, onClose, onCreate, busy, error }: { open: boolean; onClose: () => void; onCreate: (metric: unknown) => void; busy: boolean; error?: PageError | undefined }) {
  const t = useT();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<MetricType>('conversion');
  const [source, setSource] = useState<'order' | 'event'>('order');
  const [event, setEvent] = useState('');
  const [windowHours, setWindowHours] = useState('168');
  const [higherIsBetter, setHigher] = useState(true);
  const fieldError = (path: string) => error?.details?.find((d) => d.path === path || d.path.startsWith(`${path}.`))?.message;
  const submit = () =>
    onCreate({
      key,
      name,
      higherIsBetter,
      definition:
        type === 'conversion'
          ? { type, windowHours: Number(windowHours), source: source === 'order' ? { kind: 'order' } : { kind: 'event', match: { event } } }
          : { type, windowHours: Number(windowHours) },
    });
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('experiments.form.newMetric')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {error && !error.details?.length ? <Alert severity="error">{error.message}</Alert> : null}
          <TextField label={t('experiments.metric.name')} value={name} onChange={(e) => setName(e.target.value)} error={Boolean(fieldError('name'))} helperText={fieldError('name')} slotProps={{ htmlInput: { 'data-testid': 'metric-name' } }} />
          <TextField label={t('experiments.metric.key')} value={key} onChange={(e) => setKey(e.target.value)} error={Boolean(fieldError('key'))} helperText={fieldError('key')} slotProps={{ htmlInput: { 'data-testid': 'metric-key' } }} />
          <TextField select label={t('experiments.metric.type')} value={type} onChange={(e) => setType(e.target.value as MetricType)}>
            {METRIC_TYPES.map((m) => (
              <MenuItem key={m} value={m}>
                {t(`experiments.metric.type.${m}`)}
              </MenuItem>
            ))}
          </TextField>
          {type === 'conversion' ? (
            <>
              <TextField select label={t('experiments.metric.source')} value={source} onChange={(e) => setSource(e.target.value as 'order' | 'event')}>
                <MenuItem value="order">{t('experiments.metric.source.order')}</MenuItem>
                <MenuItem value="event">{t('experiments.metric.source.event')}</MenuItem>
              </TextField>
              {source === 'event' ? (
                <TextField label={t('experiments.metric.event')} value={event} onChange={(e) => setEvent(e.target.value)} error={Boolean(fieldError('definition.source'))} helperText={fieldError('definition.source')} />
              ) : null}
            </>
          ) : null}
          <TextField type="number" label={t('experiments.metric.window')} value={windowHours} onChange={(e) => setWindowHours(e.target.value)} error={Boolean(fieldError('definition.windowHours'))} helperText={fieldError('definition.windowHours')} />
          <FormControlLabel control={<Checkbox checked={higherIsBetter} onChange={(e) => setHigher(e.target.checked)} />} label={t('experiments.metric.higherIsBetter')} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('experiments.form.cancel')}</Button>
        <Button variant="contained" onClick={submit} disabled={busy} data-testid="metric-create">
          {t('experiments.metric.create')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
