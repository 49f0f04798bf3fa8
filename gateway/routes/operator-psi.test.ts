// POST /operator/psi end to end: the SDK against the real app over a small credit_dishonest list. The operator learns
// exactly the intersection; the answer carries no identifier; the run is audited with sizes only; the refusals.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeUscc, DATASETS, generatedCsv } from '../../data/index.ts';
import { OperatorClient, PlatformError, psiMatch } from '../../sdk/index.ts';
import { parsePsiArgs, runPsiCommand } from '../../sdk/psi-command.ts';
import { licenses, loadDataset, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, OPERATOR_IP, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let security: Record<string, string>;
let psiLicence: string;
let aggregateLicence: string;
let government: string[];
const bodies: string[] = [];

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function grant(operations: string[], code = 'credit_dishonest'): Promise<string> {
  const res = await gw.app.request(`/security/operators/${op.id}/licenses`, {
    method: 'POST',
    headers: { ...security, 'content-type': 'application/json' },
    body: JSON.stringify({
      scenario: '小微企业贷款申请人失信核查',
      datasets: [{ code, fields: ['uscc'], operations }],
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 86400_000).toISOString(),
      ipAllowlist: ['203.0.113.0/24'],
      privacyBudget: { epsilon: 1 },
      maxJobsPerDay: 4,
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  op = await createTestOperator(gw, security);
  await registerDataset(gw.services.database.db, DATASETS.credit_dishonest.definition);
  const csv = await text(generatedCsv('credit_dishonest', 200, 'psi'));
  await loadDataset(gw.services.database, { code: 'credit_dishonest', format: 'csv', body: Readable.from([csv]), loadedBy: 'test' });
  government = [...new Set((parse(csv, { columns: true }) as { uscc: string }[]).map((r) => r.uscc))];
  psiLicence = await grant(['psi']);
  aggregateLicence = await grant(['aggregate']);
});
afterAll(() => gw?.close());

async function client() {
  return new OperatorClient({
    baseUrl: gw.config.publicUrl,
    operatorId: op.id,
    privateJwk: { ...(await exportJWK(op.privateKey)), kid: op.kid },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const res = await gw.app.request(url.pathname + url.search, init, { incoming: { socket: { remoteAddress: OPERATOR_IP } } });
      if (url.pathname === '/operator/psi') bodies.push(await res.clone().text());
      return res;
    }) as typeof fetch,
  });
}

/** USCC-shaped identifiers that are not in the generated list (another department code range) */
const outsiders = (n: number) => Array.from({ length: n }, (_, i) => composeUscc('91', '110105', `PQ${String(i).padStart(6, '0')}`)).filter((u) => !government.includes(u));

const post = async (body: unknown) =>
  op.request('/operator/psi', { method: 'POST', headers: { ...(await op.bearer()), 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /operator/psi', () => {
  it('the SDK learns exactly the intersection; the answer holds no identifier; the run is audited with sizes only', async () => {
    expect(government.length).toBeGreaterThan(20);
    const shared = government.slice(3, 15);
    const mine = [...outsiders(30), ...shared];
    const result = await psiMatch(await client(), { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', ids: mine });
    expect([...result.matches].sort()).toEqual([...shared].sort());
    expect(result).toMatchObject({ listSize: mine.length, serverSetSize: government.length, dataVersion: 1 });

    const body = bodies.at(-1)!;
    for (const id of [...government, ...mine]) expect(body).not.toContain(id);
    const answer = JSON.parse(body) as { serverSet: string[]; blinded: string[] };
    expect(answer.serverSet).toHaveLength(government.length);
    expect(answer.blinded).toHaveLength(mine.length);

    const audit = await gw.services.database.sql.query<{ actor_id: string; resource: string; details: Record<string, unknown> }>(
      "select actor_id, resource, details from audit_log where action = 'psi.run' order by seq",
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: op.id, resource: `license:${psiLicence}` });
    expect(audit[0]!.details).toMatchObject({ licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', listSize: mine.length, serverSetSize: government.length, runId: expect.any(String) });
    const logged = JSON.stringify(audit[0]);
    for (const id of [...government, ...mine]) expect(logged).not.toContain(id);
  });

  it('a list with no member finds nothing', async () => {
    const result = await psiMatch(await client(), { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', ids: outsiders(12) });
    expect(result.matches).toEqual([]);
  });

  it('refuses a licence that does not grant psi on the dataset (403) and a field outside it (403)', async () => {
    const c = await client();
    const err = await psiMatch(c, { licenseId: aggregateLicence, dataset: 'credit_dishonest', field: 'uscc', ids: government.slice(0, 12) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const field = await psiMatch(c, { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'entity_name', ids: government.slice(0, 12) }).catch((e: unknown) => e);
    expect(field).toMatchObject({ status: 403 });
    const unknown = await psiMatch(c, { licenseId: psiLicence, dataset: 'no_such_list', field: 'uscc', ids: government.slice(0, 12) }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 403 });
  });

  it('refuses a list under the minimum, counting distinct identifiers (422 list-too-small)', async () => {
    const err = await psiMatch(await client(), { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', ids: [...government.slice(0, 5), ...government.slice(0, 5)] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect((err as PlatformError).body).toMatchObject({ reason: 'list-too-small', minimum: 10, received: 5 });
  });

  it('refuses malformed and low-order points with 422 naming the index, never the value', async () => {
    const good = Array.from({ length: 12 }, (_, i) => Buffer.alloc(32, i + 2).toString('base64url'));
    for (const [bad, reason] of [
      ['not-base64url!', 'bad-encoding'],
      [Buffer.alloc(31, 7).toString('base64url'), 'bad-encoding'],
      [Buffer.alloc(33, 7).toString('base64url'), 'bad-encoding'],
      [Buffer.alloc(32, 0).toString('base64url'), 'bad-point'],
      [Buffer.alloc(32, 0xff).toString('base64url'), 'bad-point'],
    ] as const) {
      const res = await post({ licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', blinded: [...good.slice(0, 4), bad, ...good.slice(4)] });
      expect(res.status).toBe(422);
      const problem = await res.text();
      expect(JSON.parse(problem)).toMatchObject({ code: 'VALIDATION_FAILED', reason, index: 4 });
      expect(problem).not.toContain(bad);
    }
  });

  it('the CLI command prints the matches, one per line, and a summary without identifiers on stderr', async () => {
    expect(() => parsePsiArgs(['--license', 'l', '--dataset', 'credit_dishonest', '--input', 'x'])).toThrow(/code>:<field/);
    const args = parsePsiArgs(['--license', psiLicence, '--dataset', 'credit_dishonest:uscc', '--input', 'ids.txt']);
    const shared = government.slice(0, 2);
    let out = '';
    let err = '';
    const code = await runPsiCommand(args, {
      client: await client(),
      readInput: async () => ['# applicants', ...outsiders(10), '', ...shared].join('\n'),
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(code).toBe(0);
    expect(out.trim().split('\n').sort()).toEqual([...shared].sort());
    expect(err).toMatch(/^2 of 12 identifiers matched/);
    for (const id of shared) expect(err).not.toContain(id);
  });

  it('answers 404 DATASET_NOT_FOUND for a granted list that has no data loaded', async () => {
    await registerDataset(gw.services.database.db, DATASETS.legal_persons.definition);
    const empty = await grant(['psi'], 'legal_persons');
    const err = await psiMatch(await client(), { licenseId: empty, dataset: 'legal_persons', field: 'uscc', ids: outsiders(10) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 'DATASET_NOT_FOUND' });
  });

  it('refuses bad bodies with 422', async () => {
    for (const body of [{ dataset: 'credit_dishonest', field: 'uscc', blinded: [] }, { licenseId: psiLicence, dataset: 'Credit', field: 'uscc', blinded: ['x'] }, { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', blinded: 'x', extra: 1 }]) {
      expect((await post(body)).status).toBe(422);
    }
  });

  it('counts runs against maxJobsPerDay (429 with Retry-After); refused runs are not counted', async () => {
    // three runs so far under this licence (the refusals above never reached the count)
    await gw.services.database.db.update(licenses).set({ maxJobsPerDay: 4 }).where(eq(licenses.id, psiLicence));
    const c = await client();
    await psiMatch(c, { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', ids: outsiders(10) });
    const over = await psiMatch(c, { licenseId: psiLicence, dataset: 'credit_dishonest', field: 'uscc', ids: outsiders(10) }).catch((e: unknown) => e);
    expect(over).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED' });
    const runs = await gw.services.database.sql.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'psi.run'");
    expect(runs[0]!.n).toBe(4);
  });
});
