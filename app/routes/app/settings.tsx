import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { data } from 'react-router';
import { ErrorNotice } from '#app/components/error-notice.tsx';
import { PageHeader } from '#app/components/page-header.tsx';
import { SectionCard } from '#app/components/section-card.tsx';
import { ApiKeysTable } from '#app/components/settings/api-keys-table.tsx';
import { CreateKeyForm } from '#app/components/settings/create-key-form.tsx';
import { NewKeyAlert } from '#app/components/settings/new-key-alert.tsx';
import { EmailSettingsSection, FrequencyCapsSection } from '#app/components/messaging/messaging-settings.tsx';
import { IdentitySettingsForm, type IdentitySettingsError, type IdentitySettingsResult } from '#app/components/settings/identity-settings-form.tsx';
import { RevokeKeyDialog, type RevokeTarget } from '#app/components/settings/revoke-key-dialog.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import type { MessageKey } from '#app/i18n/messages.ts';
import { forgetApiKeyCache } from '#app/server/api-auth.server.ts';
import { requireUser } from '#app/server/auth.server.ts';
import { getDb } from '#app/server/db.server.ts';
import { goldenFields } from '#core/customers/golden-record.ts';
import { identitySettings } from '#core/tenants/settings.ts';
import { createApiKey, getIdentitySettings, listApiKeys, revokeApiKey, updateIdentitySettings } from '#db/queries/tenants.ts';
import type { Route } from './+types/settings';

const canManageKeys = (role: string) => role === 'owner' || role === 'admin';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_STORE = { 'Cache-Control': 'no-store' };

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const [keys, identity] = await Promise.all([listApiKeys(getDb(), user.tenantId), getIdentitySettings(getDb(), user.tenantId)]);
  return {
    workspace: { name: user.tenantName, slug: user.tenantSlug },
    canManage: canManageKeys(user.role),
    identity,
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}

type ActionError = 'forbidden' | 'nameRequired' | 'keyNotFound' | 'unknownIntent';
const fail = (error: ActionError, status: number) => data({ outcome: 'error' as const, error }, { status, headers: NO_STORE });

/** A threshold as typed: "0.95" or "0,95"; empty is not zero. */
const threshold = (raw: FormDataEntryValue | null) => {
  const text = String(raw ?? '').trim().replace(',', '.');
  return text === '' ? Number.NaN : Number(text);
};

/** "erp, vtex ,erp" → ["erp", "vtex"]: trusted sources in order, each once. */
const sourceList = (raw: FormDataEntryValue | null) => [...new Set(String(raw ?? '').split(',').map((s) => s.trim()).filter(Boolean))];

/** The identity section of the form, validated with the same schema as the API; errors keyed by field path. */
function parseIdentitySettings(form: FormData) {
  const sourcePriority: Record<string, string[]> = {};
  for (const field of goldenFields) {
    const sources = sourceList(form.get(`sourcePriority.${field}`));
    if (sources.length) sourcePriority[field] = sources;
  }
  const parsed = identitySettings.safeParse({
    rules: form.getAll('rules').map(String),
    probabilistic: form.get('probabilistic') === 'on',
    autoMergeThreshold: threshold(form.get('autoMergeThreshold')),
    reviewThreshold: threshold(form.get('reviewThreshold')),
    sourcePriority,
  });
  if (parsed.success) return { settings: parsed.data, fieldErrors: undefined };
  const fieldErrors: Record<string, IdentitySettingsError> = {};
  for (const issue of parsed.error.issues) {
    const [head, field] = issue.path.map(String);
    if (head === 'sourcePriority' && field) fieldErrors[`sourcePriority.${field}`] = 'sources';
    else if (head === 'reviewThreshold' && issue.code === 'custom') fieldErrors.reviewThreshold = 'reviewAboveAuto';
    else if (head === 'autoMergeThreshold' || head === 'reviewThreshold') fieldErrors[head] = 'threshold';
    else fieldErrors.rules = 'rules';
  }
  return { settings: undefined, fieldErrors };
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  if (!canManageKeys(user.role)) return fail('forbidden', 403);
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'create') {
    const name = String(form.get('name') ?? '').trim();
    if (!name || name.length > 100) return fail('nameRequired', 400);
    const created = await createApiKey(getDb(), user.tenantId, name);
    // The plaintext exists only in this response: the database keeps its hash.
    return data({ outcome: 'created' as const, name, key: created.key }, { headers: NO_STORE });
  }
  if (intent === 'identity-settings') {
    const { settings, fieldErrors } = parseIdentitySettings(form);
    if (!settings) return data({ outcome: 'identity-invalid' as const, fieldErrors }, { status: 400, headers: NO_STORE });
    await updateIdentitySettings(getDb(), user.tenantId, settings);
    return data({ outcome: 'identity-saved' as const }, { headers: NO_STORE });
  }
  if (intent === 'revoke') {
    const id = form.get('id');
    if (typeof id !== 'string' || !UUID.test(id)) return fail('keyNotFound', 404);
    const revoked = await revokeApiKey(getDb(), user.tenantId, id);
    if (!revoked) return fail('keyNotFound', 404);
    forgetApiKeyCache();
    return data({ outcome: 'revoked' as const }, { headers: NO_STORE });
  }
  return fail('unknownIntent', 400);
}

const errorMessages: Record<ActionError, MessageKey> = {
  forbidden: 'settings.keys.error.forbidden',
  nameRequired: 'settings.keys.error.nameRequired',
  keyNotFound: 'settings.keys.error.keyNotFound',
  unknownIntent: 'settings.keys.error.unknownIntent',
};

function ActionFeedback({ result }: { result: Route.ComponentProps['actionData'] }) {
  const t = useT();
  if (!result || result.outcome === 'identity-saved' || result.outcome === 'identity-invalid') return null;
  if (result.outcome === 'created') return <NewKeyAlert name={result.name} apiKey={result.key} />;
  if (result.outcome === 'revoked') return <Alert severity="success" sx={{ mb: 2 }}>{t('settings.keys.revoke.done')}</Alert>;
  return (
    <Alert severity="error" sx={{ mb: 2 }} role="alert">
      {t(errorMessages[result.error])}
    </Alert>
  );
}

export default function SettingsPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const { workspace, canManage, keys, identity } = loaderData;
  const identityResult = actionData?.outcome === 'identity-saved' || actionData?.outcome === 'identity-invalid' ? (actionData satisfies IdentitySettingsResult) : undefined;
  // The target outlives `open` so the dialog keeps its text while it fades out.
  const [revokeTarget, setRevokeTarget] = useState<RevokeTarget>();
  const [revokeOpen, setRevokeOpen] = useState(false);
  const askToRevoke = (key: RevokeTarget) => {
    setRevokeTarget(key);
    setRevokeOpen(true);
  };
  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle', { name: workspace.name, slug: workspace.slug })} />
      <SectionCard title={t('settings.keys.title')} flush>
        <Box sx={{ px: 2, pb: 2 }}>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            {t('settings.keys.explain')}
          </Typography>
          <ActionFeedback result={actionData} />
          {canManage ? (
            <CreateKeyForm key={actionData?.outcome === 'created' ? actionData.key : 'new'} />
          ) : (
            <Alert severity="info">{t('settings.keys.readOnly')}</Alert>
          )}
        </Box>
        <ApiKeysTable keys={keys} canManage={canManage} onRevoke={askToRevoke} />
      </SectionCard>
      <Box sx={{ mt: 2 }}>
        <SectionCard title={t('settings.identity.title')} id="identity">
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            {t('settings.identity.explain')}
          </Typography>
          <IdentitySettingsForm settings={identity} canManage={canManage} result={identityResult} />
        </SectionCard>
      </Box>
      <Box sx={{ mt: 2 }}>
        <EmailSettingsSection />
      </Box>
      <Box sx={{ mt: 2 }}>
        <FrequencyCapsSection />
      </Box>
      <RevokeKeyDialog open={revokeOpen} target={revokeTarget} onClose={() => setRevokeOpen(false)} />
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorNotice error={error} />;
}
