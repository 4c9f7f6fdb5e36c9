import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { Form } from 'react-router';
import { useT } from '#app/i18n/i18n-context.tsx';

export interface RevokeTarget {
  id: string;
  name: string;
  prefix: string;
}

/** Revoking breaks every integration using the key, so it takes a second, explicit click. */
export function RevokeKeyDialog({ open, target, onClose }: { open: boolean; target: RevokeTarget | undefined; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog open={open && Boolean(target)} onClose={onClose} aria-labelledby="revoke-key-title">
      {target ? (
        <Form method="post" onSubmit={onClose}>
          <input type="hidden" name="intent" value="revoke" />
          <input type="hidden" name="id" value={target.id} />
          <DialogTitle id="revoke-key-title">{t('settings.keys.revoke.title', { name: target.name })}</DialogTitle>
          <DialogContent>
            <DialogContentText>{t('settings.keys.revoke.body', { prefix: target.prefix })}</DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" color="error" variant="contained" data-testid="confirm-revoke">
              {t('settings.keys.revoke.confirm')}
            </Button>
          </DialogActions>
        </Form>
      ) : null}
    </Dialog>
  );
}
