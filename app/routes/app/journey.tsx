import flowStyles from '@xyflow/react/dist/style.css?url';
import ArrowBack from '@mui/icons-material/ArrowBack';
import AccountTreeOutlined from '@mui/icons-material/AccountTreeOutlined';
import ContentCopy from '@mui/icons-material/ContentCopy';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import PublishOutlined from '@mui/icons-material/PublishOutlined';
import Redo from '@mui/icons-material/Redo';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Undo from '@mui/icons-material/Undo';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { data, redirect, useFetcher, useSearchParams } from 'react-router';
import { type CanvasDoc, docFromDraft, LAYOUT_GAPS, draftOf, historyOf, pushHistory, redo, removeNodes, undo, updateNode, type History } from '#app/components/journeys/canvas-ops.ts';
import { JourneyCanvas } from '#app/components/journeys/journey-canvas.tsx';
import { NodePanel } from '#app/components/journeys/node-panel.tsx';
import { CanvasInfoContext, PaletteItem } from '#app/components/journeys/node-views.tsx';
import { SettingsPanel } from '#app/components/journeys/settings-panel.tsx';
import { JourneyStatusChip } from '#app/components/journeys/status-chip.tsx';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageTitle } from '#app/components/page-title.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { journeyExperimentsFor } from '#app/server/experiments.server.ts';
import {
  analyticsFor,
  deleteJourneyFor,
  duplicateJourneyFor,
  getJourneyFor,
  getVersionFor,
  JourneyApiError,
  patchJourneyFor,
  pickerOptionsFor,
  publishJourneyFor,
  transitionJourneyFor,
} from '#app/server/journeys.server.ts';
import { UserError } from '#core/errors.ts';
import { autoLayout, entryOf, type JourneyError, type JourneyNode, NODE_TYPES, validateJourney } from '#core/journeys/index.ts';
import type { Route } from './+types/journey';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: flowStyles }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const view = new URL(request.url).searchParams.get('view');
  const versionNumber = view && /^\d+$/.test(view) ? Number(view) : null;
  try {
    const [journey, picker, experiments] = await Promise.all([getJourneyFor(user.tenantId, params.id), pickerOptionsFor(user.tenantId), journeyExperimentsFor(user.tenantId, params.id)]);
    const options = { ...picker, experiments };
    const version = versionNumber && journey.latestVersion && versionNumber <= journey.latestVersion ? await getVersionFor(user.tenantId, params.id, versionNumber) : null;
    const analytics = journey.latestVersion ? await analyticsFor(user.tenantId, params.id, version?.version ?? null) : null;
    return { journey, options, version, analytics };
  } catch (err) {
    if (err instanceof UserError && err.status === 404) throw data(null, { status: 404 });
    throw err;
  }
}

type ActionResult =
  | { ok: true; intent: string; version?: number; created?: boolean }
  | { ok: false; intent: string; code: string; message: string; details?: unknown[] };

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  const parse = (name: string) => {
    const raw = form.get(name);
    return typeof raw === 'string' && raw ? (JSON.parse(raw) as unknown) : undefined;
  };
  try {
    switch (intent) {
      case 'save':
      case 'publish': {
        await patchJourneyFor(user.tenantId, params.id, { definition: parse('definition'), layout: parse('layout') as Record<string, { x: number; y: number }> | undefined });
        if (intent === 'save') return { ok: true, intent } satisfies ActionResult;
        const r = await publishJourneyFor(user.tenantId, params.id, { enterCurrentMembers: form.get('enterCurrentMembers') === 'true', publishedBy: user.email });
        return { ok: true, intent, version: r.version, created: r.created } satisfies ActionResult;
      }
      case 'pause':
      case 'resume':
      case 'archive':
        await transitionJourneyFor(user.tenantId, params.id, intent);
        return { ok: true, intent } satisfies ActionResult;
      case 'duplicate': {
        const copy = await duplicateJourneyFor(user.tenantId, params.id);
        return redirect(`/journeys/${copy.id}`);
      }
      case 'delete':
        await deleteJourneyFor(user.tenantId, params.id);
        return redirect('/journeys');
      default:
        throw data(null, { status: 400 });
    }
  } catch (err) {
    if (err instanceof JourneyApiError) return data({ ok: false, intent, code: err.code, message: err.message, details: err.details } satisfies ActionResult, { status: err.status });
    if (err instanceof UserError) return data({ ok: false, intent, code: err.code, message: err.message } satisfies ActionResult, { status: err.status });
    throw err;
  }
}

const isTyping = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

function errorLabel(e: JourneyError, doc: CanvasDoc, t: ReturnType<typeof useT>) {
  if (!e.nodeId) return t('journey.problem.settings');
  const n = doc.nodes.find((x) => x.id === e.nodeId);
  return n ? (n.name ?? `${t(`journey.node.${n.type}` as MessageKey)} (${n.id})`) : e.nodeId;
}

function Editor({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const [, setSearch] = useSearchParams();
  const { journey, options, version, analytics } = loaderData;
  const initial = useMemo(() => docFromDraft(journey.draft, journey.draftLayout, NODE_TYPES), [journey.id]);
  const [history, setHistory] = useState<History<CanvasDoc>>(() => historyOf(initial.doc));
  const [saved, setSaved] = useState<CanvasDoc>(initial.doc);
  const [selected, setSelected] = useState<string | null>(null);
  const [fitSignal, setFitSignal] = useState(0);
  const [publishOpen, setPublishOpen] = useState(false);
  const [enterMembers, setEnterMembers] = useState(false);
  const [confirm, setConfirm] = useState<null | 'archive' | 'delete'>(null);
  const fetcher = useFetcher<ActionResult>();
  const pending = useRef<CanvasDoc | null>(null);

  const viewing = version ? docFromDraft(version.definition, version.layout, NODE_TYPES).doc : null;
  const readOnly = !!viewing || journey.status === 'archived';
  const doc = viewing ?? history.present;
  const dirty = history.present !== saved;

  // Published journeys: counts move while customers run through them.
  useRevalidateWhile(journey.latestVersion !== null && fetcher.state === 'idle', 3000);

  const apply = useCallback((edit: (d: CanvasDoc) => CanvasDoc) => setHistory((h) => pushHistory(h, edit(h.present))), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || isTyping(e.target) || readOnly) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) setHistory(undo);
      else if ((k === 'z' && e.shiftKey) || k === 'y') setHistory(redo);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly]);

  // A save or publish that went through marks what was sent as saved.
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok && pending.current && (fetcher.data.intent === 'save' || fetcher.data.intent === 'publish')) {
      setSaved(pending.current);
      pending.current = null;
    }
  }, [fetcher.state, fetcher.data]);

  const ctx = useMemo(() => ({ templates: options.templates, segments: options.segments.map((s) => s.id) }), [options]);
  const validation = useMemo(() => validateJourney(draftOf(doc), ctx), [doc, ctx]);
  const errorsByNode = useMemo(() => {
    const m = new Map<string, JourneyError[]>();
    for (const e of validation.errors) if (e.nodeId) m.set(e.nodeId, [...(m.get(e.nodeId) ?? []), e]);
    return m;
  }, [validation]);
  const info = useMemo(
    () => ({
      errors: errorsByNode,
      analytics: analytics ? new Map(analytics.nodes.map((n) => [n.nodeId, n])) : null,
      templateName: (id: string) => options.templates.find((x) => x.id === id)?.name,
      segmentName: (id: string) => options.segments.find((x) => x.id === id)?.name,
    }),
    [errorsByNode, analytics, options],
  );

  const submit = (intent: string, extra: Record<string, string> = {}) => {
    const body: Record<string, string> = { intent, ...extra };
    if (intent === 'save' || intent === 'publish') {
      pending.current = history.present;
      body.definition = JSON.stringify(draftOf(history.present));
      body.layout = JSON.stringify(history.present.layout);
    }
    void fetcher.submit(body, { method: 'post' });
  };

  const selectedNode = selected ? doc.nodes.find((n) => n.id === selected) : undefined;
  const segmentEntry = (() => {
    const e = validation.ok ? entryOf(validation.definition) : undefined;
    return e?.trigger.kind === 'segment_entered';
  })();
  const result = fetcher.state === 'idle' ? fetcher.data : undefined;
  const busy = fetcher.state !== 'idle';

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <PageTitle title={journey.name} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Link href="/journeys" underline="hover" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}>
          <ArrowBack fontSize="small" />
          {t('journey.back')}
        </Link>
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" data-testid="journey-name" sx={{ mr: 1 }}>
          {journey.name}
        </Typography>
        <JourneyStatusChip status={journey.status} />
        <Typography variant="body2" color="text.secondary" data-testid="journey-version">
          {journey.latestVersion ? `v${journey.latestVersion}` : t('journeys.noVersion')}
        </Typography>
        {dirty && !readOnly ? (
          <Typography variant="body2" color="warning.main" data-testid="journey-dirty">
            {t('journey.unsaved')}
          </Typography>
        ) : null}
        <Box sx={{ flex: 1 }} />
        {journey.versions.length ? (
          <TextField
            select
            size="small"
            label={t('journey.view')}
            value={version ? String(version.version) : 'draft'}
            onChange={(e) => {
              setSelected(null);
              setSearch(e.target.value === 'draft' ? {} : { view: e.target.value }, { replace: true });
            }}
            sx={{ minWidth: 220 }}
            slotProps={{ htmlInput: { 'data-testid': 'view-select' } }}
          >
            <MenuItem value="draft">{t('journey.view.draft')}</MenuItem>
            {journey.versions.map((v) => (
              <MenuItem key={v.version} value={String(v.version)}>
                {t('journey.view.version', { version: v.version })}
              </MenuItem>
            ))}
          </TextField>
        ) : null}
      </Box>

      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
        <Tooltip title={t('journey.undo')}>
          <span>
            <IconButton aria-label={t('journey.undo')} onClick={() => setHistory(undo)} disabled={readOnly || !history.past.length} data-testid="undo">
              <Undo />
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip title={t('journey.redo')}>
          <span>
            <IconButton aria-label={t('journey.redo')} onClick={() => setHistory(redo)} disabled={readOnly || !history.future.length} data-testid="redo">
              <Redo />
            </IconButton>
          </span>
        </Tooltip>
        <Button
          startIcon={<AccountTreeOutlined />}
          disabled={readOnly}
          onClick={() => {
            apply((d) => ({ ...d, layout: autoLayout({ nodes: d.nodes }, LAYOUT_GAPS) }));
            setFitSignal((x) => x + 1);
          }}
          data-testid="auto-layout"
        >
          {t('journey.autoLayout')}
        </Button>
        <Box sx={{ flex: 1 }} />
        {!readOnly ? (
          <>
            <Button variant="outlined" startIcon={<SaveOutlined />} disabled={busy || !dirty} onClick={() => submit('save')} data-testid="save-draft">
              {busy && fetcher.formData?.get('intent') === 'save' ? t('journey.saving') : t('journey.save')}
            </Button>
            <Button variant="contained" startIcon={<PublishOutlined />} disabled={busy} onClick={() => setPublishOpen(true)} data-testid="publish">
              {t('journey.publish')}
            </Button>
          </>
        ) : null}
        {journey.status === 'active' ? (
          <Button startIcon={<PauseCircleOutlined />} disabled={busy} onClick={() => submit('pause')} data-testid="pause">
            {t('journey.pause')}
          </Button>
        ) : null}
        {journey.status === 'paused' ? (
          <Button startIcon={<PlayArrowOutlined />} disabled={busy} onClick={() => submit('resume')} data-testid="resume">
            {t('journey.resume')}
          </Button>
        ) : null}
        {journey.status === 'active' || journey.status === 'paused' ? (
          <Button startIcon={<Inventory2Outlined />} disabled={busy} onClick={() => setConfirm('archive')} data-testid="archive">
            {t('journey.archive')}
          </Button>
        ) : null}
        <Button startIcon={<ContentCopy />} disabled={busy} onClick={() => submit('duplicate')} data-testid="duplicate">
          {t('journey.duplicate')}
        </Button>
        {journey.latestVersion === null ? (
          <Button color="error" startIcon={<DeleteOutlined />} disabled={busy} onClick={() => setConfirm('delete')} data-testid="delete-journey">
            {t('journey.delete')}
          </Button>
        ) : null}
      </Box>

      {result?.ok && result.intent === 'save' ? (
        <Alert severity="success" data-testid="journey-saved">
          {t('journey.saved')}
        </Alert>
      ) : null}
      {result?.ok && result.intent === 'publish' ? (
        <Alert severity="success" data-testid="journey-published">
          {result.created ? t('journey.published', { version: result.version ?? 0 }) : t('journey.publishedSame', { version: result.version ?? 0 })}
        </Alert>
      ) : null}
      {result && !result.ok ? (
        <Alert severity="error" data-testid="journey-action-error">
          {t('journey.error', { message: result.message })}
        </Alert>
      ) : null}
      {initial.dropped > 0 && !viewing ? <Alert severity="warning">{t('journey.draftDropped', { count: initial.dropped })}</Alert> : null}
      {viewing ? <Alert severity="info">{t('journey.view.readOnly')}</Alert> : null}
      {analytics ? (
        <Typography variant="body2" color="text.secondary" data-testid="journey-totals">
          {version ? t('journey.analytics.version', { version: version.version }) : t('journey.analytics.allVersions')}:{' '}
          {t('journey.analytics.totals', {
            entered: format.number(analytics.totals.entered),
            running: format.number(analytics.totals.running),
            completed: format.number(analytics.totals.completed),
            converted: format.number(analytics.totals.converted),
            sent: format.number(analytics.totals.messagesSent),
          })}
          {analytics.holdout.entered
            ? ` · ${t('journey.analytics.holdout', {
                holdout: analytics.holdout.entered,
                holdoutConverted: analytics.holdout.converted,
                treatment: analytics.treatment.entered,
                treatmentConverted: analytics.treatment.converted,
              })}`
            : ''}
        </Typography>
      ) : null}

      <Box sx={{ display: 'flex', gap: 1.5, height: 'calc(100vh - 260px)', minHeight: 560 }}>
        {!readOnly ? (
          <Paper variant="outlined" sx={{ width: 180, p: 1.5, flexShrink: 0, overflowY: 'auto' }} data-testid="palette">
            <Typography variant="overline" color="text.secondary">
              {t('journey.palette')}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
              {t('journey.paletteHelp')}
            </Typography>
            <Stack spacing={0.75}>
              {NODE_TYPES.map((type) => (
                <PaletteItem key={type} type={type} />
              ))}
            </Stack>
          </Paper>
        ) : null}
        <Paper variant="outlined" sx={{ flex: 1, minWidth: 0, overflow: 'hidden', display: 'flex' }}>
          <CanvasInfoContext.Provider value={info}>
            <JourneyCanvas key={version ? `v${version.version}` : 'draft'} doc={doc} apply={apply} readOnly={readOnly} onSelectNode={setSelected} fitSignal={fitSignal} />
          </CanvasInfoContext.Provider>
        </Paper>
        <Paper variant="outlined" sx={{ width: 340, p: 2, flexShrink: 0, overflowY: 'auto' }} data-testid="side-panel">
          {selectedNode ? (
            <NodePanel
              key={selectedNode.id}
              node={selectedNode}
              options={options}
              errors={errorsByNode.get(selectedNode.id) ?? []}
              readOnly={readOnly}
              onChange={(n: JourneyNode) => apply((d) => updateNode(d, n))}
              onDelete={() => {
                apply((d) => removeNodes(d, [selectedNode.id]));
                setSelected(null);
              }}
            />
          ) : (
            <>
              <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
                {t('journey.noPanel')}
              </Typography>
              <SettingsPanel settings={doc.settings} options={options} errors={validation.errors} readOnly={readOnly} onChange={(settings) => apply((d) => ({ ...d, settings }))} />
            </>
          )}
        </Paper>
      </Box>

      <Paper variant="outlined" sx={{ p: 1.5 }} data-testid="problems">
        {validation.errors.length ? (
          <>
            <Typography variant="subtitle2" color="error" data-testid="problems-count" data-count={validation.errors.length}>
              {t('journey.problems', { count: validation.errors.length })}
            </Typography>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {validation.errors.map((e, i) => (
                <li key={i} data-testid="problem" data-node-id={e.nodeId ?? ''} data-code={e.code}>
                  <Typography variant="body2">
                    <strong>{errorLabel(e, doc, t)}</strong>: {e.message}
                  </Typography>
                </li>
              ))}
            </Box>
          </>
        ) : (
          <Typography variant="body2" color="success.main" data-testid="problems-none">
            {t('journey.problemsNone')}
          </Typography>
        )}
      </Paper>

      <Dialog open={publishOpen} onClose={() => setPublishOpen(false)} maxWidth="sm" fullWidth>
        <DialogTitle>{t('journey.publishDialog.title')}</DialogTitle>
        <DialogContent>
          {validation.ok ? (
            <>
              <DialogContentText>{t('journey.publishDialog.body', { version: (journey.latestVersion ?? 0) + 1 })}</DialogContentText>
              {segmentEntry ? (
                <Box sx={{ mt: 2 }}>
                  <FormControlLabel
                    control={<Checkbox checked={enterMembers} onChange={(e) => setEnterMembers(e.target.checked)} slotProps={{ input: { 'data-testid': 'enter-members' } as object }} />}
                    label={t('journey.publishDialog.enterMembers')}
                  />
                  <Typography variant="body2" color="text.secondary">
                    {t('journey.publishDialog.enterMembersHelp')}
                  </Typography>
                </Box>
              ) : null}
            </>
          ) : (
            <Alert severity="error">{t('journey.publishDialog.invalid')}</Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPublishOpen(false)}>{t('common.cancel')}</Button>
          <Button
            variant="contained"
            disabled={!validation.ok || busy}
            data-testid="publish-confirm"
            onClick={() => {
              setPublishOpen(false);
              submit('publish', { enterCurrentMembers: String(segmentEntry && enterMembers) });
            }}
          >
            {t('journey.publish')}
          </Button>
        </DialogActions>
      </Dialog>

      <Dialog open={confirm !== null} onClose={() => setConfirm(null)}>
        <DialogContent>
          <DialogContentText>{confirm === 'archive' ? t('journey.archiveConfirm') : t('journey.deleteConfirm')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(null)}>{t('common.cancel')}</Button>
          <Button
            color={confirm === 'delete' ? 'error' : 'primary'}
            variant="contained"
            data-testid="confirm-action"
            onClick={() => {
              if (confirm) submit(confirm);
              setConfirm(null);
            }}
          >
            {confirm === 'archive' ? t('journey.archive') : t('journey.delete')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

export default function JourneyPage(props: Route.ComponentProps) {
  // A different journey (duplicate) starts a fresh editor state.
  return <Editor key={props.loaderData.journey.id} {...props} />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
