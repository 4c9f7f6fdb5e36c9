import ContentCopy from '@mui/icons-material/ContentCopy';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useT } from '#app/i18n/i18n-context.tsx';
import { monospace } from '../theme.ts';

type CopyState = 'idle' | 'copied' | 'failed';

/** The plaintext of a key that was just created. Only the action response carries it; it is never loaded again. */
export function NewKeyAlert({ name, apiKey }: { name: string; apiKey: string }) {
  const t = useT();
  const [copy, setCopy] = useState<CopyState>('idle');
  const copyKey = async () => {
    // The Clipboard API exists only in secure contexts (HTTPS or localhost); elsewhere people select the text by hand.
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <Alert severity="success" sx={{ mb: 2, '& .MuiAlert-message': { minWidth: 0, flex: 1 } }} data-testid="new-api-key-alert">
      <AlertTitle>{t('settings.keys.created.title', { name })}</AlertTitle>
      <Typography variant="body2" sx={{ mb: 1.5 }}>
        {t('settings.keys.created.once')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Box
          component="code"
          data-testid="new-api-key"
          sx={{ fontFamily: monospace, fontSize: 14, px: 1.5, py: 1, bgcolor: 'background.paper', border: 1, borderColor: 'divider', borderRadius: 1, wordBreak: 'break-all', userSelect: 'all', flex: '1 1 320px' }}
        >
          {apiKey}
        </Box>
        <Button onClick={() => void copyKey()} startIcon={<ContentCopy fontSize="small" />} variant="outlined" color="success">
          {copy === 'copied' ? t('settings.keys.created.copied') : t('settings.keys.created.copy')}
        </Button>
      </Box>
      {copy === 'failed' ? (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {t('settings.keys.created.copyFailed')}
        </Typography>
      ) : null}
    </Alert>
  );
}
