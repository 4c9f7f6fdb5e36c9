import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useFormat, useT, type Translate } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { CustomerIdLink, shortId } from '../identity/customer-id-link.tsx';
import type { IdentityKind, TimelineActor, TimelineEntry } from '../identity/timeline-model.ts';
import { SectionCard } from '../section-card.tsx';
import { monospace } from '../theme.ts';

const kindLabels: Record<IdentityKind, MessageKey> = {
  auto_merge: 'identity.kind.auto_merge',
  manual_merge: 'identity.kind.manual_merge',
  review_merge: 'identity.kind.review_merge',
  review_reject: 'identity.kind.review_reject',
  unmerge: 'identity.kind.unmerge',
  link: 'identity.kind.link',
};

const kindColors: Record<IdentityKind | 'other', 'primary' | 'secondary' | 'warning' | 'info' | 'default'> = {
  auto_merge: 'primary',
  manual_merge: 'primary',
  review_merge: 'primary',
  link: 'info',
  unmerge: 'warning',
  review_reject: 'default',
  other: 'default',
};

const ruleLabels: Record<string, MessageKey> = {
  document: 'identity.rule.document',
  email: 'identity.rule.email',
  phone_last_name: 'identity.rule.phone_last_name',
  manual: 'identity.rule.manual',
};

/** Reasons the resolution engine writes itself (rule-driven changes), shown in the reader's language. */
const systemReasons: Record<string, MessageKey> = {
  'Matching identifiers': 'identity.systemReason.matchingIdentifiers',
  'New profiles matched an existing customer': 'identity.systemReason.matchedExisting',
  'New profiles matched each other': 'identity.systemReason.matchedEachOther',
};

type Percent = (probability: number) => string;

function ruleText(rule: string, probability: number | null, t: Translate, percent: Percent): string {
  if (rule === 'probabilistic')
    return probability === null ? t('identity.rule.probabilistic') : t('identity.rule.probabilisticWith', { probability: percent(probability) });
  const key = ruleLabels[rule];
  return key ? t(key) : rule;
}

/** rule:document → "Rule: same document"; user:… → "A user"; api-key:… → "API key". */
export function actorText(actor: TimelineActor, t: Translate, percent: Percent): string {
  switch (actor.type) {
    case 'rules': {
      const rules = actor.rules.map((r) => ruleText(r, actor.probability, t, percent)).join(', ');
      return t(actor.rules.length > 1 ? 'identity.actor.rules' : 'identity.actor.rule', { rules });
    }
    case 'user':
      return t('identity.actor.user');
    case 'apiKey':
      return actor.name ? t('identity.actor.apiKeyNamed', { name: actor.name }) : t('identity.actor.apiKey');
    default:
      return actor.raw;
  }
}

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'baseline', mt: 0.5 }}>
      <Typography variant="body2" color="text.secondary" component="span">
        {label}
      </Typography>
      <Box component="span" sx={{ display: 'inline-flex', gap: 0.75, flexWrap: 'wrap', alignItems: 'baseline', minWidth: 0 }}>
        {children}
      </Box>
    </Box>
  );
}

function ProfileList({ ids, labels }: { ids: string[]; labels: Record<string, string> }) {
  return (
    <>
      {ids.map((id) => (
        <Chip
          key={id}
          size="small"
          variant="outlined"
          label={labels[id] ?? shortId(id)}
          title={id}
          sx={{ fontFamily: labels[id] ? undefined : monospace, maxWidth: '100%' }}
        />
      ))}
    </>
  );
}

function CustomerList({ ids }: { ids: string[] }) {
  return (
    <>
      {ids.map((id) => (
        <CustomerIdLink key={id} id={id} />
      ))}
    </>
  );
}

function EntryDetails({ entry, labels }: { entry: TimelineEntry; labels: Record<string, string> }) {
  const t = useT();
  const format = useFormat();
  const isMerge = entry.kind === 'auto_merge' || entry.kind === 'manual_merge' || entry.kind === 'review_merge';
  const profileLabel: MessageKey | undefined =
    entry.kind === 'unmerge'
      ? 'identity.timeline.profilesOut'
      : entry.kind === 'link'
        ? 'identity.timeline.profilesAdded'
        : entry.kind === 'review_reject'
          ? 'identity.timeline.keptApart'
          : isMerge
            ? 'identity.timeline.profilesIn'
            : undefined;
  return (
    <>
      {isMerge && entry.otherCustomerIds.length ? (
        <Line label={t('identity.timeline.absorbed')}>
          <CustomerList ids={entry.otherCustomerIds} />
          <Typography variant="body2" color="text.secondary" component="span">
            →
          </Typography>
          <CustomerIdLink id={entry.customerId} />
        </Line>
      ) : null}
      {profileLabel && entry.profileIds.length ? (
        <Line label={t(profileLabel)}>
          <ProfileList ids={entry.profileIds} labels={labels} />
        </Line>
      ) : null}
      {entry.kind === 'unmerge' && entry.otherCustomerIds.length ? (
        <Line label={t(entry.restored ? 'identity.timeline.restoredTo' : 'identity.timeline.newCustomer')}>
          <CustomerList ids={entry.otherCustomerIds} />
        </Line>
      ) : null}
      {entry.kind === 'review_reject' && entry.otherCustomerIds.length ? (
        <Line label={t('identity.timeline.otherCustomer')}>
          <CustomerList ids={entry.otherCustomerIds} />
        </Line>
      ) : null}
      {entry.matches.length ? (
        <Line label={t('identity.timeline.matchedOn')}>
          {entry.matches.map((m, i) => (
            <Typography key={i} variant="body2" component="span">
              {ruleText(m.rule, m.probability, t, format.percent)}
              {m.profileIds.length === 2 ? ` (${m.profileIds.map((p) => labels[p] ?? shortId(p)).join(' ↔ ')})` : null}
              {i < entry.matches.length - 1 ? ';' : null}
            </Typography>
          ))}
        </Line>
      ) : null}
      {entry.probability !== null ? (
        <Line label={t('identity.timeline.probability')}>
          <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
            {format.percent(entry.probability)}
          </Typography>
        </Line>
      ) : null}
    </>
  );
}

function TimelineItem({ entry, labels }: { entry: TimelineEntry; labels: Record<string, string> }) {
  const t = useT();
  const format = useFormat();
  const kindLabel = entry.kind === 'other' ? entry.rawKind : t(kindLabels[entry.kind]);
  const systemReason = entry.actor.type === 'rules' && entry.reason ? systemReasons[entry.reason] : undefined;
  return (
    <Box
      component="li"
      data-testid="timeline-entry"
      data-kind={entry.rawKind}
      sx={{
        position: 'relative',
        pl: 3,
        pb: 2,
        '&:last-of-type': { pb: 0 },
        '&::before': { content: '""', position: 'absolute', left: 6, top: 6, bottom: 0, borderLeft: 2, borderColor: 'divider' },
        '&:last-of-type::before': { display: 'none' },
      }}
    >
      <Box
        sx={{
          position: 'absolute',
          left: 0,
          top: 4,
          width: 14,
          height: 14,
          borderRadius: '50%',
          bgcolor: entry.undoneBy ? 'grey.400' : 'primary.main',
          border: 2,
          borderColor: 'background.paper',
        }}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Chip size="small" label={kindLabel} color={kindColors[entry.kind]} variant={entry.undoneBy ? 'outlined' : 'filled'} data-testid="timeline-kind" />
        <Typography variant="body2" sx={{ fontWeight: 600 }} data-testid="timeline-actor">
          {actorText(entry.actor, t, format.percent)}
        </Typography>
        {entry.undoneBy ? <Chip size="small" variant="outlined" color="warning" label={t('identity.timeline.undone')} data-testid="timeline-undone" /> : null}
        <Box sx={{ flex: 1 }} />
        <Typography variant="caption" color="text.secondary" component="time" dateTime={entry.createdAt}>
          {format.dateTime(entry.createdAt)}
        </Typography>
      </Box>
      {entry.reason ? (
        <Typography variant="body2" sx={{ mt: 0.5, fontStyle: 'italic', wordBreak: 'break-word' }} data-testid="timeline-reason">
          “{systemReason ? t(systemReason) : entry.reason}”
        </Typography>
      ) : null}
      <EntryDetails entry={entry} labels={labels} />
    </Box>
  );
}

/** How this customer came to be: merges, links, unmerges and review decisions, newest first. */
export function IdentityTimelineCard({
  entries,
  profileLabels,
  action,
}: {
  entries: TimelineEntry[];
  profileLabels: Record<string, string>;
  action?: ReactNode;
}) {
  const t = useT();
  return (
    <SectionCard title={t('identity.timeline.title')} action={action}>
      <Box data-testid="identity-timeline">
        {entries.length === 0 ? (
          <Typography color="text.secondary">{t('identity.timeline.empty')}</Typography>
        ) : (
          <>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              {t('identity.timeline.explain')}
            </Typography>
            <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
              {entries.map((entry) => (
                <TimelineItem key={entry.id} entry={entry} labels={profileLabels} />
              ))}
            </Box>
          </>
        )}
      </Box>
    </SectionCard>
  );
}
