import { data, redirect } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { ExperimentSetupForm } from '#app/components/experiments/setup-form.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { getExperimentView, setupAction, setupOptionsFor } from '#app/server/experiments.server.ts';
import type { Route } from './+types/experiments-edit';

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const experiment = await getExperimentView(user.tenantId, params.id).catch(() => undefined);
  if (!experiment) throw data(null, { status: 404 });
  return { experiment, options: await setupOptionsFor(user.tenantId) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const body = (await request.json()) as { intent?: string };
  const result = await setupAction(user.tenantId, body, params.id);
  if (body.intent !== 'metric' && 'ok' in result) throw redirect(`/experiments/${params.id}`);
  return result;
}

/** Drafts change everything; once started the server refuses changes to the fixed parts (shown as field errors). */
export default function EditExperimentPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { experiment, options } = loaderData;
  return (
    <>
      <PageHeader title={t('experiments.form.editTitle', { name: experiment.name })} />
      <ExperimentSetupForm options={options} initial={experiment.definition} cancelHref={`/experiments/${experiment.id}`} />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
