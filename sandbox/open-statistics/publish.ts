// Publishes one open statistic: read the source's current version masked as for a job, reduce and check it with the
// same trusted code and disclosure control as a job's output, record the released cells in the differencing ledger,
// and load the checked table as a new version of an unconditional-open registry dataset. The catalog entry is the
// gateway's to write (catalog-open is another module; see gateway/demo-open-statistics.ts).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, eq, ne } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import { createPseudonymizer, datasetEntity, datasetPolicy, derivePseudonymKey, type PolicySet } from '../../policies/index.ts';
import { appendAudit, getDataset, loadDataset, registerDataset, type DatasetRecord, type Database } from '../../store/index.ts';
import { releaseRecord, type ReleaseRecord } from '../disclosure/index.ts';
import { type RandomSource, rhoFromEpsilon, toNano } from '../dp/index.ts';
import { chargeDatasetYear } from '../jobs/budget.ts';
import { contributorsFromIds, contributorsFromRows } from '../reduce/index.ts';
import type { JobsContext } from '../jobs/context.ts';
import { readLicensedColumns } from '../jobs/read-columns.ts';
import { jobResults, jobs } from '../jobs/schema.ts';
import { computeStatistic, publicRules, toCsv } from './compute.ts';
import { OPEN_STATISTICS, statisticDefinition, type OpenStatisticSpec } from './specs.ts';

/** Same as run-job.ts: the platform-wide contributor key, so statistics and job cells compare in the ledger. */
const CONTRIBUTOR_KEY_LABEL = 'platform:contributors';
/** Same convention as run-job.ts: person-level datasets name their person by this field. */
const PERSON_FIELD = 'person_id';
/** The pseudonym key of the masked read (no field the statistics read is pseudonymised, but the masker needs one). */
const MASK_KEY_LABEL = 'platform:open-statistics';
/** The ledger's "operator" of platform releases. */
export const PLATFORM_OPERATOR = 'platform';

export interface PublishOptions {
  policies: PolicySet;
  /** the platform's pseudonym secret (as the job worker's): contributors are counted under the same key */
  pseudonymSecret: Uint8Array;
  /** tests only: seeded noise */
  rng?: RandomSource;
}

export interface PublishedStatistic {
  code: string;
  /** 'unchanged': this release (same source version, same method) is already the current version */
  status: 'published' | 'unchanged';
  releaseId: string;
  source: { code: string; version: number };
  /** the statistic's registry version holding the release */
  version: number;
  rowCount: number;
  suppressedRows: number;
  record: ReleaseRecord;
  definition: DatasetRecord;
}

/** The method as text: what the release record's code hash covers. */
function methodText(spec: OpenStatisticSpec): string {
  return JSON.stringify({ code: spec.code, source: spec.source, fields: spec.fields, tables: spec.tables, derive: spec.derive.toString() });
}

/** Who loaded the version: names the release, which is how a republish recognises it is already current. */
const loadedByOf = (releaseId: string) => `system:open-statistics/${releaseId}`;

function specOf(code: string): OpenStatisticSpec {
  const spec = OPEN_STATISTICS[code];
  if (!spec) throw new AppError('DATASET_NOT_FOUND', 'no such open statistic', { details: { dataset: code } });
  return spec;
}

const findDataset = (database: Database, code: string) => getDataset(database.db, code).catch((err: unknown) => {
  if (err instanceof AppError && err.code === 'DATASET_NOT_FOUND') return null;
  throw err;
});

/**
 * Publishes the statistic `code` from its source's current version. Idempotent: when this release (source version
 * and method) is already the statistic's current version, nothing is written (`unchanged`). Cedar: ManageDataset on
 * the statistic (the source's department). Throws DATASET_NOT_FOUND (unknown statistic, source missing or not
 * loaded), FORBIDDEN, RELEASE_REFUSED (the disclosure control refused it or would need a steward's review).
 */
export async function publishOpenStatistic(ctx: JobsContext, options: PublishOptions, code: string): Promise<PublishedStatistic> {
  const spec = specOf(code);
  const { database } = ctx;
  const source = await getDataset(database.db, spec.source);
  const sourceVersion = source.currentVersion;
  if (!sourceVersion) throw new AppError('DATASET_NOT_FOUND', 'the source dataset has no data loaded', { details: { dataset: spec.source } });
  const method = methodText(spec);
  const methodHash = createHash('sha256').update(method).digest('hex').slice(0, 12);
  const releaseId = `open-statistic:${spec.code}:${spec.source}@${sourceVersion.version}:${methodHash}`;
  const definition = statisticDefinition(spec, source);
  await ctx.authorize({
    action: 'ManageDataset',
    resource: datasetEntity({ code: spec.code, department: source.department, openType: 'unconditional', grade: 'general' }),
  });

  const existing = await findDataset(database, spec.code);
  const [stored] = await database.db.select({ record: jobResults.record, result: jobResults.result }).from(jobResults).where(eq(jobResults.jobId, releaseId));
  if (existing?.currentVersion?.loadedBy === loadedByOf(releaseId) && stored) {
    return {
      code: spec.code,
      status: 'unchanged',
      releaseId,
      source: { code: spec.source, version: sourceVersion.version },
      version: existing.currentVersion.version,
      rowCount: existing.currentVersion.rowCount,
      suppressedRows: (stored.result as { suppressedRows?: number }).suppressedRows ?? 0,
      record: stored.record as ReleaseRecord,
      definition: existing,
    };
  }

  // 1. The source, masked as the sandbox reads it; contributors counted by the platform, as for a job.
  const asOf = sourceVersion.loadedAt.slice(0, 10);
  const personLevel = datasetPolicy(options.policies, spec.source).personLevel;
  const input = await readLicensedColumns(
    database,
    options.policies,
    spec.source,
    spec.fields,
    { pseudonymKey: derivePseudonymKey(options.pseudonymSecret, MASK_KEY_LABEL), asOf },
    personLevel ? { field: PERSON_FIELD, key: derivePseudonymKey(options.pseudonymSecret, CONTRIBUTOR_KEY_LABEL) } : undefined,
  );
  const contributors = input.contributorIds ? contributorsFromIds(input.contributorIds) : contributorsFromRows(input.rowCount);

  // 2–3. Trusted reduction and the DP release, its ρ charged to the source's budget for the year first (a publication
  // that cannot be paid for is not computed).
  const rules = publicRules(options.policies, spec.source);
  const rho = rhoFromEpsilon(spec.epsilon ?? rules.epsilonPerJob);
  const rhoNano = toNano(rho, 'up');
  await database.db.transaction(async (tx) => {
    await chargeDatasetYear(tx, spec.source, rhoNano, rules, new Date());
    await appendAudit(tx, { actor: { type: 'system', id: 'open-statistics' }, action: 'budget.charged', resource: `dataset:${spec.source}`, outcome: 'ok', details: { releaseId, rhoNano } });
  });
  const computed = computeStatistic(spec, rules, { columns: input.columns, rowCount: input.rowCount, contributors, asOf }, { rho, ...(options.rng ? { rng: options.rng } : {}) });
  const { check } = computed;
  const record = releaseRecord({
    jobId: releaseId,
    operator: PLATFORM_OPERATOR,
    code: method,
    dataVersions: { [spec.source]: String(input.version) },
    policyVersion: policyVersion(options.policies, spec.source),
    check,
    createdAt: new Date().toISOString(),
  });
  if (check.outcome !== 'release') {
    // nobody reviews a platform publication: anything short of a clean release is not published
    throw new AppError('RELEASE_REFUSED', 'the disclosure control did not release this statistic', {
      details: { dataset: spec.code, outcome: check.outcome, checks: check.report.filter((c) => c.outcome === 'fail').map((c) => c.check) },
    });
  }

  // 4a. The release and its cells go into the ledger first: a statistic is never public before a job's differencing
  // check can see it (a failed load below leaves extra ledger cells, which only make later checks stricter).
  await database.db.transaction(async (tx) => {
    await tx
      .insert(jobs)
      .values({
        id: releaseId,
        operatorId: PLATFORM_OPERATOR,
        licenseId: PLATFORM_OPERATOR,
        datasets: [{ code: spec.source, fields: [...spec.fields] }],
        code: method,
        codeSha256: record.codeHash.sha256,
        params: { statistic: spec.code },
        outputs: spec.tables.map(({ column: _c, description: _d, type: _t, ...table }) => table),
        operation: 'open_statistic',
        status: 'succeeded',
        attempts: 1,
        startedAt: new Date(),
        finishedAt: new Date(),
      })
      .onConflictDoNothing();
    await tx
      .insert(jobResults)
      .values({ jobId: releaseId, result: { statistic: spec.code, rows: computed.rows.length, suppressedRows: computed.suppressedRows }, record })
      .onConflictDoUpdate({ target: jobResults.jobId, set: { record, result: { statistic: spec.code, rows: computed.rows.length, suppressedRows: computed.suppressedRows } } });
  });

  // 4b. Register (first time) and load the checked table as the statistic's new version.
  if (!existing) await registerDataset(database.db, definition);
  const fields = definition.fields.map((f) => f.name);
  const loaded = await loadDataset(database, { code: spec.code, format: 'csv', body: Readable.from([Buffer.from(toCsv(fields, computed.rows), 'utf8')]), loadedBy: loadedByOf(releaseId) });

  // 5. The audit entry: what was released from what, under which checks (counts and names, never values).
  await database.db.transaction(async (tx) => {
    await appendAudit(tx, {
      actor: { type: ctx.actor.type, id: ctx.actor.type === 'public' ? null : ctx.actor.id },
      action: 'open_statistic.published',
      resource: `dataset:${spec.code}`,
      outcome: 'ok',
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: {
        releaseId,
        source: spec.source,
        sourceVersion: input.version,
        version: loaded.version,
        rows: loaded.rowCount,
        suppressedRows: computed.suppressedRows,
        epsilon: check.epsilonSpent,
        minCellCount: rules.minCellCount,
        roundingBase: rules.roundingBase,
        codeSha256: record.codeHash.sha256,
        policyVersion: record.policyVersion,
        checks: check.report.map((c) => `${c.check}:${c.outcome}`),
      },
    });
  });
  return {
    code: spec.code,
    status: 'published',
    releaseId,
    source: { code: spec.source, version: input.version },
    version: loaded.version,
    rowCount: loaded.rowCount,
    suppressedRows: computed.suppressedRows,
    record,
    definition: await getDataset(database.db, spec.code),
  };
}

/** As run-job.ts: a digest of the source's policy as loaded, so the record names the rules it was checked under. */
function policyVersion(policies: PolicySet, code: string): string {
  const json = JSON.stringify(datasetPolicy(policies, code), (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
  return `sha256:${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}
