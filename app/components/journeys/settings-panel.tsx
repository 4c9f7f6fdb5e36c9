// Journey-level settings: re-entry, exit criteria, conversion goal, holdout, quiet hours, time zone, frequency caps.
import Add from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import type { ExitCriterion, JourneyError, JourneySettings } from '#core/journeys/index.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { DurationField, type PanelOptions, SegmentSelect } from './node-panel.tsx';

type Settings = Partial<JourneySettings>;
const DAY = 86_400;

export function SettingsPanel({ settings, onChange, options, errors, readOnly }: { settings: Record<string, unknown>; onChange: (s: Record<string, unknown>) => void; options: PanelOptions; errors: JourneyError[]; readOnly: boolean }) {
  const t = useT();
  const s = settings as Settings;
  const set = (patch: Settings) => !readOnly && onChange({ ...settings, ...patch });
  const drop = (key: keyof Settings) => {
    if (readOnly) return;
    const { [key]: _gone, ...rest } = settings;
    onChange(rest);
  };
  const errorAt = (path: string) => errors.find((e) => !e.nodeId && (e.path === path || e.path?.startsWith(`${path}.`)))?.message;
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']), []);
  const reEntry = s.reEntry ?? { mode: 'never' };
  const exits = s.exitCriteria ?? [];
  const setExit = (i: number, c: ExitCriterion) => set({ exitCriteria: exits.map((x, j) => (j === i ? c : x)) });
  const goal = s.goal;
  const firstSegment = options.segments[0]?.id ?? '';
  return (
    <Stack spacing={2} data-testid="settings-panel" component="fieldset" disabled={readOnly} sx={{ border: 0, p: 0, m: 0, minWidth: 0 }}>
      <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
        {t('journey.settings')}
      </Typography>

      <TextField
        select
        size="small"
        label={t('journey.settings.reEntry')}
        value={reEntry.mode}
        onChange={(e) => {
          const mode = e.target.value;
          set({ reEntry: mode === 'after_window' ? { mode, windowSeconds: 30 * DAY } : { mode: mode as 'never' | 'after_exit' } });
        }}
        slotProps={{ htmlInput: { 'data-testid': 'settings-reentry' } }}
      >
        {(['never', 'after_exit', 'after_window'] as const).map((m) => (
          <MenuItem key={m} value={m}>
            {t(`journey.settings.reEntry.${m}` as MessageKey)}
          </MenuItem>
        ))}
      </TextField>
      {reEntry.mode === 'after_window' ? (
        <DurationField label={t('journey.settings.reEntryDays')} seconds={reEntry.windowSeconds} onChange={(windowSeconds) => set({ reEntry: { mode: 'after_window', windowSeconds } })} testId="settings-reentry-window" error={errorAt('settings.reEntry')} />
      ) : null}

      <Box>
        <Typography variant="overline" color="text.secondary">
          {t('journey.settings.exitCriteria')}
        </Typography>
        <Stack spacing={1}>
          {exits.map((c, i) => (
            <Box key={i} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
              <TextField
                select
                size="small"
                value={c.kind}
                onChange={(e) => {
                  const k = e.target.value;
                  setExit(i, k === 'event' ? { kind: 'event', match: { event: 'Order Completed', where: [], keyed: false } } : { kind: k as 'segment_exited' | 'segment_entered', segmentId: firstSegment });
                }}
                sx={{ width: 170 }}
              >
                {(['event', 'segment_exited', 'segment_entered'] as const).map((k) => (
                  <MenuItem key={k} value={k}>
                    {t(`journey.settings.exitKind.${k}` as MessageKey)}
                  </MenuItem>
                ))}
              </TextField>
              <Box sx={{ flex: 1 }}>
                {c.kind === 'event' ? (
                  <>
                    <TextField size="small" fullWidth label={t('journey.field.event')} value={c.match.event} onChange={(e) => setExit(i, { ...c, match: { ...c.match, event: e.target.value } })} error={!!errorAt(`settings.exitCriteria.${i}`)} helperText={errorAt(`settings.exitCriteria.${i}`)} />
                    <FormControlLabel control={<Checkbox size="small" checked={c.match.keyed ?? false} onChange={(e) => setExit(i, { ...c, match: { ...c.match, keyed: e.target.checked } })} />} label={t('journey.field.keyed')} />
                  </>
                ) : (
                  <SegmentSelect value={c.segmentId} segments={options.segments} onChange={(segmentId) => setExit(i, { ...c, segmentId })} error={errorAt(`settings.exitCriteria.${i}`)} testId={`settings-exit-segment-${i}`} />
                )}
              </Box>
              <IconButton aria-label={t('journey.field.remove')} onClick={() => set({ exitCriteria: exits.filter((_, j) => j !== i) })}>
                <DeleteOutlined fontSize="small" />
              </IconButton>
            </Box>
          ))}
          <Button size="small" startIcon={<Add />} sx={{ alignSelf: 'flex-start' }} disabled={exits.length >= 10} onClick={() => set({ exitCriteria: [...exits, { kind: 'event', match: { event: 'Order Completed', where: [], keyed: false } }] })}>
            {t('journey.settings.addExit')}
          </Button>
        </Stack>
      </Box>

      <Box>
        <Typography variant="overline" color="text.secondary">
          {t('journey.settings.goal')}
        </Typography>
        <Stack spacing={1}>
          <TextField
            select
            size="small"
            value={goal?.match.kind ?? 'none'}
            onChange={(e) => {
              const k = e.target.value;
              if (k === 'none') return drop('goal');
              const base = { windowSeconds: goal?.windowSeconds ?? 7 * DAY, exitOnGoal: goal?.exitOnGoal ?? false };
              set({ goal: { ...base, match: k === 'event' ? { kind: 'event', match: { event: 'Order Completed', where: [], keyed: false } } : { kind: 'segment_entered', segmentId: firstSegment } } });
            }}
            slotProps={{ htmlInput: { 'data-testid': 'settings-goal' } }}
          >
            {(['none', 'event', 'segment_entered'] as const).map((k) => (
              <MenuItem key={k} value={k}>
                {t(`journey.settings.goal.${k}` as MessageKey)}
              </MenuItem>
            ))}
          </TextField>
          {goal?.match.kind === 'event' ? (
            <TextField
              size="small"
              label={t('journey.field.event')}
              value={goal.match.match.event}
              onChange={(e) => goal.match.kind === 'event' && set({ goal: { ...goal, match: { kind: 'event', match: { ...goal.match.match, event: e.target.value } } } })}
              error={!!errorAt('settings.goal')}
              helperText={errorAt('settings.goal')}
            />
          ) : null}
          {goal?.match.kind === 'segment_entered' ? (
            <SegmentSelect value={goal.match.segmentId} segments={options.segments} onChange={(segmentId) => set({ goal: { ...goal, match: { kind: 'segment_entered', segmentId } } })} error={errorAt('settings.goal')} testId="settings-goal-segment" />
          ) : null}
          {goal ? (
            <>
              <DurationField label={t('journey.settings.goalWindow')} seconds={goal.windowSeconds} onChange={(windowSeconds) => set({ goal: { ...goal, windowSeconds } })} testId="settings-goal-window" />
              <FormControlLabel control={<Checkbox checked={goal.exitOnGoal ?? false} onChange={(e) => set({ goal: { ...goal, exitOnGoal: e.target.checked } })} />} label={t('journey.settings.exitOnGoal')} />
            </>
          ) : null}
        </Stack>
      </Box>

      <TextField
        size="small"
        type="number"
        label={t('journey.settings.holdout')}
        value={s.holdoutPercent ?? 0}
        onChange={(e) => set({ holdoutPercent: Number(e.target.value) })}
        error={!!errorAt('settings.holdoutPercent')}
        helperText={errorAt('settings.holdoutPercent')}
        slotProps={{ htmlInput: { min: 0, max: 100, 'data-testid': 'settings-holdout' } }}
      />

      <Box>
        <FormControlLabel
          control={<Checkbox checked={!!s.quietHours} onChange={(e) => (e.target.checked ? set({ quietHours: { start: '22:00', end: '08:00', behavior: 'defer' } }) : drop('quietHours'))} slotProps={{ input: { 'aria-label': t('journey.settings.quietHours') } }} />}
          label={t('journey.settings.quietHours')}
        />
        {s.quietHours ? (
          <Stack spacing={1} direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
            <TextField size="small" type="time" label={t('journey.settings.quietStart')} value={s.quietHours.start} onChange={(e) => set({ quietHours: { ...s.quietHours!, start: e.target.value } })} error={!!errorAt('settings.quietHours')} />
            <TextField size="small" type="time" label={t('journey.settings.quietEnd')} value={s.quietHours.end} onChange={(e) => set({ quietHours: { ...s.quietHours!, end: e.target.value } })} error={!!errorAt('settings.quietHours')} helperText={errorAt('settings.quietHours')} />
            <TextField select size="small" label={t('journey.settings.quietBehavior')} value={s.quietHours.behavior ?? 'defer'} onChange={(e) => set({ quietHours: { ...s.quietHours!, behavior: e.target.value as 'defer' | 'skip' } })} sx={{ minWidth: 180 }}>
              <MenuItem value="defer">{t('journey.settings.quietBehavior.defer')}</MenuItem>
              <MenuItem value="skip">{t('journey.settings.quietBehavior.skip')}</MenuItem>
            </TextField>
          </Stack>
        ) : null}
      </Box>

      <Autocomplete
        size="small"
        options={zones}
        value={s.defaultTimeZone ?? 'UTC'}
        disableClearable
        disabled={readOnly}
        onChange={(_e, v) => set({ defaultTimeZone: v })}
        renderInput={(params) => <TextField {...params} label={t('journey.settings.timeZone')} error={!!errorAt('settings.defaultTimeZone')} helperText={errorAt('settings.defaultTimeZone')} />}
      />

      <FormControlLabel
        control={<Checkbox checked={s.frequencyCap?.respectGlobalCaps ?? true} onChange={(e) => set({ frequencyCap: { ...(s.frequencyCap ?? {}), respectGlobalCaps: e.target.checked } })} />}
        label={t('journey.settings.caps')}
      />
    </Stack>
  );
}
