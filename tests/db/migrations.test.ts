import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrationsFolder, runMigrations } from '#db/migrate.ts';
import { createTestDatabase } from '../support/db.ts';
import { withDatabase } from '../setup/infra.ts';

const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const expectedTables = ['tenants', 'users', 'sessions', 'api_keys', 'customers', 'source_profiles', 'orders', 'order_items', 'products', 'events'];

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

describe('runMigrations', () => {
  let migrated: Awaited<ReturnType<typeof createTestDatabase>>;
  const emptyName = `test_empty_${randomBytes(6).toString('hex')}`;
  let emptyUrl: string;

  beforeAll(async () => {
    migrated = await createTestDatabase();
    const server = inject('databaseUrl');
    // Not from the migrated template: a database that has never seen a migration.
    await withClient(server, (c) => c.query(`create database ${emptyName}`));
    emptyUrl = withDatabase(server, emptyName);
  });

  afterAll(async () => {
    await migrated?.drop();
    await withClient(inject('databaseUrl'), (c) => c.query(`drop database if exists ${emptyName} with (force)`));
  });

  it('applies nothing to an already-migrated database', async () => {
    expect(journal.entries.length).toBeGreaterThan(0);
    expect(await runMigrations(migrated.url)).toEqual({ applied: 0 });
    const n = await withClient(migrated.url, (c) => c.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations'));
    expect(n.rows[0]!.n).toBe(journal.entries.length);
  });

  describe('on a fresh, empty database', () => {
    let results: { applied: number }[];

    beforeAll(async () => {
      const before = await withClient(emptyUrl, (c) =>
        c.query<{ n: number }>(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`),
      );
      expect(before.rows[0]!.n).toBe(0);
      results = await Promise.all([runMigrations(emptyUrl), runMigrations(emptyUrl)]);
    });

    it('two concurrent runs apply every migration exactly once between them', async () => {
      expect(results.map((r) => r.applied).sort()).toEqual([0, journal.entries.length]);
      const rows = await withClient(emptyUrl, (c) => c.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations'));
      expect(rows.rows).toHaveLength(journal.entries.length);
      expect(new Set(rows.rows.map((r) => r.hash)).size).toBe(journal.entries.length);
      // and a third run is a no-op
      expect(await runMigrations(emptyUrl)).toEqual({ applied: 0 });
    });

    it('creates the expected tables', async () => {
      const { rows } = await withClient(emptyUrl, (c) =>
        c.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`),
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(expectedTables));
    });

    it('gives every tenant-owned table a NOT NULL tenant_id referencing tenants', async () => {
      const { rows: tables } = await withClient(emptyUrl, (c) =>
        c.query<{ table_name: string }>(
          `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'tenants'`,
        ),
      );
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(expectedTables.filter((t) => t !== 'tenants')));
      const { rows: cols } = await withClient(emptyUrl, (c) =>
        c.query<{ table_name: string; is_nullable: string; data_type: string }>(
          `select table_name, is_nullable, data_type from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'`,
        ),
      );
      const byTable = new Map(cols.map((c) => [c.table_name, c]));
      for (const { table_name } of tables) {
        expect(byTable.get(table_name), `${table_name}.tenant_id`).toMatchObject({ is_nullable: 'NO', data_type: 'uuid' });
      }
      const { rows: fks } = await withClient(emptyUrl, (c) =>
        c.query<{ table_name: string }>(
          `select tc.table_name
           from information_schema.table_constraints tc
           join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
           join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
           where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'
             and kcu.column_name = 'tenant_id' and ccu.table_name = 'tenants' and ccu.column_name = 'id'`,
        ),
      );
      // Match and blocking keys are derived data without foreign keys, on purpose (docs/decisions/004); so are an
      // upload's staged lines, which live only until its import workflow ends (docs/decisions/005).
      const derived = new Set(['identity_keys', 'blocking_keys', 'import_lines']);
      expect(new Set(fks.map((f) => f.table_name))).toEqual(new Set(tables.map((t) => t.table_name).filter((t) => !derived.has(t))));
    });
  });
});
