// Steps 1–3 of the trust boundary on one node: the licensed fields masked for the sandbox, the model under confinement
// (partitioned runs and the row-locality check, as for a local job), the trusted reduction — then the tables laid out on the job's fixed group domain as one vector. The vector never
// leaves the node in clear: participant.ts quantizes and masks it for secure aggregation.
import { AppError, isAppError } from '../../errors/index.ts';
import { createPseudonymizer, datasetPolicy, derivePseudonymKey, type PolicySet } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { runConfined } from '../confinement/index.ts';
import type { IsolatePool, MapOutput } from '../execution/index.ts';
import { toEmitted } from '../jobs/emission.ts';
import { readLicensedColumns } from '../jobs/read-columns.ts';
import { buildTables, contributorsFromIds, contributorsFromRows, type Emitted, type TableSpec } from '../reduce/index.ts';
import type { FederatedJob } from './spec.ts';

export interface LocalRunOptions {
  database: Database;
  policies: PolicySet;
  pool: IsolatePool;
  /** this node's pseudonym master secret */
  pseudonymSecret: Uint8Array;
}

export interface LocalPartial {
  /** counts per domain label, then sums per domain label (see spec.ts vectorLength) */
  values: Float64Array;
  rows: number;
  /** rows whose key was outside the declared domain (left out) */
  outOfDomain: number;
  dataVersion: number;
}

const PERSON_FIELD = 'person_id';
const CONTRIBUTOR_KEY_LABEL = 'platform:contributors';

/** Throws AppError (code and fixed text; never a data value) when the dataset, the model or the reduction fails. */
export async function computePartial(job: FederatedJob, roundId: string, options: LocalRunOptions): Promise<LocalPartial> {
  const personLevel = datasetPolicy(options.policies, job.dataset).personLevel;
  const contributor = personLevel ? { field: PERSON_FIELD, key: derivePseudonymKey(options.pseudonymSecret, CONTRIBUTOR_KEY_LABEL) } : undefined;
  let input;
  try {
    // pseudonyms in the model's columns are keyed per round: they link nothing across rounds or nodes
    input = await readLicensedColumns(options.database, options.policies, job.dataset, job.fields, { pseudonymKey: derivePseudonymKey(options.pseudonymSecret, `federated:${roundId}`), asOf: new Date().toISOString().slice(0, 10) }, contributor);
  } catch (err) {
    if (isAppError(err)) throw err;
    if (err instanceof TypeError) throw new AppError('VALIDATION_FAILED', 'the dataset cannot be read for this job (field names or person id)', { details: { reason: 'unreadable-dataset' } });
    throw err;
  }
  const ids = input.contributorIds;
  const everyone = ids ? contributorsFromIds(ids) : null;
  const confined = await runConfined(options.pool, {
    code: job.code,
    columns: input.columns,
    params: job.params,
    asOf: Math.floor(Date.now() / 86_400_000) * 86_400_000,
    seed: 1,
    contributors: everyone ? { of: everyone.of!, count: everyone.count } : null,
  });
  // one fixed reason whatever went wrong: the coordinator and its operator learn nothing more from a node's data
  if (!confined.ok) throw new AppError('VALIDATION_FAILED', 'the model failed or was not row-local on this node', { details: { reason: 'model-failed' } });
  const run = { output: confined.output };
  const emitted = federatedEmitted(run.output);
  const specs: TableSpec[] = [{ name: 'count', kind: 'count', by: [job.key] }];
  if (job.sum) specs.push({ name: 'sum', kind: 'sum', by: [job.key], measure: job.sum.measure, bounds: job.sum.bounds });
  const rows = run.output.rows;
  const contributors = ids
    ? contributorsFromIds(rows ? { codes: Int32Array.from(rows, (r) => ids.codes[r]!), dictionary: ids.dictionary } : ids)
    : contributorsFromRows(emitted.rows, rows ? Float64Array.from(rows) : undefined);
  let tables;
  try {
    // one row per person: the DP sensitivity the coordinator's noise assumes
    tables = buildTables(emitted, specs, { dataset: job.dataset, contributors, maxRowsPerContributor: 1, sketches: false });
  } catch (err) {
    if (isAppError(err)) throw new AppError('VALIDATION_FAILED', `the job's outputs are invalid on this node: ${err.message}`, { details: { reason: 'invalid-outputs' } });
    throw err;
  }
  const g = job.domain.length;
  const index = new Map(job.domain.map((label, i) => [label, i]));
  const values = new Float64Array(job.sum ? 2 * g : g);
  let outOfDomain = 0;
  for (const cell of tables[0]!.cells) {
    const i = index.get(String(cell.labels[0]));
    if (i === undefined) outOfDomain += cell.n;
    else values[i] = cell.contributors;
  }
  if (job.sum)
    for (const cell of tables[1]!.cells) {
      const i = index.get(String(cell.labels[0]));
      if (i !== undefined && Number.isFinite(cell.sum)) values[g + i] = cell.sum;
    }
  return { values, rows: input.rowCount, outOfDomain, dataVersion: input.version };
}

/** MapOutput → what the reducer takes, as a local job's; features are not federated. */
function federatedEmitted(output: MapOutput): Emitted {
  const { emitted, freeForm } = toEmitted(output);
  if (freeForm > 0) throw new AppError('VALIDATION_FAILED', 'a federated job emits keys and measures only', { details: { reason: 'free-form-output' } });
  return emitted;
}
