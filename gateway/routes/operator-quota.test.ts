// One daily quota per licence: jobs, PSI runs and encrypted-scoring runs all count against maxJobsPerDay, whichever
// route asks (sandbox/jobs/quota.ts); dry runs have an allowance of their own and use none of it.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { createScoringKeys, encryptModel, type ScoringKeys } from '../../sdk/index.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let security: Record<string, string>;
let enterprises: string[];
let keys: ScoringKeys;

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function load(code: 'credit_dishonest' | 'legal_persons', rows: number): Promise<string> {
  await registerDataset(gw.services.database.db, DATASETS[code].definition);
  const csv = await text(generatedCsv(code, rows, 'quota'));
  await loadDataset(gw.services.database, { code, format: 'csv', body: Readable.from([csv]), loadedBy: 'test' });
  return csv;
}

/** A licence for all three kinds of run: jobs and PSI on credit_dishonest, encrypted scoring on legal_persons. */
async function grant(maxJobsPerDay: number): Promise<string> {
  const res = await gw.app.request(`/security/operators/${op.id}/licenses`, {
    method: 'POST',
    headers: { ...security, 'content-type': 'application/json' },
    body: JSON.stringify({
      scenario: '小微企业授信：失信核查与评分',
      datasets: [
        { code: 'credit_dishonest', fields: ['uscc', 'performance_status'], operations: ['aggregate', 'psi'] },
        { code: 'legal_persons', fields: ['uscc', 'registered_capital'], operations: ['encrypted-scoring'] },
      ],
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 86400_000).toISOString(),
      ipAllowlist: ['203.0.113.0/24'],
      privacyBudget: { epsilon: 1 },
      maxJobsPerDay,
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  op = await createTestOperator(gw, security);
  await load('credit_dishonest', 100);
  enterprises = (parse(await load('legal_persons', 100), { columns: true }) as { uscc: string }[]).map((r) => r.uscc);
  keys = await createScoringKeys();
}, 60_000);
afterAll(async () => {
  keys?.delete();
  await gw?.close();
});

const post = async (path: string, body: unknown) =>
  op.request(path, { method: 'POST', headers: { ...(await op.bearer()), 'content-type': 'application/json' }, body: JSON.stringify(body) });

const job = (licenseId: string, dryRun = false) =>
  post('/operator/jobs', { licenseId, dryRun, datasets: [{ code: 'credit_dishonest', fields: ['performance_status'] }], code: 'export function map(c) { return { keys: { s: c.performance_status } }; }' });
// valid points (the PSI test's): the platform answers any well-formed list of ten or more
const psi = (licenseId: string) =>
  post('/operator/psi', { licenseId, dataset: 'credit_dishonest', field: 'uscc', blinded: Array.from({ length: 12 }, (_, i) => Buffer.alloc(32, i + 2).toString('base64url')) });
const scoring = (licenseId: string) =>
  post('/operator/scoring', { licenseId, enterprises: enterprises.slice(0, 8), ...encryptModel(keys, { features: ['legal_persons:registered_capital'], weights: [1] }) });

async function expectQuotaExceeded(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(((await res.json()) as { code: string }).code).toBe('QUOTA_EXCEEDED');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('the licence daily quota across jobs, PSI and scoring', () => {
  it('a PSI run and a scoring run each use up the quota for a later job; a dry run still goes', async () => {
    const licence = await grant(2);
    expect((await psi(licence)).status).toBe(200);
    expect((await scoring(licence)).status).toBe(200);
    await expectQuotaExceeded(await job(licence));
    expect((await job(licence, true)).status).toBe(202);
  }, 60_000);

  it('a job uses up the quota for a later PSI run and a later scoring run; a dry run uses none of it', async () => {
    const licence = await grant(1);
    expect((await job(licence, true)).status).toBe(202);
    expect((await job(licence)).status).toBe(202);
    await expectQuotaExceeded(await psi(licence));
    await expectQuotaExceeded(await scoring(licence));
  }, 60_000);

  it('a PSI run uses up the quota for a scoring run, and a scoring run for a PSI run', async () => {
    const first = await grant(1);
    expect((await psi(first)).status).toBe(200);
    await expectQuotaExceeded(await scoring(first));
    const second = await grant(1);
    expect((await scoring(second)).status).toBe(200);
    await expectQuotaExceeded(await psi(second));
  }, 60_000);
});
