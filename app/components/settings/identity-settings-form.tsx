import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Form, useNavigation } from 'react-router';
import { goldenFields, type GoldenField } from '#core/customers/golden-record.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

export const IDENTITY_RULES = ['document', 'email', 'phone_last_name'] as const;
export type IdentityRule = (typeof IDENTITY_RULES)[number];

export interface IdentitySettingsValues {
  rules: string[];
  autoMergeThreshold: number;
  reviewThreshold: number;
  probabilistic: boolean;
  sourcePriority: Partial<Record<GoldenField, string[]>>;
}

export type IdentitySettingsError = 'threshold' | 'reviewAboveAuto' | 'sources' | 'rules';

export type IdentitySettingsResult = { outcome: 'identity-saved' } | { outcome: 'identity-invalid'; fieldErrors: Record<string, IdentitySettingsError> };

const errorMessages: Record<IdentitySettingsError, MessageKey> = {
  threshold: 'settings.identity.error.threshold',
  reviewAboveAuto: 'settings.identity.error.reviewAboveAuto',
  sources: 'settings.identity.error.sources',
  rules: 'settings.identity.error.rules',
};

const ruleLabels: Record<IdentityRule, { label: MessageKey; help: MessageKey }> = {
  document: { label: 'settings.identity.rule.document', help: 'settings.identity.rule.documentHelp' },
  email: { label: 'settings.identity.rule.email', help: 'settings.identity.rule.emailHelp' },
  phone_last_name: { label: 'settings.identity.rule.phone_last_name', help: 'settings.identity.rule.phone_last_nameHelp' },
};

/** Input props with a test id (MUI types them as plain input attributes). */
const testInput = (testId: string, extra: InputHTMLAttributes<HTMLInputElement> = {}) =>
  ({ ...extra, 'data-testid': testId }) as InputHTMLAttributes<HTMLInputElement>;

function Heading({ children, help }: { children: ReactNode; help?: ReactNode }) {
  return (
    <Box sx={{ mt: 3, mb: 1 }}>
      <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
        {children}
      </Typography>
      {help ? (
        <Typography variant="body2" color="text.secondary">
          {help}
        </Typography>
      ) : null}
    </Box>
  );
}

function SwitchRow({
  name,
  value,
  checked,
  disabled,
  label,
  help,
  testId,
}: {
  name: string;
  value: string;
  checked: boolean;
  disabled: boolean;
  label: string;
  help: string;
  testId: string;
}) {
  return (
    <FormControlLabel
      sx={{ alignItems: 'flex-start', mb: 1, ml: 0, gap: 1 }}
      control={<Switch name={name} value={value} defaultChecked={checked} disabled={disabled} slotProps={{ input: testInput(testId) }} />}
      label={
        <Box sx={{ pt: 0.75 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {label}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {help}
          </Typography>
        </Box>
      }
    />
  );
}

/** Rules, probabilistic pass, thresholds and per-field source trust; saved as intent=identity-settings. */
export function IdentitySettingsForm({
  settings,
  canManage,
  result,
}: {
  settings: IdentitySettingsValues;
  canManage: boolean;
  result: IdentitySettingsResult | undefined;
}) {
  const t = useT();
  const navigation = useNavigation();
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'identity-settings';
  const errors = result?.outcome === 'identity-invalid' ? result.fieldErrors : {};
  const errorFor = (path: string) => {
    const e = errors[path];
    return e ? t(errorMessages[e]) : undefined;
  };
  const disabled = !canManage;
  return (
    <Form method="post" noValidate data-testid="identity-settings-form">
      <input type="hidden" name="intent" value="identity-settings" />
      {result?.outcome === 'identity-saved' ? (
        <Alert severity="success" sx={{ mb: 2 }} data-testid="identity-settings-saved">
          {t('settings.identity.saved')}
        </Alert>
      ) : null}
      {result?.outcome === 'identity-invalid' ? (
        <Alert severity="error" role="alert" sx={{ mb: 2 }} data-testid="identity-settings-invalid">
          {t('settings.identity.invalid')}
          {errors.rules ? ` ${t(errorMessages[errors.rules])}` : null}
        </Alert>
      ) : null}
      {canManage ? null : (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('settings.identity.readOnly')}
        </Alert>
      )}

      <Heading help={t('settings.identity.rulesHelp')}>{t('settings.identity.rules')}</Heading>
      <FormGroup>
        {IDENTITY_RULES.map((rule) => (
          <SwitchRow
            key={rule}
            name="rules"
            value={rule}
            checked={settings.rules.includes(rule)}
            disabled={disabled}
            label={t(ruleLabels[rule].label)}
            help={t(ruleLabels[rule].help)}
            testId={`identity-rule-${rule}`}
          />
        ))}
      </FormGroup>

      <Heading help={t('settings.identity.probabilisticIntro')}>{t('settings.identity.probabilisticTitle')}</Heading>
      <FormGroup>
        <SwitchRow
          name="probabilistic"
          value="on"
          checked={settings.probabilistic}
          disabled={disabled}
          label={t('settings.identity.probabilistic')}
          help={t('settings.identity.probabilisticHelp')}
          testId="identity-probabilistic"
        />
      </FormGroup>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, minmax(0, 1fr))' }, mt: 1, maxWidth: 760 }}>
        <TextField
          name="autoMergeThreshold"
          label={t('settings.identity.autoMerge')}
          defaultValue={String(settings.autoMergeThreshold)}
          disabled={disabled}
          error={Boolean(errorFor('autoMergeThreshold'))}
          helperText={errorFor('autoMergeThreshold') ?? t('settings.identity.autoMergeHelp')}
          slotProps={{ htmlInput: testInput('identity-auto-merge-threshold', { inputMode: 'decimal', autoComplete: 'off' }) }}
        />
        <TextField
          name="reviewThreshold"
          label={t('settings.identity.review')}
          defaultValue={String(settings.reviewThreshold)}
          disabled={disabled}
          error={Boolean(errorFor('reviewThreshold'))}
          helperText={errorFor('reviewThreshold') ?? t('settings.identity.reviewHelp')}
          slotProps={{ htmlInput: testInput('identity-review-threshold', { inputMode: 'decimal', autoComplete: 'off' }) }}
        />
      </Box>

      <Heading help={t('settings.identity.sourcePriorityHelp')}>{t('settings.identity.sourcePriority')}</Heading>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, minmax(0, 1fr))' }, maxWidth: 760 }}>
        {goldenFields.map((field) => {
          const path = `sourcePriority.${field}`;
          const error = errorFor(path);
          return (
            <TextField
              key={field}
              name={path}
              label={t(`customer.field.${field}`)}
              defaultValue={(settings.sourcePriority[field] ?? []).join(', ')}
              placeholder={t('settings.identity.sourcesPlaceholder')}
              disabled={disabled}
              error={Boolean(error)}
              helperText={error}
              size="small"
              slotProps={{ htmlInput: testInput(`identity-source-priority-${field}`, { autoComplete: 'off', spellCheck: false }) }}
            />
          );
        })}
      </Box>

      {canManage ? (
        <Box sx={{ mt: 3 }}>
          <Button type="submit" variant="contained" disabled={saving} data-testid="identity-settings-save">
            {saving ? t('settings.identity.saving') : t('settings.identity.save')}
          </Button>
        </Box>
      ) : null}
    </Form>
  );
}
