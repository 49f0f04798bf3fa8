// The pipeline of one claimed job: read and mask the licensed columns, run the operator's model in an isolate, reduce
// with trusted code, check the release, then complete the job — all inside the trust boundary of ARCHITECTURE.md.
import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { isAppError } from '../../errors/index.ts';
import { createPseudonymizer, datasetPolicy, derivePseudonymKey, disclosureRules, type PolicySet } from '../../policies/index.ts';
import { licenses, type Database } from '../../store/index.ts';
import { checkRelease, releaseRecord, type BudgetLedger, type ReleasedCellRecord } from '../disclosure/index.ts';
import type { IsolatePool, MapOutput } from '../execution/index.ts';
import { buildTables, contributorsFromIds, contributorsFromRows, fitModel, sketchFromBytes, type Emitted, type FittedModel, type KeyColumn, type TableSpec } from '../reduce/index.ts';
import { licenceCaps } from './budget-caps.ts';
import type { JobRow } from './claim-job.ts';
import { BudgetConflict, completeJob, type AccountCharge, type JobOutcome } from './complete-job.ts';
import { heartbeat } from './heartbeat.ts';
import { readLicensedColumns } from './read-columns.ts';
import { budgetLedger, releasedCells } from './schema.ts';
import { evaluateDryRun } from './dry-run.ts';
import { isModelSpec, type OutputSpec } from './schemas.ts';

export interface RunJobOptions {
  database: Database;
  pool: IsolatePool;
  policies: PolicySet;
  /** the platform's pseudonym master secret; each licence gets its own key from it (pseudonyms link within a licence only) */
  pseudonymSecret: Uint8Array;
  workerId: string;
  leaseMs: number;
}

const DAY_MS = 86_400_000;
/**
 * Person-level datasets name their person by this field (a registry convention for now; it belongs in the policy
 * file). Contributors are counted by it, so a person with many rows counts once in the small-cell check.
 */
const PERSON_FIELD = 'person_id';
/** Label of the platform-wide contributor key: stable across licences and jobs, so the differencing ledger compares. */
const CONTRIBUTOR_KEY_LABEL = 'platform:contributors';
const CAS_RETRIES = 5;

/** What the job ended as. Never throws for anything the job did; platform failures (database down) do throw. */
export async function runJob(job: JobRow, options: RunJobOptions): Promise<{ completed: boolean; status: JobOutcome['status'] }> {
  const { database, workerId, leaseMs } = options;
  // the heartbeat keeps the lease while the model runs; a lost lease makes completeJob refuse at the end
  const beat = setInterval(() => void heartbeat(database, job.id, workerId, leaseMs).catch(() => {}), Math.max(10, Math.floor(leaseMs / 3)));
  try {
    for (let attempt = 0; ; attempt++) {
      const outcome = await evaluate(job, options);
      try {
        return { completed: await completeJob(database, job.id, workerId, outcome), status: outcome.status };
      } catch (err) {
        // another job spent ε on the same account meanwhile: check again against the new ledger
        if (!(err instanceof BudgetConflict) || attempt >= CAS_RETRIES) throw err;
      }
    }
  } finally {
    clearInterval(beat);
  }
}

/** A real run's reason is fixed text already (never a value); it is also capped, as a second guard on its size. */
const MAX_REASON = 300;
const failed = (errorCode: string, reason: string, usage: Record<string, unknown> | null = null): JobOutcome => ({
  status: 'failed',
  errorCode,
  reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason,
  usage,
});

async function evaluate(job: JobRow, options: RunJobOptions): Promise<JobOutcome> {
  const { database, policies } = options;
  const [grant] = job.datasets;
  if (!grant || job.datasets.length !== 1) return failed('UNSUPPORTED', 'a job reads exactly one dataset for now');
  const [licence] = await database.db.select().from(licenses).where(eq(licenses.id, job.licenseId));
  // the licence is checked again at run time: it may have been revoked or expired since submission
  const now = new Date();
  if (!licence || licence.status !== 'active' || now < licence.validFrom || now >= licence.validTo) return failed('LICENSE_INACTIVE', 'the licence is no longer valid');
  const asOfMs = Math.floor(job.createdAt.getTime() / DAY_MS) * DAY_MS;
  // a dry run reads no real row: synthetic data, unchecked output, nothing charged (dry-run.ts)
  if (job.dryRun) return evaluateDryRun(job, licence, grant, asOfMs, options, { toEmitted, defaultOutputs });
  const personLevel = datasetPolicy(policies, grant.code).personLevel;
  const contributor = personLevel ? { field: PERSON_FIELD, pseudonymize: createPseudonymizer(derivePseudonymKey(options.pseudonymSecret, CONTRIBUTOR_KEY_LABEL)) } : undefined;
  let input;
  try {
    input = await readLicensedColumns(
      database,
      policies,
      grant.code,
      grant.fields,
      { pseudonymKey: derivePseudonymKey(options.pseudonymSecret, licence.id), asOf: new Date(asOfMs).toISOString().slice(0, 10) },
      contributor,
    );
  } catch (err) {
    if (isAppError(err)) return failed(err.code, err.message);
    // fail closed: a person-level dataset without a person id cannot have its contributors counted
    if (err instanceof TypeError && contributor) return failed('UNSUPPORTED', 'the dataset has no person id to count contributors by');
    throw err;
  }
  const run = await options.pool.run({ code: job.code, columns: input.columns, params: job.params, asOf: asOfMs });
  if (!run.ok) return failed(run.code, run.reason, run.usage ? { ...run.usage } : null);
  const usage = { ...run.usage, rows: input.rowCount };
  const { emitted, freeForm: emittedFreeForm } = toEmitted(run.output);
  const { specs, modelSpecs } = splitOutputs(job.outputs as OutputSpec[], emitted);
  // features and a label are checked output when a declared model consumes them; without one they are free-form
  const freeForm = modelSpecs.length > 0 ? 0 : emittedFreeForm;
  if (specs.length === 0 && modelSpecs.length === 0 && freeForm === 0) return failed('NO_OUTPUTS', 'the job emitted no key to count by and asked for no outputs', usage);

  let tables;
  let models: FittedModel[];
  try {
    const rows = run.output.rows;
    const ids = input.contributorIds;
    const contributors = ids
      ? contributorsFromIds(rows ? { codes: Int32Array.from(rows, (r) => ids.codes[r]!), dictionary: ids.dictionary } : ids)
      : contributorsFromRows(emitted.rows, rows ? Float64Array.from(rows) : undefined);
    // DP needs a bounded contribution per person: with ε asked, each person counts with their first row only
    // (a per-job choice of the cap is not exposed yet)
    tables = buildTables(emitted, specs, { dataset: grant.code, contributors, ...(job.privacy ? { maxRowsPerContributor: 1 } : {}) });
    // the platform fits each declared model on the emitted features and label, counting contributors itself
    models = modelSpecs.map((spec) => fitModel(spec, run.output.features, run.output.label, { dataset: grant.code, contributors }));
  } catch (err) {
    if (isAppError(err)) return failed('INVALID_OUTPUTS', err.message, usage);
    throw err;
  }

  const rules = disclosureRules(policies, grant.code, grant.fields);
  const caps = licenceCaps(licence.privacyEpsilon, rules);
  const { ledger, versions } = await readLedger(database, licence.id, [grant.code]);
  const earlier = await readReleasedCells(database, grant.code);
  const check = checkRelease({ tables, models, freeForm }, { ...rules, epsilonPerJob: caps.perJob, epsilonPerLicence: caps.perLicence }, {
    jobId: job.id,
    licenseId: licence.id,
    ...(job.privacy ? { dp: { epsilon: job.privacy.epsilon } } : {}),
    budget: ledger,
    releasedCells: earlier,
  });
  const record = releaseRecord({
    jobId: job.id,
    operator: job.operatorId,
    code: job.code,
    dataVersions: { [grant.code]: String(input.version) },
    policyVersion: policyVersion(policies, grant.code),
    check,
    createdAt: new Date().toISOString(),
  });
  const charges: AccountCharge[] = (check.budget?.accounts ?? [])
    .filter((a) => a.licenseId === licence.id)
    .map((a) => {
      const before = versions.get(a.dataset);
      return { dataset: a.dataset, spentMicroBefore: before?.spent ?? 0, versionBefore: before?.version ?? null, spentMicroAfter: a.spentMicro };
    })
    .filter((c) => c.spentMicroAfter !== c.spentMicroBefore);
  const status = check.outcome === 'release' ? 'succeeded' : check.outcome === 'review' ? 'review' : 'rejected';
  const failedChecks = check.report.filter((c) => c.outcome === 'fail').map((c) => c.check);
  const refusal = status === 'rejected' ? `release refused by the checks: ${failedChecks.join(', ') || 'disclosure control'}` : undefined;
  return { status, result: check.released, record, charges, releasedCells: check.releasedCells, usage, ...(refusal ? { refusal } : {}) };
}

/**
 * MapOutput → what the reducer takes; integer keys become their decimal labels. Features and a label count as one
 * free-form output unless a declared model consumes them (evaluate decides).
 */
function toEmitted(output: MapOutput): { emitted: Emitted; freeForm: number } {
  const keys: Record<string, KeyColumn> = {};
  for (const [name, key] of output.keys) {
    if (key.type === 'dict') keys[name] = { codes: key.codes, dictionary: key.dictionary };
    else {
      const dictionary: string[] = [];
      const index = new Map<number, number>();
      const codes = Int32Array.from(key.values, (v) => {
        let c = index.get(v);
        if (c === undefined) index.set(v, (c = dictionary.push(String(v)) - 1));
        return c;
      });
      keys[name] = { codes, dictionary };
    }
  }
  const measures = Object.fromEntries(output.measures);
  const freeForm = output.features.size > 0 || output.label ? 1 : 0;
  return { emitted: { rows: output.length, keys, measures }, freeForm };
}

/** Declared outputs split into tables and models; without any declared, one contributor count over every emitted key. */
function splitOutputs(outputs: readonly OutputSpec[], emitted: Emitted): { specs: TableSpec[]; modelSpecs: Extract<OutputSpec, { kind: 'linear' | 'logistic' }>[] } {
  if (outputs.length === 0) return { specs: defaultOutputs(emitted), modelSpecs: [] };
  return { specs: outputs.filter((o) => !isModelSpec(o)) as TableSpec[], modelSpecs: outputs.filter(isModelSpec) };
}

/** Without requested outputs: one contributor count over every emitted key. */
function defaultOutputs(emitted: Emitted): TableSpec[] {
  const by = Object.keys(emitted.keys);
  return by.length === 0 ? [] : [{ name: 'counts', kind: 'count', by }];
}

async function readLedger(database: Database, licenseId: string, datasets: string[]) {
  const rows = await database.db.select().from(budgetLedger).where(and(eq(budgetLedger.licenseId, licenseId), inArray(budgetLedger.dataset, datasets)));
  const ledger: BudgetLedger = { version: 0, accounts: rows.map((r) => ({ licenseId, dataset: r.dataset, spentMicro: r.spentMicro })) };
  return { ledger, versions: new Map(rows.map((r) => [r.dataset, { spent: r.spentMicro, version: r.version }])) };
}

async function readReleasedCells(database: Database, dataset: string): Promise<ReleasedCellRecord[]> {
  const rows = await database.db.select().from(releasedCells).where(eq(releasedCells.dataset, dataset));
  return rows.map((r) => ({ dataset: r.dataset, jobId: r.jobId, output: r.output, labels: r.labels, population: r.population, sketch: sketchFromBytes(r.sketch) }));
}

/** A digest of the dataset's policy as loaded: the release record names the rules it was checked under. */
function policyVersion(policies: PolicySet, code: string): string {
  const json = JSON.stringify(datasetPolicy(policies, code), (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v));
  return `sha256:${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}
