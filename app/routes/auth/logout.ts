import { redirect } from 'react-router';
import { logout } from '#app/server/auth.server.ts';
import type { Route } from './+types/logout';

export async function action({ request }: Route.ActionArgs) {
  return redirect('/login', { headers: { 'Set-Cookie': await logout(request) } });
}
