import { data, redirect } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SegmentEditor } from '#app/components/segments/segment-editor.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { requireUser } from '#app/server/auth.server.ts';
import { editorAction, editorSegments, getSegmentView } from '#app/server/segments.server.ts';
import type { Route } from './+types/segments-edit';

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const segment = await getSegmentView(user.tenantId, params.id).catch(() => undefined);
  if (!segment) throw data(null, { status: 404 });
  return { segment, others: await editorSegments(user.tenantId) };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const result = await editorAction(user.tenantId, await request.json(), params.id);
  if ('saved' in result) throw redirect(`/segments/${result.saved}`);
  return result;
}

export default function EditSegmentPage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const { segment, others } = loaderData;
  return (
    <>
      <PageHeader title={t('segments.builder.editTitle', { name: segment.name })} subtitle={t('segments.builder.subtitle')} />
      <SegmentEditor
        initial={{ name: segment.name, description: segment.description, definition: segment.definition }}
        others={others}
        segmentId={segment.id}
        cancelHref={`/segments/${segment.id}`}
      />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
