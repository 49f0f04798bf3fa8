// Tables of encrypted statistics: rounds (public key, layout, masked total, released table) and the departments'
// encrypted contributions. No column ever holds a plaintext contribution or an unchecked total.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const ROUND_STATUSES = ['open', 'closed', 'released'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** What a round counts and sums, per cell. Storage format of `encrypted_rounds.layout`. */
export interface RoundLayoutRecord {
  /** cell labels (e.g. districts); a one-way table with a total the platform adds */
  cells: string[];
  /** names of summed measures; every round also counts contributors per cell */
  sums: string[];
  /** each contributed value is an integer in [0, 2^valueBits) */
  valueBits: number;
}

/** The released, checked table. Storage and wire format (GET /encrypted-statistics/rounds/{id}). */
export interface ReleasedStatistic {
  name: string;
  kind: 'count' | 'sum';
  cells: { label: string; value: number | null; withheld: 'small_cell' | 'secondary' | null }[];
  total: { value: number | null; withheld: 'small_cell' | 'secondary' | null };
}
export interface ReleasedRound {
  rules: { grade: string; minCellCount: number; roundingBase: number };
  statistics: ReleasedStatistic[];
  suppression: { primary: number; secondary: number };
}

export const encryptedRounds = pgTable(
  'encrypted_rounds',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    /** staff id of the key custodian whose Paillier public key the round uses */
    custodianId: text('custodian_id').notNull(),
    departments: jsonb('departments').$type<string[]>().notNull(),
    minDepartments: integer('min_departments').notNull(),
    grade: text('grade').notNull(),
    layout: jsonb('layout').$type<RoundLayoutRecord>().notNull(),
    /** crypto/paillier serialization (versioned JSON); the private key never reaches the platform */
    publicKey: text('public_key').notNull(),
    keyId: text('key_id').notNull(),
    status: text('status').$type<RoundStatus>().notNull().default('open'),
    /**
     * After close: E(total + mask) per packed plaintext (hex) and the masks (hex, uniform in Z_n). Either alone says
     * nothing about the total; the custodian sees only the first, decrypted.
     */
    maskedTotal: jsonb('masked_total').$type<string[] | null>(),
    masks: jsonb('masks').$type<string[] | null>(),
    contributions: integer('contributions').notNull().default(0),
    released: jsonb('released').$type<ReleasedRound | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [index('encrypted_rounds_custodian_idx').on(t.custodianId)],
);

export const encryptedContributions = pgTable(
  'encrypted_contributions',
  {
    roundId: text('round_id')
      .notNull()
      .references(() => encryptedRounds.id),
    department: text('department').notNull(),
    contributedBy: text('contributed_by').notNull(),
    /** Paillier ciphertexts (hex) of the department's packed vector, under the round's key */
    ciphertexts: jsonb('ciphertexts').$type<string[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // one contribution per department per round
  (t) => [primaryKey({ columns: [t.roundId, t.department] })],
);
