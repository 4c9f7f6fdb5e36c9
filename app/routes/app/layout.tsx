import { Outlet } from 'react-router';
import { AppShell } from '#app/components/app-shell.tsx';
import { I18nProvider } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { getTenantBySlug } from '#db/queries/tenants.ts';
import type { Route } from './+types/layout';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  // Dates show in the workspace's time zone, the same for every member and on server and browser.
  const tenant = await getTenantBySlug(getDb(), user.tenantSlug);
  return {
    user: { email: user.email, name: user.name, role: user.role, tenantName: user.tenantName },
    timeZone: tenant?.timezone ?? 'UTC',
  };
}

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  return (
    <I18nProvider timeZone={loaderData.timeZone}>
      <AppShell user={loaderData.user}>
        <Outlet />
      </AppShell>
    </I18nProvider>
  );
}
