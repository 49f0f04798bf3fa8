// Tables of identity: staff accounts and the gateway's token signing keys.
import { boolean, doublePrecision, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const staffAccounts = pgTable('staff_accounts', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  /** scrypt, self-describing: see password.ts */
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<'security' | 'steward' | 'custodian'>().notNull(),
  /** the department a steward acts for; null for security staff */
  department: text('department'),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  // TODO(issue 3): wrap private keys with a key-encryption key kept outside the database
  privateJwk: jsonb('private_jwk').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** after this, the key no longer signs; it keeps verifying until its last token has expired */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

/**
 * Rate-limit token buckets shared by every gateway process on one PostgreSQL (middleware/shared-buckets.ts). UNLOGGED
 * (see the migration): losing them in a crash only refills every bucket.
 */
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  /** `<bucket>:<ip or principal>` */
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  rate: doublePrecision('rate').notNull(),
  burst: doublePrecision('burst').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  /** whether the last take was allowed: what the caller reads back */
  allowed: boolean('allowed').notNull(),
});
