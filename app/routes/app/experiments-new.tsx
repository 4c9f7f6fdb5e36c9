import { redirect } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { ExperimentSetupForm } from '#app/components/experiments/setup-form.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { setupAction, setupOptionsFor } from '#app/server/experiments.server.ts';
import type { Route } from './+types/experiments-new';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { options: await setupOptionsFor(user.tenantId) };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const body = (await request.json()) as { intent?: string };
  const result = await setupAction(user.tenantId, body);
  if (body.intent !== 'metric' && 'ok' in result) throw redirect(`/experiments/${result.ok.id}`);
  return result;
}

export default function NewExperimentPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <>
      <PageHeader title={t('experiments.form.newTitle')} subtitle={t('experiments.subtitle')} />
      <ExperimentSetupForm options={loaderData.options} cancelHref="/experiments" />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
