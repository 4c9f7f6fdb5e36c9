// `npm start`: the whole product on one machine, with embedded PostgreSQL and Temporal unless told otherwise.
import { createDb } from '#db/client.ts';
import { createApiKey, createTenant, createUser } from '#db/queries/tenants.ts';
import { randomToken } from '#platform/crypto.ts';
import { env, EnvError } from '#platform/env.ts';
import { startStack } from '#platform/stack.ts';
import { ensureWebBuild } from '#platform/web-build.ts';

const started = Date.now();
const step = (line: string) => console.log(`\x1b[36m▸\x1b[0m ${line}  \x1b[2m(${((Date.now() - started) / 1000).toFixed(1)} s)\x1b[0m`);

/** First start: a workspace to log in to, with an API key, printed once. */
async function ensureFirstTenant(databaseUrl: string): Promise<string[]> {
  const db = createDb(databaseUrl, 1);
  try {
    const r = await db.$client.query<{ n: number }>('select count(*)::int as n from tenants');
    if (r.rows[0]!.n > 0) return [];
    const tenant = await createTenant(db, { slug: 'demo', name: 'Demo store' });
    const password = randomToken(12);
    const user = await createUser(db, { tenantId: tenant.id, email: 'admin@demo.local', password, name: 'Admin', role: 'owner' });
    const { key } = await createApiKey(db, tenant.id, 'first key');
    return [
      'First start: created workspace "demo". These are shown once; store them now:',
      `  Log in:   workspace demo · email ${user.email} · password ${password}`,
      `  API key:  ${key}`,
      '  More:     npm run cdp -- tenant create <slug>   ·   npm run cdp -- user create <slug> <email>',
    ];
  } finally {
    await db.$client.end();
  }
}

async function main() {
  const e = env();
  ensureWebBuild(step);
  const stack = await startStack({
    env: e,
    webPort: e.PORT,
    pgPort: e.EMBEDDED_PG_PORT,
    temporalPort: e.TEMPORAL_DEV_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    persistTemporal: true,
    childOutput: 'inherit',
    progress: step,
  });
  const firstRun = await ensureFirstTenant(stack.databaseUrl);
  const lines = [
    '',
    '\x1b[1mNerdistan CDP is running\x1b[0m',
    `  Web app:      ${stack.webUrl}`,
    `  API:          ${stack.webUrl}/api/v1  (docs: ${stack.webUrl}/api-docs, spec: ${stack.webUrl}/api/v1/openapi.json)`,
    `  Temporal UI:  ${stack.temporalUiUrl ?? e.temporalUiUrl}`,
    `  Temporal:     ${stack.temporalAddress} (namespace ${e.TEMPORAL_NAMESPACE})`,
    `  PostgreSQL:   ${stack.databaseUrl.replace(/(\/\/[^:/]+:)[^@]+@/, '$1****@')}`,
    `  Health:       ${stack.webUrl}/healthz · ${stack.webUrl}/readyz`,
    ...(firstRun.length ? ['', ...firstRun] : []),
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping (${reason})…`);
    await stack.stop();
    console.log('Stopped. Your data is kept in', e.dataDir);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  void stack.crashed.then((why) => shutdown(why, 1));
}

main().catch((err: unknown) => {
  console.error(`\n\x1b[31m✖ npm start failed:\x1b[0m ${err instanceof EnvError || err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
