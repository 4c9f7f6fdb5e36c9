// A fresh, migrated database per test file (cloned from the template): files never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '#db/client.ts';
import { TEMPLATE_DB, withDatabase } from '../setup/infra.ts';

export async function createTestDatabase(): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const base = inject('databaseUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const db = createDb(url, 5);
  return {
    db,
    url,
    drop: async () => {
      await db.$client.end();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`).finally(() => a.end());
    },
  };
}
