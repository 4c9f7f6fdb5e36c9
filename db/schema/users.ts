import { index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantId } from './_columns.ts';

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: tenantId(),
    email: text().notNull(),
    name: text().notNull().default(''),
    /** scrypt, self-describing: `scrypt$N$r$p$salt$hash` (base64url). */
    passwordHash: text().notNull(),
    role: text({ enum: ['owner', 'admin', 'member'] }).notNull().default('member'),
    createdAt: createdAt(),
  },
  (t) => [unique('users_tenant_email_uq').on(t.tenantId, t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the random token held in the cookie; a leaked table cannot be replayed. */
    id: text().primaryKey(),
    tenantId: tenantId(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export type User = typeof users.$inferSelect;
