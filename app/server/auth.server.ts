// Web sessions: a random token in an HttpOnly cookie; the database keeps only its sha256.
import { and, eq, gt, sql } from 'drizzle-orm';
import { redirect } from 'react-router';
import { schema } from '#db/client.ts';
import { randomToken, sha256Hex, verifyPassword } from '#platform/crypto.ts';
import { env } from '#platform/env.ts';
import { getDb } from './db.server.ts';

const COOKIE = 'ncdp_session';
const MAX_AGE_S = 30 * 24 * 3600;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
}

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function cookie(value: string, maxAge: number): string {
  return [`${COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`, ...(env().secureCookies ? ['Secure'] : [])].join('; ');
}

export async function getSessionUser(request: Request): Promise<SessionUser | undefined> {
  const token = readCookie(request, COOKIE);
  if (!token) return undefined;
  const { sessions, users, tenants } = schema;
  const [row] = await getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      tenantId: tenants.id,
      tenantSlug: tenants.slug,
      tenantName: tenants.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .where(and(eq(sessions.id, sha256Hex(token)), gt(sessions.expiresAt, sql`now()`)));
  return row;
}

/** In loaders and actions of signed-in pages: the user, or a redirect to the login page. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** Checks the credentials; on success returns the Set-Cookie header of a new session. */
export async function login(input: { workspace: string; email: string; password: string }): Promise<string | undefined> {
  const { users, tenants, sessions } = schema;
  const db = getDb();
  const [user] = await db
    .select({ id: users.id, tenantId: users.tenantId, passwordHash: users.passwordHash })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(and(eq(tenants.slug, input.workspace.trim().toLowerCase()), eq(users.email, input.email.trim().toLowerCase())));
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) return undefined;
  const token = randomToken();
  await db.insert(sessions).values({
    id: sha256Hex(token),
    tenantId: user.tenantId,
    userId: user.id,
    expiresAt: new Date(Date.now() + MAX_AGE_S * 1000),
  });
  return cookie(token, MAX_AGE_S);
}

export async function logout(request: Request): Promise<string> {
  const token = readCookie(request, COOKIE);
  if (token) await getDb().delete(schema.sessions).where(eq(schema.sessions.id, sha256Hex(token)));
  return cookie('', 0);
}

/** Only same-site relative paths, so the login form cannot be used as an open redirect. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//')) return fallback;
  return to;
}

const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
