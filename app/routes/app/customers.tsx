import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { MouseEvent } from 'react';
import { Form, useNavigate } from 'react-router';
import { EmptyState } from '#app/components/empty-state.tsx';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { personName } from '#app/components/person-name.ts';
import { useFormat, useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { decodeCursor, listCustomers, type CustomerSummary } from '#db/queries/customers.ts';
import type { Route } from './+types/customers';

const PAGE_SIZE = 50;

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  const rawCursor = params.get('cursor');
  // A cursor we did not issue (edited or stale link) just starts from the first page.
  const cursor = rawCursor ? decodeCursor(rawCursor) : undefined;
  const page = await listCustomers(getDb(), user.tenantId, { q: q || undefined, limit: PAGE_SIZE, cursor });
  return { q, customers: page.data, nextCursor: page.nextCursor, isFirstPage: !cursor };
}

function pageHref(q: string, cursor?: string): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `/customers?${search}` : '/customers';
}

function SearchForm({ q }: { q: string }) {
  const t = useT();
  return (
    <Form method="get" role="search" style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginBottom: 16 }}>
      <TextField
        key={q}
        name="q"
        type="search"
        defaultValue={q}
        placeholder={t('customers.searchPlaceholder')}
        size="small"
        sx={{ flex: '1 1 320px', maxWidth: 560, bgcolor: 'background.paper' }}
        slotProps={{
          htmlInput: { 'aria-label': t('customers.searchLabel') },
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          },
        }}
      />
      <Button type="submit" variant="contained">
        {t('customers.search')}
      </Button>
      {q ? (
        <Button href="/customers" variant="text">
          {t('customers.clearSearch')}
        </Button>
      ) : null}
    </Form>
  );
}

function CustomerRow({ customer }: { customer: CustomerSummary }) {
  const t = useT();
  const format = useFormat();
  const navigate = useNavigate();
  const href = `/customers/${customer.id}`;
  // The whole row is clickable for mouse users; the name link keeps it reachable by keyboard.
  const onRowClick = (event: MouseEvent<HTMLTableRowElement>) => {
    if (!(event.target instanceof Element) || event.target.closest('a')) return;
    void navigate(href);
  };
  const name = personName(customer);
  return (
    <TableRow hover data-testid="customer-row" onClick={onRowClick} sx={{ cursor: 'pointer' }}>
      <TableCell>
        <Link href={href} underline="hover" sx={{ fontWeight: 600 }} color={name ? 'primary' : 'text.secondary'}>
          {name ?? t('customer.unnamed')}
        </Link>
      </TableCell>
      <TableCell>{customer.email ?? '—'}</TableCell>
      <TableCell>{customer.phone ?? '—'}</TableCell>
      <TableCell>{customer.documentNumber ?? '—'}</TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{format.dateTime(customer.createdAt)}</TableCell>
    </TableRow>
  );
}

function CustomerTable({ customers }: { customers: CustomerSummary[] }) {
  const t = useT();
  return (
    <TableContainer>
      <Table size="small" aria-label={t('customers.tableLabel')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('customers.column.name')}</TableCell>
            <TableCell>{t('customers.column.email')}</TableCell>
            <TableCell>{t('customers.column.phone')}</TableCell>
            <TableCell>{t('customers.column.document')}</TableCell>
            <TableCell>{t('customers.column.created')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {customers.map((customer) => (
            <CustomerRow key={customer.id} customer={customer} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

export default function CustomersPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { q, customers, nextCursor, isFirstPage } = loaderData;
  return (
    <>
      <PageHeader title={t('customers.title')} subtitle={t('customers.subtitle')} />
      <SearchForm q={q} />
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        {customers.length > 0 ? (
          <CustomerTable customers={customers} />
        ) : (
          <EmptyState title={q ? t('customers.empty.searchTitle', { q }) : t('customers.empty.title')} testId="customers-empty">
            {q ? t('customers.empty.searchBody') : t('customers.empty.body')}
          </EmptyState>
        )}
      </Paper>
      {!isFirstPage || nextCursor ? (
        <Box component="nav" aria-label={t('customers.paging')} sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', mt: 2 }}>
          <Box>{isFirstPage ? null : <Button href={pageHref(q)}>{t('customers.firstPage')}</Button>}</Box>
          <Typography variant="body2" color="text.secondary">
            {t('customers.pageSize', { count: customers.length })}
          </Typography>
          <Box>
            {nextCursor ? (
              <Button href={pageHref(q, nextCursor)} variant="outlined" data-testid="next-page">
                {t('customers.nextPage')}
              </Button>
            ) : null}
          </Box>
        </Box>
      ) : null}
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
