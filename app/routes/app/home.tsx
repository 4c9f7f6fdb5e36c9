import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { CodeBlock } from '#app/components/code-block.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { StatCard } from '#app/components/stat-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { countCustomers } from '#db/queries/customers.ts';
import { listApiKeys } from '#db/queries/tenants.ts';
import { env } from '#platform/env.ts';
import type { Route } from './+types/home';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [customers, apiKeys] = await Promise.all([countCustomers(db, user.tenantId), listApiKeys(db, user.tenantId)]);
  return {
    tenantName: user.tenantName,
    customers,
    activeApiKeys: apiKeys.filter((k) => !k.revokedAt).length,
    apiBaseUrl: (env().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, ''),
  };
}

const sampleEvents = { batch: [{ type: 'identify', messageId: 'm1', userId: 'u1', traits: { email: 'ana@example.com', firstName: 'Ana' } }] };
const sampleProfiles = { source: 'erp', records: [{ externalId: 'c-1', email: 'ana@example.com', dni: '30123456' }] };

function curlPost(url: string, body: unknown): string {
  return [`curl -X POST '${url}' \\`, `  -H 'Authorization: Bearer <key>' \\`, `  -H 'Content-Type: application/json' \\`, `  -d '${JSON.stringify(body)}'`].join('\n');
}

function GettingStarted({ apiBaseUrl }: { apiBaseUrl: string }) {
  const t = useT();
  return (
    <SectionCard title={t('home.gettingStarted.title')}>
      <Stack spacing={3}>
        <Box>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            {t('home.gettingStarted.step1.title')}
          </Typography>
          <Typography color="text.secondary">
            {t('home.gettingStarted.step1.body')}{' '}
            <Link href="/settings">{t('home.gettingStarted.step1.link')}</Link>
          </Typography>
        </Box>
        <Box>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            {t('home.gettingStarted.step2.title')}
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 1 }}>
            {t('home.gettingStarted.step2.body')}
          </Typography>
          <CodeBlock label="curl POST /api/v1/events">{curlPost(`${apiBaseUrl}/api/v1/events`, sampleEvents)}</CodeBlock>
        </Box>
        <Box>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            {t('home.gettingStarted.step3.title')}
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 1 }}>
            {t('home.gettingStarted.step3.body')}
          </Typography>
          <CodeBlock label="curl POST /api/v1/profiles">{curlPost(`${apiBaseUrl}/api/v1/profiles`, sampleProfiles)}</CodeBlock>
        </Box>
        <Box>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            {t('home.gettingStarted.step4.title')}
          </Typography>
          <Typography color="text.secondary">
            {t('home.gettingStarted.step4.body')} <Link href="/customers">{t('nav.customers')}</Link> ·{' '}
            <Link href="/api-docs">{t('nav.apiDocs')}</Link>
          </Typography>
        </Box>
      </Stack>
    </SectionCard>
  );
}

export default function HomePage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { customers, activeApiKeys, apiBaseUrl, tenantName } = loaderData;
  return (
    <>
      <PageHeader title={t('home.title')} subtitle={t('home.subtitle', { workspace: tenantName })} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, 1fr)', lg: 'repeat(3, 1fr)' }, mb: 3 }}>
        <StatCard label={t('home.stats.customers')} value={format.number(customers)} hint={t('home.stats.customersHint')} href="/customers" testId="stat-customers" />
        <StatCard
          label={t('home.stats.apiKeys')}
          value={format.number(activeApiKeys)}
          hint={activeApiKeys === 0 ? t('home.stats.apiKeysNone') : t('home.stats.apiKeysHint')}
          href="/settings"
          testId="stat-api-keys"
        />
      </Box>
      <GettingStarted apiBaseUrl={apiBaseUrl} />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
