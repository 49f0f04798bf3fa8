// Tables of the operator whitelist (白名单) and licences (授权): who may come in, and what each licence grants.
import { doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export type OperatorStatus = 'active' | 'suspended' | 'revoked';
export type LicenseStatus = 'active' | 'suspended' | 'revoked';
export const OPERATIONS = ['aggregate', 'model', 'encrypted-scoring', 'federated', 'psi'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface LicensedDataset {
  code: string;
  fields: string[];
  operations: Operation[];
}

export interface OperatorContact {
  name: string;
  email: string;
  phone: string;
}

export const operators = pgTable('operators', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  uscc: text('uscc').notNull().unique(),
  contact: jsonb('contact').$type<OperatorContact>().notNull(),
  status: text('status').$type<OperatorStatus>().notNull().default('active'),
  statusReason: text('status_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const operatorKeys = pgTable(
  'operator_keys',
  {
    operatorId: text('operator_id')
      .notNull()
      .references(() => operators.id),
    kid: text('kid').notNull(),
    alg: text('alg').notNull(),
    /** public JWK only; private parts are refused at registration */
    jwk: jsonb('jwk').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.operatorId, t.kid] })],
);

export const licenses = pgTable('licenses', {
  id: text('id').primaryKey(),
  operatorId: text('operator_id')
    .notNull()
    .references(() => operators.id),
  scenario: text('scenario').notNull(),
  datasets: jsonb('datasets').$type<LicensedDataset[]>().notNull(),
  validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
  validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
  ipAllowlist: jsonb('ip_allowlist').$type<string[]>().notNull(),
  privacyEpsilon: doublePrecision('privacy_epsilon').notNull(),
  maxJobsPerDay: integer('max_jobs_per_day').notNull(),
  status: text('status').$type<LicenseStatus>().notNull().default('active'),
  statusReason: text('status_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Client-assertion ids seen at /auth/token, kept until they expire, so a replayed assertion is refused. */
export const usedAssertions = pgTable(
  'used_client_assertions',
  {
    operatorId: text('operator_id').notNull(),
    jti: text('jti').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.operatorId, t.jti] })],
);
