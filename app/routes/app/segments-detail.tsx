import ArchiveOutlined from '@mui/icons-material/ArchiveOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { data, redirect, useFetcher } from 'react-router';
import { useRevalidateWhile } from '#app/components/connections/use-polling.ts';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { RuleSummary } from '#app/components/segments/rule-summary.tsx';
import { SegmentStatus } from '#app/components/segments/status.tsx';
import { StatCard } from '#app/components/stat-card.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { archiveFromPage, changesFor, getSegmentView, listSegmentViews, membersFor } from '#app/server/segments.server.ts';
import type { Route } from './+types/segments-detail';

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const segment = await getSegmentView(user.tenantId, params.id).catch(() => undefined);
  if (!segment) throw data(null, { status: 404 });
  const after = new URL(request.url).searchParams.get('after') ?? undefined;
  const validAfter = after && /^[0-9a-f-]{36}$/i.test(after) ? after : undefined;
  const [members, changes, all] = await Promise.all([
    membersFor(user.tenantId, segment.id, { ...(validAfter ? { after: validAfter } : {}), limit: 50 }),
    changesFor(user.tenantId, segment.id, { days: 30, bucket: 'day' }),
    listSegmentViews(user.tenantId, 'all'),
  ]);
  return { segment, members, changes, names: all.map((s) => [s.id, s.name] as [string, string]), paged: Boolean(validAfter) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const r = await archiveFromPage(user.tenantId, params.id);
  if (r.archived) throw redirect(`/segments?archivedName=${encodeURIComponent(r.archived)}`);
  return r;
}

/** Entries up, exits down, one column per day. */
function ChangesChart({ buckets }: { buckets: { at: string; entered: number; exited: number }[] }) {
  const t = useT();
  const format = useFormat();
  const max = Math.max(1, ...buckets.flatMap((b) => [b.entered, b.exited]));
  const H = 60;
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: '2px', height: 2 * H + 4, overflowX: 'auto' }} role="img" aria-label={t('segments.detail.changes')}>
        {buckets.map((b) => (
          <Tooltip key={b.at} title={`${format.calendarDate(b.at)} · ${t('segments.detail.entered')} ${b.entered} · ${t('segments.detail.exited')} ${b.exited}`}>
            <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', minWidth: 10, flex: '1 0 10px', maxWidth: 28 }}>
              <Box sx={{ height: H, display: 'flex', alignItems: 'flex-end', width: '100%' }}>
                <Box sx={{ width: '100%', height: `${(b.entered / max) * H}px`, bgcolor: 'success.main', borderRadius: '2px 2px 0 0' }} />
              </Box>
              <Box sx={{ height: 4 }} />
              <Box sx={{ height: H, width: '100%' }}>
                <Box sx={{ width: '100%', height: `${(b.exited / max) * H}px`, bgcolor: 'error.light', borderRadius: '0 0 2px 2px' }} />
              </Box>
            </Box>
          </Tooltip>
        ))}
      </Box>
      <Box sx={{ display: 'flex', gap: 2, mt: 1 }}>
        <Chip size="small" sx={{ bgcolor: 'success.main', color: 'success.contrastText' }} label={`${t('segments.detail.entered')} ${buckets.reduce((s, b) => s + b.entered, 0)}`} />
        <Chip size="small" sx={{ bgcolor: 'error.light' }} label={`${t('segments.detail.exited')} ${buckets.reduce((s, b) => s + b.exited, 0)}`} />
      </Box>
    </Box>
  );
}

const who = (c: { email: string | null; firstName: string | null; lastName: string | null; id: string }) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.id.slice(0, 8);

export default function SegmentPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const { segment: s, members, changes, names, paged } = loaderData;
  const archive = useFetcher<{ error?: string }>();
  useRevalidateWhile(s.status === 'active' && !s.lastComputedAt, 3000);
  const actions =
    s.status === 'active' ? (
      <>
        <Button href={`/segments/${s.id}/edit`} variant="contained" startIcon={<EditOutlined />} data-testid="segment-edit">
          {t('segments.detail.edit')}
        </Button>
        <Button
          color="inherit"
          startIcon={<ArchiveOutlined />}
          onClick={() => {
            if (window.confirm(t('segments.detail.archiveConfirm', { name: s.name }))) void archive.submit({}, { method: 'post' });
          }}
          data-testid="segment-archive"
        >
          {t('segments.detail.archive')}
        </Button>
      </>
    ) : undefined;
  return (
    <>
      <PageHeader title={s.name} subtitle={s.description ?? undefined} actions={actions} titleTestId="segment-title" />
      {archive.data?.error ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="segment-archive-error">
          {archive.data.error}
        </Alert>
      ) : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' }, gap: 2, mb: 2 }}>
        <StatCard label={t('segments.detail.members')} value={format.number(s.memberCount)} testId="segment-member-count" />
        <StatCard label={t('segments.detail.lastComputed')} value={s.lastComputedAt ? format.dateTime(s.lastComputedAt) : t('segments.never')} />
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <SegmentStatus s={s} />
          {s.timeDependent ? <Chip size="small" variant="outlined" label={t('segments.timeDependent')} title={t('segments.timeDependentHint')} /> : null}
        </Box>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2, mb: 2 }}>
        <SectionCard title={t('segments.detail.rule')}>
          <RuleSummary rule={s.definition} names={new Map(names)} />
        </SectionCard>
        <SectionCard title={t('segments.detail.changes')}>{changes.buckets.length ? <ChangesChart buckets={changes.buckets} /> : <Typography color="text.secondary">{t('segments.detail.noChanges')}</Typography>}</SectionCard>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
        <SectionCard title={t('segments.detail.members')} flush>
          {members.data.length ? (
            <Table size="small" data-testid="segment-member-table">
              <TableHead>
                <TableRow>
                  <TableCell>{t('segments.detail.customer')}</TableCell>
                  <TableCell>{t('segments.detail.enteredAt')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {members.data.map((m) => (
                  <TableRow key={m.id} data-testid="segment-member">
                    <TableCell>
                      <Link href={`/customers/${m.id}`}>{who(m)}</Link>
                      {m.email && who(m) !== m.email ? (
                        <Typography variant="body2" color="text.secondary">
                          {m.email}
                        </Typography>
                      ) : null}
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(m.enteredAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : (
            <EmptyState title={t('segments.detail.noMembers')} />
          )}
          <Box sx={{ display: 'flex', gap: 1, p: 1 }}>
            {paged ? <Button href={`/segments/${s.id}`}>{t('segments.detail.firstPage')}</Button> : null}
            {members.next ? <Button href={`/segments/${s.id}?after=${members.next}`}>{t('segments.detail.nextPage')}</Button> : null}
          </Box>
        </SectionCard>
        <SectionCard title={t('segments.detail.recent')} flush>
          {changes.recent.length ? (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('segments.detail.customer')}</TableCell>
                  <TableCell>{t('segments.detail.change')}</TableCell>
                  <TableCell>{t('segments.detail.when')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {changes.recent.map((c, i) => (
                  <TableRow key={i}>
                    <TableCell>
                      <Link href={`/customers/${c.id}`}>{who(c)}</Link>
                    </TableCell>
                    <TableCell>
                      <Chip size="small" color={c.change === 'entered' ? 'success' : 'default'} variant="outlined" label={t(c.change === 'entered' ? 'segments.detail.entered' : 'segments.detail.exited')} />
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(c.at)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : (
            <EmptyState title={t('segments.detail.noChanges')} />
          )}
        </SectionCard>
      </Box>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
