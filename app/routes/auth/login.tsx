import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { data, Form, redirect, useNavigation } from 'react-router';
import { Brand } from '#app/components/brand.tsx';
import { LanguageSwitch } from '#app/components/language-switch.tsx';
import { PageTitle } from '#app/components/page-title.tsx';
import { useT } from '#app/i18n/i18n-context.tsx';
import { getSessionUser, login, safeRedirect } from '#app/server/auth.server.ts';
import type { Route } from './+types/login';

/** Where to go after signing in; never back to the login page itself. */
function destination(raw: FormDataEntryValue | string | null): string {
  const to = safeRedirect(raw, '/');
  return to.startsWith('/login') ? '/' : to;
}

export async function loader({ request }: Route.LoaderArgs) {
  const redirectTo = destination(new URL(request.url).searchParams.get('redirectTo'));
  if (await getSessionUser(request)) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const workspace = text('workspace').trim();
  const email = text('email').trim();
  const password = text('password');
  const setCookie = workspace && email && password ? await login({ workspace, email, password }) : undefined;
  // One message for every failure, so the form does not reveal which workspaces or emails exist.
  if (!setCookie) return data({ failed: true, workspace, email }, { status: 401 });
  return redirect(destination(form.get('redirectTo')), { headers: { 'Set-Cookie': setCookie } });
}

export default function LoginPage({ loaderData, actionData }: Route.ComponentProps) {
  const t = useT();
  const submitting = useNavigation().state === 'submitting';
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', bgcolor: 'background.default' }}>
      <PageTitle title={t('login.title')} />
      <Box sx={{ flex: 1, display: 'grid', placeItems: 'center', px: 2, py: 8 }}>
        <Box sx={{ width: '100%', maxWidth: 420 }}>
          <Box sx={{ display: 'flex', justifyContent: 'center', mb: 3 }}>
            <Brand size="large" />
          </Box>
          <Paper variant="outlined" sx={{ p: { xs: 3, sm: 4 } }}>
            <Typography variant="h5" component="h1" gutterBottom>
              {t('login.heading')}
            </Typography>
            <Typography color="text.secondary" sx={{ mb: 3 }}>
              {t('login.intro')}
            </Typography>
            {actionData?.failed ? (
              <Alert severity="error" sx={{ mb: 2 }} role="alert">
                {t('login.failed')}
              </Alert>
            ) : null}
            <Form method="post" replace>
              <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
              <Stack spacing={2}>
                <TextField
                  name="workspace"
                  label={t('login.workspace')}
                  helperText={t('login.workspaceHelp')}
                  defaultValue={actionData?.workspace}
                  autoComplete="organization"
                  autoCapitalize="none"
                  spellCheck={false}
                  required
                  fullWidth
                  autoFocus
                />
                <TextField
                  name="email"
                  type="email"
                  label={t('login.email')}
                  defaultValue={actionData?.email}
                  autoComplete="username"
                  required
                  fullWidth
                />
                <TextField name="password" type="password" label={t('login.password')} autoComplete="current-password" required fullWidth />
                <Button type="submit" variant="contained" size="large" disabled={submitting} fullWidth data-testid="login-submit">
                  {submitting ? t('login.submitting') : t('login.submit')}
                </Button>
              </Stack>
            </Form>
          </Paper>
          {/* After the form in document order, so the form's own submit button is the first one on the page. */}
          <Box sx={{ display: 'flex', justifyContent: 'center', mt: 3 }}>
            <LanguageSwitch />
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
