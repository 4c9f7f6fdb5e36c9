import CallMergeOutlined from '@mui/icons-material/CallMergeOutlined';
import CallSplitOutlined from '@mui/icons-material/CallSplitOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { useFetcher } from 'react-router';
import { useT, type Translate } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { personName } from '../person-name.ts';
import { monospace } from '../theme.ts';
import { mergeFetcherKey, unmergeFetcherKey, type IdentityActionResult, type IdentityField } from './identity-action-result.ts';

export interface UnmergeProfile {
  id: string;
  source: string;
  externalId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

const fieldMessages: Record<IdentityField, MessageKey> = {
  otherCustomerId: 'identity.error.otherCustomerId',
  reason: 'identity.error.reason',
  sourceProfileIds: 'identity.error.sourceProfileIds',
};

type ErrorResult = Extract<IdentityActionResult, { outcome: 'error' }>;

function errorText(result: ErrorResult, t: Translate): string {
  if (result.error === 'forbidden') return t('identity.error.forbidden');
  if (result.error === 'unknownIntent') return t('identity.error.unknownIntent');
  if (result.error === 'invalid') return result.fields.map((f) => t(fieldMessages[f])).join(' ');
  return result.message ?? t('identity.error.generic');
}

function ActionError({ result }: { result: IdentityActionResult | undefined }) {
  const t = useT();
  if (result?.outcome !== 'error') return null;
  return (
    <Alert severity="error" role="alert" data-testid="action-error" sx={{ mb: 2 }}>
      {errorText(result, t)}
    </Alert>
  );
}

const fieldError = (result: IdentityActionResult | undefined, field: IdentityField) => result?.outcome === 'error' && result.fields.includes(field);

function ReasonField({ result, testId }: { result: IdentityActionResult | undefined; testId: string }) {
  const t = useT();
  const invalid = fieldError(result, 'reason');
  return (
    <TextField
      name="reason"
      label={t('identity.reason.label')}
      helperText={invalid ? t('identity.error.reason') : t('identity.reason.help')}
      error={invalid}
      multiline
      minRows={2}
      fullWidth
      slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': testId } }}
    />
  );
}

function MergeDialog({ customerId, open, onClose }: { customerId: string; open: boolean; onClose: () => void }) {
  const t = useT();
  const fetcher = useFetcher<IdentityActionResult>({ key: mergeFetcherKey(customerId) });
  const busy = fetcher.state !== 'idle';
  const result = fetcher.data;
  const invalidId = fieldError(result, 'otherCustomerId');
  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby="merge-title" fullWidth maxWidth="sm">
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value="merge" />
        <DialogTitle id="merge-title">{t('identity.merge.title')}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{t('identity.merge.body')}</DialogContentText>
          <ActionError result={result} />
          <TextField
            name="otherCustomerId"
            label={t('identity.merge.otherId')}
            helperText={invalidId ? t('identity.error.otherCustomerId') : t('identity.merge.otherIdHelp')}
            error={invalidId}
            fullWidth
            autoFocus
            autoComplete="off"
            placeholder="00000000-0000-0000-0000-000000000000"
            sx={{ mb: 2, '& input': { fontFamily: monospace } }}
            slotProps={{ htmlInput: { maxLength: 60, spellCheck: false, 'data-testid': 'merge-other-id' } }}
          />
          <ReasonField result={result} testId="merge-reason" />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="merge-submit">
            {busy ? t('identity.merge.submitting') : t('identity.merge.submit')}
          </Button>
        </DialogActions>
      </fetcher.Form>
    </Dialog>
  );
}

function profileLabel(p: UnmergeProfile): string {
  const who = [personName(p), p.email].filter(Boolean).join(' · ');
  return who ? `${p.source} · ${p.externalId} — ${who}` : `${p.source} · ${p.externalId}`;
}

function UnmergeDialog({ customerId, profiles, open, onClose }: { customerId: string; profiles: UnmergeProfile[]; open: boolean; onClose: () => void }) {
  const t = useT();
  const fetcher = useFetcher<IdentityActionResult>({ key: unmergeFetcherKey(customerId) });
  const [selected, setSelected] = useState<string[]>([]);
  const busy = fetcher.state !== 'idle';
  const result = fetcher.data;
  const all = selected.length >= profiles.length;
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  const selectionProblem = all && selected.length > 0 ? t('identity.unmerge.keepOne') : undefined;
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby="unmerge-title"
      fullWidth
      maxWidth="sm"
      slotProps={{ transition: { onExited: () => setSelected([]) } }}
    >
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value="unmerge" />
        <DialogTitle id="unmerge-title">{t('identity.unmerge.title')}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{t('identity.unmerge.body')}</DialogContentText>
          <ActionError result={result} />
          <FormControl component="fieldset" error={Boolean(selectionProblem) || fieldError(result, 'sourceProfileIds')} sx={{ mb: 2, width: '100%' }}>
            <FormLabel component="legend">{t('identity.unmerge.profiles')}</FormLabel>
            <FormGroup>
              {profiles.map((p) => (
                <FormControlLabel
                  key={p.id}
                  control={
                    <Checkbox
                      name="sourceProfileIds"
                      value={p.id}
                      checked={selected.includes(p.id)}
                      onChange={(e) => toggle(p.id, e.target.checked)}
                      slotProps={{ input: { 'data-testid': `unmerge-profile-${p.id}` } as InputHTMLAttributes<HTMLInputElement> }}
                    />
                  }
                  label={
                    <Typography variant="body2" sx={{ wordBreak: 'break-word' }}>
                      {profileLabel(p)}
                    </Typography>
                  }
                />
              ))}
            </FormGroup>
            <FormHelperText>{selectionProblem ?? t('identity.unmerge.profilesHelp')}</FormHelperText>
          </FormControl>
          <ReasonField result={result} testId="unmerge-reason" />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="contained" color="warning" disabled={busy || selected.length === 0 || all} data-testid="unmerge-submit">
            {busy ? t('identity.unmerge.submitting') : t('identity.unmerge.submit')}
          </Button>
        </DialogActions>
      </fetcher.Form>
    </Dialog>
  );
}

/**
 * Merge and Unmerge buttons with their dialogs (owners and admins). Mount it with the location key: a
 * merge answers with a redirect, and the new page starts with both dialogs closed.
 */
export function IdentityActions({ customerId, profiles }: { customerId: string; profiles: UnmergeProfile[] }) {
  const t = useT();
  const [mergeOpen, setMergeOpen] = useState(false);
  const [unmergeOpen, setUnmergeOpen] = useState(false);
  const merge = useFetcher<IdentityActionResult>({ key: mergeFetcherKey(customerId) });
  const unmerge = useFetcher<IdentityActionResult>({ key: unmergeFetcherKey(customerId) });
  const unmerged = unmerge.data?.outcome === 'unmerged' ? unmerge.data : undefined;
  useEffect(() => {
    if (unmerged) setUnmergeOpen(false);
  }, [unmerged]);
  const canUnmerge = profiles.length > 1;
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      <Button
        variant="outlined"
        startIcon={<CallMergeOutlined />}
        data-testid="merge-open"
        onClick={() => {
          merge.reset();
          setMergeOpen(true);
        }}
      >
        {t('identity.merge.open')}
      </Button>
      <Button
        variant="outlined"
        color="warning"
        startIcon={<CallSplitOutlined />}
        data-testid="unmerge-open"
        disabled={!canUnmerge}
        title={canUnmerge ? undefined : t('identity.unmerge.onlyOne')}
        onClick={() => {
          unmerge.reset();
          setUnmergeOpen(true);
        }}
      >
        {t('identity.unmerge.open')}
      </Button>
      <MergeDialog customerId={customerId} open={mergeOpen} onClose={() => setMergeOpen(false)} />
      <UnmergeDialog customerId={customerId} profiles={profiles} open={unmergeOpen} onClose={() => setUnmergeOpen(false)} />
    </Box>
  );
}
