import OpenInNew from '@mui/icons-material/OpenInNew';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { CodeBlock } from '#app/components/code-block.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { env } from '#platform/env.ts';
import { ingestWorkflowId } from '#workflows/ingest/ingest.contract.ts';
import type { Route } from './+types/workflows';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const { temporalUiUrl, TEMPORAL_NAMESPACE } = env();
  const namespaceUrl = `${temporalUiUrl.replace(/\/+$/, '')}/namespaces/${TEMPORAL_NAMESPACE}`;
  const tenantQuery = `TenantId="${user.tenantId}"`;
  return {
    namespace: TEMPORAL_NAMESPACE,
    temporalUiUrl,
    tenantQuery,
    allWorkflowsUrl: `${namespaceUrl}/workflows?query=${encodeURIComponent(tenantQuery)}`,
    ingestWorkflowUrl: `${namespaceUrl}/workflows/${ingestWorkflowId(user.tenantId)}`,
  };
}

function TemporalLink({ href, label, testId }: { href: string; label: string; testId: string }) {
  return (
    <Button href={href} target="_blank" rel="noopener noreferrer" variant="outlined" endIcon={<OpenInNew fontSize="small" />} data-testid={testId}>
      {label}
    </Button>
  );
}

export default function WorkflowsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { namespace, temporalUiUrl, tenantQuery, allWorkflowsUrl, ingestWorkflowUrl } = loaderData;
  return (
    <>
      <PageHeader title={t('workflows.title')} subtitle={t('workflows.subtitle')} />
      <Stack spacing={2}>
        <SectionCard title={t('workflows.how.title')}>
          <Typography color="text.secondary" sx={{ mb: 1 }}>
            {t('workflows.how.body')}
          </Typography>
          <Typography color="text.secondary">{t('workflows.how.today')}</Typography>
        </SectionCard>
        <SectionCard title={t('workflows.links.title')}>
          <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', mb: 2 }}>
            <TemporalLink href={allWorkflowsUrl} label={t('workflows.links.all')} testId="temporal-all-workflows" />
            <TemporalLink href={ingestWorkflowUrl} label={t('workflows.links.ingest')} testId="temporal-ingest-workflow" />
          </Box>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {t('workflows.links.filterHint')}
          </Typography>
          <CodeBlock>{tenantQuery}</CodeBlock>
          <Alert severity="info" sx={{ mt: 2 }}>
            {t('workflows.links.reachability', { url: temporalUiUrl, namespace })}
          </Alert>
        </SectionCard>
      </Stack>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
