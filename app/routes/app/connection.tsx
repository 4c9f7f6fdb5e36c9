import ArrowBack from '@mui/icons-material/ArrowBack';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import FileUploadOutlined from '@mui/icons-material/FileUploadOutlined';
import LinkOutlined from '@mui/icons-material/LinkOutlined';
import OpenInNew from '@mui/icons-material/OpenInNew';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type ReactNode } from 'react';
import { data, redirect, useFetcher } from 'react-router';
import { actionsFetcherKey, type ConnectionActionResult, type ConnectionIntent } from '#app/components/connections/connection-result.ts';
import { DeleteConnectionDialog } from '#app/components/connections/delete-dialog.tsx';
import { KindIcon } from '#app/components/connections/kind.tsx';
import { OverviewCard } from '#app/components/connections/overview-card.tsx';
import { RunsTable } from '#app/components/connections/runs-table.tsx';
import { SettingsForm } from '#app/components/connections/settings-form.tsx';
import { ConnectionStatusChip } from '#app/components/connections/status-chips.tsx';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageTitle } from '#app/components/page-title.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { patchFromForm } from '#app/server/connection-forms.server.ts';
import { mercadolibreNotificationsUrl, mercadolibreRedirectUri, type ConnectResult } from '#app/server/mercadolibre.server.ts';
import {
  canManageConnections,
  checkConnectionFor,
  deleteConnectionFor,
  getConnectionView,
  listRunsFor,
  patchConnectionFor,
  syncNowFor,
} from '#app/server/connections.server.ts';
import type { ConnectionView } from '#core/api/connections.ts';
import { UserError } from '#core/errors.ts';
import type { Route } from './+types/connection';

const RUNS_SHOWN = 50;

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  try {
    const [connection, runs] = await Promise.all([getConnectionView(user.tenantId, params.id), listRunsFor(user.tenantId, params.id, RUNS_SHOWN)]);
    const search = new URL(request.url).searchParams;
    const mercadolibre =
      connection.kind === 'mercadolibre'
        ? {
            // The OAuth flow's outcome, shown once after the callback redirects here.
            result: (CONNECT_RESULTS as readonly string[]).includes(search.get('mercadolibre') ?? '') ? (search.get('mercadolibre') as ConnectResult) : null,
            reason: search.get('reason') ?? '',
            seller: search.get('seller') ?? '',
            expected: search.get('expected') ?? '',
            redirectUri: mercadolibreRedirectUri(request),
            notificationsUrl: mercadolibreNotificationsUrl(request),
          }
        : null;
    return { connection, runs, canManage: canManageConnections(user.role), created: search.has('created'), mercadolibre };
  } catch (err) {
    if (err instanceof UserError && err.status === 404) throw data(null, { status: 404 });
    throw err;
  }
}

const CONNECT_RESULTS: readonly ConnectResult[] = ['connected', 'denied', 'expired', 'invalid-state', 'failed', 'unreachable', 'other-seller', 'invalid-config'];

const INTENTS: readonly ConnectionIntent[] = ['check', 'sync', 'pause', 'resume', 'update', 'delete'];

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const raw = form.get('intent');
  const intent = INTENTS.find((i) => i === raw) ?? null;
  const fail = (code: string, message: string, status: number, fields: string[] = []) =>
    data<ConnectionActionResult>({ outcome: 'error', intent, code, message, fields }, { status });
  if (!canManageConnections(user.role)) return fail('forbidden', 'Only owners and admins can change connections.', 403);
  const { tenantId } = user;
  try {
    switch (intent) {
      case 'check': {
        const r = await checkConnectionFor(tenantId, params.id);
        return data<ConnectionActionResult>({ outcome: 'checked', ...r });
      }
      case 'sync': {
        const r = await syncNowFor(tenantId, params.id);
        return data<ConnectionActionResult>({ outcome: 'syncStarted', ...r });
      }
      case 'pause':
      case 'resume':
        await patchConnectionFor(tenantId, params.id, { status: intent === 'pause' ? 'paused' : 'active' });
        return data<ConnectionActionResult>({ outcome: intent === 'pause' ? 'paused' : 'resumed' });
      case 'update': {
        const parsed = patchFromForm(form);
        if (parsed.invalid) return data<ConnectionActionResult>({ outcome: 'invalid', fields: parsed.invalid }, { status: 400 });
        await patchConnectionFor(tenantId, params.id, parsed.patch);
        return data<ConnectionActionResult>({ outcome: 'saved' });
      }
      case 'delete': {
        const { name } = await getConnectionView(tenantId, params.id);
        await deleteConnectionFor(tenantId, params.id);
        return redirect(`/connections?deleted=${encodeURIComponent(name)}`);
      }
      default:
        return fail('invalid_request', 'Unknown action.', 400);
    }
  } catch (err) {
    if (err instanceof UserError) return fail(err.code, err.message, err.status, (err.details ?? []).map((d) => d.path));
    throw err;
  }
}

function ActionFeedback({ result, onClose }: { result: ConnectionActionResult | undefined; onClose: () => void }) {
  const t = useT();
  if (!result || result.outcome === 'saved' || result.outcome === 'invalid') return null;
  if (result.outcome === 'checked')
    return (
      <Alert severity={result.ok ? 'success' : 'error'} sx={{ mb: 2 }} onClose={onClose} data-testid="check-result" data-ok={String(result.ok)}>
        <strong>{t(result.ok ? 'connections.check.ok' : 'connections.check.failed')}</strong> {result.message}
      </Alert>
    );
  if (result.outcome === 'syncStarted')
    return (
      <Alert severity="info" sx={{ mb: 2 }} onClose={onClose} data-testid="sync-started">
        {t(result.alreadyRunning ? 'connections.sync.joined' : 'connections.sync.started')}{' '}
        <Link href={result.temporalUiUrl} target="_blank" rel="noopener noreferrer">
          {t('connections.run.temporal')}
        </Link>
      </Alert>
    );
  if (result.outcome === 'paused' || result.outcome === 'resumed')
    return (
      <Alert severity="success" sx={{ mb: 2 }} onClose={onClose} data-testid="status-changed">
        {t(result.outcome === 'paused' ? 'connections.paused' : 'connections.resumed')}
      </Alert>
    );
  if (result.outcome !== 'error') return null;
  return (
    <Alert severity="error" role="alert" sx={{ mb: 2 }} onClose={onClose} data-testid="action-error">
      {result.code === 'unavailable' ? t('connections.error.unavailable') : result.code === 'forbidden' ? t('error.forbidden.body') : result.message}
    </Alert>
  );
}

/** Why "Sync now" is off, if it is. */
function syncBlocker(c: ConnectionView): 'file' | 'paused' | 'notConnected' | null {
  if (c.kind === 'file') return 'file';
  if (c.status === 'paused') return 'paused';
  if (c.kind === 'mercadolibre' && !c.config.sellerId) return 'notConnected';
  return null;
}

function Actions({ connection: c, onDelete }: { connection: ConnectionView; onDelete: () => void }) {
  const t = useT();
  const fetcher = useFetcher<ConnectionActionResult>({ key: actionsFetcherKey(c.id) });
  const pending = fetcher.state !== 'idle' ? (fetcher.formData?.get('intent') as ConnectionIntent | null) : null;
  const blocker = syncBlocker(c);
  const button = (intent: ConnectionIntent, label: string, icon: ReactNode, extra: { disabled?: boolean; title?: string; color?: 'primary' | 'warning' } = {}) => (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button type="submit" variant="outlined" startIcon={icon} disabled={Boolean(pending) || extra.disabled} title={extra.title} color={extra.color} data-testid={`action-${intent}`}>
        {label}
      </Button>
    </fetcher.Form>
  );
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      {c.kind === 'mercadolibre' ? (
        // A full page load: the route answers with a redirect to MercadoLibre's authorization page.
        <Button
          href={`/connections/${c.id}/mercadolibre/connect`}
          LinkComponent="a"
          variant={c.config.sellerId && c.status !== 'error' ? 'outlined' : 'contained'}
          startIcon={<LinkOutlined />}
          data-testid="connect-mercadolibre"
        >
          {c.config.sellerId ? t('mercadolibre.reconnect') : t('connections.mercadolibre.connect')}
        </Button>
      ) : null}
      {c.kind === 'file' ? (
        <Button href={`/imports/new?connectionId=${c.id}`} variant="contained" startIcon={<FileUploadOutlined />} data-testid="import-file">
          {t('connections.file.import')}
        </Button>
      ) : null}
      {c.kind !== 'file' ? button('check', pending === 'check' ? t('connections.check.running') : t('connections.check'), <VerifiedUserOutlined />) : null}
      {c.kind !== 'file'
        ? button('sync', pending === 'sync' ? t('connections.sync.starting') : t('connections.sync'), <SyncOutlined />, {
            disabled: blocker !== null,
            title: blocker ? t(`connections.sync.blocked.${blocker}`) : undefined,
          })
        : null}
      {c.schedule
        ? c.status === 'paused'
          ? button('resume', t('connections.resume'), <PlayArrowOutlined />)
          : button('pause', t('connections.pause'), <PauseCircleOutlined />, { color: 'warning' })
        : null}
      <Button variant="outlined" color="error" startIcon={<DeleteOutlined />} onClick={onDelete} disabled={Boolean(pending)} data-testid="delete-open">
        {t('connections.delete')}
      </Button>
    </Box>
  );
}

export default function ConnectionPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { connection: c, runs, canManage, created, mercadolibre: ml } = loaderData;
  const actions = useFetcher<ConnectionActionResult>({ key: actionsFetcherKey(c.id) });
  const [deleteOpen, setDeleteOpen] = useState(false);
  // After "Sync now", keep polling until the run shows up (bounded, in case the workflow records nothing).
  const [waitingFor, setWaitingFor] = useState<string | null>(null);
  const started = actions.data?.outcome === 'syncStarted' ? actions.data.runId : null;
  useEffect(() => {
    if (!started) return;
    setWaitingFor(started);
    const timer = setTimeout(() => setWaitingFor(null), 30_000);
    return () => clearTimeout(timer);
  }, [started]);
  const running = runs.some((r) => r.status === 'running');
  useRevalidateWhile(running || (waitingFor !== null && !runs.some((r) => r.workflowRunId === waitingFor)), 2000);
  return (
    <>
      <PageTitle title={c.name} />
      <Button href="/connections" startIcon={<ArrowBack />} size="small" sx={{ mb: 1, ml: -1 }}>
        {t('connections.back')}
      </Button>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: 2, mb: 3 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, minWidth: 0 }}>
          <KindIcon kind={c.kind} fontSize="large" />
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="h4" component="h1" data-testid="connection-name" sx={{ wordBreak: 'break-word' }}>
              {c.name}
            </Typography>
            <Box sx={{ mt: 0.5 }}>
              <ConnectionStatusChip status={c.status} />
            </Box>
          </Box>
        </Box>
        {canManage ? <Actions connection={c} onDelete={() => setDeleteOpen(true)} /> : null}
      </Box>
      {created ? (
        <Alert severity="success" sx={{ mb: 2 }} data-testid="connection-created">
          {t(c.kind === 'mercadolibre' ? 'connections.created.mercadolibre' : c.kind === 'file' ? 'connections.created.file' : 'connections.created')}
        </Alert>
      ) : null}
      {ml?.result ? (
        <Alert severity={ml.result === 'connected' ? 'success' : 'warning'} sx={{ mb: 2 }} data-testid="mercadolibre-result">
          {t(`mercadolibre.result.${ml.result}`, { reason: ml.reason, seller: ml.seller, expected: ml.expected })}
        </Alert>
      ) : null}
      {ml ? (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="mercadolibre-setup">
          {typeof c.config.sellerId === 'string' ? <strong>{t('mercadolibre.connectedAs', { seller: c.config.sellerId })}. </strong> : null}
          {t('mercadolibre.redirectUriHelp', { url: ml.redirectUri })} {t('mercadolibre.notificationsHelp', { url: ml.notificationsUrl })}
        </Alert>
      ) : null}
      <ActionFeedback result={actions.data} onClose={() => actions.reset()} />
      {c.lastError ? (
        <Alert severity={c.status === 'error' ? 'error' : 'warning'} sx={{ mb: 2 }} data-testid="last-error">
          <strong>{t(c.status === 'error' ? 'connections.lastError.auth' : 'connections.lastError')}</strong> {c.lastError}
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) minmax(0, 1fr)' }, alignItems: 'start', mb: 2 }}>
        <OverviewCard connection={c} />
        {canManage ? <SettingsForm connection={c} /> : null}
      </Box>
      <SectionCard
        title={t('connections.runs.title')}
        flush
        action={
          c.schedule ? (
            <Button href={c.schedule.temporalUiUrl} target="_blank" rel="noopener noreferrer" size="small" endIcon={<OpenInNew fontSize="small" />}>
              {t('connections.schedule.temporal')}
            </Button>
          ) : undefined
        }
      >
        <Stack>
          <RunsTable runs={runs} />
        </Stack>
      </SectionCard>
      {canManage ? <DeleteConnectionDialog open={deleteOpen} name={c.name} onClose={() => setDeleteOpen(false)} /> : null}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
