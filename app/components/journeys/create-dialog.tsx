import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import { useState } from 'react';
import { useFetcher } from 'react-router';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

export interface TemplateOption {
  id: string;
  messages: string[];
  segments: string[];
  messageNames: string[];
  segmentNames: string[];
}

/** New journey: a name and a starting point (blank or one of the ready-made journeys). */
export function CreateJourneyDialog({ open, onClose, templates }: { open: boolean; onClose: () => void; templates: TemplateOption[] }) {
  const t = useT();
  const fetcher = useFetcher<{ ok: false; error: 'nameTaken' | 'invalid' }>();
  const [start, setStart] = useState('blank');
  const busy = fetcher.state !== 'idle';
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return (
    <Dialog open={open} onClose={onClose} maxWidth="sm" fullWidth>
      <fetcher.Form method="post" data-testid="create-journey-form">
        <input type="hidden" name="intent" value="create" />
        <DialogTitle>{t('journeys.create.title')}</DialogTitle>
        <DialogContent>
          {error ? (
            <Alert severity="error" sx={{ mb: 2 }} data-testid="create-journey-error">
              {t(error === 'nameTaken' ? 'journeys.create.nameTaken' : 'journeys.create.invalid')}
            </Alert>
          ) : null}
          <TextField name="name" label={t('journeys.create.name')} required fullWidth autoFocus margin="dense" slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'create-journey-name' } }} />
          <FormLabel sx={{ display: 'block', mt: 2 }}>{t('journeys.create.start')}</FormLabel>
          <RadioGroup name="template" value={start} onChange={(e) => setStart(e.target.value)}>
            <FormControlLabel
              value="blank"
              control={<Radio />}
              data-testid="template-blank"
              label={
                <div>
                  <Typography>{t('journeys.create.blank')}</Typography>
                  <Typography variant="body2" color="text.secondary">
                    {t('journeys.create.blankHelp')}
                  </Typography>
                </div>
              }
              sx={{ alignItems: 'flex-start', my: 0.5, '& .MuiRadio-root': { pt: 0.5 } }}
            />
            {templates.map((tpl) => (
              <FormControlLabel
                key={tpl.id}
                value={tpl.id}
                control={<Radio />}
                data-testid={`template-${tpl.id}`}
                label={
                  <div>
                    <Typography>{t(`journeys.template.${tpl.id}.name` as MessageKey)}</Typography>
                    <Typography variant="body2" color="text.secondary">
                      {t(`journeys.template.${tpl.id}.description` as MessageKey)}
                    </Typography>
                    <Typography variant="caption" color="text.secondary">
                      {t('journeys.create.createsHelp', { items: [...tpl.messageNames, ...tpl.segmentNames].join(' · ') })}
                    </Typography>
                  </div>
                }
                sx={{ alignItems: 'flex-start', my: 0.5, '& .MuiRadio-root': { pt: 0.5 } }}
              />
            ))}
          </RadioGroup>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="create-journey-submit">
            {t('journeys.create.submit')}
          </Button>
        </DialogActions>
      </fetcher.Form>
    </Dialog>
  );
}
