import DataObjectOutlined from '@mui/icons-material/DataObjectOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { schemaAnchor } from '#app/components/api-docs/anchors.ts';
import { toApiDocsView, type ApiDocsView } from '#app/components/api-docs/api-docs-view.ts';
import { InlineCodeText } from '#app/components/api-docs/inline-code-text.tsx';
import { JsonSchemaView } from '#app/components/api-docs/json-schema-view.tsx';
import { MethodChip, OperationCard } from '#app/components/api-docs/operation-card.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { monospace } from '#app/components/theme.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { buildOpenApiDocument } from '#app/server/openapi.server.ts';
import { env } from '#platform/env.ts';
import type { Route } from './+types/api-docs';

const RAW_DOCUMENT_PATH = '/api/v1/openapi.json';

export async function loader({ request }: Route.LoaderArgs) {
  await requireUser(request);
  const origin = (env().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, '');
  return { docs: toApiDocsView(buildOpenApiDocument(origin)) };
}

function Contents({ docs }: { docs: ApiDocsView }) {
  const t = useT();
  return (
    <SectionCard title={t('apiDocs.contents')}>
      <Stack spacing={1}>
        {docs.tags.flatMap((tag) =>
          tag.operations.map((op) => (
            <Box key={`${tag.name ?? ''}:${op.anchor}`} sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
              <MethodChip method={op.method} />
              <Link component="a" href={`#${op.anchor}`} underline="hover" sx={{ fontFamily: monospace, fontSize: 14 }}>
                {op.path}
              </Link>
              {op.summary ? (
                <Typography variant="body2" color="text.secondary" sx={{ display: { xs: 'none', sm: 'block' } }}>
                  {op.summary}
                </Typography>
              ) : null}
            </Box>
          )),
        )}
      </Stack>
    </SectionCard>
  );
}

function Authentication({ docs }: { docs: ApiDocsView }) {
  const t = useT();
  return (
    <SectionCard title={t('apiDocs.auth.title')}>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        {t('apiDocs.auth.body')}{' '}
        <Link href="/settings">{t('apiDocs.auth.keysLink')}</Link>
      </Typography>
      {docs.securitySchemes.map((scheme) => (
        <Typography key={scheme.name} variant="body2" sx={{ mt: 1 }}>
          <Box component="span" sx={{ fontFamily: monospace, fontWeight: 600 }}>
            {scheme.name}
          </Box>
          {` · ${scheme.type}${scheme.scheme ? ` ${scheme.scheme}` : ''}`}
          {scheme.description ? (
            <>
              {' — '}
              <InlineCodeText text={scheme.description} />
            </>
          ) : null}
        </Typography>
      ))}
      {docs.servers.map((server) => (
        <Typography key={server.url} variant="body2" sx={{ mt: 1 }}>
          {t('apiDocs.server')}{' '}
          <Box component="code" sx={{ fontFamily: monospace }}>
            {server.url}
          </Box>
        </Typography>
      ))}
    </SectionCard>
  );
}

function Schemas({ docs }: { docs: ApiDocsView }) {
  const t = useT();
  if (docs.schemas.length === 0) return null;
  return (
    <Box component="section" aria-labelledby="api-schemas" sx={{ mt: 4 }}>
      <Typography id="api-schemas" variant="h5" component="h2" sx={{ mb: 2 }}>
        {t('apiDocs.schemas')}
      </Typography>
      <Stack spacing={2}>
        {docs.schemas.map((s) => (
          <Card key={s.name} id={schemaAnchor(s.name)} sx={{ scrollMarginTop: 88 }}>
            <CardContent>
              <Typography component="h3" sx={{ fontFamily: monospace, fontWeight: 600, mb: 1 }}>
                {s.name}
              </Typography>
              <JsonSchemaView schema={s.schema} label={s.name} />
            </CardContent>
          </Card>
        ))}
      </Stack>
    </Box>
  );
}

export default function ApiDocsPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { docs } = loaderData;
  return (
    <>
      <PageHeader
        title={t('apiDocs.title')}
        subtitle={t('apiDocs.subtitle', { title: docs.title, version: docs.version, openapi: docs.openapi })}
        actions={
          // A resource route, not a page: a plain anchor so the browser loads the JSON itself.
          <Button component="a" href={RAW_DOCUMENT_PATH} target="_blank" rel="noopener" variant="outlined" startIcon={<DataObjectOutlined />}>
            {t('apiDocs.raw')}
          </Button>
        }
      />
      {docs.description ? (
        <Typography sx={{ mb: 3, maxWidth: 860 }}>
          <InlineCodeText text={docs.description} />
        </Typography>
      ) : null}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(2, minmax(0, 1fr))' }, mb: 4 }}>
        <Authentication docs={docs} />
        <Contents docs={docs} />
      </Box>
      {docs.tags.map((tag) => (
        <Box component="section" key={tag.name ?? ''} aria-label={tag.name ?? t('apiDocs.untagged')} sx={{ mb: 4 }}>
          <Typography variant="h5" component="h2">
            {tag.name ?? t('apiDocs.untagged')}
          </Typography>
          {tag.description ? (
            <Typography color="text.secondary" sx={{ mt: 0.5 }}>
              <InlineCodeText text={tag.description} />
            </Typography>
          ) : null}
          <Stack spacing={2} sx={{ mt: 2 }}>
            {tag.operations.map((op) => (
              <OperationCard key={op.anchor} operation={op} />
            ))}
          </Stack>
        </Box>
      ))}
      <Schemas docs={docs} />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
