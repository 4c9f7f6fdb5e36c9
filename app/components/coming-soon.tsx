import ConstructionOutlined from '@mui/icons-material/ConstructionOutlined';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { PageHeader } from './page-header.tsx';

/** A capability that is not built yet: says so plainly and what it will do. No sample data, no dead buttons. */
export function ComingSoon({ title, description }: { title: MessageKey; description: MessageKey }) {
  const t = useT();
  return (
    <>
      <PageHeader title={t(title)} />
      <Paper variant="outlined" sx={{ p: { xs: 3, sm: 4 }, display: 'flex', gap: 2, alignItems: 'flex-start', maxWidth: 760 }} data-testid="coming-soon">
        <ConstructionOutlined color="primary" sx={{ mt: 0.25 }} />
        <div>
          <Typography variant="subtitle1" component="p" sx={{ fontWeight: 600 }}>
            {t('comingSoon.notBuilt')}
          </Typography>
          <Typography color="text.secondary" sx={{ mt: 1 }}>
            {t(description)}
          </Typography>
        </div>
      </Paper>
    </>
  );
}
