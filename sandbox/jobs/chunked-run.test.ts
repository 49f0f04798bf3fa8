// A real run larger than one main shard: the input streams in and spills, the map runs over chunks of whole
// contributors and the tables merge before the release — giving exactly what one chunk gives, with the contribution
// cap holding per person across chunks, the same DP release for the same noise, and non-local models still refused.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { derivePseudonymKey, loadPolicies } from '../../policies/index.ts';
import { createTestDatabase, licenses, loadDataset, operators, registerDataset, type TestDatabase } from '../../store/index.ts';
import { type ConfinedInput, type ConfinementOptions, runSharded, seededShuffleRandom } from '../confinement/index.ts';
import { SeededRandom } from '../dp/testing.ts';
import { createIsolatePool, type IsolatePool } from '../execution/index.ts';
import { JobReduction } from './job-reduction.ts';
import { openMaskedInput } from './masked-input.ts';
import { jobResults, jobs } from './schema.ts';
import { queueJob, TEST_PSEUDONYM_SECRET, TEST_SLOT } from './testing.ts';
import { createWorker } from './worker.ts';

let t: TestDatabase;
let pool: IsolatePool;
const policies = loadPolicies();
const licence = { operatorId: 'op-chunks', licenseId: 'lic-chunks' };
const FIELDS = ['insurance_type', 'personal_amount', 'paid'];
let rows = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  pool = createIsolatePool({ size: 2 });
  await registerDataset(t.database.db, DATASETS.social_insurance.definition);
  await loadDataset(t.database, { code: 'social_insurance', format: 'csv', body: generatedCsv('social_insurance', 6000, 'chunks'), loadedBy: 'test' });
  rows = (await t.database.sql.query<{ rows: number }>('select count(*)::int as rows from data."social_insurance_v1"'))[0]!.rows;
  await t.database.db.insert(operators).values({ id: licence.operatorId, name: 'chunks', uscc: licence.operatorId, contact: { name: 'x', email: 'x@example.com', phone: '1' } });
  await t.database.db.insert(licenses).values({
    id: licence.licenseId,
    operatorId: licence.operatorId,
    scenario: 'test',
    datasets: [{ code: 'social_insurance', fields: FIELDS, operations: ['aggregate'] }],
    validFrom: new Date(Date.now() - 3600_000),
    validTo: new Date(Date.now() + 86400_000),
    ipAllowlist: [],
    privacyEpsilon: 50,
    maxJobsPerDay: 100,
  });
});
afterAll(async () => {
  await pool?.close();
  await t?.drop();
});

const BY_TYPE = `export function map(c) {
  return { keys: { type: c.insurance_type }, measures: { amount: c.personal_amount } };
}`;
const OUTPUTS = [
  { name: 'rows', kind: 'count', by: ['type'], countOf: 'rows' },
  { name: 'people', kind: 'count', by: ['type'], totals: true },
  { name: 'amount', kind: 'sum', by: ['type'], measure: 'amount', bounds: { lo: 0, hi: 5000 }, totals: true },
  { name: 'median', kind: 'quantile', by: ['type'], measure: 'amount', bounds: { lo: 0, hi: 5000 }, prob: 0.5 },
];

/** The job's tables before any check or noise, reduced with the given confinement. */
async function tables(confinement: ConfinementOptions, maxRows: number, dp: boolean) {
  const input = await openMaskedInput(t.database, policies, 'social_insurance', FIELDS, { pseudonymKey: derivePseudonymKey(TEST_PSEUDONYM_SECRET, licence.licenseId), asOf: '2024-06-30' }, { field: 'person_id', key: derivePseudonymKey(TEST_PSEUDONYM_SECRET, 'platform:contributors') });
  const reduction = new JobReduction({ outputs: OUTPUTS as never, dataset: 'social_insurance', maxRows, dp, personLevel: true });
  const confined: ConfinedInput = {
    fields: input.fields,
    expectedRows: input.expectedRows,
    rowsAreContributors: false,
    extraWidth: 2,
    batches: (async function* () {
      for await (const b of input.batches) yield { rows: b.rows, rowIds: b.rowIds, values: b.values, units: b.contributor!.words, excluded: b.contributor!.missing, extra: b.contributor!.fingerprints };
    })(),
    dictionary: (f) => input.dictionary(f),
    boolMissing: (f) => input.boolMissing(f),
  };
  let chunks = 0;
  const result = await runSharded(pool, { code: BY_TYPE, params: {}, asOf: 0, seed: 1 }, confined, (chunk) => {
    chunks++;
    reduction.add(chunk);
  }, confinement);
  expect(result.ok).toBe(true);
  expect(reduction.error).toBeNull();
  return { tables: reduction.tables(), chunks };
}

describe('a real run over several chunks', () => {
  it('reduces to exactly the tables of one chunk, and caps each person\'s rows across chunks', async () => {
    const whole = await tables({ random: seededShuffleRandom(1) }, 2, false);
    const chunked = await tables({ maxShardRows: Math.ceil(rows / 4), random: seededShuffleRandom(2) }, 2, false);
    expect(whole.chunks).toBe(1);
    expect(chunked.chunks).toBeGreaterThanOrEqual(3);
    const view = (ts: typeof whole.tables) => ts.map((x) => ({ name: x.name, cells: x.cells.map((c) => [c.labels, c.value, c.contributors, c.n, c.top1, c.top2, Array.from(c.sketch?.data ?? [])]), total: x.totals?.all.value }));
    expect(view(chunked.tables)).toEqual(view(whole.tables));
    // against the database itself: each person's first two rows (by physical place) are kept, wherever they fall
    const expected = await t.database.sql.query<{ type: string; rows: number; people: number }>(
      `select insurance_type as type, count(*)::int as rows, count(distinct person_id)::int as people
       from (select insurance_type, person_id, row_number() over (partition by person_id order by ctid) as rn from data."social_insurance_v1") r
       where rn <= 2 group by insurance_type order by insurance_type collate "C"`,
    );
    expect(expected.reduce((s, e) => s + e.rows, 0)).toBeGreaterThan(40);
    const [rowTable, peopleTable] = chunked.tables;
    expect(rowTable!.cells.map((c) => [c.labels[0], c.value])).toEqual(expected.map((e) => [e.type, e.rows]));
    expect(peopleTable!.cells.map((c) => [c.labels[0], c.value])).toEqual(expected.map((e) => [e.type, e.people]));
  });

  it('releases under DP exactly what one chunk releases, for the same noise', async () => {
    const release = async (confinement: ConfinementOptions) => {
      const id = await queueJob(t.database, licence, { code: BY_TYPE, datasets: [{ code: 'social_insurance', fields: FIELDS }], outputs: OUTPUTS.slice(0, 3).map((o) => ({ ...o, domain: { type: ['养老', '医疗', '失业', '工伤', '生育'] } })), maxRows: 3 });
      const worker = createWorker({ database: t.database, pool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT, rng: new SeededRandom(5), confinement });
      expect(await worker.runOnce()).toBe(true);
      const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id));
      expect(row).toMatchObject({ status: 'succeeded' });
      const [stored] = await t.database.db.select().from(jobResults).where(eq(jobResults.jobId, id));
      return (stored!.result as { tables: unknown[] }).tables;
    };
    expect(await release({ maxShardRows: Math.ceil(rows / 3) })).toEqual(await release({}));
  });

  it('refuses a model that is not row-local on real data, however many chunks it spans', async () => {
    // row-local on the preflight's 200 synthetic rows; on real data, every row carries the size of its run
    const code = 'export function map(c, p, info) { const n = info.rowCount > 250 ? info.rowCount : 1; return { keys: { type: c.insurance_type }, measures: { m: Float64Array.from(c.personal_amount, () => n) } }; }';
    const id = await queueJob(t.database, licence, { code, datasets: [{ code: 'social_insurance', fields: FIELDS }], outputs: [{ name: 'm', kind: 'sum', by: ['type'], measure: 'm', bounds: { lo: 0, hi: 5000 } }] });
    const worker = createWorker({ database: t.database, pool, policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT, confinement: { maxShardRows: Math.ceil(rows / 4) } });
    await worker.runOnce();
    const [row] = await t.database.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({ status: 'rejected', errorCode: 'NOT_ROW_LOCAL' });
  });
});
