import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ConnectionKind } from '#core/connectors/types.ts';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';

export interface FieldDef {
  /** Form field name: `name`, `config.<key>` or `credentials.<key>` (the API's body paths). */
  name: string;
  label: MessageKey;
  help?: MessageKey;
  error: MessageKey;
  type?: 'text' | 'password' | 'date' | 'url';
  required?: boolean;
  defaultValue?: string;
  placeholder?: string;
  options?: { value: string; label: string }[];
}

export const fieldTestId = (name: string) => `field-${name.replace(/\./g, '-')}`;

const siteOptions = [
  { value: 'MLA', label: 'MLA · Argentina' },
  { value: 'MLB', label: 'MLB · Brasil' },
  { value: 'MLM', label: 'MLM · México' },
  { value: 'MLC', label: 'MLC · Chile' },
  { value: 'MCO', label: 'MCO · Colombia' },
  { value: 'MLU', label: 'MLU · Uruguay' },
  { value: 'MPE', label: 'MPE · Perú' },
];

const appKey: FieldDef = { name: 'credentials.appKey', label: 'connections.field.appKey', help: 'connections.field.appKey.help', error: 'connections.field.appKey.error', required: true, placeholder: 'vtexappkey-mystore-ABCDEF' };
const appToken: FieldDef = { name: 'credentials.appToken', label: 'connections.field.appToken', help: 'connections.field.appToken.help', error: 'connections.field.appToken.error', type: 'password', required: true };
const clientSecret: FieldDef = { name: 'credentials.clientSecret', label: 'connections.field.clientSecret', help: 'connections.field.clientSecret.help', error: 'connections.field.clientSecret.error', type: 'password', required: true };
const backfillFrom: FieldDef = { name: 'config.backfillFrom', label: 'connections.field.backfillFrom', help: 'connections.field.backfillFrom.help', error: 'connections.field.backfillFrom.error', type: 'date' };

/** Settings asked for when a connection is added, per kind; `advanced` ones sit in a collapsed section. */
export const createFields: Record<ConnectionKind, { main: FieldDef[]; advanced: FieldDef[] }> = {
  vtex: {
    main: [
      { name: 'config.account', label: 'connections.field.account', help: 'connections.field.account.help', error: 'connections.field.account.error', required: true, placeholder: 'mystore' },
      { name: 'config.environment', label: 'connections.field.environment', help: 'connections.field.environment.help', error: 'connections.field.environment.error', defaultValue: 'vtexcommercestable' },
      appKey,
      appToken,
    ],
    advanced: [backfillFrom, { name: 'config.baseUrl', label: 'connections.field.baseUrl', help: 'connections.field.baseUrl.help', error: 'connections.field.url.error', type: 'url' }],
  },
  mercadolibre: {
    main: [
      { name: 'config.clientId', label: 'connections.field.clientId', help: 'connections.field.clientId.help', error: 'connections.field.clientId.error', required: true },
      clientSecret,
      { name: 'config.siteId', label: 'connections.field.siteId', error: 'connections.field.siteId.error', defaultValue: 'MLA', options: siteOptions },
    ],
    advanced: [
      backfillFrom,
      { name: 'config.apiBaseUrl', label: 'connections.field.apiBaseUrl', help: 'connections.field.apiBaseUrl.help', error: 'connections.field.url.error', type: 'url', placeholder: 'https://api.mercadolibre.com' },
      { name: 'config.authBaseUrl', label: 'connections.field.authBaseUrl', help: 'connections.field.authBaseUrl.help', error: 'connections.field.url.error', type: 'url', placeholder: 'https://auth.mercadolibre.com.ar' },
    ],
  },
  file: {
    main: [{ name: 'config.source', label: 'connections.field.source', help: 'connections.field.source.help', error: 'connections.field.source.error', defaultValue: 'erp' }],
    advanced: [],
  },
};

/** Credentials that can be replaced on the detail page (write-only: blank keeps the stored value). */
export const credentialFields: Record<ConnectionKind, FieldDef[]> = {
  vtex: [appKey, appToken],
  mercadolibre: [clientSecret],
  file: [],
};

export const INTERVALS = [5, 15, 30, 60, 180, 360, 720, 1440];

export function intervalLabel(t: ReturnType<typeof useT>, minutes: number): string {
  if (minutes < 60) return t('connections.interval.minutes', { n: minutes });
  if (minutes % 60 === 0) return minutes === 60 ? t('connections.interval.hour') : t('connections.interval.hours', { n: minutes / 60 });
  return t('connections.interval.minutes', { n: minutes });
}

export function IntervalField({ defaultValue = 15, invalid }: { defaultValue?: number; invalid?: boolean }) {
  const t = useT();
  const options = INTERVALS.includes(defaultValue) ? INTERVALS : [...INTERVALS, defaultValue].sort((a, b) => a - b);
  return (
    <TextField
      select
      name="syncIntervalMinutes"
      label={t('connections.field.interval')}
      helperText={invalid ? t('connections.field.interval.error') : t('connections.field.interval.help')}
      error={invalid}
      defaultValue={String(defaultValue)}
      fullWidth
      slotProps={{ htmlInput: { 'data-testid': fieldTestId('syncIntervalMinutes') } }}
    >
      {options.map((m) => (
        <MenuItem key={m} value={String(m)}>
          {intervalLabel(t, m)}
        </MenuItem>
      ))}
    </TextField>
  );
}

export function Field({ def, invalid, writeOnly = false }: { def: FieldDef; invalid: boolean; writeOnly?: boolean }) {
  const t = useT();
  const help = writeOnly ? t('connections.field.writeOnly') : def.help ? t(def.help) : undefined;
  return (
    <TextField
      name={def.name}
      label={t(def.label)}
      type={def.type === 'url' ? 'url' : def.type ?? 'text'}
      required={def.required && !writeOnly}
      defaultValue={def.options ? def.defaultValue ?? def.options[0]!.value : def.defaultValue}
      placeholder={def.placeholder}
      helperText={invalid ? t(def.error) : help}
      error={invalid}
      select={Boolean(def.options)}
      fullWidth
      autoComplete={def.type === 'password' || writeOnly ? 'new-password' : 'off'}
      slotProps={{
        htmlInput: { 'data-testid': fieldTestId(def.name), spellCheck: false },
        ...(def.type === 'date' ? { inputLabel: { shrink: true } } : {}),
      }}
    >
      {def.options?.map((o) => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The kind's fields for "Add connection", with the advanced ones collapsed unless one of them is wrong. */
export function KindFields({ kind, invalid }: { kind: ConnectionKind; invalid: string[] }) {
  const t = useT();
  const { main, advanced } = createFields[kind];
  const advancedInvalid = advanced.some((f) => invalid.includes(f.name));
  return (
    <Stack spacing={2}>
      {main.map((def) => (
        <Field key={def.name} def={def} invalid={invalid.includes(def.name)} />
      ))}
      {advanced.length ? (
        <Accordion variant="outlined" disableGutters defaultExpanded={advancedInvalid}>
          <AccordionSummary expandIcon={<KeyboardArrowDown />}>
            <Typography>{t('connections.new.advanced')}</Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Stack spacing={2}>
              {advanced.map((def) => (
                <Field key={def.name} def={def} invalid={invalid.includes(def.name)} />
              ))}
            </Stack>
          </AccordionDetails>
        </Accordion>
      ) : null}
    </Stack>
  );
}
