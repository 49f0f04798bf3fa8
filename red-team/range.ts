// The range the red-team tests attack: a gateway on its own database with a population register that holds one
// planted target (a person the attacker knows by quasi-identifiers), licensed attacker operators, and a real worker
// with real isolates. Everything an attack does goes through the operator API, as an outside attacker's would.
import { composeUscc, DATASETS, generatedCsv } from '../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../sandbox/execution/index.ts';
import { createWorker, type JobWorker } from '../sandbox/jobs/index.ts';
import { TEST_PSEUDONYM_SECRET, TEST_SLOT } from '../sandbox/jobs/testing.ts';
import { loadDataset, registerDataset } from '../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../gateway/testing/test-gateway.ts';
import { createTestOperator, type TestLicence, type TestOperator } from '../gateway/testing/test-operator.ts';
import { testDatabaseKind } from '../store/testing.ts';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What an attack got, measured, for the record: one JSON line per finding in artifacts/red-team-<database>.jsonl
 * (gitignored; CI prints it), so "recovers nothing" comes with the figures behind it.
 */
export function recordFinding(family: string, attack: string, figures: Record<string, unknown>): void {
  const dir = join(import.meta.dirname, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `red-team-${testDatabaseKind()}.jsonl`), `${JSON.stringify({ at: new Date().toISOString(), family, attack, ...figures })}\n`);
}


/**
 * The person under attack: unique in the register on (region, birth month, sex) — what an attacker who knows
 * someone would use. Their income (masked as a job sees it, to the nearest 1,000) is the secret.
 */
export const TARGET = { region: '330106', birthMonth: '1931-02', sex: '女', income: 57_000 } as const;

/** JavaScript an attack model uses to recognise the target in its own row (row-local: reads nothing else). */
export const IS_TARGET = (c = 'c', i = 'i') =>
  `(${c}.region_code.dictionary[${c}.region_code.codes[${i}]] === '${TARGET.region}' && ${c}.birth_date.dictionary[${c}.birth_date.codes[${i}]] === '${TARGET.birthMonth}' && ${c}.sex.dictionary[${c}.sex.codes[${i}]] === '${TARGET.sex}')`;

const TARGET_ROW = `330106193102140027,李某某,${TARGET.sex},1931-02-14,汉族,${TARGET.region},330106001,浙江省杭州市西湖区北山街道1号,13800000000,小学,退休,${TARGET.income}.00,丧偶,3301060000000009,户主`;

/** The licence attackers get: the target's quasi-identifiers and income, aggregates and models, a normal budget. */
export const ATTACKER_LICENCE: TestLicence = {
  datasets: [{ code: 'population', fields: ['person_id', 'sex', 'birth_date', 'region_code', 'annual_income'], operations: ['aggregate', 'model'] }],
  epsilon: 5,
  maxJobsPerDay: 40,
};

export interface Attempt {
  id: string;
  status: string;
  error?: { code: string; reason: string };
  usage: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** the released result, when there is one */
  result?: { tables?: { name: string; cells: { labels: (string | null)[]; value: number | null; interval?: [number, number] | null; suppressed?: string | null }[]; noise?: { sd: number } }[]; models?: Record<string, unknown>[] };
  /** the submission's refusal (HTTP status and problem code), when it was refused at once */
  refused?: { status: number; code: string };
  /** the operator could not read its job back (suspended meanwhile): the HTTP status it got; the fields above are the platform's */
  operatorLockedOut?: number;
}

export interface Range {
  gw: TestGateway;
  worker: JobWorker;
  /** a fresh attacker with its own whitelisted identity and licence (a sybil, for the budget tests) */
  attacker(licence?: TestLicence): Promise<TestOperator>;
  /** submits a job as `op` and runs it to its end through the worker; what the operator can see of it */
  attempt(op: TestOperator, job: Record<string, unknown>): Promise<Attempt>;
  close(): Promise<void>;
}

let attackers = 0;

/** Builds the range: `people` generated residents plus the target. */
export async function createRange(people = 800): Promise<Range> {
  const gw = await createTestGateway();
  await registerDataset(gw.services.database.db, DATASETS.population.definition);
  const chunks: Buffer[] = [];
  for await (const chunk of generatedCsv('population', people, 'red-team')) chunks.push(Buffer.from(chunk as Uint8Array));
  // the generator writes RFC 4180 CRLF lines; the planted row follows suit
  const csv = `${Buffer.concat(chunks).toString('utf8').trimEnd()}\r\n${TARGET_ROW}\r\n`;
  await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: csv, loadedBy: 'red-team' });
  const pool: IsolatePool = createIsolatePool({ size: 2 });
  const worker = createWorker({ database: gw.services.database, pool, policies: gw.services.policies, pseudonymSecret: TEST_PSEUDONYM_SECRET, slot: TEST_SLOT });
  const security = await gw.login('security', PASSWORDS.security);
  return {
    gw,
    worker,
    async attacker(licence = ATTACKER_LICENCE) {
      attackers += 1;
      return createTestOperator(gw, security, composeUscc('91', '330100', `R${String(attackers).padStart(7, '0')}`), licence);
    },
    async attempt(op, job) {
      let bearer: Record<string, string>;
      try {
        bearer = await op.bearer();
      } catch {
        // no token at all: the operator or its licence is suspended
        return { id: '', status: 'refused', usage: null, startedAt: null, finishedAt: null, refused: { status: 403, code: 'NO_TOKEN' } };
      }
      const headers = { ...bearer, 'content-type': 'application/json' };
      const res = await op.request('/operator/jobs', { method: 'POST', headers, body: JSON.stringify({ licenseId: op.licenseId, ...job }) });
      if (res.status !== 202) {
        const problem = (await res.json()) as { code: string };
        return { id: '', status: 'refused', usage: null, startedAt: null, finishedAt: null, refused: { status: res.status, code: problem.code } };
      }
      const { id } = (await res.json()) as { id: string };
      while (await worker.runOnce());
      const shown = await op.request(`/operator/jobs/${id}`, { headers });
      if (shown.status !== 200) {
        // the operator was suspended by what the job did: what it sees is the refusal; the test reads the platform's row
        const [row] = await gw.services.database.sql.query<{ status: string; error_code: string | null; error_reason: string | null; usage: Record<string, unknown> | null }>('select status, error_code, error_reason, usage from jobs where id = $1', [id]);
        return { id, status: row!.status, ...(row!.error_code ? { error: { code: row!.error_code, reason: row!.error_reason ?? '' } } : {}), usage: row!.usage, startedAt: null, finishedAt: null, operatorLockedOut: shown.status };
      }
      const view = (await shown.json()) as Attempt;
      const result = await op.request(`/operator/jobs/${id}/result`, { headers });
      return { ...view, ...(result.status === 200 ? { result: ((await result.json()) as { result: Attempt['result'] }).result } : {}) };
    },
    async close() {
      await pool.close();
      await gw.close();
    },
  };
}
