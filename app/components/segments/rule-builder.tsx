// The segment rule-tree builder: AND/OR groups (nested, negatable) of condition rows, one editor per condition kind,
// typed predicate inputs from core/segments/rule.ts, and validation messages shown at the row they belong to.
import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { FieldError } from '#core/errors.ts';
import {
  CHANNELS,
  LIFECYCLE_STATES,
  ORDER_METRICS,
  PROFILE_FIELDS,
  RFM_SEGMENTS,
  SCORES,
  type ConditionInput,
  type RuleGroupInput,
  type SegmentRuleInput,
  type ValueType,
} from '#core/segments/rule.ts';
import type { MessageKey } from '#app/i18n/messages.ts';
import { useT } from '#app/i18n/i18n-context.tsx';

type Pred = Record<string, unknown> & { type: ValueType; op: string };
type Cond = ConditionInput & Record<string, unknown>;
export interface SegmentOption {
  id: string;
  name: string;
}

export const OPS: Record<ValueType, string[]> = {
  string: ['equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with', 'in', 'not_in', 'exists', 'not_exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'not_exists'],
  date: ['within_last_days', 'more_than_days_ago', 'before', 'after', 'between', 'exists', 'not_exists'],
  boolean: ['is_true', 'is_false', 'exists', 'not_exists'],
};
const ENUM_OPS = ['equals', 'not_equals', 'in', 'not_in', 'exists', 'not_exists'];
const KINDS = ['profile', 'attribute', 'score', 'orders', 'event', 'segment', 'consent'] as const;

/** A predicate of `type` with operator `op`, keeping what the previous one had where the shapes agree. */
export function makePredicate(type: ValueType, op: string, prev?: Pred): Pred {
  const same = prev?.type === type ? prev : undefined;
  const p: Pred = { type, op };
  if (type === 'string') {
    if (op === 'in' || op === 'not_in') p.values = (same?.values as string[] | undefined) ?? (typeof same?.value === 'string' && same.value ? [same.value] : []);
    else if (op !== 'exists' && op !== 'not_exists') p.value = typeof same?.value === 'string' ? same.value : ((same?.values as string[] | undefined)?.[0] ?? '');
  } else if (type === 'number') {
    if (op === 'between') Object.assign(p, { min: same?.min ?? same?.value ?? 0, max: same?.max ?? same?.value ?? 0 });
    else if (op !== 'exists' && op !== 'not_exists') p.value = same?.value ?? same?.min ?? 0;
  } else if (type === 'date') {
    if (op === 'within_last_days' || op === 'more_than_days_ago') p.days = same?.days ?? 30;
    else if (op === 'between') Object.assign(p, { from: same?.from ?? same?.value ?? '', to: same?.to ?? '' });
    else if (op === 'before' || op === 'after') p.value = same?.value ?? same?.from ?? '';
  }
  return p;
}

export function defaultCondition(kind: (typeof KINDS)[number], segments: SegmentOption[]): ConditionInput {
  switch (kind) {
    case 'profile':
      return { kind, field: 'email', predicate: { type: 'string', op: 'exists' } };
    case 'attribute':
      return { kind, key: '', predicate: { type: 'string', op: 'equals', value: '' } };
    case 'score':
      return { kind, score: 'rfmSegment', predicate: { type: 'string', op: 'in', values: [RFM_SEGMENTS[0]] } };
    case 'orders':
      return { kind, metric: 'count', window: { kind: 'last_days', days: 90 }, predicate: { type: 'number', op: 'gte', value: 1 } };
    case 'event':
      return { kind, event: '', performed: true, minCount: 1, window: { kind: 'last_days', days: 30 }, where: [] };
    case 'segment':
      return { kind, segmentId: segments[0]?.id ?? '', member: true };
    case 'consent':
      return { kind, channel: 'email', granted: true };
  }
}

const childPath = (path: string, i: number) => (path ? `${path}.rules.${i}` : `rules.${i}`);
const within = (errors: FieldError[], path: string) => errors.filter((e) => (path ? e.path === path || e.path.startsWith(`${path}.`) : true));

function ErrorLines({ errors, testId }: { errors: FieldError[]; testId?: string }) {
  if (!errors.length) return null;
  return (
    <Alert severity="error" variant="outlined" sx={{ mt: 1, py: 0 }} data-testid={testId}>
      {errors.map((e, i) => (
        <div key={i}>{e.message}</div>
      ))}
    </Alert>
  );
}

/** Comma-separated text that keeps what the user types while handing the parent a clean list. */
function ListField({ label, values, onChange, testId }: { label: string; values: string[]; onChange: (v: string[]) => void; testId?: string }) {
  const t = useT();
  const [text, setText] = useState(values.join(', '));
  return (
    <TextField
      size="small"
      label={label}
      helperText={t('segments.field.listHint')}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean));
      }}
      sx={{ minWidth: 220 }}
      slotProps={{ htmlInput: { 'data-testid': testId } }}
    />
  );
}

function NumberField({ label, value, onChange, testId, width = 120 }: { label: string; value: unknown; onChange: (v: number | undefined) => void; testId?: string; width?: number }) {
  return (
    <TextField
      size="small"
      type="number"
      label={label}
      value={typeof value === 'number' && Number.isFinite(value) ? value : ''}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      sx={{ width }}
      slotProps={{ htmlInput: { 'data-testid': testId, step: 'any' } }}
    />
  );
}

function DateField({ label, value, onChange }: { label: string; value: unknown; onChange: (v: string) => void }) {
  return (
    <TextField
      size="small"
      type="date"
      label={label}
      value={typeof value === 'string' ? value.slice(0, 10) : ''}
      onChange={(e) => onChange(e.target.value)}
      slotProps={{ inputLabel: { shrink: true } }}
    />
  );
}

function Select<T extends string>({ label, value, options, onChange, render, testId, minWidth = 160 }: { label: string; value: T; options: readonly T[]; onChange: (v: T) => void; render?: (v: T) => string; testId?: string; minWidth?: number }) {
  return (
    <TextField select size="small" label={label} value={value} onChange={(e) => onChange(e.target.value as T)} sx={{ minWidth }} slotProps={{ htmlInput: { 'data-testid': testId } }}>
      {options.map((o) => (
        <MenuItem key={o} value={o}>
          {render ? render(o) : o}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Operator and value inputs for one typed predicate; `choices` turns text values into a picker (RFM, lifecycle). */
export function PredicateEditor({ predicate, onChange, choices, testId }: { predicate: Pred; onChange: (p: Pred) => void; choices?: readonly string[]; testId?: string }) {
  const t = useT();
  const p = predicate;
  const ops = choices ? ENUM_OPS : OPS[p.type];
  const set = (patch: Record<string, unknown>) => onChange({ ...p, ...patch });
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <Select label={t('segments.field.operator')} value={p.op} options={ops} onChange={(op) => onChange(makePredicate(p.type, op, p))} render={(o) => t(`segments.op.${o}` as MessageKey)} testId={testId ? `${testId}-op` : undefined} minWidth={150} />
      {p.type === 'string' && 'value' in p ? (
        choices ? (
          <Select label={t('segments.field.value')} value={String(p.value ?? '')} options={choices} onChange={(v) => set({ value: v })} />
        ) : (
          <TextField size="small" label={t('segments.field.value')} value={String(p.value ?? '')} onChange={(e) => set({ value: e.target.value })} slotProps={{ htmlInput: { 'data-testid': testId ? `${testId}-value` : undefined } }} />
        )
      ) : null}
      {p.type === 'string' && 'values' in p ? (
        choices ? (
          <TextField
            select
            size="small"
            label={t('segments.field.values')}
            value={(p.values as string[]) ?? []}
            onChange={(e) => set({ values: typeof e.target.value === 'string' ? e.target.value.split(',') : e.target.value })}
            sx={{ minWidth: 220 }}
            slotProps={{ select: { multiple: true } }}
          >
            {choices.map((c) => (
              <MenuItem key={c} value={c}>
                {c}
              </MenuItem>
            ))}
          </TextField>
        ) : (
          <ListField label={t('segments.field.values')} values={(p.values as string[]) ?? []} onChange={(values) => set({ values })} />
        )
      ) : null}
      {p.type === 'number' && 'value' in p ? <NumberField label={t('segments.field.value')} value={p.value} onChange={(v) => set({ value: v })} testId={testId ? `${testId}-value` : undefined} /> : null}
      {p.type === 'number' && p.op === 'between' ? (
        <>
          <NumberField label={t('segments.field.min')} value={p.min} onChange={(v) => set({ min: v })} />
          <NumberField label={t('segments.field.max')} value={p.max} onChange={(v) => set({ max: v })} />
        </>
      ) : null}
      {p.type === 'date' && 'days' in p ? <NumberField label={t('segments.field.days')} value={p.days} onChange={(v) => set({ days: v })} width={100} /> : null}
      {p.type === 'date' && 'value' in p ? <DateField label={t('segments.field.value')} value={p.value} onChange={(v) => set({ value: v })} /> : null}
      {p.type === 'date' && p.op === 'between' ? (
        <>
          <DateField label={t('segments.field.from')} value={p.from} onChange={(v) => set({ from: v })} />
          <DateField label={t('segments.field.to')} value={p.to} onChange={(v) => set({ to: v })} />
        </>
      ) : null}
    </Box>
  );
}

type Window = { kind: 'last_days'; days: number } | { kind: 'between'; from: string; to: string } | undefined;

function WindowEditor({ window, onChange }: { window: Window; onChange: (w: Window) => void }) {
  const t = useT();
  const kind = window?.kind ?? 'all';
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      <Select
        label={t('segments.field.window')}
        value={kind}
        options={['all', 'last_days', 'between'] as const}
        render={(k) => t(`segments.window.${k}`)}
        onChange={(k) => onChange(k === 'all' ? undefined : k === 'last_days' ? { kind: k, days: 30 } : { kind: k, from: '', to: '' })}
        minWidth={170}
      />
      {window?.kind === 'last_days' ? <NumberField label={t('segments.field.days')} value={window.days} onChange={(d) => onChange({ kind: 'last_days', days: d as number })} width={100} /> : null}
      {window?.kind === 'between' ? (
        <>
          <DateField label={t('segments.field.from')} value={window.from} onChange={(v) => onChange({ ...window, from: v })} />
          <DateField label={t('segments.field.to')} value={window.to} onChange={(v) => onChange({ ...window, to: v })} />
        </>
      ) : null}
    </Box>
  );
}

const withWindow = (c: Cond, w: Window): Cond => {
  const { window: _w, ...rest } = c as Cond & { window?: Window };
  return (w ? { ...rest, window: w } : rest) as Cond;
};

function ConditionFields({ c, onChange, segments, testId }: { c: Cond; onChange: (c: Cond) => void; segments: SegmentOption[]; testId: string }) {
  const t = useT();
  const set = (patch: Record<string, unknown>) => onChange({ ...c, ...patch } as Cond);
  const pred = (c as { predicate?: Pred }).predicate;
  const predicateFor = (type: ValueType) => (pred?.type === type ? pred : makePredicate(type, OPS[type][0]!));
  switch (c.kind) {
    case 'profile': {
      const fields = Object.keys(PROFILE_FIELDS) as (keyof typeof PROFILE_FIELDS)[];
      return (
        <>
          <Select label={t('segments.field.field')} value={c.field} options={fields} onChange={(field) => set({ field, predicate: predicateFor(PROFILE_FIELDS[field]) })} testId={`${testId}-field`} />
          <PredicateEditor predicate={pred!} onChange={(predicate) => set({ predicate })} testId={`${testId}-predicate`} />
        </>
      );
    }
    case 'attribute':
      return (
        <>
          <TextField size="small" label={t('segments.field.key')} value={c.key} onChange={(e) => set({ key: e.target.value })} slotProps={{ htmlInput: { 'data-testid': `${testId}-key` } }} />
          <Select label={t('segments.field.valueType')} value={pred!.type} options={['string', 'number', 'date', 'boolean'] as ValueType[]} render={(v) => t(`segments.type.${v}`)} onChange={(type) => set({ predicate: predicateFor(type) })} minWidth={120} />
          <PredicateEditor predicate={pred!} onChange={(predicate) => set({ predicate })} testId={`${testId}-predicate`} />
        </>
      );
    case 'score': {
      const scores = Object.keys(SCORES) as (keyof typeof SCORES)[];
      const choices = c.score === 'rfmSegment' ? RFM_SEGMENTS : c.score === 'lifecycleState' ? LIFECYCLE_STATES : undefined;
      return (
        <>
          <Select
            label={t('segments.field.score')}
            value={c.score}
            options={scores}
            testId={`${testId}-score`}
            onChange={(score) => {
              const type = SCORES[score];
              const enumScore = score === 'rfmSegment' || score === 'lifecycleState';
              const next: Record<string, unknown> = { ...c, score, predicate: enumScore ? { type: 'string', op: 'in', values: [] } : predicateFor(type) };
              if (score === 'propensity') next.category = (c as { category?: string }).category ?? '';
              else delete next.category;
              onChange(next as Cond);
            }}
          />
          {c.score === 'propensity' ? <TextField size="small" label={t('segments.field.category')} value={(c as { category?: string }).category ?? ''} onChange={(e) => set({ category: e.target.value })} /> : null}
          <PredicateEditor predicate={pred!} choices={choices} onChange={(predicate) => set({ predicate })} testId={`${testId}-predicate`} />
        </>
      );
    }
    case 'orders': {
      const metrics = Object.keys(ORDER_METRICS) as (keyof typeof ORDER_METRICS)[];
      const items = (c.items ?? {}) as { categories?: string[]; skus?: string[] };
      const setItems = (patch: Record<string, string[]>) => {
        const next = { ...items, ...patch };
        const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v?.length));
        const { items: _i, ...rest } = c as Cond & { items?: unknown };
        onChange((Object.keys(clean).length ? { ...rest, items: clean } : rest) as Cond);
      };
      return (
        <>
          <Select
            label={t('segments.field.metric')}
            value={c.metric}
            options={metrics}
            render={(m) => t(`segments.metric.${m}`)}
            testId={`${testId}-metric`}
            onChange={(metric) => {
              const next: Record<string, unknown> = { ...c, metric, predicate: predicateFor(ORDER_METRICS[metric]) };
              if (metric !== 'revenue') delete next.currency;
              onChange(next as Cond);
            }}
          />
          <PredicateEditor predicate={pred!} onChange={(predicate) => set({ predicate })} testId={`${testId}-predicate`} />
          <WindowEditor window={c.window as Window} onChange={(w) => onChange(withWindow(c, w))} />
          {c.metric === 'revenue' ? (
            <TextField size="small" label={t('segments.field.currency')} value={(c as { currency?: string }).currency ?? ''} onChange={(e) => {
              const v = e.target.value.toUpperCase().slice(0, 3);
              const { currency: _c, ...rest } = c as Cond & { currency?: string };
              onChange((v ? { ...rest, currency: v } : rest) as Cond);
            }} sx={{ width: 110 }} />
          ) : null}
          <ListField label={t('segments.field.itemCategories')} values={items.categories ?? []} onChange={(categories) => setItems({ categories })} />
          <ListField label={t('segments.field.itemSkus')} values={items.skus ?? []} onChange={(skus) => setItems({ skus })} />
        </>
      );
    }
    case 'event': {
      const where = (c.where ?? []) as { path: string; predicate: Pred }[];
      const setWhere = (w: typeof where) => set({ where: w });
      return (
        <>
          <TextField size="small" label={t('segments.field.event')} value={c.event} onChange={(e) => set({ event: e.target.value })} slotProps={{ htmlInput: { 'data-testid': `${testId}-event` } }} />
          <ToggleButtonGroup size="small" exclusive value={c.performed === false ? 'no' : 'yes'} onChange={(_e, v: string | null) => v && set({ performed: v === 'yes' })}>
            <ToggleButton value="yes">{t('segments.field.performed')}</ToggleButton>
            <ToggleButton value="no">{t('segments.field.notPerformed')}</ToggleButton>
          </ToggleButtonGroup>
          <NumberField label={t('segments.field.minCount')} value={c.minCount ?? 1} onChange={(v) => set({ minCount: v })} width={130} />
          <WindowEditor window={c.window as Window} onChange={(w) => onChange(withWindow(c, w))} />
          <Box sx={{ flexBasis: '100%' }}>
            {where.map((f, i) => (
              <Box key={i} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: 1, pl: 2, borderLeft: 2, borderColor: 'divider' }}>
                <Typography variant="body2" sx={{ mt: 1 }} color="text.secondary">
                  {t('segments.field.where')}
                </Typography>
                <TextField size="small" label={t('segments.field.propertyPath')} value={f.path} onChange={(e) => setWhere(where.map((x, k) => (k === i ? { ...x, path: e.target.value } : x)))} />
                <Select label={t('segments.field.valueType')} value={f.predicate.type} options={['string', 'number', 'date', 'boolean'] as ValueType[]} render={(v) => t(`segments.type.${v}`)} onChange={(type) => setWhere(where.map((x, k) => (k === i ? { ...x, predicate: makePredicate(type, OPS[type][0]!) } : x)))} minWidth={110} />
                <PredicateEditor predicate={f.predicate} onChange={(p) => setWhere(where.map((x, k) => (k === i ? { ...x, predicate: p } : x)))} />
                <IconButton size="small" aria-label={t('segments.builder.remove')} onClick={() => setWhere(where.filter((_x, k) => k !== i))}>
                  <DeleteOutline fontSize="small" />
                </IconButton>
              </Box>
            ))}
            <Button size="small" startIcon={<Add />} onClick={() => setWhere([...where, { path: '', predicate: { type: 'string', op: 'equals', value: '' } }])} sx={{ mt: 0.5 }}>
              {t('segments.field.addWhere')}
            </Button>
          </Box>
        </>
      );
    }
    case 'segment':
      return (
        <>
          <TextField select size="small" label={t('segments.field.segment')} value={c.segmentId} onChange={(e) => set({ segmentId: e.target.value })} sx={{ minWidth: 220 }} slotProps={{ htmlInput: { 'data-testid': `${testId}-segment` } }}>
            {segments.map((s) => (
              <MenuItem key={s.id} value={s.id}>
                {s.name}
              </MenuItem>
            ))}
          </TextField>
          <ToggleButtonGroup size="small" exclusive value={c.member === false ? 'no' : 'yes'} onChange={(_e, v: string | null) => v && set({ member: v === 'yes' })}>
            <ToggleButton value="yes">{t('segments.field.isMember')}</ToggleButton>
            <ToggleButton value="no">{t('segments.field.notMember')}</ToggleButton>
          </ToggleButtonGroup>
        </>
      );
    case 'consent':
      return (
        <>
          <Select label={t('segments.field.channel')} value={c.channel} options={CHANNELS} onChange={(channel) => set({ channel })} />
          <ToggleButtonGroup size="small" exclusive value={c.granted === false ? 'no' : 'yes'} onChange={(_e, v: string | null) => v && set({ granted: v === 'yes' })}>
            <ToggleButton value="yes">{t('segments.field.granted')}</ToggleButton>
            <ToggleButton value="no">{t('segments.field.notGranted')}</ToggleButton>
          </ToggleButtonGroup>
        </>
      );
  }
}

function ConditionRow({ c, path, onChange, onRemove, errors, segments }: { c: Cond; path: string; onChange: (c: SegmentRuleInput) => void; onRemove: () => void; errors: FieldError[]; segments: SegmentOption[] }) {
  const t = useT();
  const mine = within(errors, path);
  const testId = `condition-${path.replaceAll('.', '-')}`;
  return (
    <Paper variant="outlined" sx={{ p: 1.5, borderColor: mine.length ? 'error.main' : undefined }} data-testid={testId} data-path={path}>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <Select
          label={t('segments.builder.conditionType')}
          value={c.kind}
          options={KINDS}
          render={(k) => t(`segments.kind.${k}`)}
          onChange={(kind) => onChange(defaultCondition(kind, segments))}
          testId={`${testId}-kind`}
          minWidth={170}
        />
        <ConditionFields c={c} onChange={onChange} segments={segments} testId={testId} />
        <Box sx={{ flexGrow: 1 }} />
        <Tooltip title={t('segments.builder.remove')}>
          <IconButton size="small" aria-label={t('segments.builder.remove')} onClick={onRemove}>
            <DeleteOutline fontSize="small" />
          </IconButton>
        </Tooltip>
      </Box>
      <ErrorLines errors={mine} testId={`${testId}-errors`} />
    </Paper>
  );
}

export function GroupEditor({ group, path = '', onChange, onRemove, errors, segments }: { group: RuleGroupInput; path?: string; onChange: (g: RuleGroupInput) => void; onRemove?: () => void; errors: FieldError[]; segments: SegmentOption[] }) {
  const t = useT();
  const own = errors.filter((e) => e.path === path || e.path === (path ? `${path}.rules` : 'rules'));
  const setChild = (i: number, r: SegmentRuleInput) => onChange({ ...group, rules: group.rules.map((x, k) => (k === i ? r : x)) });
  const removeChild = (i: number) => onChange({ ...group, rules: group.rules.filter((_x, k) => k !== i) });
  const testId = `group-${path ? path.replaceAll('.', '-') : 'root'}`;
  return (
    <Box sx={{ border: 1, borderColor: group.negate ? 'warning.main' : 'divider', borderRadius: 1, p: 1.5, bgcolor: path ? 'action.hover' : undefined }} data-testid={testId}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="body2" color="text.secondary">
          {t('segments.builder.match')}
        </Typography>
        <ToggleButtonGroup size="small" exclusive value={group.op} onChange={(_e, op: 'and' | 'or' | null) => op && onChange({ ...group, op })}>
          <ToggleButton value="and" data-testid={`${testId}-and`}>
            {t('segments.builder.all')}
          </ToggleButton>
          <ToggleButton value="or" data-testid={`${testId}-or`}>
            {t('segments.builder.any')}
          </ToggleButton>
        </ToggleButtonGroup>
        <Tooltip title={t('segments.builder.negateHint')}>
          <FormControlLabel control={<Checkbox size="small" checked={Boolean(group.negate)} onChange={(e) => onChange({ ...group, negate: e.target.checked || undefined })} />} label={t('segments.builder.not')} />
        </Tooltip>
        <Box sx={{ flexGrow: 1 }} />
        {onRemove ? (
          <Button size="small" color="inherit" startIcon={<DeleteOutline />} onClick={onRemove}>
            {t('segments.builder.removeGroup')}
          </Button>
        ) : null}
      </Box>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
        {group.rules.map((r, i) =>
          r.kind === 'group' ? (
            <GroupEditor key={i} group={r} path={childPath(path, i)} onChange={(g) => setChild(i, g)} onRemove={() => removeChild(i)} errors={within(errors, childPath(path, i))} segments={segments} />
          ) : (
            <ConditionRow key={i} c={r as Cond} path={childPath(path, i)} onChange={(c) => setChild(i, c)} onRemove={() => removeChild(i)} errors={errors} segments={segments} />
          ),
        )}
      </Box>
      <ErrorLines errors={own} />
      <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
        <Button size="small" startIcon={<Add />} onClick={() => onChange({ ...group, rules: [...group.rules, defaultCondition('profile', segments)] })} data-testid={`${testId}-add-condition`}>
          {t('segments.builder.addCondition')}
        </Button>
        <Button size="small" startIcon={<Add />} onClick={() => onChange({ ...group, rules: [...group.rules, { kind: 'group', op: group.op === 'and' ? 'or' : 'and', rules: [defaultCondition('profile', segments)] }] })} data-testid={`${testId}-add-group`}>
          {t('segments.builder.addGroup')}
        </Button>
      </Box>
    </Box>
  );
}
