// The experiment setup form: design (A/B/n or multivariate), holdout, audience, metrics (with an inline "new metric"
// dialog), minimum sample, analysis settings, auto-select, schedule, and the sample-size calculator beside it.
import Add from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import { useEffect, useMemo, useState } from 'react';
import { useFetcher } from 'react-router';
import type { ExperimentDefinition } from '#core/experiments/definition.ts';
import { sampleSizePerVariant } from '#core/experiments/power.ts';
import { SectionCard } from '#app/components/section-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { MetricDialog, type PageError } from './metric-dialog.tsx';

export interface SetupOptions {
  metrics: { id: string; key: string; name: string }[];
  segments: { id: string; name: string }[];
  journeys: { id: string; name: string; nodes: { id: string; label: string; ports: string[] }[] }[];
  templates: { id: string; name: string; channel: string }[];
}

type ActionData = { ok: { id: string } } | { error: PageError & { code: string } };

interface VariantRow {
  key: string;
  name: string;
  weight: string;
  templateId: string;
}
interface FactorRow {
  key: string;
  name: string;
  levels: string;
}

const toLocalInput = (iso?: string) => (iso ? iso.slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : undefined);

/** Sample size for the calculator (client side; the same formula as GET /experiments/sample-size). */
function SampleSizeCalculator({ variants, onUse }: { variants: number; onUse: (n: number) => void }) {
  const t = useT();
  const format = useFormat();
  const [baseline, setBaseline] = useState('5');
  const [mde, setMde] = useState('10');
  const [kind, setKind] = useState<'relative' | 'absolute'>('relative');
  const [power, setPower] = useState('80');
  const [alpha, setAlpha] = useState('0.05');
  const n = useMemo(() => {
    const p = Number(baseline) / 100;
    const effect = kind === 'relative' ? Number(mde) / 100 : Number(mde) / 100;
    const delta = kind === 'relative' ? effect * p : effect;
    if (!(p > 0 && p < 1) || !(delta > 0) || p + delta >= 1) return Infinity;
    return Math.ceil(sampleSizePerVariant({ baselineRate: p, mde: effect, mdeKind: kind, alpha: Number(alpha) / Math.max(1, variants - 1), power: Number(power) / 100 }));
  }, [baseline, mde, kind, power, alpha, variants]);
  return (
    <SectionCard title={t('experiments.calc.title')}>
      <Stack spacing={2}>
        <TextField size="small" type="number" label={t('experiments.calc.baseline')} value={baseline} onChange={(e) => setBaseline(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'calc-baseline' } }} />
        <ToggleButtonGroup size="small" exclusive value={kind} onChange={(_, v: 'relative' | 'absolute' | null) => v && setKind(v)}>
          <ToggleButton value="relative">{t('experiments.calc.relative')}</ToggleButton>
          <ToggleButton value="absolute">{t('experiments.calc.absolute')}</ToggleButton>
        </ToggleButtonGroup>
        <TextField size="small" type="number" label={t('experiments.calc.mde')} value={mde} onChange={(e) => setMde(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'calc-mde' } }} />
        <TextField size="small" type="number" label={t('experiments.form.alpha')} value={alpha} onChange={(e) => setAlpha(e.target.value)} />
        <TextField size="small" type="number" label={t('experiments.calc.power')} value={power} onChange={(e) => setPower(e.target.value)} />
        {Number.isFinite(n) ? (
          <Box>
            <Typography variant="overline">{t('experiments.calc.perVariant')}</Typography>
            <Typography variant="h5" data-testid="calc-per-variant">
              {format.number(n)}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {t('experiments.calc.total', { variants })}: {format.number(n * variants)}
            </Typography>
            <Button size="small" sx={{ mt: 1 }} onClick={() => onUse(n)}>
              {t('experiments.calc.useIt')}
            </Button>
          </Box>
        ) : (
          <Alert severity="warning">{t('experiments.calc.impossible')}</Alert>
        )}
      </Stack>
    </SectionCard>
  );
}

export function ExperimentSetupForm({ options, initial, cancelHref }: { options: SetupOptions; initial?: ExperimentDefinition | undefined; cancelHref: string }) {
  const t = useT();
  const save = useFetcher<ActionData>();
  const metricFetcher = useFetcher<{ ok: { id: string; key: string; name: string } } | { error: PageError }>();
  const [metrics, setMetrics] = useState(options.metrics);
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [hypothesis, setHypothesis] = useState(initial?.hypothesis ?? '');
  const [kind, setKind] = useState<'ab' | 'multivariate'>(initial?.design.kind ?? 'ab');
  const [variants, setVariants] = useState<VariantRow[]>(
    initial?.design.kind === 'ab'
      ? initial.design.variants.map((v) => ({ key: v.key, name: v.name, weight: String(v.weight), templateId: v.templateId ?? '' }))
      : [
          { key: 'control', name: 'Control', weight: '50', templateId: '' },
          { key: 'b', name: 'B', weight: '50', templateId: '' },
        ],
  );
  const [factors, setFactors] = useState<FactorRow[]>(
    initial?.design.kind === 'multivariate'
      ? initial.design.factors.map((f) => ({ key: f.key, name: f.name, levels: f.levels.map((l) => l.key).join(', ') }))
      : [
          { key: 'color', name: 'Color', levels: 'red, blue' },
          { key: 'size', name: 'Size', levels: 's, l' },
        ],
  );
  const [holdout, setHoldout] = useState(String(initial?.holdoutPercent ?? 0));
  const [audience, setAudience] = useState<'api' | 'segment' | 'journey'>(initial?.audience.kind ?? 'api');
  const [segmentId, setSegmentId] = useState(initial?.audience.kind === 'segment' ? initial.audience.segmentId : '');
  const [journeyId, setJourneyId] = useState(initial?.audience.kind === 'journey' ? initial.audience.journeyId : '');
  const [nodeId, setNodeId] = useState(initial?.audience.kind === 'journey' ? initial.audience.nodeId : '');
  const [primary, setPrimary] = useState(initial?.primaryMetricId ?? '');
  const [guardrails, setGuardrails] = useState<string[]>(initial?.guardrailMetricIds ?? []);
  const [minSample, setMinSample] = useState(String(initial?.minSamplePerVariant ?? 100));
  const [alpha, setAlpha] = useState(String(initial?.analysis.alpha ?? 0.05));
  const [rule, setRule] = useState(initial?.analysis.decisionRule ?? 'sequential');
  const [correction, setCorrection] = useState(initial?.analysis.correction ?? 'holm-bonferroni');
  const [cuped, setCuped] = useState(initial?.analysis.cuped ?? true);
  const [interval, setInterval] = useState(String(initial?.analysis.evaluationIntervalMinutes ?? 60));
  const [autoSelect, setAutoSelect] = useState(initial?.autoSelectWinner ?? true);
  const [startAt, setStartAt] = useState(toLocalInput(initial?.schedule.startAt));
  const [endAt, setEndAt] = useState(toLocalInput(initial?.schedule.endAt));
  const [metricOpen, setMetricOpen] = useState(false);

  useEffect(() => {
    const d = metricFetcher.data;
    if (d && 'ok' in d) {
      setMetrics((m) => (m.some((x) => x.id === d.ok.id) ? m : [...m, d.ok]));
      setPrimary((p) => p || d.ok.id);
      setMetricOpen(false);
    }
  }, [metricFetcher.data]);

  const error = save.data && 'error' in save.data ? save.data.error : undefined;
  const fieldError = (path: string) => error?.details?.find((d) => d.path === path || d.path.startsWith(`${path}.`))?.message;
  const arms = kind === 'ab' ? variants.length : factors.reduce((n, f) => n * Math.max(1, f.levels.split(',').filter((l) => l.trim()).length), 1);
  const journey = options.journeys.find((j) => j.id === journeyId);

  const submit = () => {
    const design =
      kind === 'ab'
        ? { kind, variants: variants.map((v) => ({ key: v.key.trim(), name: v.name.trim() || v.key.trim(), weight: Number(v.weight), ...(v.templateId ? { templateId: v.templateId } : {}) })) }
        : { kind, factors: factors.map((f) => ({ key: f.key.trim(), name: f.name.trim() || f.key.trim(), levels: f.levels.split(',').map((l) => l.trim()).filter(Boolean).map((l) => ({ key: l, name: l })) })), templates: initial?.design.kind === 'multivariate' ? initial.design.templates : {} };
    const experiment = {
      name,
      description: description || null,
      hypothesis: hypothesis || null,
      design,
      holdoutPercent: Number(holdout),
      audience: audience === 'api' ? { kind: 'api' } : audience === 'segment' ? { kind: 'segment', segmentId } : { kind: 'journey', journeyId, nodeId },
      primaryMetricId: primary,
      guardrailMetricIds: guardrails,
      minSamplePerVariant: Number(minSample),
      analysis: { alpha: Number(alpha), decisionRule: rule, correction, cuped, evaluationIntervalMinutes: Number(interval) },
      autoSelectWinner: autoSelect,
      schedule: { ...(fromLocalInput(startAt) ? { startAt: fromLocalInput(startAt) } : {}), ...(fromLocalInput(endAt) ? { endAt: fromLocalInput(endAt) } : {}) },
    };
    void save.submit({ intent: 'save', experiment } as never, { method: 'post', encType: 'application/json' });
  };

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 320px' }, gap: 2, alignItems: 'start' }}>
      <Stack spacing={2}>
        {error ? (
          <Alert severity="error" data-testid="experiment-form-error">
            {error.details?.length ? `${t('experiments.form.fixErrors')} ${error.details.map((d) => `${d.path}: ${d.message}`).join('; ')}` : error.message}
          </Alert>
        ) : null}
        <SectionCard title={t('experiments.detail.setup')}>
          <Stack spacing={2}>
            <TextField label={t('experiments.form.name')} value={name} onChange={(e) => setName(e.target.value)} error={Boolean(fieldError('name'))} helperText={fieldError('name')} slotProps={{ htmlInput: { 'data-testid': 'experiment-name' } }} />
            <TextField label={t('experiments.form.description')} value={description} onChange={(e) => setDescription(e.target.value)} multiline />
            <TextField label={t('experiments.form.hypothesis')} value={hypothesis} onChange={(e) => setHypothesis(e.target.value)} multiline />
          </Stack>
        </SectionCard>
        <SectionCard title={t('experiments.form.design')}>
          <Stack spacing={2}>
            <ToggleButtonGroup size="small" exclusive value={kind} onChange={(_, v: 'ab' | 'multivariate' | null) => v && setKind(v)}>
              <ToggleButton value="ab">{t('experiments.form.ab')}</ToggleButton>
              <ToggleButton value="multivariate">{t('experiments.form.multivariate')}</ToggleButton>
            </ToggleButtonGroup>
            {kind === 'ab' ? (
              <>
                <Typography variant="body2" color="text.secondary">
                  {t('experiments.form.controlHint')}
                </Typography>
                {variants.map((v, i) => (
                  <Box key={i} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
                    <TextField size="small" label={t('experiments.form.variantKey')} value={v.key} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} error={Boolean(fieldError(`design.variants.${i}.key`))} helperText={fieldError(`design.variants.${i}.key`)} />
                    <TextField size="small" label={t('experiments.form.variantName')} value={v.name} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
                    <TextField size="small" type="number" sx={{ width: 100 }} label={t('experiments.form.weight')} value={v.weight} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, weight: e.target.value } : x)))} />
                    {audience === 'segment' ? (
                      <TextField size="small" select sx={{ minWidth: 160 }} label={t('experiments.form.template')} value={v.templateId} onChange={(e) => setVariants(variants.map((x, j) => (j === i ? { ...x, templateId: e.target.value } : x)))} error={Boolean(fieldError(`design.variants.${i}.templateId`))}>
                        <MenuItem value="">{t('experiments.form.noTemplate')}</MenuItem>
                        {options.templates.map((tpl) => (
                          <MenuItem key={tpl.id} value={tpl.id}>
                            {tpl.name} ({tpl.channel})
                          </MenuItem>
                        ))}
                      </TextField>
                    ) : null}
                    <IconButton aria-label={t('experiments.form.remove')} disabled={variants.length <= 2} onClick={() => setVariants(variants.filter((_, j) => j !== i))}>
                      <DeleteOutline />
                    </IconButton>
                  </Box>
                ))}
                <Box>
                  <Button size="small" startIcon={<Add />} disabled={variants.length >= 10} onClick={() => setVariants([...variants, { key: String.fromCharCode(97 + variants.length), name: String.fromCharCode(65 + variants.length), weight: '50', templateId: '' }])}>
                    {t('experiments.form.addVariant')}
                  </Button>
                </Box>
              </>
            ) : (
              <>
                {factors.map((f, i) => (
                  <Box key={i} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
                    <TextField size="small" label={t('experiments.form.factorKey')} value={f.key} onChange={(e) => setFactors(factors.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} error={Boolean(fieldError(`design.factors.${i}.key`))} />
                    <TextField size="small" label={t('experiments.form.factorName')} value={f.name} onChange={(e) => setFactors(factors.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
                    <TextField size="small" sx={{ flex: 1 }} label={t('experiments.form.levels')} value={f.levels} onChange={(e) => setFactors(factors.map((x, j) => (j === i ? { ...x, levels: e.target.value } : x)))} error={Boolean(fieldError(`design.factors.${i}.levels`))} helperText={fieldError(`design.factors.${i}.levels`)} />
                    <IconButton aria-label={t('experiments.form.remove')} disabled={factors.length <= 2} onClick={() => setFactors(factors.filter((_, j) => j !== i))}>
                      <DeleteOutline />
                    </IconButton>
                  </Box>
                ))}
                <Box>
                  <Button size="small" startIcon={<Add />} disabled={factors.length >= 3} onClick={() => setFactors([...factors, { key: `f${factors.length + 1}`, name: '', levels: 'a, b' }])}>
                    {t('experiments.form.addFactor')}
                  </Button>
                </Box>
              </>
            )}
            <TextField size="small" type="number" sx={{ width: 200 }} label={t('experiments.form.holdout')} value={holdout} onChange={(e) => setHoldout(e.target.value)} error={Boolean(fieldError('holdoutPercent'))} helperText={fieldError('holdoutPercent')} />
          </Stack>
        </SectionCard>
        <SectionCard title={t('experiments.form.audience')}>
          <Stack spacing={2}>
            <TextField select size="small" label={t('experiments.form.audience')} value={audience} onChange={(e) => setAudience(e.target.value as typeof audience)} error={Boolean(fieldError('audience'))} helperText={fieldError('audience')} data-testid="experiment-audience">
              <MenuItem value="api">{t('experiments.audience.api')}</MenuItem>
              <MenuItem value="segment">{t('experiments.audience.segment')}</MenuItem>
              <MenuItem value="journey">{t('experiments.audience.journey')}</MenuItem>
            </TextField>
            {audience === 'segment' ? (
              <TextField select size="small" label={t('experiments.form.segment')} value={segmentId} onChange={(e) => setSegmentId(e.target.value)} error={Boolean(fieldError('audience.segmentId'))} helperText={fieldError('audience.segmentId')}>
                {options.segments.map((s) => (
                  <MenuItem key={s.id} value={s.id}>
                    {s.name}
                  </MenuItem>
                ))}
              </TextField>
            ) : null}
            {audience === 'journey' ? (
              <>
                <TextField select size="small" label={t('experiments.form.journey')} value={journeyId} onChange={(e) => setJourneyId(e.target.value)} error={Boolean(fieldError('audience.journeyId'))} helperText={fieldError('audience.journeyId')}>
                  {options.journeys.map((j) => (
                    <MenuItem key={j.id} value={j.id}>
                      {j.name}
                    </MenuItem>
                  ))}
                </TextField>
                <TextField select size="small" label={t('experiments.form.node')} value={nodeId} onChange={(e) => setNodeId(e.target.value)} error={Boolean(fieldError('audience.nodeId'))} helperText={fieldError('audience.nodeId')}>
                  {(journey?.nodes ?? []).map((n) => (
                    <MenuItem key={n.id} value={n.id}>
                      {n.label} ({n.ports.join(', ')})
                    </MenuItem>
                  ))}
                </TextField>
              </>
            ) : null}
          </Stack>
        </SectionCard>
        <SectionCard title={t('experiments.form.metrics')} action={<Button size="small" startIcon={<Add />} onClick={() => setMetricOpen(true)} data-testid="new-metric-inline">{t('experiments.form.newMetric')}</Button>}>
          <Stack spacing={2}>
            <TextField select size="small" label={t('experiments.form.primary')} value={primary} onChange={(e) => setPrimary(e.target.value)} error={Boolean(fieldError('primaryMetricId'))} helperText={fieldError('primaryMetricId')} data-testid="experiment-primary">
              {metrics.map((m) => (
                <MenuItem key={m.id} value={m.id}>
                  {m.name} ({m.key})
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={t('experiments.form.guardrails')} value={guardrails} onChange={(e) => setGuardrails(e.target.value as unknown as string[])} slotProps={{ select: { multiple: true } }} error={Boolean(fieldError('guardrailMetricIds'))} helperText={fieldError('guardrailMetricIds')}>
              {metrics.filter((m) => m.id !== primary).map((m) => (
                <MenuItem key={m.id} value={m.id}>
                  {m.name} ({m.key})
                </MenuItem>
              ))}
            </TextField>
            <TextField size="small" type="number" label={t('experiments.form.minSample')} value={minSample} onChange={(e) => setMinSample(e.target.value)} error={Boolean(fieldError('minSamplePerVariant'))} helperText={fieldError('minSamplePerVariant')} slotProps={{ htmlInput: { 'data-testid': 'experiment-min-sample' } }} />
          </Stack>
        </SectionCard>
        <SectionCard title={t('experiments.form.analysis')}>
          <Stack spacing={2}>
            <TextField size="small" type="number" label={t('experiments.form.alpha')} value={alpha} onChange={(e) => setAlpha(e.target.value)} error={Boolean(fieldError('analysis.alpha'))} helperText={fieldError('analysis.alpha')} />
            <TextField select size="small" label={t('experiments.form.decisionRule')} value={rule} onChange={(e) => setRule(e.target.value as typeof rule)}>
              <MenuItem value="sequential">{t('experiments.form.rule.sequential')}</MenuItem>
              <MenuItem value="fixed">{t('experiments.form.rule.fixed')}</MenuItem>
            </TextField>
            <TextField select size="small" label={t('experiments.form.correction')} value={correction} onChange={(e) => setCorrection(e.target.value as typeof correction)}>
              <MenuItem value="holm-bonferroni">Holm-Bonferroni</MenuItem>
              <MenuItem value="benjamini-hochberg">Benjamini-Hochberg</MenuItem>
              <MenuItem value="none">—</MenuItem>
            </TextField>
            <TextField size="small" type="number" label={t('experiments.form.interval')} value={interval} onChange={(e) => setInterval(e.target.value)} error={Boolean(fieldError('analysis.evaluationIntervalMinutes'))} helperText={fieldError('analysis.evaluationIntervalMinutes')} />
            <FormControlLabel control={<Checkbox checked={cuped} onChange={(e) => setCuped(e.target.checked)} />} label={t('experiments.form.cuped')} />
            <FormControlLabel control={<Checkbox checked={autoSelect} onChange={(e) => setAutoSelect(e.target.checked)} />} label={t('experiments.form.autoSelect')} />
          </Stack>
        </SectionCard>
        <SectionCard title={t('experiments.form.schedule')}>
          <Box sx={{ display: 'flex', gap: 2 }}>
            <TextField size="small" type="datetime-local" label={t('experiments.form.startAt')} value={startAt} onChange={(e) => setStartAt(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
            <TextField size="small" type="datetime-local" label={t('experiments.form.endAt')} value={endAt} onChange={(e) => setEndAt(e.target.value)} error={Boolean(fieldError('schedule.endAt'))} helperText={fieldError('schedule.endAt')} slotProps={{ inputLabel: { shrink: true } }} />
          </Box>
        </SectionCard>
        <Box sx={{ display: 'flex', gap: 1 }}>
          <Button variant="contained" onClick={submit} disabled={save.state !== 'idle'} data-testid="experiment-save">
            {save.state !== 'idle' ? t('experiments.form.saving') : initial ? t('experiments.form.saveChanges') : t('experiments.form.save')}
          </Button>
          <Button href={cancelHref}>{t('experiments.form.cancel')}</Button>
        </Box>
      </Stack>
      <SampleSizeCalculator variants={Math.max(2, arms)} onUse={(n) => setMinSample(String(n))} />
      <MetricDialog
        open={metricOpen}
        onClose={() => setMetricOpen(false)}
        busy={metricFetcher.state !== 'idle'}
        error={metricFetcher.data && 'error' in metricFetcher.data ? metricFetcher.data.error : undefined}
        onCreate={(metric) => void metricFetcher.submit({ intent: 'metric', metric } as never, { method: 'post', encType: 'application/json' })}
      />
    </Box>
  );
}
