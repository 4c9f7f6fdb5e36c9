import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { data, Form, redirect, useNavigation } from 'react-router';
import { fieldTestId, IntervalField, KindFields } from '#app/components/connections/connection-fields.tsx';
import { KindIcon, kindDescriptions, kindLabels } from '#app/components/connections/kind.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { createRequestFromForm, isKind } from '#app/server/connection-forms.server.ts';
import { canManageConnections, createConnectionFor } from '#app/server/connections.server.ts';
import { CONNECTION_KINDS, type ConnectionKind } from '#core/connectors/types.ts';
import { UserError } from '#core/errors.ts';
import type { Route } from './+types/connection-new';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  if (!canManageConnections(user.role)) throw data(null, { status: 403 });
  const kind = new URL(request.url).searchParams.get('kind');
  return { kind: isKind(kind) ? kind : null };
}

export type CreateResult = { outcome: 'invalid'; fields: string[] } | { outcome: 'error'; code: string; message: string; fields: string[] };

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  if (!canManageConnections(user.role)) throw data(null, { status: 403 });
  const parsed = createRequestFromForm(await request.formData());
  if (parsed.invalid) return data<CreateResult>({ outcome: 'invalid', fields: parsed.invalid }, { status: 400 });
  try {
    const created = await createConnectionFor(user.tenantId, parsed.request);
    return redirect(`/connections/${created.id}?created=1`);
  } catch (err) {
    if (err instanceof UserError)
      return data<CreateResult>({ outcome: 'error', code: err.code, message: err.message, fields: (err.details ?? []).map((d) => d.path) }, { status: err.status });
    throw err;
  }
}

const intros: Record<ConnectionKind, MessageKey> = {
  vtex: 'connections.new.intro.vtex',
  mercadolibre: 'connections.new.intro.mercadolibre',
  file: 'connections.new.intro.file',
};

const defaultNames: Record<ConnectionKind, string> = { vtex: 'VTEX', mercadolibre: 'MercadoLibre', file: 'ERP' };

function KindPicker({ selected }: { selected: ConnectionKind | null }) {
  const t = useT();
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(3, minmax(0, 1fr))' }, mb: 3 }} role="radiogroup" aria-label={t('connections.new.pickKind')}>
      {CONNECTION_KINDS.map((kind) => {
        const active = kind === selected;
        return (
          <Card key={kind} sx={{ borderColor: active ? 'primary.main' : undefined, borderWidth: active ? 2 : 1 }}>
            <CardActionArea href={`/connections/new?kind=${kind}`} role="radio" aria-checked={active} data-testid={`kind-${kind}`} sx={{ height: '100%' }}>
              <CardContent>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
                  <KindIcon kind={kind} fontSize="medium" />
                  <Typography variant="h6" component="h2">
                    {t(kindLabels[kind])}
                  </Typography>
                </Box>
                <Typography variant="body2" color="text.secondary">
                  {t(kindDescriptions[kind])}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        );
      })}
    </Box>
  );
}

function errorMessage(t: ReturnType<typeof useT>, result: CreateResult): string {
  if (result.outcome === 'invalid') return t('connections.new.invalid');
  if (result.code === 'conflict') return t('connections.error.nameTaken');
  if (result.code === 'unavailable') return t('connections.error.unavailable');
  return result.message;
}

export default function NewConnectionPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { kind } = loaderData;
  const result = actionData as CreateResult | undefined;
  const invalid = result?.fields ?? [];
  return (
    <>
      <Button href="/connections" startIcon={<ArrowBack />} size="small" sx={{ mb: 1, ml: -1 }}>
        {t('connections.back')}
      </Button>
      <PageHeader title={t('connections.new.title')} subtitle={t('connections.new.subtitle')} />
      <KindPicker selected={kind} />
      {kind ? (
        <SectionCard title={t('connections.new.settings', { kind: t(kindLabels[kind]) })}>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            {t(intros[kind])}
          </Typography>
          {result ? (
            <Alert severity="error" role="alert" sx={{ mb: 2 }} data-testid="create-error">
              {errorMessage(t, result)}
            </Alert>
          ) : null}
          <Form method="post" key={kind} noValidate>
            <input type="hidden" name="kind" value={kind} />
            <Stack spacing={2} sx={{ maxWidth: 640 }}>
              <TextField
                name="name"
                label={t('connections.field.name')}
                helperText={invalid.includes('name') ? t('connections.field.name.error') : t('connections.field.name.help')}
                error={invalid.includes('name')}
                defaultValue={defaultNames[kind]}
                required
                fullWidth
                slotProps={{ htmlInput: { maxLength: 100, 'data-testid': fieldTestId('name') } }}
              />
              <KindFields kind={kind} invalid={invalid} />
              {kind !== 'file' ? <IntervalField invalid={invalid.includes('syncIntervalMinutes')} /> : null}
              <Box sx={{ display: 'flex', gap: 1 }}>
                <Button type="submit" variant="contained" disabled={busy} data-testid="create-submit">
                  {busy ? t('connections.new.submitting') : t('connections.new.submit')}
                </Button>
                <Button href="/connections" disabled={busy}>
                  {t('common.cancel')}
                </Button>
              </Box>
            </Stack>
          </Form>
        </SectionCard>
      ) : (
        <Typography color="text.secondary">{t('connections.new.pickKindHint')}</Typography>
      )}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
