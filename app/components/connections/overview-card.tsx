import OpenInNew from '@mui/icons-material/OpenInNew';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { ConnectionView } from '#core/api/connections.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { SectionCard } from '../section-card.tsx';
import { monospace } from '../theme.ts';
import { intervalLabel } from './connection-fields.tsx';
import { kindLabels } from './kind.tsx';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }} data-testid={testId}>
        {children}
      </Typography>
    </>
  );
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** The kind's non-secret settings worth seeing at a glance. */
function configRows(c: ConnectionView): { label: MessageKey; value: ReactNode }[] {
  const cfg = c.config;
  const mono = (v: string) => <Box component="span" sx={{ fontFamily: monospace }}>{v}</Box>;
  if (c.kind === 'vtex')
    return [
      { label: 'connections.field.account', value: mono(str(cfg.account) ?? '—') },
      { label: 'connections.field.environment', value: mono(str(cfg.environment) ?? '—') },
      ...(str(cfg.baseUrl) ? [{ label: 'connections.field.baseUrl' as MessageKey, value: mono(str(cfg.baseUrl)!) }] : []),
      { label: 'connections.field.source', value: mono(str(cfg.source) ?? 'vtex') },
    ];
  if (c.kind === 'mercadolibre')
    return [
      { label: 'connections.field.clientId', value: mono(str(cfg.clientId) ?? '—') },
      { label: 'connections.field.siteId', value: mono(str(cfg.siteId) ?? 'MLA') },
      { label: 'connections.overview.seller', value: str(cfg.sellerId) ? mono(str(cfg.sellerId)!) : <ConnectHint /> },
      { label: 'connections.field.source', value: mono(str(cfg.source) ?? 'mercadolibre') },
    ];
  return [{ label: 'connections.field.source', value: mono(str(cfg.source) ?? 'erp') }];
}

function ConnectHint() {
  const t = useT();
  return (
    <Typography component="span" variant="body2" color="warning.main">
      {t('connections.overview.notConnected')}
    </Typography>
  );
}

function Schedule({ c }: { c: ConnectionView }) {
  const t = useT();
  const format = useFormat();
  const s = c.schedule;
  if (!s) return <>{t('connections.schedule.none')}</>;
  const state: Record<typeof s.state, MessageKey> = {
    active: 'connections.schedule.every',
    paused: 'connections.schedule.paused',
    missing: 'connections.schedule.missing',
    unknown: 'connections.schedule.unknown',
  };
  return (
    <>
      {t(state[s.state], { interval: intervalLabel(t, c.syncIntervalMinutes) })}
      {s.nextRunAt.length ? (
        <Box component="span" sx={{ display: 'block', color: 'text.secondary' }} data-testid="next-runs">
          {t('connections.schedule.next', { times: s.nextRunAt.map((x) => format.dateTime(x)).join(' · ') })}
        </Box>
      ) : null}
      <Link href={s.temporalUiUrl} target="_blank" rel="noopener noreferrer" sx={{ display: 'flex', alignItems: 'center', gap: 0.5, width: 'fit-content' }} data-testid="schedule-temporal-link">
        {t('connections.schedule.temporal')}
        <OpenInNew sx={{ fontSize: 14 }} />
      </Link>
    </>
  );
}

export function OverviewCard({ connection: c }: { connection: ConnectionView }) {
  const t = useT();
  const format = useFormat();
  return (
    <SectionCard title={t('connections.overview.title')}>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'minmax(120px, max-content) minmax(0, 1fr)', columnGap: 3, rowGap: 1.25, m: 0 }}>
        <Row label={t('connections.overview.kind')}>{t(kindLabels[c.kind])}</Row>
        {configRows(c).map((r) => (
          <Row key={r.label} label={t(r.label)}>
            {r.value}
          </Row>
        ))}
        <Row label={t('connections.overview.schedule')} testId="schedule-state">
          <Schedule c={c} />
        </Row>
        <Row label={t('connections.column.lastSync')}>{c.lastSyncAt ? format.dateTime(c.lastSyncAt) : t('connections.never')}</Row>
        <Row label={t('connections.overview.credentials')} testId="has-credentials">
          {c.kind === 'file' ? t('connections.overview.credentials.none') : c.hasCredentials ? t('connections.overview.credentials.saved') : t('connections.overview.credentials.missing')}
        </Row>
        <Row label={t('connections.overview.created')}>{format.dateTime(c.createdAt)}</Row>
      </Box>
    </SectionCard>
  );
}
