// Encrypted statistics through HTTP: three departments contribute Paillier-encrypted figures, a key custodian (who
// holds the private key here, in the test, as a client would) decrypts only the masked total, the platform releases
// the checked table. Real 2048-bit keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePaillierKeys, paillier, type PaillierKeyPair } from '../../crypto/index.ts';
import { answerDecryptionRequest, encryptContribution, type Figures, type RoundView } from '../../sandbox/encrypted-statistics/index.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';

const TAX = '省税务局';
const HRSS = '省人力资源和社会保障厅';
const MARKET = '省市场监督管理局';
const HEALTH = '省卫生健康委员会';
const OUTSIDER = '省交通运输厅';
const BASE = '/encrypted-statistics/rounds';

let gw: TestGateway;
let keys: PaillierKeyPair;
let custodian: Record<string, string>;
let otherCustodian: Record<string, string>;
const steward: Record<string, Record<string, string>> = {};

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await gw.app.request(path, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function open(options: Record<string, unknown>): Promise<RoundView> {
  const res = await call('POST', BASE, custodian, { publicKey: paillier.serializePublicKey(keys.publicKey), ...options });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as RoundView;
}

const contribute = (round: RoundView, department: string, figures: Figures) =>
  call('POST', `${BASE}/${round.id}/contributions`, steward[department]!, encryptContribution(round, figures));

async function decryptAsCustodian(round: RoundView) {
  const request = await call('GET', `${BASE}/${round.id}/decryption-request`, custodian);
  expect(request.status, JSON.stringify(request.body)).toBe(200);
  return { masked: request.body.maskedTotal as string[], answer: answerDecryptionRequest(keys.privateKey, request.body.maskedTotal as string[]) };
}

async function auditRows(roundId: string) {
  return gw.testDb.database.sql.query<{ action: string; outcome: string; details: Record<string, unknown> }>(
    'select action, outcome, details from audit_log where resource = $1 order by seq',
    [`encrypted-round:${roundId}`],
  );
}

/** Every row of every table as JSON text. */
async function databaseText(): Promise<string> {
  const tables = await gw.testDb.database.sql.query<{ s: string; t: string }>(
    "select table_schema as s, table_name as t from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')",
  );
  const parts: string[] = [];
  for (const { s, t } of tables) {
    const rows = await gw.testDb.database.sql.query<{ j: string }>(`select row_to_json(x)::text as j from "${s}"."${t}" x`);
    parts.push(...rows.map((r) => r.j));
  }
  return parts.join('\n');
}

/** `value` as a whole number in the text (decimal or hex), not as a run of digits inside a longer number or hex string. */
// a short hex form (1105 is 0x451) turns up in any timestamp's milliseconds (".451+00"): only long ones say anything
const holds = (text: string, value: number | bigint) =>
  [value.toString(10), ...(value.toString(16).length >= 5 ? [value.toString(16)] : [])].some((form) => new RegExp(`(?<![0-9a-fA-F])${form}(?![0-9a-fA-F])`).test(text));

beforeAll(async () => {
  gw = await createTestGateway();
  keys = await generatePaillierKeys(2048);
  custodian = await gw.addStaff('custodian-1', 'custodian', null);
  otherCustodian = await gw.addStaff('custodian-2', 'custodian', null);
  for (const [i, department] of [TAX, HRSS, MARKET, HEALTH, OUTSIDER].entries()) steward[department] = await gw.addStaff(`steward-${i}`, 'steward', department);
}, 180_000);

afterAll(async () => {
  await gw?.close();
});

describe('a round without small cells', () => {
  const figures: Record<string, Figures> = {
    [TAX]: { counts: [1201, 2302, 3403], sums: { arrears_yuan: [7310452, 8421563, 9532674] } },
    [HRSS]: { counts: [1105, 2206, 3307], sums: { arrears_yuan: [6209341, 5108239, 4107128] } },
    [MARKET]: { counts: [1009, 2017, 3021], sums: { arrears_yuan: [3106017, 2105906, 1104895] } },
  };
  let round: RoundView;

  it('releases exactly the sum of the three departments’ vectors, and the database never held one of them', async () => {
    round = await open({ title: '欠缴社保企业数与欠缴金额（按区）', departments: [TAX, HRSS, MARKET, HEALTH], grade: 'general-1', cells: ['鼓楼区', '台江区', '仓山区'], sums: ['arrears_yuan'] });
    expect(round.status).toBe('open');
    expect(round.layout).toMatchObject({ vectorLength: 6, ciphertexts: 1 });

    for (const department of [TAX, HRSS, MARKET]) {
      const res = await contribute(round, department, figures[department]!);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const closed = await call('POST', `${BASE}/${round.id}/close`, custodian);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');

    const { answer } = await decryptAsCustodian(round);
    const released = await call('POST', `${BASE}/${round.id}/decryption`, custodian, answer);
    expect(released.status, JSON.stringify(released.body)).toBe(200);

    const sum = (pick: (f: Figures) => readonly number[]) => [0, 1, 2].map((i) => Object.values(figures).reduce((a, f) => a + pick(f)[i]!, 0));
    const counts = sum((f) => f.counts);
    const arrears = sum((f) => f.sums!.arrears_yuan!);
    const [countStat, arrearsStat] = released.body.released.statistics;
    expect(countStat.cells.map((c: { value: number }) => c.value)).toEqual(counts);
    expect(countStat.total.value).toBe(counts.reduce((a, b) => a + b));
    expect(arrearsStat.name).toBe('arrears_yuan');
    expect(arrearsStat.cells.map((c: { value: number }) => c.value)).toEqual(arrears);
    expect(arrearsStat.total.value).toBe(arrears.reduce((a, b) => a + b));
    expect(released.body.released.suppression).toEqual({ primary: 0, secondary: 0 });

    const text = await databaseText();
    for (const f of Object.values(figures)) {
      for (const v of [...f.counts, ...f.sums!.arrears_yuan!]) expect(holds(text, v), `value ${v} stored`).toBe(false);
      // nor the department's packed plaintext
      const packed = paillier.packVector([...f.counts, ...f.sums!.arrears_yuan!], paillier.packingLayout(keys.publicKey.n, 40, 4));
      expect(holds(text, packed[0]!)).toBe(false);
    }
    // the released totals are there, as the check that the scan can find values at all
    expect(holds(text, counts[0]!)).toBe(true);
  }, 120_000);

  it('audits every step, with counts and reasons but no values', async () => {
    const rows = await auditRows(round.id);
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['encrypted_statistics.round.opened', 'encrypted_statistics.round.closed', 'encrypted_statistics.decryption.requested', 'encrypted_statistics.total.decrypted']),
    );
    expect(actions.filter((a) => a === 'encrypted_statistics.contribution.accepted')).toHaveLength(3);
    const decrypted = rows.find((r) => r.action === 'encrypted_statistics.total.decrypted')!;
    expect(decrypted.details).toMatchObject({ vectorLength: 6, ciphertexts: 1, contributions: 3, outcome: 'released', checks: { primary: 0, secondary: 0 } });
    expect(holds(JSON.stringify(rows), 3315)).toBe(false); // 1201 + 1105 + 1009
  });

  it('refuses a late contribution after close (409) and a second decryption', async () => {
    const late = await contribute(round, HEALTH, { counts: [1, 2, 3], sums: { arrears_yuan: [4, 5, 6] } });
    expect(late.status).toBe(409);
    expect(late.body.reason).toBe('round-closed');
    const again = await call('GET', `${BASE}/${round.id}/decryption-request`, custodian);
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('already-released');
    const refused = (await auditRows(round.id)).filter((r) => r.action === 'encrypted_statistics.contribution.refused');
    expect(refused.map((r) => r.details.reason)).toContain('round-closed');
  });

  it('lets invited stewards read the round and its release, not others', async () => {
    expect((await call('GET', `${BASE}/${round.id}`, steward[TAX]!)).status).toBe(200);
    expect((await call('GET', `${BASE}/${round.id}`, steward[OUTSIDER]!)).status).toBe(403);
    expect((await call('GET', `${BASE}/${round.id}`, otherCustodian)).status).toBe(403);
  });
});

describe('a round with a small cell', () => {
  it('withholds the small cell and one more, rounds the rest to 5 (general-3)', async () => {
    const round = await open({ title: 'enterprises in arrears per district', departments: [TAX, HRSS, MARKET], grade: 'general-3', cells: ['A', 'B', 'C', 'D'] });
    const counts = { [TAX]: [1500, 2, 1200, 900], [HRSS]: [1400, 3, 1100, 800], [MARKET]: [1300, 1, 1000, 700] };
    for (const [department, c] of Object.entries(counts)) expect((await contribute(round, department, { counts: c })).status).toBe(201);
    expect((await call('POST', `${BASE}/${round.id}/close`, custodian)).status).toBe(200);
    const { answer } = await decryptAsCustodian(round);
    const res = await call('POST', `${BASE}/${round.id}/decryption`, custodian, answer);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stat = res.body.released.statistics[0];
    // B has 6 contributors (< 10): withheld; D, the smallest other cell, too, so that total − A − C does not give B
    expect(stat.cells).toEqual([
      { label: 'A', value: 4200, withheld: null },
      { label: 'B', value: null, withheld: 'small_cell' },
      { label: 'C', value: 3300, withheld: null },
      { label: 'D', value: null, withheld: 'secondary' },
    ]);
    expect(stat.total).toEqual({ value: 9905, withheld: null }); // 9906 rounded to 5
    const decrypted = (await auditRows(round.id)).find((r) => r.action === 'encrypted_statistics.total.decrypted')!;
    expect(decrypted.details).toMatchObject({ checks: { primary: 1, secondary: 1, withheldCells: 2 } });
  }, 120_000);
});

describe('who may do what, and bad input', () => {
  let round: RoundView;
  beforeAll(async () => {
    round = await open({ title: 'total social-insurance arrears', departments: [TAX, HRSS, MARKET, HEALTH], minDepartments: 4, cells: ['all'], sums: ['arrears_yuan'] });
  }, 60_000);

  const envelope = (c: string[], key = keys.publicKey.keyId) => ({ ciphertexts: { v: 1, scheme: 'paillier', type: 'ciphertexts', key, c } });
  const post = (department: string, body: unknown) => call('POST', `${BASE}/${round.id}/contributions`, steward[department]!, body);

  it('refuses malformed, out-of-range, non-unit, wrong-key and wrong-length ciphertexts with 422 naming the problem', async () => {
    const n = keys.publicKey.n;
    const good = encryptContribution(round, { counts: [12], sums: { arrears_yuan: [34] } }).ciphertexts.c as string[];
    const cases: [unknown, string][] = [
      [envelope(['not-hex']), 'malformed'],
      [envelope([(n * n + 5n).toString(16)]), 'ciphertext-out-of-range'],
      [envelope(['0']), 'ciphertext-out-of-range'],
      [envelope([n.toString(16)]), 'ciphertext-not-unit'],
      [envelope(good, 'ffffffffffffffff'), 'wrong-key'],
      [envelope([...good, ...good]), 'wrong-length'],
      [{ ciphertexts: { ...envelope(good).ciphertexts, scheme: 'seal' } }, 'wrong-scheme'],
      [{ values: [12, 34] }, 'bad-body'],
    ];
    for (const [body, reason] of cases) {
      const res = await post(TAX, body);
      expect(res.status, reason).toBe(422);
      expect(res.body.reason, reason).toBe(reason);
    }
    const refused = (await auditRows(round.id)).filter((r) => r.action === 'encrypted_statistics.contribution.refused');
    expect(refused.map((r) => r.details.reason)).toEqual(cases.map(([, reason]) => reason));
    // nothing was stored
    expect((await call('GET', `${BASE}/${round.id}`, custodian)).body.contributed).toEqual([]);
  }, 60_000);

  it('refuses a key under 2048 bits when a round is opened', async () => {
    const small = JSON.stringify({ v: 1, scheme: 'paillier', type: 'public-key', bits: 1024, n: ((1n << 1023n) + 12345n).toString(16) });
    const res = await call('POST', BASE, custodian, { title: 't', departments: [TAX, HRSS, MARKET], cells: ['x'], publicKey: small });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('key-too-small');
    expect((await call('POST', BASE, steward[TAX]!, { title: 't', departments: [TAX, HRSS, MARKET], cells: ['x'], publicKey: paillier.serializePublicKey(keys.publicKey) })).status).toBe(403);
  });

  it('one contribution per department (409); uninvited stewards and custodians contribute nothing (403)', async () => {
    expect((await contribute(round, TAX, { counts: [1201], sums: { arrears_yuan: [7310452] } })).status).toBe(201);
    const again = await contribute(round, TAX, { counts: [1201], sums: { arrears_yuan: [7310452] } });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('duplicate-contribution');
    expect((await contribute(round, OUTSIDER, { counts: [1], sums: { arrears_yuan: [1] } })).status).toBe(403);
    const byCustodian = await call('POST', `${BASE}/${round.id}/contributions`, custodian, encryptContribution(round, { counts: [1], sums: { arrears_yuan: [1] } }));
    expect(byCustodian.status).toBe(403);
  }, 60_000);

  it('never decrypts the total of fewer than three departments, nor below the round’s minimum', async () => {
    expect((await contribute(round, HRSS, { counts: [1105], sums: { arrears_yuan: [6209341] } })).status).toBe(201);
    for (const res of [await call('POST', `${BASE}/${round.id}/close`, custodian), await call('GET', `${BASE}/${round.id}/decryption-request`, custodian)]) {
      expect(res.status).toBe(403);
      expect(res.body.policies).toEqual(['encrypted-total-needs-three-departments']);
    }
    expect((await contribute(round, MARKET, { counts: [1009], sums: { arrears_yuan: [3106017] } })).status).toBe(201);
    const three = await call('POST', `${BASE}/${round.id}/close`, custodian);
    expect(three.status).toBe(409);
    expect(three.body).toMatchObject({ reason: 'too-few-contributions', contributions: 3, needed: 4 });
    const open = await call('GET', `${BASE}/${round.id}/decryption-request`, custodian);
    expect(open.status).toBe(409);
    expect(open.body.reason).toBe('round-open');
  }, 60_000);

  it('a steward, security or another custodian cannot close or decrypt; nobody fetches one department’s contribution', async () => {
    expect((await contribute(round, HEALTH, { counts: [1303], sums: { arrears_yuan: [2222917] } })).status).toBe(201);
    for (const who of [steward[TAX]!, otherCustodian, await gw.login('security', 'security-password-1')]) {
      expect((await call('POST', `${BASE}/${round.id}/close`, who)).status).toBe(403);
    }
    expect((await call('POST', `${BASE}/${round.id}/close`, custodian)).status).toBe(200);
    for (const who of [steward[TAX]!, steward[HEALTH]!, otherCustodian]) {
      expect((await call('GET', `${BASE}/${round.id}/decryption-request`, who)).status).toBe(403);
      expect((await call('POST', `${BASE}/${round.id}/decryption`, who, { plaintexts: ['1'], randomness: ['1'] })).status).toBe(403);
    }
    // there is no route to one contribution, and the round view carries no ciphertexts
    expect((await call('GET', `${BASE}/${round.id}/contributions/${encodeURIComponent(TAX)}`, custodian)).status).toBe(404);
    const stored = await gw.testDb.database.sql.query<{ c: string[] }>('select ciphertexts as c from encrypted_contributions where round_id = $1', [round.id]);
    expect(stored).toHaveLength(4);
    const view = JSON.stringify((await call('GET', `${BASE}/${round.id}`, custodian)).body);
    const request = JSON.stringify((await call('GET', `${BASE}/${round.id}/decryption-request`, custodian)).body);
    for (const { c } of stored) {
      expect(view).not.toContain(c[0]);
      expect(request).not.toContain(c[0]);
    }
    // what the custodian decrypts is masked: neither the total nor any department's packed vector
    const { answer } = await decryptAsCustodian(round);
    const layout = paillier.packingLayout(keys.publicKey.n, 40, 4);
    const seen = BigInt('0x' + answer.plaintexts[0]!);
    const vectors = [[1201, 7310452], [1105, 6209341], [1009, 3106017], [1303, 2222917], [4618, 18848727]];
    for (const v of vectors) expect(seen).not.toBe(paillier.packVector(v, layout)[0]);
    expect(paillier.unpackVector([seen], layout, 2)).not.toEqual([4618n, 18848727n]);
  }, 60_000);

  it('refuses a decryption that does not match the masked total (422), then releases the right one', async () => {
    const { answer } = await decryptAsCustodian(round);
    const tampered = { ...answer, plaintexts: [(BigInt('0x' + answer.plaintexts[0]!) + 1n).toString(16)] };
    const bad = await call('POST', `${BASE}/${round.id}/decryption`, custodian, tampered);
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('decryption-mismatch');
    const short = await call('POST', `${BASE}/${round.id}/decryption`, custodian, { plaintexts: [], randomness: [] });
    expect(short.status).toBe(422);
    const good = await call('POST', `${BASE}/${round.id}/decryption`, custodian, answer);
    expect(good.status).toBe(200);
    // general-3: rounded to 5
    expect(good.body.released.statistics[0].cells[0].value).toBe(4620);
    expect(good.body.released.statistics[1].cells[0].value).toBe(18848725);
    const refused = (await auditRows(round.id)).filter((r) => r.action === 'encrypted_statistics.decryption.refused' && r.outcome === 'error');
    expect(refused.map((r) => r.details.reason)).toEqual(['decryption-mismatch', 'bad-body']);
  }, 60_000);
});
