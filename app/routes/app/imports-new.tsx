import UploadFileIcon from '@mui/icons-material/UploadFile';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputLabel from '@mui/material/InputLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useRef, useState } from 'react';
import { data, useFetcher, useNavigate } from 'react-router';
import { dryRunInBrowser, formatOfName, previewFile, uploadFile, type DryRunResult, type FilePreview } from '#app/components/imports/browser-file.ts';
import { entityLabel, ErrorLines, targetLabel } from '#app/components/imports/import-parts.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { fileConfig } from '#core/connectors/config.ts';
import { checkMapping, effectiveMapping, normalizeHeader, type ColumnMapping } from '#core/imports/mapping.ts';
import { ATTRIBUTE_ENTITIES, ATTRIBUTE_PREFIX, IMPORT_ENTITIES, TARGETS, type ImportEntity, type ImportFormat } from '#core/imports/targets.ts';
import type { DecimalStyle } from '#core/imports/values.ts';
import { createConnection, listConnections } from '#db/queries/connections.ts';
import { getTenantById } from '#db/queries/tenants.ts';
import { credentialsKeyring } from '#platform/secrets.ts';
import type { Route } from './+types/imports-new';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const [connections, tenant] = await Promise.all([listConnections(getDb().$client, user.tenantId), getTenantById(getDb(), user.tenantId)]);
  return {
    timeZone: tenant?.timezone ?? 'America/Argentina/Buenos_Aires',
    connections: connections
      .filter((c) => c.kind === 'file')
      .map((c) => {
        const config = fileConfig.safeParse(c.config).data ?? { source: 'erp', mappings: {} };
        return { id: c.id, name: c.name, source: config.source, mappings: config.mappings };
      }),
  };
}

type ActionError = 'name' | 'source' | 'nameTaken' | 'unknownIntent';

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get('intent') !== 'create-connection') return data({ ok: false as const, error: 'unknownIntent' as ActionError }, { status: 400 });
  const name = String(form.get('name') ?? '').trim();
  if (!name || name.length > 100) return data({ ok: false as const, error: 'name' as ActionError }, { status: 400 });
  const config = fileConfig.safeParse({ source: String(form.get('source') ?? '').trim() || 'erp' });
  if (!config.success) return data({ ok: false as const, error: 'source' as ActionError }, { status: 400 });
  try {
    const created = await createConnection(getDb().$client, credentialsKeyring(), user.tenantId, { kind: 'file', name, config: config.data });
    return { ok: true as const, id: created.id };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return data({ ok: false as const, error: 'nameTaken' as ActionError }, { status: 409 });
    throw err;
  }
}

type Connection = Route.ComponentProps['loaderData']['connections'][number];

function ConnectionPicker({ connections, value, onChange }: { connections: Connection[]; value: string; onChange: (id: string) => void }) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const [creating, setCreating] = useState(false);
  const created = fetcher.data?.ok ? fetcher.data.id : undefined;
  useEffect(() => {
    // Once the loader has the new connection, select it.
    if (created && connections.some((c) => c.id === created)) {
      onChange(created);
      setCreating(false);
    }
  }, [created, connections, onChange]);
  const errorKey: Record<ActionError, MessageKey> = {
    name: 'imports.new.connection.errorName',
    source: 'imports.new.connection.errorSource',
    nameTaken: 'imports.new.connection.errorTaken',
    unknownIntent: 'imports.new.connection.errorName',
  };
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <FormControl size="small" sx={{ minWidth: 280 }}>
        <InputLabel id="connection-label">{t('imports.new.connection')}</InputLabel>
        <Select
          labelId="connection-label"
          label={t('imports.new.connection')}
          value={creating ? '__new' : value}
          onChange={(e) => {
            if (e.target.value === '__new') setCreating(true);
            else {
              setCreating(false);
              onChange(e.target.value);
            }
          }}
          inputProps={{ 'data-testid': 'connection-select' }}
        >
          <MenuItem value="">{t('imports.new.connection.none')}</MenuItem>
          {connections.map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.name} ({c.source})
            </MenuItem>
          ))}
          <MenuItem value="__new">{t('imports.new.connection.create')}</MenuItem>
        </Select>
      </FormControl>
      {creating ? (
        <fetcher.Form method="post" style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <input type="hidden" name="intent" value="create-connection" />
          <TextField name="name" size="small" label={t('imports.new.connection.name')} required slotProps={{ htmlInput: { maxLength: 100 } }} />
          <TextField name="source" size="small" label={t('imports.new.connection.source')} defaultValue="erp" helperText={t('imports.new.connection.sourceHelp')} />
          <Button type="submit" variant="outlined" disabled={fetcher.state !== 'idle'}>
            {t('imports.new.connection.save')}
          </Button>
          {fetcher.data && !fetcher.data.ok ? (
            <Alert severity="error" sx={{ width: '100%' }}>
              {t(errorKey[fetcher.data.error])}
            </Alert>
          ) : null}
        </fetcher.Form>
      ) : null}
    </Box>
  );
}

function MappingEditor({
  entity,
  preview,
  mapping,
  onChange,
}: {
  entity: ImportEntity;
  preview: FilePreview;
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
}) {
  const t = useT();
  const example = (column: string | undefined) => (column ? preview.sample.find((r) => r[column])?.[column] : undefined);
  const used = new Set(Object.values(mapping));
  const attributeColumns = ATTRIBUTE_ENTITIES.includes(entity) ? preview.columns.filter((c) => c && (!used.has(c) || mapping[`${ATTRIBUTE_PREFIX}${normalizeHeader(c)}`] === c)) : [];
  return (
    <>
      <Table size="small" aria-label={t('imports.new.mapping')} data-testid="mapping-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('imports.new.mapping.field')}</TableCell>
            <TableCell>{t('imports.new.mapping.column')}</TableCell>
            <TableCell>{t('imports.new.mapping.example')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {TARGETS[entity].map((target) => {
            const label = targetLabel(target.key);
            return (
              <TableRow key={target.key}>
                <TableCell>
                  {label ? t(label) : target.key}
                  {target.required ? ' *' : ''}
                  {target.oneOf ? ' †' : ''}{' '}
                  <Typography component="code" variant="caption" color="text.secondary">
                    {target.key}
                  </Typography>
                </TableCell>
                <TableCell sx={{ minWidth: 220 }}>
                  <Select
                    size="small"
                    fullWidth
                    value={mapping[target.key] ?? ''}
                    displayEmpty
                    onChange={(e) => {
                      const next = { ...mapping };
                      if (e.target.value) next[target.key] = e.target.value;
                      else delete next[target.key];
                      onChange(next);
                    }}
                    inputProps={{ 'aria-label': target.key, 'data-testid': `map-${target.key}` }}
                  >
                    <MenuItem value="">
                      <em>{t('imports.new.mapping.unmapped')}</em>
                    </MenuItem>
                    {preview.columns.map((c, i) => (
                      <MenuItem key={`${c}-${i}`} value={c}>
                        {c || t('imports.new.mapping.unnamed')}
                      </MenuItem>
                    ))}
                  </Select>
                </TableCell>
                <TableCell sx={{ color: 'text.secondary', maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{example(mapping[target.key]) ?? ''}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', px: 2, py: 1 }}>
        {t('imports.new.mapping.legend')}
      </Typography>
      {attributeColumns.length ? (
        <Box sx={{ px: 2, pb: 2 }}>
          <Typography variant="subtitle2">{t('imports.new.mapping.attributes')}</Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 2 }}>
            {attributeColumns.map((c) => {
              const key = `${ATTRIBUTE_PREFIX}${normalizeHeader(c)}`;
              return (
                <FormControlLabel
                  key={c}
                  control={
                    <Checkbox
                      size="small"
                      checked={mapping[key] === c}
                      onChange={(e) => {
                        const next = { ...mapping };
                        if (e.target.checked) next[key] = c;
                        else delete next[key];
                        onChange(next);
                      }}
                    />
                  }
                  label={c}
                />
              );
            })}
          </Box>
        </Box>
      ) : null}
    </>
  );
}

interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { path: string; message: string }[] };
}

export default function NewImportPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const { connections, timeZone } = loaderData;
  const [entity, setEntity] = useState<ImportEntity>('customers');
  const [connectionId, setConnectionId] = useState('');
  const [source, setSource] = useState('erp');
  const [file, setFile] = useState<File>();
  const [fileFormat, setFileFormat] = useState<ImportFormat>('csv');
  const [preview, setPreview] = useState<FilePreview>();
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [currency, setCurrency] = useState('ARS');
  const [decimal, setDecimal] = useState<DecimalStyle>('auto');
  const [dryRun, setDryRun] = useState<{ progress: number; result?: DryRunResult; error?: string }>();
  const [upload, setUpload] = useState<{ progress: number; error?: ApiErrorBody['error'] }>();
  const abort = useRef<AbortController | undefined>(undefined);
  const connection = connections.find((c) => c.id === connectionId);

  // The suggested mapping follows the file, the entity and the connection's saved mapping (by value: a
  // revalidated loader, or a new connection with nothing saved, must not undo the user's edits).
  const saved = JSON.stringify(connection?.mappings[entity] ?? null);
  useEffect(() => {
    if (!preview || preview.error) return;
    setMapping(effectiveMapping(entity, preview.columns, (JSON.parse(saved) as ColumnMapping | null) ?? undefined));
    setDryRun(undefined);
  }, [preview, entity, saved]);

  const chooseFile = async (f: File | undefined, fmt = f ? formatOfName(f.name) : fileFormat) => {
    setFile(f);
    setDryRun(undefined);
    setUpload(undefined);
    setFileFormat(fmt);
    if (!f) return setPreview(undefined);
    const p = await previewFile(f, fmt);
    setPreview(p);
    setDecimal(p.delimiter === ';' ? 'comma' : 'auto');
  };

  const problems = useMemo(() => (preview && !preview.error ? checkMapping(entity, mapping, preview.columns) : []), [entity, mapping, preview]);
  const ready = !!file && !!preview && !preview.error && problems.length === 0;
  const busy = (dryRun && !dryRun.result && !dryRun.error) || (upload && !upload.error);
  const options = { currency: currency.trim().toUpperCase() || 'ARS', decimal, timeZone };

  const runDryRun = async () => {
    if (!file || !preview) return;
    abort.current = new AbortController();
    setDryRun({ progress: 0 });
    try {
      const result = await dryRunInBrowser(
        file,
        { entity, format: fileFormat, encoding: preview.encoding, mapping, options, columns: preview.columns, delimiter: preview.delimiter },
        (progress) => setDryRun({ progress }),
        abort.current.signal,
      );
      setDryRun({ progress: 1, result });
    } catch (err) {
      setDryRun({ progress: 0, error: (err as Error).name === 'AbortError' ? t('imports.new.dryRun.stopped') : (err as Error).message });
    }
  };

  const startImport = async () => {
    if (!file || !preview) return;
    const params = new URLSearchParams({ entity, format: fileFormat, mapping: JSON.stringify(mapping), currency: options.currency, decimal, fileName: file.name.slice(0, 255) });
    if (connectionId) params.set('connectionId', connectionId);
    else params.set('source', source.trim() || 'erp');
    const contentType = fileFormat === 'csv' ? `text/csv; charset=${preview.encoding}` : `application/x-ndjson; charset=${preview.encoding}`;
    setUpload({ progress: 0 });
    try {
      const answer = await uploadFile(`/imports/upload?${params}`, file, contentType, (progress) => setUpload({ progress }));
      const body = answer.body as { id?: string } & ApiErrorBody;
      if (answer.status === 202 && body.id) void navigate(`/imports/${body.id}`);
      else setUpload({ progress: 0, error: body.error ?? { message: String(answer.body).slice(0, 300) } });
    } catch {
      setUpload({ progress: 0, error: { message: t('imports.new.upload.network') } });
    }
  };

  return (
    <>
      <PageHeader title={t('imports.new.title')} subtitle={t('imports.new.subtitle')} />
      <Box sx={{ display: 'grid', gap: 2 }}>
        <SectionCard title={t('imports.new.step.file')}>
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
            <FormControl size="small" sx={{ minWidth: 200 }}>
              <InputLabel id="entity-label">{t('imports.new.entity')}</InputLabel>
              <Select labelId="entity-label" label={t('imports.new.entity')} value={entity} onChange={(e) => setEntity(e.target.value as ImportEntity)} inputProps={{ 'data-testid': 'entity-select' }}>
                {IMPORT_ENTITIES.map((e) => (
                  <MenuItem key={e} value={e}>
                    {t(entityLabel(e))}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
            <Button component="label" variant="outlined" startIcon={<UploadFileIcon />}>
              {file ? t('imports.new.changeFile') : t('imports.new.chooseFile')}
              <input
                hidden
                type="file"
                accept=".csv,.txt,.jsonl,.ndjson,text/csv,application/x-ndjson"
                data-testid="file-input"
                onChange={(e) => void chooseFile(e.target.files?.[0])}
              />
            </Button>
            {file ? (
              <Typography color="text.secondary" data-testid="file-info">
                {t('imports.new.fileInfo', { name: file.name, size: file.size < 1e6 ? `${Math.ceil(file.size / 1e3)} KB` : `${(file.size / 1e6).toFixed(1)} MB` })}
                {preview && !preview.error
                  ? ` · ${t('imports.new.detected', {
                      columns: preview.columns.length,
                      encoding: preview.encoding.toUpperCase(),
                      delimiter: preview.delimiter === ';' ? ';' : preview.delimiter === '\t' ? 'tab' : fileFormat === 'csv' ? ',' : 'JSON',
                    })}`
                  : ''}
              </Typography>
            ) : null}
            {file ? (
              <FormControl size="small" sx={{ minWidth: 140 }}>
                <InputLabel id="format-label">{t('imports.new.format')}</InputLabel>
                <Select labelId="format-label" label={t('imports.new.format')} value={fileFormat} onChange={(e) => void chooseFile(file, e.target.value as ImportFormat)}>
                  <MenuItem value="csv">CSV</MenuItem>
                  <MenuItem value="jsonl">JSON lines</MenuItem>
                </Select>
              </FormControl>
            ) : null}
          </Box>
          <ConnectionPicker connections={connections} value={connectionId} onChange={setConnectionId} />
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mt: 2 }}>
            {!connectionId ? (
              <TextField size="small" label={t('imports.new.source')} value={source} onChange={(e) => setSource(e.target.value)} helperText={t('imports.new.sourceHelp')} />
            ) : (
              <Typography color="text.secondary">{t('imports.new.connectionSource', { source: connection?.source ?? '' })}</Typography>
            )}
            <TextField size="small" label={t('imports.new.currency')} value={currency} onChange={(e) => setCurrency(e.target.value)} sx={{ width: 120 }} slotProps={{ htmlInput: { maxLength: 3 } }} />
            <FormControl size="small" sx={{ minWidth: 220 }}>
              <InputLabel id="decimal-label">{t('imports.new.decimal')}</InputLabel>
              <Select labelId="decimal-label" label={t('imports.new.decimal')} value={decimal} onChange={(e) => setDecimal(e.target.value as DecimalStyle)}>
                <MenuItem value="comma">{t('imports.new.decimal.comma')}</MenuItem>
                <MenuItem value="dot">{t('imports.new.decimal.dot')}</MenuItem>
                <MenuItem value="auto">{t('imports.new.decimal.auto')}</MenuItem>
              </Select>
            </FormControl>
          </Box>
          {preview?.error ? (
            <Alert severity="error" sx={{ mt: 2 }}>
              {t('imports.new.unreadable', { reason: preview.error })}
            </Alert>
          ) : null}
        </SectionCard>

        {preview && !preview.error ? (
          <SectionCard title={t('imports.new.mapping')} flush>
            <Typography color="text.secondary" sx={{ px: 2, pb: 1 }}>
              {connection?.mappings[entity] ? t('imports.new.mapping.fromConnection', { name: connection.name }) : t('imports.new.mapping.suggested')}
            </Typography>
            <MappingEditor entity={entity} preview={preview} mapping={mapping} onChange={(m) => { setMapping(m); setDryRun(undefined); }} />
            {problems.length ? (
              <Alert severity="warning" sx={{ m: 2 }} data-testid="mapping-problems">
                {problems.map((p) => (
                  <div key={p.target}>{p.message}</div>
                ))}
              </Alert>
            ) : null}
          </SectionCard>
        ) : null}

        {preview && !preview.error ? (
          <SectionCard title={t('imports.new.step.check')}>
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              {t('imports.new.dryRun.explain')}
            </Typography>
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
              <Button variant="outlined" onClick={() => void runDryRun()} disabled={!ready || !!busy} data-testid="dry-run">
                {t('imports.new.dryRun')}
              </Button>
              {dryRun && !dryRun.result && !dryRun.error ? (
                <>
                  <Box sx={{ width: 240 }}>
                    <LinearProgress variant="determinate" value={dryRun.progress * 100} />
                  </Box>
                  <Button size="small" onClick={() => abort.current?.abort()}>
                    {t('imports.new.dryRun.stop')}
                  </Button>
                </>
              ) : null}
              <Button variant="contained" onClick={() => void startImport()} disabled={!ready || !!busy} data-testid="start-import">
                {t('imports.new.import')}
              </Button>
              {upload && !upload.error ? (
                <Box sx={{ width: 240 }}>
                  <LinearProgress variant="determinate" value={upload.progress * 100} aria-label={t('imports.new.upload.progress')} />
                  <Typography variant="caption" color="text.secondary">
                    {upload.progress < 1 ? t('imports.new.upload.sending', { percent: Math.floor(upload.progress * 100) }) : t('imports.new.upload.staging')}
                  </Typography>
                </Box>
              ) : null}
            </Box>
            {dryRun?.error ? (
              <Alert severity="error" sx={{ mt: 2 }}>
                {dryRun.error}
              </Alert>
            ) : null}
            {upload?.error ? (
              <Alert severity="error" sx={{ mt: 2 }} data-testid="upload-error">
                {upload.error.message}
                {upload.error.details?.map((d) => (
                  <div key={d.path}>
                    <code>{d.path}</code>: {d.message}
                  </div>
                ))}
              </Alert>
            ) : null}
            {dryRun?.result ? (
              <Box sx={{ mt: 2 }} data-testid="dry-run-result">
                <Alert severity={dryRun.result.failed ? 'warning' : 'success'} sx={{ mb: 1 }}>
                  {t('imports.new.dryRun.result', {
                    rows: format.number(dryRun.result.rows),
                    valid: format.number(dryRun.result.rows - dryRun.result.failed),
                    failed: format.number(dryRun.result.failed),
                  })}
                  {entity === 'order_items' ? ` ${t('imports.new.dryRun.itemsNote')}` : ''}
                </Alert>
                <ErrorLines errors={dryRun.result.errors} total={dryRun.result.failed} />
              </Box>
            ) : null}
          </SectionCard>
        ) : null}
      </Box>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
