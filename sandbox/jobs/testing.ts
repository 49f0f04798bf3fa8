// Test fixtures for the job queue: a database with generated population rows, an operator and a licence, and jobs.
import { randomUUID } from 'node:crypto';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { licenses, loadDataset, operators, registerDataset, type Database } from '../../store/index.ts';
import { rhoFromEpsilon, toNano } from '../dp/index.ts';
import { jobs, type JobDataset, type JobPrivacy } from './schema.ts';

/** A short slot for tests: a real run's padding still happens, in a tenth of a second. */
export const TEST_SLOT = { baseMs: 100, perMillionCellsMs: 0 } as const;

/** A fixed secret: tests only. Production reads PSEUDONYM_SECRET (see pseudonym-secret.ts). */
export const TEST_PSEUDONYM_SECRET = new Uint8Array(32).fill(7);

export async function seedPopulation(database: Database, rows = 400): Promise<void> {
  await registerDataset(database.db, DATASETS.population.definition);
  await loadDataset(database, { code: 'population', format: 'csv', body: generatedCsv('population', rows, 'jobs-test'), loadedBy: 'test' });
}

/** An active operator with one live licence on population (sex, birth_date, annual_income; aggregate). */
export async function seedLicence(database: Database, options: { epsilon?: number; maxJobsPerDay?: number } = {}): Promise<{ operatorId: string; licenseId: string }> {
  const operatorId = `op-${randomUUID().slice(0, 8)}`;
  const licenseId = `lic-${randomUUID().slice(0, 8)}`;
  await database.db.insert(operators).values({ id: operatorId, name: 'test operator', uscc: operatorId, contact: { name: 'x', email: 'x@example.com', phone: '1' } });
  await database.db.insert(licenses).values({
    id: licenseId,
    operatorId,
    scenario: 'test',
    datasets: [{ code: 'population', fields: ['sex', 'birth_date', 'annual_income'], operations: ['aggregate'] }],
    validFrom: new Date(Date.now() - 3600_000),
    validTo: new Date(Date.now() + 86400_000),
    ipAllowlist: [],
    privacyEpsilon: options.epsilon ?? 5,
    maxJobsPerDay: options.maxJobsPerDay ?? 20,
  });
  return { operatorId, licenseId };
}

export async function queueJob(
  database: Database,
  licence: { operatorId: string; licenseId: string },
  job: { code: string; datasets?: JobDataset[]; outputs?: unknown[]; privacy?: JobPrivacy; maxRows?: number; maxAttempts?: number; dryRun?: boolean; params?: Record<string, unknown> },
): Promise<string> {
  // as submitJob would have planned it (charging aside): DP at ε = 1 unless the job says otherwise
  const privacy = job.privacy ?? { epsilon: 1 };
  const rhoNano = 'none' in privacy || job.dryRun ? 0 : toNano(rhoFromEpsilon(privacy.epsilon ?? 1), 'up');
  const id = randomUUID();
  await database.db.insert(jobs).values({
    id,
    operatorId: licence.operatorId,
    licenseId: licence.licenseId,
    datasets: job.datasets ?? [{ code: 'population', fields: ['sex', 'annual_income'] }],
    code: job.code,
    codeSha256: 'test',
    params: job.params ?? {},
    outputs: job.outputs ?? [],
    privacy,
    rhoNano,
    maxRowsPerContributor: job.maxRows ?? 1,
    operation: 'aggregate',
    maxAttempts: job.maxAttempts ?? 3,
    dryRun: job.dryRun ?? false,
  });
  return id;
}
