import { redirect } from 'react-router';
import { logout } from '#app/server/auth.server.ts';
import type { Route } from './+types/logout';

/** A plain visit to /logout (a bookmark, a typed URL) goes home instead of an error page; signing out is a POST. */
export const loader = () => redirect('/');

export async function action({ request }: Route.ActionArgs) {
  return redirect('/login', { headers: { 'Set-Cookie': await logout(request) } });
}
