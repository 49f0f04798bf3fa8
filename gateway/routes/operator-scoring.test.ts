// POST /operator/scoring end to end: the SDK against the real app over a small legal_persons dataset. The bank
// decrypts scores that match the plaintext model over the platform's masked, standardized features; nothing of the
// model or the keys reaches the audit log; the refusals (each audited): wrong scheme, secret key, unlicensed field,
// unknown or non-numeric feature, too few enterprises, malformed ciphertext, oversized body, quota.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bfvEncrypt, createSealContext, encryptCompact, generateSealKeys, sealBytesToBase64, serializeCiphertext, serializeSealKey, type SealContext, type SealKeys } from '../../crypto/index.ts';
import { composeUscc, DATASETS, generatedCsv } from '../../data/index.ts';
import { loadDatasets, parseFeature, readEnterpriseFeatures } from '../../sandbox/encrypted-scoring/features.ts';
import { createScoringKeys, encryptedScore, encryptModel, OperatorClient, PlatformError, type ScoringKeys } from '../../sdk/index.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, OPERATOR_IP, type TestOperator } from '../testing/test-operator.ts';

let gw: TestGateway;
let op: TestOperator;
let security: Record<string, string>;
let licence: string;
let narrowLicence: string;
let enterprises: string[];
let keys: ScoringKeys;
let bfv: SealContext;
let bfvKeys: SealKeys;
const FEATURES = ['legal_persons:registered_capital', 'legal_persons:employee_count', 'legal_persons:established_date'];
const MODEL = { features: FEATURES, weights: [0.8137, -0.4519, 0.3071], bias: -1.2589 };

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function grant(fields: string[], maxJobsPerDay = 50): Promise<string> {
  const res = await gw.app.request(`/security/operators/${op.id}/licenses`, {
    method: 'POST',
    headers: { ...security, 'content-type': 'application/json' },
    body: JSON.stringify({
      scenario: '普惠金融小微企业授信评分',
      datasets: [{ code: 'legal_persons', fields, operations: ['encrypted-scoring'] }],
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
  await registerDataset(gw.services.database.db, DATASETS.legal_persons.definition);
  const csv = await text(generatedCsv('legal_persons', 300, 'scoring'));
  await loadDataset(gw.services.database, { code: 'legal_persons', format: 'csv', body: Readable.from([csv]), loadedBy: 'test' });
  enterprises = (parse(csv, { columns: true }) as { uscc: string }[]).map((r) => r.uscc);
  licence = await grant(['uscc', 'registered_capital', 'employee_count', 'established_date', 'name']);
  narrowLicence = await grant(['uscc', 'registered_capital']);
  keys = await createScoringKeys();
  bfv = await createSealContext('bfv-4096');
  bfvKeys = generateSealKeys(bfv, { galois: false, relin: false });
}, 60_000);
afterAll(async () => {
  keys?.delete();
  bfvKeys?.delete();
  bfv?.delete();
  await gw?.close();
});

async function client() {
  return new OperatorClient({
    baseUrl: gw.config.publicUrl,
    operatorId: op.id,
    privateJwk: { ...(await exportJWK(op.privateKey)), kid: op.kid },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      return gw.app.request(url.pathname + url.search, init, { incoming: { socket: { remoteAddress: OPERATOR_IP } } });
    }) as typeof fetch,
  });
}

const outsiders = (n: number) => Array.from({ length: n }, (_, i) => composeUscc('91', '110105', `PQ${String(i).padStart(6, '0')}`)).filter((u) => !enterprises.includes(u));

const post = async (body: unknown, headers: Record<string, string> = {}) =>
  op.request('/operator/scoring', { method: 'POST', headers: { ...(await op.bearer()), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A valid body for the main licence, to be spoiled one field at a time. */
function body(overrides: Record<string, unknown> = {}, list = enterprises.slice(0, 20)) {
  return { licenseId: licence, enterprises: list, ...encryptModel(keys, MODEL), ...overrides };
}

async function refusals() {
  return gw.services.database.sql.query<{ outcome: string; resource: string; details: Record<string, unknown> }>(
    "select outcome, resource, details from audit_log where action = 'scoring.refused' order by seq",
  );
}

describe('POST /operator/scoring', () => {
  it('the bank decrypts scores matching the plaintext model over the masked, standardized features; the audit holds no secret', async () => {
    const listed = [...enterprises.slice(10, 50), ...outsiders(3)];
    const result = await encryptedScore(await client(), { licenseId: licence, enterprises: listed, keys, ...MODEL });
    expect(result.missing.sort()).toEqual(outsiders(3).sort());
    expect(result.scores.map((s) => s.uscc)).toEqual(enterprises.slice(10, 50));

    // the expected scores, through the same platform reader (masking and standardization as the run)
    const features = FEATURES.map(parseFeature);
    const datasets = await loadDatasets(gw.services.database, ['legal_persons']);
    const data = await readEnterpriseFeatures(gw.services.database, gw.services.policies, datasets, features, listed, new Date());
    expect(data.found).toEqual(enterprises.slice(10, 50));
    expect(result.standardization).toEqual(data.standardization);
    expect(data.standardization.every((s) => s.sd > 0)).toBe(true);
    const expected = data.found.map((_, i) => MODEL.bias + MODEL.weights.reduce((acc, w, j) => acc + w * data.columns[j]![i]!, 0));
    // CKKS error plus the platform's noise (sd 1e-3): 1e-2 is 10 sd
    result.scores.forEach((s, i) => expect(Math.abs(s.score - expected[i]!)).toBeLessThan(1e-2));
    // and not trivially: the scores vary
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.5);

    const [run] = await gw.services.database.sql.query<{ actor_id: string; resource: string; details: Record<string, unknown> }>(
      "select actor_id, resource, details from audit_log where action = 'scoring.run' order by seq",
    );
    expect(run).toMatchObject({ actor_id: op.id, resource: `license:${licence}` });
    expect(run!.details).toMatchObject({ licenseId: licence, features: FEATURES, enterpriseCount: 40, missingCount: 3, bias: true, preset: 'ckks-8192' });
    // nothing of the model, the keys or the enterprises in any audit entry
    const sent = body({}, listed);
    const all = JSON.stringify(await gw.services.database.sql.query('select * from audit_log'));
    for (const secret of [sent.publicKey, ...sent.weights, sent.bias!]) expect(all).not.toContain(secret.slice(40, 120));
    for (const u of listed) expect(all).not.toContain(u);
    for (const w of MODEL.weights) expect(all).not.toContain(String(w));
  }, 60_000);

  it('refuses a BFV ciphertext as a weight (422, scheme), and a BFV scheme in params (422)', async () => {
    const bfvWeight = sealBytesToBase64(serializeCiphertext(bfvEncrypt(bfvKeys, [1, 2, 3])));
    const b = body();
    const res = await post({ ...b, weights: [bfvWeight, ...b.weights.slice(1)] });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toMatch(/weights\.0: .*bfv-4096.*ckks-8192/);
    const params = await post(body({ params: { scheme: 'bfv', polyModulusDegree: 8192 } }));
    expect(params.status).toBe(422);
    expect(((await params.json()) as { detail: string }).detail).toMatch(/invalid/);
    const audited = await refusals();
    expect(audited.some((r) => r.details.reason === 'scheme-mismatch' && r.details.field === 'weights.0')).toBe(true);
    expect(audited.some((r) => r.details.reason === 'bad-body')).toBe(true);
  });

  it('refuses a secret key in any field (422) and says to make new keys', async () => {
    const sk = sealBytesToBase64(serializeSealKey(keys.keys, 'secret-key'));
    for (const spoiled of [{ publicKey: sk }, { bias: sk }, { weights: [sk, ...body().weights.slice(1)] }]) {
      const res = await post(body(spoiled));
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toMatch(/secret key.*generate new keys/);
    }
    // SEAL's raw serialization, without the envelope, is recognised too
    const raw = Buffer.from(keys.keys.secretKey!.saveToArray(keys.keys.context.seal.ComprModeType.zstd)).toString('base64');
    const res = await post(body({ publicKey: raw }));
    expect(res.status).toBe(422);
    const audited = (await refusals()).filter((r) => r.details.reason === 'secret-key');
    expect(audited.map((r) => r.details.field)).toEqual(['publicKey', 'bias', 'weights.0', 'publicKey']);
    expect(JSON.stringify(audited)).not.toContain(sk.slice(40, 120));
  });

  it('refuses a field the licence does not grant (403), an unknown or non-numeric feature (422), a dataset it cannot score (403)', async () => {
    const narrow = await post({ ...body(), licenseId: narrowLicence });
    expect(narrow.status).toBe(403);
    const err = await encryptedScore(await client(), { licenseId: narrowLicence, enterprises: enterprises.slice(0, 10), keys, ...MODEL }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const unknown = await encryptedScore(await client(), { licenseId: licence, enterprises: enterprises.slice(0, 10), keys, features: ['legal_persons:turnover'], weights: [1] }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ status: 422, message: expect.stringMatching(/unknown feature legal_persons:turnover/) });
    const text = await encryptedScore(await client(), { licenseId: licence, enterprises: enterprises.slice(0, 10), keys, features: ['legal_persons:name'], weights: [1] }).catch((e: unknown) => e);
    expect(text).toMatchObject({ status: 422, message: expect.stringMatching(/legal_persons:name is not numeric/) });
    const other = await encryptedScore(await client(), { licenseId: licence, enterprises: enterprises.slice(0, 10), keys, features: ['social_insurance:arrears_amount'], weights: [1] }).catch((e: unknown) => e);
    expect(other).toMatchObject({ status: 403 });
    const audited = await refusals();
    expect(audited.filter((r) => r.outcome === 'deny').length).toBeGreaterThanOrEqual(3);
    expect(audited.some((r) => r.details.reason === 'unknown-feature')).toBe(true);
  });

  it('refuses fewer than 5 listed enterprises in the data, however many are listed (422)', async () => {
    const res = await post(body({}, [...enterprises.slice(0, 4), ...outsiders(20)]));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/at least 5 listed enterprises.*4 found/);
    expect((await refusals()).at(-1)!.details).toMatchObject({ reason: 'too-few-enterprises', foundCount: 4, enterpriseCount: 24 });
  });

  it('refuses malformed, truncated and foreign-parameter objects, a wrong weight count, duplicates (422), an oversized body (413)', async () => {
    const b = body();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ weights: ['AAAA', ...b.weights.slice(1)] }, /weights\.0: .*not a serialized SEAL object/],
      [{ weights: [b.weights[0]!.slice(0, 400), ...b.weights.slice(1)] }, /weights\.0: loading ciphertext/],
      [{ publicKey: b.weights[0] }, /publicKey: expected public key but the data holds ciphertext/],
      [{ weights: b.weights.slice(1) }, /weights: 2 ciphertexts for 3 features/],
      [{ galoisKeys: b.publicKey }, /galoisKeys: expected Galois keys/],
      [{ galoisKeys: undefined }, /galoisKeys: the conjugation Galois key \(step 0\) is required/],
      [{ enterprises: [...enterprises.slice(0, 6), enterprises[0]] }, /listed twice/],
    ];
    const small = await createSealContext('ckks-16384');
    const foreign = generateSealKeys(small, { galois: false, relin: false });
    cases.push([{ bias: sealBytesToBase64(encryptCompact(foreign, [1])) }, /bias: .*ckks-16384/]);
    for (const [spoil, message] of cases) {
      const res = await post({ ...b, ...spoil });
      expect(res.status, JSON.stringify(Object.keys(spoil))).toBe(422);
      expect(((await res.json()) as { detail: string }).detail).toMatch(message);
    }
    foreign.delete();
    small.delete();
    const big = await op.request('/operator/scoring', { method: 'POST', headers: { ...(await op.bearer()), 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) }, body: '{}' });
    expect(big.status).toBe(413);
  }, 60_000);

  it('counts runs against the licence quota (429 once used up)', async () => {
    const tight = await grant(['uscc', 'registered_capital'], 1);
    const model = { features: ['legal_persons:registered_capital'], weights: [1] };
    const c = await client();
    await encryptedScore(c, { licenseId: tight, enterprises: enterprises.slice(0, 8), keys, ...model });
    const err = await encryptedScore(c, { licenseId: tight, enterprises: enterprises.slice(0, 8), keys, ...model }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED' });
  }, 60_000);
});
