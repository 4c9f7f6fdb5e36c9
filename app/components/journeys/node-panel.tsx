// The side panel form of the selected node, one per node type. Every change produces a new node (the canvas keeps
// it in its undo history); errors come from validateJourney (the core zod schemas + graph rules) located at the node.
import Add from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Link from '@mui/material/Link';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type ReactNode } from 'react';
import { CHANNELS, type JourneyError, type JourneyNode, type NodeOf } from '#core/journeys/index.ts';
import { segmentRule } from '#core/segments/rule.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

export interface PanelOptions {
  templates: { id: string; name: string; channel: string }[];
  segments: { id: string; name: string }[];
  /** Experiments that target this journey's experiment nodes (linked from the node's form). */
  experiments?: { id: string; name: string; nodeId: string; status: string }[];
}

type Errors = JourneyError[];
const errorAt = (errors: Errors, path: string) => errors.find((e) => e.path === path || e.path?.startsWith(`${path}.`))?.message;

/** A number of seconds edited as an amount and a unit. */
export function DurationField({ label, seconds, onChange, testId, error }: { label: string; seconds: number; onChange: (s: number) => void; testId: string; error?: string }) {
  const t = useT();
  const unit = seconds % 86_400 === 0 ? 86_400 : seconds % 3600 === 0 ? 3600 : 60;
  const [amount, setAmount] = useState(String(Math.max(1, Math.round(seconds / unit))));
  const [u, setU] = useState(unit);
  useEffect(() => {
    setAmount(String(Math.max(1, Math.round(seconds / unit))));
    setU(unit);
  }, [seconds, unit]);
  const emit = (a: string, un: number) => {
    const n = Number(a);
    if (Number.isFinite(n) && n > 0) onChange(Math.round(n * un));
  };
  return (
    <Box sx={{ display: 'flex', gap: 1 }}>
      <TextField
        label={label}
        type="number"
        size="small"
        value={amount}
        error={!!error}
        helperText={error}
        onChange={(e) => {
          setAmount(e.target.value);
          emit(e.target.value, u);
        }}
        slotProps={{ htmlInput: { min: 1, 'data-testid': testId } }}
        sx={{ flex: 1 }}
      />
      <TextField
        select
        size="small"
        label={t('journey.field.unit')}
        value={u}
        onChange={(e) => {
          setU(Number(e.target.value));
          emit(amount, Number(e.target.value));
        }}
        sx={{ width: 120 }}
      >
        <MenuItem value={60}>{t('journey.unit.minutes')}</MenuItem>
        <MenuItem value={3600}>{t('journey.unit.hours')}</MenuItem>
        <MenuItem value={86_400}>{t('journey.unit.days')}</MenuItem>
      </TextField>
    </Box>
  );
}

export function SegmentSelect({ value, onChange, segments, error, testId }: { value: string; onChange: (id: string) => void; segments: PanelOptions['segments']; error?: string; testId: string }) {
  const t = useT();
  const known = segments.some((s) => s.id === value);
  return (
    <TextField select size="small" label={t('journey.field.segment')} value={value} onChange={(e) => onChange(e.target.value)} error={!!error} helperText={error} slotProps={{ htmlInput: { 'data-testid': testId } }} fullWidth>
      {!known && value ? <MenuItem value={value}>{value}</MenuItem> : null}
      {segments.map((s) => (
        <MenuItem key={s.id} value={s.id}>
          {s.name}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** A JSON value edited as text; only valid JSON reaches onChange (and, with `check`, only values it accepts). */
export function JsonField({ label, value, onChange, testId, check, minRows = 3 }: { label: string; value: unknown; onChange: (v: unknown) => void; testId: string; check?: (v: unknown) => string | null; minRows?: number }) {
  const t = useT();
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    try {
      if (JSON.stringify(JSON.parse(text)) === JSON.stringify(value)) return;
    } catch {
      // the text is being edited; an outside change (undo) still wins below
    }
    setText(JSON.stringify(value, null, 2));
    setError(null);
  }, [JSON.stringify(value)]);
  return (
    <TextField
      label={label}
      multiline
      minRows={minRows}
      size="small"
      value={text}
      error={!!error}
      helperText={error}
      onChange={(e) => {
        setText(e.target.value);
        let parsed: unknown;
        try {
          parsed = JSON.parse(e.target.value);
        } catch {
          setError(t('journey.field.jsonInvalid'));
          return;
        }
        const problem = check?.(parsed) ?? null;
        setError(problem);
        if (!problem) onChange(parsed);
      }}
      slotProps={{ htmlInput: { 'data-testid': testId, spellCheck: false, style: { fontFamily: 'monospace', fontSize: 12 } } }}
      fullWidth
    />
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box>
      <Typography variant="overline" color="text.secondary">
        {title}
      </Typography>
      <Stack spacing={1.5}>{children}</Stack>
    </Box>
  );
}

const slug = (prefix: string, taken: string[]) => {
  for (let i = taken.length + 1; ; i++) if (!taken.includes(`${prefix}-${i}`)) return `${prefix}-${i}`;
};

function EntryForm({ node, set, options, errors }: { node: NodeOf<'entry'>; set: (n: JourneyNode) => void; options: PanelOptions; errors: Errors }) {
  const t = useT();
  const tr = node.trigger;
  const kind = tr?.kind ?? 'api';
  const setTrigger = (trigger: NodeOf<'entry'>['trigger']) => set({ ...node, trigger });
  return (
    <>
      <TextField
        select
        size="small"
        label={t('journey.field.trigger')}
        value={kind}
        onChange={(e) => {
          const k = e.target.value;
          if (k === 'api') setTrigger({ kind: 'api' });
          if (k === 'event') setTrigger({ kind: 'event', event: 'Product Added', where: [] });
          if (k === 'segment_entered') setTrigger({ kind: 'segment_entered', segmentId: options.segments[0]?.id ?? '' });
          if (k === 'date') setTrigger({ kind: 'date', date: 'birthday', localHour: 9, localMinute: 0 });
        }}
        slotProps={{ htmlInput: { 'data-testid': 'field-trigger-kind' } }}
      >
        {(['api', 'event', 'segment_entered', 'date'] as const).map((k) => (
          <MenuItem key={k} value={k}>
            {t(`journey.field.trigger.${k}` as MessageKey)}
          </MenuItem>
        ))}
      </TextField>
      {tr?.kind === 'event' ? (
        <>
          <TextField size="small" label={t('journey.field.event')} value={tr.event} error={!!errorAt(errors, 'trigger.event')} helperText={errorAt(errors, 'trigger.event')} onChange={(e) => setTrigger({ ...tr, event: e.target.value })} slotProps={{ htmlInput: { 'data-testid': 'field-trigger-event' } }} />
          <TextField
            size="small"
            label={t('journey.field.correlationKey')}
            value={tr.correlationKey ?? ''}
            helperText={errorAt(errors, 'trigger.correlationKey') ?? t('journey.field.correlationKeyHelp')}
            error={!!errorAt(errors, 'trigger.correlationKey')}
            onChange={(e) => {
              const { correlationKey: _drop, ...rest } = tr;
              setTrigger(e.target.value ? { ...rest, correlationKey: e.target.value } : rest);
            }}
            slotProps={{ htmlInput: { 'data-testid': 'field-trigger-key' } }}
          />
        </>
      ) : null}
      {tr?.kind === 'segment_entered' ? <SegmentSelect value={tr.segmentId} segments={options.segments} onChange={(segmentId) => setTrigger({ ...tr, segmentId })} error={errorAt(errors, 'trigger.segmentId')} testId="field-trigger-segment" /> : null}
      {tr?.kind === 'date' ? (
        <>
          <TextField select size="small" label={t('journey.field.date')} value={tr.date} onChange={(e) => setTrigger({ ...tr, date: e.target.value as typeof tr.date })}>
            {(['birthday', 'signup_anniversary', 'first_order_anniversary'] as const).map((d) => (
              <MenuItem key={d} value={d}>
                {t(`journey.field.date.${d}` as MessageKey)}
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ display: 'flex', gap: 1 }}>
            <TextField size="small" type="number" label={t('journey.field.localHour')} value={tr.localHour} onChange={(e) => setTrigger({ ...tr, localHour: Number(e.target.value) })} slotProps={{ htmlInput: { min: 0, max: 23 } }} />
            <TextField size="small" type="number" label={t('journey.field.localMinute')} value={tr.localMinute ?? 0} onChange={(e) => setTrigger({ ...tr, localMinute: Number(e.target.value) })} slotProps={{ htmlInput: { min: 0, max: 59 } }} />
          </Box>
        </>
      ) : null}
    </>
  );
}

function DelayForm({ node, set, errors }: { node: NodeOf<'delay'>; set: (n: JourneyNode) => void; errors: Errors }) {
  const t = useT();
  const d = node.delay;
  const setDelay = (delay: NodeOf<'delay'>['delay']) => set({ ...node, delay });
  return (
    <>
      <TextField
        select
        size="small"
        label={t('journey.field.delayKind')}
        value={d?.kind ?? 'duration'}
        onChange={(e) => {
          const k = e.target.value;
          if (k === 'duration') setDelay({ kind: 'duration', seconds: 86_400 });
          if (k === 'local_time') setDelay({ kind: 'local_time', hour: 10, minute: 0 });
          if (k === 'until_date') setDelay({ kind: 'until_date', source: { kind: 'birthDate' }, offsetSeconds: 0, hour: 9, minute: 0, annual: true, ifMissing: 'continue' });
        }}
        slotProps={{ htmlInput: { 'data-testid': 'field-delay-kind' } }}
      >
        {(['duration', 'local_time', 'until_date'] as const).map((k) => (
          <MenuItem key={k} value={k}>
            {t(`journey.field.delayKind.${k}` as MessageKey)}
          </MenuItem>
        ))}
      </TextField>
      {d?.kind === 'duration' ? <DurationField label={t('journey.field.amount')} seconds={d.seconds} onChange={(seconds) => setDelay({ ...d, seconds })} testId="field-delay-amount" error={errorAt(errors, 'delay.seconds')} /> : null}
      {d?.kind === 'local_time' ? (
        <>
          <Box sx={{ display: 'flex', gap: 1 }}>
            <TextField size="small" type="number" label={t('journey.field.localHour')} value={d.hour} onChange={(e) => setDelay({ ...d, hour: Number(e.target.value) })} error={!!errorAt(errors, 'delay.hour')} helperText={errorAt(errors, 'delay.hour')} />
            <TextField size="small" type="number" label={t('journey.field.localMinute')} value={d.minute ?? 0} onChange={(e) => setDelay({ ...d, minute: Number(e.target.value) })} />
          </Box>
          <Box>
            <Typography variant="caption" color="text.secondary">
              {t('journey.field.weekdays')}
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap' }}>
              {[1, 2, 3, 4, 5, 6, 0].map((wd) => (
                <FormControlLabel
                  key={wd}
                  sx={{ mr: 0.5 }}
                  control={
                    <Checkbox
                      size="small"
                      checked={d.weekdays?.includes(wd) ?? false}
                      onChange={(e) => {
                        const days = new Set(d.weekdays ?? []);
                        if (e.target.checked) days.add(wd);
                        else days.delete(wd);
                        const { weekdays: _w, ...rest } = d;
                        setDelay(days.size ? { ...rest, weekdays: [...days].sort() } : rest);
                      }}
                    />
                  }
                  label={new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + wd)))}
                />
              ))}
            </Box>
          </Box>
        </>
      ) : null}
      {d?.kind === 'until_date' ? (
        <>
          <TextField
            select
            size="small"
            label={t('journey.field.dateSource')}
            value={d.source.kind}
            onChange={(e) => setDelay({ ...d, source: e.target.value === 'birthDate' ? { kind: 'birthDate' } : { kind: 'attribute', key: '' } })}
          >
            <MenuItem value="birthDate">{t('journey.field.dateSource.birthDate')}</MenuItem>
            <MenuItem value="attribute">{t('journey.field.dateSource.attribute')}</MenuItem>
          </TextField>
          {d.source.kind === 'attribute' ? (
            <TextField size="small" label={t('journey.field.attribute')} value={d.source.key} onChange={(e) => setDelay({ ...d, source: { kind: 'attribute', key: e.target.value } })} error={!!errorAt(errors, 'delay.source')} helperText={errorAt(errors, 'delay.source')} />
          ) : null}
          <TextField size="small" type="number" label={t('journey.field.offsetDays')} value={Math.round((d.offsetSeconds ?? 0) / 86_400)} onChange={(e) => setDelay({ ...d, offsetSeconds: Math.round(Number(e.target.value) * 86_400) })} />
          <TextField size="small" type="number" label={t('journey.field.localHour')} value={d.hour ?? 9} onChange={(e) => setDelay({ ...d, hour: Number(e.target.value) })} />
          <FormControlLabel control={<Checkbox checked={d.annual ?? false} onChange={(e) => setDelay({ ...d, annual: e.target.checked })} />} label={t('journey.field.annual')} />
          <TextField select size="small" label={t('journey.field.ifMissing')} value={d.ifMissing ?? 'continue'} onChange={(e) => setDelay({ ...d, ifMissing: e.target.value as 'continue' | 'exit' })}>
            <MenuItem value="continue">{t('journey.field.ifMissing.continue')}</MenuItem>
            <MenuItem value="exit">{t('journey.field.ifMissing.exit')}</MenuItem>
          </TextField>
        </>
      ) : null}
    </>
  );
}

function WaitForm({ node, set, options, errors }: { node: NodeOf<'wait'>; set: (n: JourneyNode) => void; options: PanelOptions; errors: Errors }) {
  const t = useT();
  const conditions = node.conditions ?? [];
  const setCondition = (i: number, c: NodeOf<'wait'>['conditions'][number]) => set({ ...node, conditions: conditions.map((x, j) => (j === i ? c : x)) });
  return (
    <Section title={t('journey.field.conditions')}>
      {conditions.map((c, i) => (
        <Box key={c.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1 }}>
          <Stack spacing={1}>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <TextField
                select
                size="small"
                value={c.kind}
                onChange={(e) =>
                  setCondition(i, e.target.value === 'event' ? { kind: 'event', id: c.id, match: { event: 'Order Completed', where: [], keyed: false }, next: c.next } : { kind: 'segment', id: c.id, segmentId: options.segments[0]?.id ?? '', change: 'entered', next: c.next })
                }
                sx={{ flex: 1 }}
              >
                <MenuItem value="event">{t('journey.field.conditionKind.event')}</MenuItem>
                <MenuItem value="segment">{t('journey.field.conditionKind.segment')}</MenuItem>
              </TextField>
              <IconButton aria-label={t('journey.field.remove')} disabled={conditions.length <= 1} onClick={() => set({ ...node, conditions: conditions.filter((_, j) => j !== i) })}>
                <DeleteOutlined fontSize="small" />
              </IconButton>
            </Box>
            {c.kind === 'event' ? (
              <>
                <TextField size="small" label={t('journey.field.event')} value={c.match.event} onChange={(e) => setCondition(i, { ...c, match: { ...c.match, event: e.target.value } })} error={!!errorAt(errors, `conditions.${i}.match.event`)} helperText={errorAt(errors, `conditions.${i}.match.event`)} slotProps={{ htmlInput: { 'data-testid': `field-wait-event-${i}` } }} />
                <FormControlLabel control={<Checkbox checked={c.match.keyed ?? false} onChange={(e) => setCondition(i, { ...c, match: { ...c.match, keyed: e.target.checked } })} />} label={t('journey.field.keyed')} />
                {errorAt(errors, `conditions.${i}.match.keyed`) ? (
                  <Typography variant="caption" color="error">
                    {errorAt(errors, `conditions.${i}.match.keyed`)}
                  </Typography>
                ) : null}
              </>
            ) : (
              <>
                <SegmentSelect value={c.segmentId} segments={options.segments} onChange={(segmentId) => setCondition(i, { ...c, segmentId })} error={errorAt(errors, `conditions.${i}.segmentId`)} testId={`field-wait-segment-${i}`} />
                <TextField select size="small" label={t('journey.field.change')} value={c.change} onChange={(e) => setCondition(i, { ...c, change: e.target.value as 'entered' | 'exited' })}>
                  <MenuItem value="entered">{t('journey.field.change.entered')}</MenuItem>
                  <MenuItem value="exited">{t('journey.field.change.exited')}</MenuItem>
                </TextField>
              </>
            )}
          </Stack>
        </Box>
      ))}
      <Button
        size="small"
        startIcon={<Add />}
        disabled={conditions.length >= 10}
        onClick={() => set({ ...node, conditions: [...conditions, { kind: 'event', id: slug('event', conditions.map((c) => c.id)), match: { event: 'Order Completed', where: [], keyed: false }, next: null }] })}
      >
        {t('journey.field.addCondition')}
      </Button>
      <DurationField label={t('journey.field.timeout')} seconds={node.timeoutSeconds} onChange={(timeoutSeconds) => set({ ...node, timeoutSeconds })} testId="field-wait-timeout" error={errorAt(errors, 'timeoutSeconds')} />
    </Section>
  );
}

function SplitForm({ node, set }: { node: NodeOf<'split'>; set: (n: JourneyNode) => void }) {
  const t = useT();
  const branches = node.branches ?? [];
  const setBranch = (i: number, b: NodeOf<'split'>['branches'][number]) => set({ ...node, branches: branches.map((x, j) => (j === i ? b : x)) });
  return (
    <Section title={t('journey.field.branches')}>
      {branches.map((b, i) => (
        <Box key={b.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1 }}>
          <Stack spacing={1}>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <TextField size="small" label={t('journey.field.branchLabel')} value={b.label ?? ''} onChange={(e) => setBranch(i, { ...b, label: e.target.value })} sx={{ flex: 1 }} />
              <IconButton aria-label={t('journey.field.remove')} disabled={branches.length <= 1} onClick={() => set({ ...node, branches: branches.filter((_, j) => j !== i) })}>
                <DeleteOutlined fontSize="small" />
              </IconButton>
            </Box>
            <JsonField
              label={t('journey.field.condition')}
              value={b.condition}
              testId={`field-split-condition-${i}`}
              check={(v) => {
                const r = segmentRule.safeParse(v);
                return r.success ? null : t('journey.field.conditionInvalid', { message: r.error.issues[0]?.message ?? '' });
              }}
              onChange={(condition) => setBranch(i, { ...b, condition: condition as typeof b.condition })}
            />
          </Stack>
        </Box>
      ))}
      <Button
        size="small"
        startIcon={<Add />}
        disabled={branches.length >= 10}
        onClick={() => {
          const id = slug('branch', branches.map((b) => b.id));
          set({ ...node, branches: [...branches, { id, label: id, condition: { kind: 'consent', channel: 'email', granted: true }, next: null }] });
        }}
      >
        {t('journey.field.addBranch')}
      </Button>
    </Section>
  );
}

function ExperimentForm({ node, set, errors, options }: { node: NodeOf<'experiment'>; set: (n: JourneyNode) => void; errors: Errors; options: PanelOptions }) {
  const t = useT();
  const variants = node.variants ?? [];
  const setVariant = (i: number, v: NodeOf<'experiment'>['variants'][number]) => set({ ...node, variants: variants.map((x, j) => (j === i ? v : x)) });
  const weightsError = errorAt(errors, 'variants');
  return (
    <Section title={t('journey.field.variants')}>
      {variants.map((v, i) => (
        <Box key={v.id} sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
          <TextField size="small" label={t('journey.field.variantLabel')} value={v.label ?? ''} onChange={(e) => setVariant(i, { ...v, label: e.target.value })} sx={{ flex: 1 }} />
          <TextField size="small" type="number" label={t('journey.field.weight')} value={v.weight} onChange={(e) => setVariant(i, { ...v, weight: Number(e.target.value) })} sx={{ width: 100 }} error={!!weightsError} slotProps={{ htmlInput: { min: 0, max: 100, 'data-testid': `field-variant-weight-${i}` } }} />
          <IconButton aria-label={t('journey.field.remove')} disabled={variants.length <= 1} onClick={() => set({ ...node, variants: variants.filter((_, j) => j !== i) })}>
            <DeleteOutlined fontSize="small" />
          </IconButton>
        </Box>
      ))}
      {weightsError ? (
        <Typography variant="caption" color="error">
          {weightsError}
        </Typography>
      ) : null}
      <Button
        size="small"
        startIcon={<Add />}
        disabled={variants.length >= 10}
        onClick={() => {
          const id = slug('variant', variants.map((v) => v.id));
          set({ ...node, variants: [...variants, { id, label: id, weight: 0, next: null }] });
        }}
      >
        {t('journey.field.addVariant')}
      </Button>
      <TextField size="small" type="number" label={t('journey.field.holdoutPercent')} value={node.holdoutPercent ?? 0} onChange={(e) => set({ ...node, holdoutPercent: Number(e.target.value) })} slotProps={{ htmlInput: { min: 0, max: 100 } }} />
      <TextField
        size="small"
        label={t('journey.field.experimentKey')}
        value={node.experimentKey ?? ''}
        onChange={(e) => {
          const { experimentKey: _k, ...rest } = node;
          set(e.target.value ? { ...rest, experimentKey: e.target.value } : rest);
        }}
      />
      {(options.experiments ?? [])
        .filter((x) => x.nodeId === node.id)
        .map((x) => (
          <Link key={x.id} href={`/experiments/${x.id}`} variant="body2" data-testid="node-experiment-link">
            {t('experiments.detail.journeyLink', { name: x.name })} · {t(`experiments.status.${x.status as 'draft'}`)}
          </Link>
        ))}
    </Section>
  );
}

function MessageForm({ node, set, options, errors }: { node: NodeOf<'message'>; set: (n: JourneyNode) => void; options: PanelOptions; errors: Errors }) {
  const t = useT();
  const templates = options.templates.filter((x) => x.channel === node.channel);
  const known = templates.some((x) => x.id === node.templateId);
  const err = errorAt(errors, 'templateId');
  return (
    <>
      <TextField select size="small" label={t('journey.field.channel')} value={node.channel} onChange={(e) => set({ ...node, channel: e.target.value as typeof node.channel, templateId: '' })} slotProps={{ htmlInput: { 'data-testid': 'field-message-channel' } }}>
        {CHANNELS.map((c) => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label={t('journey.field.template')}
        value={node.templateId ?? ''}
        onChange={(e) => set({ ...node, templateId: e.target.value })}
        error={!!err}
        helperText={err ?? (templates.length ? undefined : t('journey.field.templateNone', { channel: node.channel }))}
        slotProps={{ htmlInput: { 'data-testid': 'field-message-template' } }}
      >
        {!known && node.templateId ? <MenuItem value={node.templateId}>{node.templateId}</MenuItem> : null}
        {templates.map((x) => (
          <MenuItem key={x.id} value={x.id} data-testid="template-option">
            {x.name}
          </MenuItem>
        ))}
      </TextField>
      <FormControlLabel control={<Checkbox checked={node.transactional ?? false} onChange={(e) => set({ ...node, transactional: e.target.checked })} />} label={t('journey.field.transactional')} />
      <OnFailure value={node.onFailure} onChange={(onFailure) => set({ ...node, onFailure })} />
    </>
  );
}

function OnFailure({ value, onChange }: { value: 'continue' | 'exit' | undefined; onChange: (v: 'continue' | 'exit') => void }) {
  const t = useT();
  return (
    <TextField select size="small" label={t('journey.field.onFailure')} value={value ?? 'continue'} onChange={(e) => onChange(e.target.value as 'continue' | 'exit')}>
      <MenuItem value="continue">{t('journey.field.onFailure.continue')}</MenuItem>
      <MenuItem value="exit">{t('journey.field.onFailure.exit')}</MenuItem>
    </TextField>
  );
}

function UpdateProfileForm({ node, set, errors }: { node: NodeOf<'update_profile'>; set: (n: JourneyNode) => void; errors: Errors }) {
  const t = useT();
  const updates = node.updates ?? [];
  type U = NodeOf<'update_profile'>['updates'][number];
  const setUpdate = (i: number, u: U) => set({ ...node, updates: updates.map((x, j) => (j === i ? u : x)) });
  return (
    <Section title={t('journey.field.updates')}>
      {updates.map((u, i) => (
        <Box key={i} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1 }}>
          <Stack spacing={1}>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
              <TextField
                select
                size="small"
                label={t('journey.field.op')}
                value={u.op}
                onChange={(e) => {
                  const op = e.target.value;
                  setUpdate(i, op === 'set' ? { op: 'set', attribute: u.attribute, value: '' } : op === 'unset' ? { op: 'unset', attribute: u.attribute } : { op: 'increment', attribute: u.attribute, by: 1 });
                }}
                sx={{ width: 130 }}
              >
                {(['set', 'unset', 'increment'] as const).map((op) => (
                  <MenuItem key={op} value={op}>
                    {t(`journey.field.op.${op}` as MessageKey)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField size="small" label={t('journey.field.attribute')} value={u.attribute} onChange={(e) => setUpdate(i, { ...u, attribute: e.target.value })} error={!!errorAt(errors, `updates.${i}.attribute`)} sx={{ flex: 1 }} slotProps={{ htmlInput: { 'data-testid': `field-update-attribute-${i}` } }} />
              <IconButton aria-label={t('journey.field.remove')} disabled={updates.length <= 1} onClick={() => set({ ...node, updates: updates.filter((_, j) => j !== i) })}>
                <DeleteOutlined fontSize="small" />
              </IconButton>
            </Box>
            {u.op === 'set' ? (
              <TextField
                size="small"
                label={t('journey.field.value')}
                value={typeof u.value === 'string' ? u.value : JSON.stringify(u.value)}
                onChange={(e) => {
                  let value: unknown = e.target.value;
                  try {
                    value = JSON.parse(e.target.value);
                  } catch {
                    // plain text is a string value
                  }
                  setUpdate(i, { ...u, value: value as typeof u.value });
                }}
              />
            ) : null}
            {u.op === 'increment' ? <TextField size="small" type="number" label={t('journey.field.by')} value={u.by} onChange={(e) => setUpdate(i, { ...u, by: Number(e.target.value) })} /> : null}
          </Stack>
        </Box>
      ))}
      <Button size="small" startIcon={<Add />} disabled={updates.length >= 50} onClick={() => set({ ...node, updates: [...updates, { op: 'set', attribute: '', value: '' }] })}>
        {t('journey.field.addUpdate')}
      </Button>
    </Section>
  );
}

function WebhookForm({ node, set, errors }: { node: NodeOf<'webhook'>; set: (n: JourneyNode) => void; errors: Errors }) {
  const t = useT();
  return (
    <>
      <TextField size="small" label={t('journey.field.url')} value={node.url ?? ''} onChange={(e) => set({ ...node, url: e.target.value })} error={!!errorAt(errors, 'url')} helperText={errorAt(errors, 'url')} slotProps={{ htmlInput: { 'data-testid': 'field-webhook-url' } }} />
      <TextField select size="small" label={t('journey.field.method')} value={node.method ?? 'POST'} onChange={(e) => set({ ...node, method: e.target.value as typeof node.method })}>
        {(['POST', 'PUT', 'PATCH', 'GET'] as const).map((m) => (
          <MenuItem key={m} value={m}>
            {m}
          </MenuItem>
        ))}
      </TextField>
      <JsonField
        label={t('journey.field.headers')}
        value={node.headers ?? {}}
        testId="field-webhook-headers"
        minRows={2}
        check={(v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string') ? null : t('journey.field.jsonInvalid'))}
        onChange={(headers) => set({ ...node, headers: headers as Record<string, string> })}
      />
      <TextField
        size="small"
        multiline
        minRows={3}
        label={t('journey.field.body')}
        value={node.body ?? ''}
        onChange={(e) => {
          const { body: _b, ...rest } = node;
          set(e.target.value ? { ...rest, body: e.target.value } : rest);
        }}
        slotProps={{ htmlInput: { style: { fontFamily: 'monospace', fontSize: 12 } } }}
      />
      <OnFailure value={node.onFailure} onChange={(onFailure) => set({ ...node, onFailure })} />
    </>
  );
}

/** The form of one node: its label, type-specific settings, its errors, and delete. */
export function NodePanel({ node, onChange, onDelete, options, errors, readOnly }: { node: JourneyNode; onChange: (n: JourneyNode) => void; onDelete: () => void; options: PanelOptions; errors: Errors; readOnly: boolean }) {
  const t = useT();
  const set = (n: JourneyNode) => !readOnly && onChange(n);
  const form = (() => {
    switch (node.type) {
      case 'entry':
        return <EntryForm node={node} set={set} options={options} errors={errors} />;
      case 'delay':
        return <DelayForm node={node} set={set} errors={errors} />;
      case 'wait':
        return <WaitForm node={node} set={set} options={options} errors={errors} />;
      case 'split':
        return <SplitForm node={node} set={set} />;
      case 'experiment':
        return <ExperimentForm node={node} set={set} errors={errors} options={options} />;
      case 'message':
        return <MessageForm node={node} set={set} options={options} errors={errors} />;
      case 'update_profile':
        return <UpdateProfileForm node={node} set={set} errors={errors} />;
      case 'webhook':
        return <WebhookForm node={node} set={set} errors={errors} />;
      case 'exit':
        return <TextField size="small" label={t('journey.field.reason')} value={node.reason ?? ''} onChange={(e) => set({ ...node, reason: e.target.value || undefined })} />;
    }
  })();
  return (
    <Stack spacing={1.5} data-testid="node-panel" data-node-id={node.id} component="fieldset" disabled={readOnly} sx={{ border: 0, p: 0, m: 0, minWidth: 0 }}>
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
        {t(`journey.node.${node.type}` as MessageKey)}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {t('journey.field.nodeId', { id: node.id })}
      </Typography>
      <TextField size="small" label={t('journey.field.name')} value={node.name ?? ''} onChange={(e) => set({ ...node, name: e.target.value || undefined })} slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'field-node-name' } }} />
      {form}
      {errors.length ? (
        <Box data-testid="node-panel-errors">
          {errors.map((e, i) => (
            <Typography key={i} variant="body2" color="error">
              • {e.message}
            </Typography>
          ))}
        </Box>
      ) : null}
      {!readOnly ? (
        <>
          <Divider />
          <Button color="error" startIcon={<DeleteOutlined />} onClick={onDelete} data-testid="delete-node" sx={{ alignSelf: 'flex-start' }}>
            {t('journey.field.deleteNode')}
          </Button>
        </>
      ) : null}
    </Stack>
  );
}
