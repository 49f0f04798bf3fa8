// Tables of the job queue: jobs, their one released result, the privacy-budget ledger and the released-cells ledger.
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'rejected', 'review'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** One dataset a job reads, and the licensed fields it asks for. Storage format of `jobs.datasets`. */
export interface JobDataset {
  code: string;
  fields: string[];
}

/** What a job asked of differential privacy. Storage format of `jobs.privacy`. */
export type JobPrivacy = { epsilon?: number; mechanism?: 'gaussian' | 'laplace' } | { none: true; justification: string };

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    operatorId: text('operator_id').notNull(),
    licenseId: text('license_id').notNull(),
    datasets: jsonb('datasets').$type<JobDataset[]>().notNull(),
    code: text('code').notNull(),
    codeSha256: text('code_sha256').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    /** the outputs the platform reduces (TableSpec-like, see run-job.ts); empty: one count by every emitted key */
    outputs: jsonb('outputs').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    /** what the operator asked (sandbox/jobs schemas.ts `privacy`); null: the dataset's default ε */
    privacy: jsonb('privacy').$type<JobPrivacy | null>(),
    /** ρ (zCDP, nano-units) charged to the licence and the dataset when the job was accepted; 0 for dry runs and releases without DP */
    rhoNano: bigint('rho_nano', { mode: 'number' }).notNull().default(0),
    /** rows one contributor may add (the job's contribution.maxRows, capped by the rules) */
    maxRowsPerContributor: integer('max_rows_per_contributor').notNull().default(1),
    /** the fixed time a real run takes as seen from outside (set when claimed; see run-job.ts) */
    slotMs: integer('slot_ms'),
    operation: text('operation').notNull(),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    errorCode: text('error_code'),
    /** data-free: fixed text from the sandbox or the platform, never a value */
    errorReason: text('error_reason'),
    usage: jsonb('usage').$type<Record<string, unknown> | null>(),
    /** a dry run reads synthetic rows and returns the unchecked output to its operator only; it spends no budget */
    dryRun: boolean('dry_run').notNull().default(false),
    /** human review of an output the platform cannot check (status `review`): who decided, why, when */
    reviewedBy: text('reviewed_by'),
    reviewDecision: text('review_decision').$type<'approved' | 'rejected'>(),
    reviewReason: text('review_reason'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('jobs_queue_idx').on(t.status, t.createdAt), index('jobs_license_created_idx').on(t.licenseId, t.createdAt)],
);

/** One row per job, ever: the primary key is what makes a release exactly-once when two workers race. */
export const jobResults = pgTable('job_results', {
  jobId: text('job_id')
    .primaryKey()
    .references(() => jobs.id),
  result: jsonb('result').$type<unknown>().notNull(),
  record: jsonb('record').$type<unknown>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** ρ (zCDP) spent per (licence, dataset), in nano-units; charged when a job is accepted, under the licence row lock. */
export const budgetLedger = pgTable(
  'budget_ledger',
  {
    licenseId: text('license_id').notNull(),
    dataset: text('dataset').notNull(),
    rhoSpentNano: bigint('rho_spent_nano', { mode: 'number' }).notNull().default(0),
    version: integer('version').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.licenseId, t.dataset] })],
);

/**
 * ρ spent per dataset and calendar year over every licence and the platform's own releases: the budget no number of
 * licences (sybils) escapes. `epsilonTotal` is what a steward set for the year (null: the rules' default).
 */
export const datasetBudgets = pgTable(
  'dataset_budgets',
  {
    dataset: text('dataset').notNull(),
    year: integer('year').notNull(),
    epsilonTotal: doublePrecision('epsilon_total'),
    rhoSpentNano: bigint('rho_spent_nano', { mode: 'number' }).notNull().default(0),
    setBy: text('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.dataset, t.year] })],
);

/** Each steward's decision on a job in review: a release without DP needs two approvals by different stewards. */
export const jobReviewDecisions = pgTable(
  'job_review_decisions',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id),
    stewardId: text('steward_id').notNull(),
    decision: text('decision').$type<'approved' | 'rejected'>().notNull(),
    reason: text('reason').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.stewardId] })],
);

/** Cells released from each dataset (any job, any operator), for the differencing check. Sketch: sketchToBytes. */
export const releasedCells = pgTable(
  'released_cells',
  {
    id: serial('id').primaryKey(),
    dataset: text('dataset').notNull(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id),
    output: text('output').notNull(),
    labels: jsonb('labels').$type<(string | null)[]>().notNull(),
    population: integer('population').notNull(),
    sketch: bytea('sketch').notNull(),
    /** a withheld cell: a later release of the same population would give it away, so it is checked against too */
    withheld: boolean('withheld').notNull().default(false),
  },
  (t) => [index('released_cells_dataset_idx').on(t.dataset)],
);

/**
 * Job workers alive now: each upserts its row every few seconds and deletes it when it stops. A queued job and no
 * row fresher than WORKER_LIVE_MS means nobody will run it (queue-health.ts tells the operator and security staff).
 */
export const jobWorkers = pgTable('job_workers', {
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

export const SHARD_RUN_STATUSES = ['queued', 'running', 'done'] as const;
export type ShardRunStatus = (typeof SHARD_RUN_STATUSES)[number];

/**
 * One isolate run of a large job, queued so that any worker on the database may run it (shard-runs.ts). Transient
 * (UNLOGGED; deleted when the job ends): `input` is the run (v8-serialised ModelJob: the shard's masked columns),
 * `output` its ModelJobResult.
 */
export const jobShardRuns = pgTable(
  'job_shard_runs',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /** the run's place in the job's plan */
    seq: integer('seq').notNull(),
    status: text('status').$type<ShardRunStatus>().notNull().default('queued'),
    workerId: text('worker_id'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    input: bytea('input').notNull(),
    output: bytea('output'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] }), index('job_shard_runs_queue_idx').on(t.status, t.createdAt)],
);
