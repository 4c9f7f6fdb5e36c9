import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { Form, useNavigation } from 'react-router';
import { useT } from '#app/i18n/i18n-context.tsx';

/** Deleting stops the syncs and drops the run history, so it takes a second, explicit click. */
export function DeleteConnectionDialog({ open, name, onClose }: { open: boolean; name: string; onClose: () => void }) {
  const t = useT();
  const busy = useNavigation().state === 'submitting';
  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby="delete-connection-title">
      <Form method="post">
        <input type="hidden" name="intent" value="delete" />
        <DialogTitle id="delete-connection-title">{t('connections.delete.title', { name })}</DialogTitle>
        <DialogContent>
          <DialogContentText>{t('connections.delete.body')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="error" variant="contained" disabled={busy} data-testid="delete-confirm">
            {t('connections.delete.confirm')}
          </Button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}
