// docker-compose.yml, the Dockerfile and the README must agree with each other and with platform/env.ts.
// No Docker engine is needed: the files are parsed, not run.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, parseEnv } from '#platform/env.ts';

const root = new URL('../../', import.meta.url);
const read = (file: string) => fs.readFileSync(new URL(file, root), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  container_name?: string;
  healthcheck?: { disable?: boolean; test?: string | string[] };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
};

/** Environment as a map, whichever of the two compose syntaxes is used. */
function environment(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** What compose would pass with an empty .env: `${VAR:-default}` / `${VAR-default}` → default, `${VAR}` → '', `$$` → `$`. */
const withDefaults = (value: string) =>
  value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g, (match, _name: string | undefined, fallback: string | undefined) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );

/** Published ports as host → container, from the short ("[ip:]host:container") or long syntax. */
function publishedPorts(s: Service): { host: number; container: number }[] {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: Number(p.published), container: p.target };
    const parts = String(p).split('/')[0]!.split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length > 1 ? Number(parts.at(-2)) : container, container };
  });
}

const dependsOn = (s: Service): Record<string, string | undefined> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((d) => [d, undefined]))
    : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([k, v]) => [k, v.condition]));

const appServices = () => Object.entries(services).filter(([, s]) => s.image === service('web').image);

describe('docker-compose.yml', () => {
  it('has the product services', () => {
    for (const name of ['postgres', 'temporal', 'temporal-ui', 'web', 'worker', 'migrate']) expect(services, name).toHaveProperty([name]);
  });

  it('publishes web on 3000, the Temporal UI on 8233, Temporal on 7233 and PostgreSQL on 5432', () => {
    expect(publishedPorts(service('web'))).toContainEqual({ host: 3000, container: 3000 });
    expect(environment(service('web')).PORT).toBe('3000');
    expect(publishedPorts(service('temporal-ui'))).toContainEqual({ host: 8233, container: 8080 });
    expect(publishedPorts(service('temporal'))).toContainEqual({ host: 7233, container: 7233 });
    expect(publishedPorts(service('postgres'))).toContainEqual({ host: 5432, container: 5432 });
  });

  it('pins image versions', () => {
    expect(service('postgres').image).toBe('postgres:17');
    expect(service('temporal').image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(environment(service('temporal-ui')).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('runs web, worker and migrate from one image built from the Dockerfile', () => {
    const web = service('web');
    expect(web.image).toBeTruthy();
    const context = typeof web.build === 'string' ? web.build : web.build?.context;
    expect(context).toBe('.');
    for (const name of ['worker', 'migrate']) {
      expect(service(name).image, name).toBe(web.image);
      expect(service(name).build, name).toEqual(web.build);
    }
    expect([service('web').command].flat().join(' ')).toBe('npm run web');
    expect([service('worker').command].flat().join(' ')).toBe('npm run worker');
    expect([service('migrate').command].flat().join(' ')).toBe('npm run migrate');
  });

  it('points web and worker at the postgres and temporal services', () => {
    for (const name of ['web', 'worker', 'migrate']) {
      const env = environment(service(name));
      expect(env.DATABASE_URL, name).toBeDefined();
      const db = new URL(withDefaults(env.DATABASE_URL!));
      expect(db.protocol, name).toMatch(/^postgres(ql)?:$/);
      expect(db.hostname, name).toBe('postgres');
      expect(db.pathname, name).toBe('/nerdistan');
      if (name !== 'migrate') expect(env.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
    }
    expect(environment(service('web')).TEMPORAL_UI_URL).toMatch(/localhost:8233/);
  });

  it('passes app containers only variables that platform/env.ts defines, and values it accepts', () => {
    const known = Object.keys(envSchema.shape);
    expect(appServices().map(([name]) => name)).toEqual(expect.arrayContaining(['web', 'worker', 'migrate']));
    for (const [name, s] of appServices()) {
      const env = environment(s);
      for (const key of Object.keys(env)) expect(known, `${name}: ${key}`).toContain(key);
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, withDefaults(v)]));
      expect(() => parseEnv(resolved), name).not.toThrow();
      expect(parseEnv(resolved).NODE_ENV, name).toBe('production');
    }
  });

  it('starts web and worker after migrations and a healthy Temporal', () => {
    for (const name of ['web', 'worker']) {
      const deps = dependsOn(service(name));
      expect(deps.migrate, name).toBe('service_completed_successfully');
      expect(deps.temporal, name).toBe('service_healthy');
    }
    expect(dependsOn(service('migrate')).postgres).toBe('service_healthy');
    expect(dependsOn(service('temporal')).postgres).toBe('service_healthy');
    expect(service('postgres').healthcheck?.test).toBeTruthy();
    expect(service('temporal').healthcheck?.test).toBeTruthy();
  });

  it('lets the worker scale out: no published ports, no fixed container name, no HTTP health check', () => {
    const worker = service('worker');
    expect(worker.ports ?? []).toEqual([]);
    expect(worker.container_name).toBeUndefined();
    expect(worker.healthcheck?.disable).toBe(true);
  });

  it('keeps PostgreSQL data in a named volume', () => {
    const volumes = (service('postgres') as { volumes?: string[] }).volumes ?? [];
    const named = volumes.map((v) => String(v).split(':')[0]!).filter((v) => compose.volumes && v in compose.volumes);
    expect(named).toHaveLength(1);
  });
});

describe('Dockerfile', () => {
  const dockerfile = () => read('Dockerfile');
  /** Instructions with line continuations joined and comments dropped. */
  const instructions = () =>
    dockerfile()
      .replace(/\\\r?\n/g, ' ')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));

  it('exists and builds on node:20-bookworm-slim', () => {
    expect(fs.existsSync(new URL('Dockerfile', root))).toBe(true);
    expect(dockerfile()).toContain('node:20-bookworm-slim');
  });

  it('exposes 3000 and checks /healthz', () => {
    expect(instructions().some((l) => /^EXPOSE\s+(.*\s)?3000(\/tcp)?(\s|$)/.test(l))).toBe(true);
    const healthcheck = instructions().filter((l) => l.startsWith('HEALTHCHECK'));
    expect(healthcheck).toHaveLength(1);
    expect(healthcheck[0]).toContain('/healthz');
  });

  it('runs the web app as a non-root user in production mode by default', () => {
    const runtime = dockerfile().slice(dockerfile().lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^ENV\s[^\n]*NODE_ENV=production/m);
    expect(runtime).toMatch(/^USER\s+(?!root\b|0\b)\S+/m);
    expect(runtime).toMatch(/^CMD\s+\["npm",\s*"run",\s*"web"\]/m);
  });

  it('copies every source folder loaded at run time (package.json#imports, minus app/ and tests/)', () => {
    const pkg = JSON.parse(read('package.json')) as { imports: Record<string, string> };
    const folders = Object.values(pkg.imports)
      .map((target) => target.replace(/^\.\//, '').split('/')[0]!)
      .filter((dir) => dir !== 'app' && dir !== 'tests');
    const runtime = dockerfile().slice(dockerfile().lastIndexOf('\nFROM '));
    for (const dir of folders) expect(runtime, dir).toMatch(new RegExp(`^COPY\\s.*\\s/app/${dir}\\s+\\./${dir}\\s*$`, 'm'));
    for (const dir of ['build', 'node_modules']) expect(runtime, dir).toMatch(new RegExp(`^COPY\\s.*/app/${dir}\\s`, 'm'));
  });
});

describe('README.md', () => {
  it('tells where the web app (3000) and the Temporal UI (8233) are', () => {
    const readme = read('README.md');
    expect(readme).toMatch(/localhost:3000\b/);
    expect(readme).toMatch(/localhost:8233\b/);
  });
});
