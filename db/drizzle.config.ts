import { defineConfig } from 'drizzle-kit';

// Only used by `npm run db:generate`; the app applies the generated SQL itself (db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
  strict: true,
});
