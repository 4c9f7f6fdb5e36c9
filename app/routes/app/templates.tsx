import Add from '@mui/icons-material/Add';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { listTemplatesFor } from '#app/server/messaging.server.ts';
import type { Route } from './+types/templates';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const templates = await listTemplatesFor(user.tenantId, { includeArchived: true });
  return {
    templates: templates.map((t) => ({ id: t.id, name: t.name, channel: t.channel, category: t.category, archived: t.archivedAt !== null, updatedAt: t.updatedAt.toISOString() })),
  };
}

export default function TemplatesPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const format = useFormat();
  const add = (
    <Button href="/templates/new" variant="contained" startIcon={<Add />}>
      {t('templates.new')}
    </Button>
  );
  return (
    <>
      <PageHeader title={t('templates.title')} subtitle={t('templates.subtitle')} actions={add} />
      {loaderData.templates.length === 0 ? (
        <EmptyState title={t('templates.empty.title')}>{t('templates.empty.body')}</EmptyState>
      ) : (
        <TableContainer component={Paper}>
          <Table>
            <TableHead>
              <TableRow>
                <TableCell>{t('templates.column.name')}</TableCell>
                <TableCell>{t('templates.column.channel')}</TableCell>
                <TableCell>{t('templates.column.category')}</TableCell>
                <TableCell>{t('templates.column.updated')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {loaderData.templates.map((tpl) => (
                <TableRow key={tpl.id} hover>
                  <TableCell>
                    <Link href={`/templates/${tpl.id}`}>{tpl.name}</Link> {tpl.archived && <Chip size="small" label={t('templates.archived')} />}
                  </TableCell>
                  <TableCell>{t(`messaging.channel.${tpl.channel}`)}</TableCell>
                  <TableCell>{t(`templates.category.${tpl.category}`)}</TableCell>
                  <TableCell>{format.dateTime(tpl.updatedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
