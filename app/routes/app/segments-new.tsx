import { redirect } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SegmentEditor } from '#app/components/segments/segment-editor.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { editorAction, editorSegments } from '#app/server/segments.server.ts';
import type { Route } from './+types/segments-new';

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { others: await editorSegments(user.tenantId) };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const result = await editorAction(user.tenantId, await request.json());
  if ('saved' in result) throw redirect(`/segments/${result.saved}`);
  return result;
}

export default function NewSegmentPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return (
    <>
      <PageHeader title={t('segments.builder.newTitle')} subtitle={t('segments.builder.subtitle')} />
      <SegmentEditor others={loaderData.others} cancelHref="/segments" />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
