import { json } from '#app/server/http.server.ts';
import { readiness } from '#app/server/readiness.server.ts';

/** Readiness: 200 when PostgreSQL, Temporal and a polling worker are all there, else 503 with what is down. */
export async function loader() {
  const r = await readiness();
  return json({ status: r.ok ? 'ready' : 'unavailable', checks: r.checks }, { status: r.ok ? 200 : 503 });
}
