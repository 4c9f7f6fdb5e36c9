// The segment builder page body (new and edit): name, the rule tree, a live preview (debounced) and save.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState } from 'react';
import { useFetcher } from 'react-router';
import type { FieldError } from '#core/errors.ts';
import type { RuleGroupInput, SegmentRule, SegmentRuleInput } from '#core/segments/rule.ts';
import { validateSegmentRule } from '#core/segments/validate.ts';
import { SectionCard } from '#app/components/section-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { defaultCondition, GroupEditor, type SegmentOption } from './rule-builder.tsx';

export interface EditorSegment extends SegmentOption {
  definition: SegmentRule;
}

export interface PreviewData {
  count: number;
  sample: { id: string; email: string | null; firstName: string | null; lastName: string | null }[];
  tookMs: number;
}

export type EditorActionData = { preview: PreviewData } | { error: { code: string; message: string; details?: FieldError[] } } | undefined;

const PREVIEW_DEBOUNCE_MS = 600;

const asGroup = (rule: SegmentRuleInput | undefined, segments: SegmentOption[]): RuleGroupInput =>
  !rule ? { kind: 'group', op: 'and', rules: [defaultCondition('orders', segments)] } : rule.kind === 'group' ? (rule as RuleGroupInput) : { kind: 'group', op: 'and', rules: [rule] };

export function SegmentEditor({ initial, others, segmentId, cancelHref }: { initial?: { name: string; description: string | null; definition: SegmentRuleInput }; others: EditorSegment[]; segmentId?: string; cancelHref: string }) {
  const t = useT();
  const format = useFormat();
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [rule, setRule] = useState<RuleGroupInput>(() => asGroup(initial?.definition, others));
  const preview = useFetcher<EditorActionData>();
  const save = useFetcher<EditorActionData>();

  const rules = useMemo(() => new Map(others.map((s) => [s.id, s.definition])), [others]);
  const validation = useMemo(() => validateSegmentRule(rule, { lookup: (id) => rules.get(id), ...(segmentId ? { segmentId } : {}) }), [rule, rules, segmentId]);
  const serverErrors = save.data && 'error' in save.data ? save.data.error : undefined;
  const errors: FieldError[] = validation.ok
    ? (serverErrors?.details ?? []).filter((d) => d.path.startsWith('definition')).map((d) => ({ ...d, path: d.path.replace(/^definition\.?/, '') }))
    : validation.errors;
  const nameError = serverErrors?.details?.find((d) => d.path === 'name')?.message;

  const ruleJson = JSON.stringify(rule);
  useEffect(() => {
    if (!validation.ok) return;
    const timer = setTimeout(() => void preview.submit({ intent: 'preview', definition: JSON.parse(ruleJson) as unknown } as never, { method: 'post', encType: 'application/json' }), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // Keyed on the rule's JSON: the fetcher object changes on every state change and would loop.
  }, [ruleJson, validation.ok]);

  const onSave = () =>
    void save.submit({ intent: 'save', name, description: description || null, definition: rule } as never, { method: 'post', encType: 'application/json' });
  const saving = save.state !== 'idle';
  const p = preview.data && 'preview' in preview.data ? preview.data.preview : undefined;
  const previewError = preview.data && 'error' in preview.data ? preview.data.error.message : undefined;
  const segmentOptions = others.filter((s) => s.id !== segmentId);

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 340px' }, gap: 2, alignItems: 'start' }}>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 }}>
        <SectionCard title={t('segments.builder.name')}>
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <TextField label={t('segments.builder.name')} value={name} onChange={(e) => setName(e.target.value)} required error={Boolean(nameError)} helperText={nameError} slotProps={{ htmlInput: { 'data-testid': 'segment-name', maxLength: 200 } }} />
            <TextField label={t('segments.builder.description')} value={description} onChange={(e) => setDescription(e.target.value)} multiline minRows={1} slotProps={{ htmlInput: { maxLength: 2000 } }} />
          </Box>
        </SectionCard>
        <SectionCard title={t('segments.builder.rule')}>
          <GroupEditor group={rule} onChange={setRule} errors={errors} segments={segmentOptions} />
        </SectionCard>
        {serverErrors ? (
          <Alert severity="error" data-testid="segment-save-error">
            {serverErrors.message}
          </Alert>
        ) : !validation.ok ? (
          <Alert severity="warning">{t('segments.builder.fixErrors')}</Alert>
        ) : null}
        <Box sx={{ display: 'flex', gap: 1 }}>
          <Button variant="contained" onClick={onSave} disabled={saving || !validation.ok || !name.trim()} data-testid="segment-save">
            {saving ? t('segments.builder.saving') : t('segments.builder.save')}
          </Button>
          <Button href={cancelHref} color="inherit">
            {t('segments.builder.cancel')}
          </Button>
        </Box>
      </Box>
      <Box sx={{ position: { lg: 'sticky' }, top: { lg: 80 } }}>
        <SectionCard title={t('segments.preview.title')}>
          <Box data-testid="segment-preview" aria-live="polite">
            {!validation.ok ? (
              <Typography color="text.secondary">{t('segments.preview.invalid')}</Typography>
            ) : previewError ? (
              <Alert severity="error">{t('segments.preview.failed', { message: previewError })}</Alert>
            ) : p ? (
              <>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                  <Typography variant="h5" data-testid="segment-preview-count" data-count={p.count}>
                    {t('segments.preview.count', { count: format.number(p.count) })}
                  </Typography>
                  {preview.state !== 'idle' ? <CircularProgress size={16} /> : null}
                </Box>
                <Typography variant="caption" color="text.secondary">
                  {t('segments.preview.took', { ms: p.tookMs })}
                </Typography>
                {p.sample.length ? (
                  <List dense>
                    {p.sample.map((c) => (
                      <ListItem key={c.id} disableGutters component="a" href={`/customers/${c.id}`} sx={{ color: 'inherit' }}>
                        <ListItemText primary={[c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id.slice(0, 8)} secondary={c.email} />
                      </ListItem>
                    ))}
                  </List>
                ) : (
                  <Typography color="text.secondary">{t('segments.preview.none')}</Typography>
                )}
              </>
            ) : (
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                <CircularProgress size={16} />
                <Typography color="text.secondary">{t('segments.preview.loading')}</Typography>
              </Box>
            )}
          </Box>
        </SectionCard>
      </Box>
    </Box>
  );
}
