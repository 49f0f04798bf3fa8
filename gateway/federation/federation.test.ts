// Three domain nodes in one process — three gateways, three databases, three generated population slices — wired by
// an in-process transport that calls the other apps' app.request(). One runs a federated job as coordinator.
import { Readable } from 'node:stream';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, generatedCsv } from '../../data/index.ts';
import { createIsolatePool, type IsolatePool } from '../../sandbox/execution/index.ts';
import { computePartial, decodeVector, quantizePartial, type LocalPartial, type RoundParams } from '../../sandbox/federation/index.ts';
import { loadDataset, registerDataset } from '../../store/index.ts';
import { createLogger } from '../logger.ts';
import { federationRoutes } from '../routes/federation.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';
import { createTestOperator, type TestOperator } from '../testing/test-operator.ts';
import { createFederationNode, type FederationNode } from './node.ts';
import { createNodeIdentity, generateNodeKey, signMessage } from './node-identity.ts';

const IDS = ['node-a', 'node-b', 'node-c'] as const;
type NodeId = (typeof IDS)[number];
const ROWS: Record<NodeId, number> = { 'node-a': 300, 'node-b': 250, 'node-c': 200 };
const BOUNDS = { lo: 0, hi: 500_000 };
const JOB = {
  dataset: 'population',
  fields: ['sex', 'annual_income'],
  code: 'export function map(c) { return { keys: { sex: c.sex }, measures: { income: c.annual_income } }; }',
  key: 'sex',
  domain: ['男', '女'],
  sum: { measure: 'income', bounds: BOUNDS },
};

interface Node {
  gw: TestGateway;
  node: FederationNode;
  url: string;
  /** the node's true partial of each round, observed inside the node (never on the wire) */
  partials: Map<string, LocalPartial>;
}

let pool: IsolatePool;
const nodes = {} as Record<NodeId, Node>;
let op: TestOperator;
let licenseId: string;
/** every reply that crossed the wire, by round, step and sender */
const wire: { roundId: string; step: string; from: string; body: Record<string, unknown>; requestToken: string }[] = [];
/** requests the "network" drops: host → step */
const outages = new Map<string, string>();

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** the in-process network: a URL's host names the node whose app answers */
async function network(url: string, init: RequestInit): Promise<Response> {
  const u = new URL(url);
  const id = IDS.find((i) => new URL(nodes[i].url).host === u.host);
  if (!id) throw new TypeError('fetch failed: unknown host');
  const [, , , , roundId, step] = u.pathname.split('/');
  if (outages.get(id) === step) throw new TypeError('fetch failed: connection refused');
  const res = await nodes[id].gw.app.request(u.pathname, init);
  if (res.ok) {
    const { token } = (await res.clone().json()) as { token: string };
    const requestToken = (JSON.parse(String(init.body)) as { token: string }).token;
    wire.push({ roundId: roundId!, step: step!, from: id, body: decodeJwt(token).body as Record<string, unknown>, requestToken });
  }
  return res;
}

beforeAll(async () => {
  pool = createIsolatePool({ size: 1 });
  const keys = Object.fromEntries(await Promise.all(IDS.map(async (id) => [id, await generateNodeKey(`${id}-key`)] as const))) as Record<NodeId, Awaited<ReturnType<typeof generateNodeKey>>>;
  for (const id of IDS) {
    const gw = await createTestGateway();
    await registerDataset(gw.services.database.db, DATASETS.population.definition);
    // each node its own province-like slice: another seed, another size
    const csv = await text(generatedCsv('population', ROWS[id], `province-${id}`));
    await loadDataset(gw.services.database, { code: 'population', format: 'csv', body: Readable.from([csv]), loadedBy: 'test' });
    nodes[id] = { gw, node: undefined as unknown as FederationNode, url: `http://${id}.test`, partials: new Map() };
  }
  for (const id of IDS) {
    const n = nodes[id];
    const identity = await createNodeIdentity({
      nodeId: id,
      privateJwk: keys[id].privateJwk,
      peers: IDS.filter((p) => p !== id).map((p) => ({ id: p, url: nodes[p].url, jwks: { keys: [keys[p].publicJwk] } })),
    });
    const secret = new Uint8Array(32).fill(IDS.indexOf(id) + 1);
    const services = n.gw.services;
    n.node = createFederationNode({
      identity,
      services,
      pool,
      pseudonymSecret: secret,
      fetch: network,
      // with three nodes, a dropout leaves the coordinator and ONE other node: the default (2) refuses to unmask such
      // a sum, since the coordinator could subtract its own partial. Lowered here to exercise the t = 2 of 3 dropout;
      // sandbox/federation/protocol.test.ts checks the default refusal.
      minOtherSurvivors: 1,
      computePartial: async (job, roundId) => {
        const p = await computePartial(job, roundId, { database: services.database, policies: services.policies, pool, pseudonymSecret: secret });
        n.partials.set(roundId, p);
        return p;
      },
    });
    federationRoutes(n.gw.app, { config: n.gw.config, logger: createLogger('silent'), services: () => services }, n.node);
  }
  const a = nodes['node-a'].gw;
  const security = await a.login('security', PASSWORDS.security);
  op = await createTestOperator(a, security);
  const granted = await a.app.request(`/security/operators/${op.id}/licenses`, {
    method: 'POST',
    headers: { ...security, 'content-type': 'application/json' },
    body: JSON.stringify({
      scenario: '跨省人口收入统计',
      datasets: [{ code: 'population', fields: ['sex', 'annual_income'], operations: ['federated'] }],
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 86400_000).toISOString(),
      ipAllowlist: ['203.0.113.0/24'],
      // every round is charged (DP by default): room for the rounds of this file
      privacyBudget: { epsilon: 5 },
      maxJobsPerDay: 20,
    }),
  });
  expect(granted.status).toBe(201);
  licenseId = ((await granted.json()) as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await pool?.close();
  for (const id of IDS) await nodes[id]?.gw.close();
});

async function submit(body: Record<string, unknown>) {
  return op.request('/operator/federated-jobs', { method: 'POST', headers: { ...(await op.bearer()), 'content-type': 'application/json' }, body: JSON.stringify({ licenseId, job: JOB, ...body }) });
}

/** plaintext per node straight from its own table: persons per sex (counts are exact; incomes are masked in the job) */
async function plainCounts(id: NodeId): Promise<number[]> {
  const db = nodes[id].gw.services.database;
  const [v] = await db.sql.query<{ physical_table: string }>(`select physical_table from dataset_versions where dataset_code = 'population' and physical_table is not null order by version desc limit 1`);
  const rows = await db.sql.query<{ sex: string; n: string | number }>(`select sex, count(distinct person_id) as n from ${v!.physical_table} group by sex`);
  return JOB.domain.map((s) => Number(rows.find((r) => r.sex === s)?.n ?? 0));
}

async function auditOf(id: NodeId, roundId: string): Promise<{ action: string; outcome: string; details: Record<string, unknown> }[]> {
  const gw = nodes[id].gw;
  await gw.services.audit.flush();
  return gw.services.database.sql.query(`select action, outcome, details from audit_log where resource = $1 order by seq`, [`federated-round:${roundId}`]);
}

const sumOf = (vs: Float64Array[]) => vs.reduce((acc, v) => acc.map((x, i) => x + v[i]!), new Array<number>(vs[0]!.length).fill(0));

describe('a federated job across three nodes', () => {
  it('releases the checked total of all three nodes; the unmasked sum equals the plaintext total', async () => {
    const res = await submit({ nodes: ['node-b', 'node-c'], threshold: 2 });
    expect(res.status).toBe(200);
    const release = (await res.json()) as { roundId: string; outcome: string; survivors: string[]; dropped: string[]; released: { tables: { name: string; cells: { labels: string[]; value: number | null }[] }[] } };
    expect(release.outcome).toBe('release');
    expect(release.survivors).toEqual(['node-a', 'node-b', 'node-c']);
    expect(release.dropped).toEqual([]);
    const partials = IDS.map((id) => nodes[id].partials.get(release.roundId)!);
    const truth = sumOf(partials.map((p) => p.values));
    // counts: the three nodes' plaintext persons per sex (independent of the pipeline)
    const counts = (await Promise.all(IDS.map(plainCounts))).reduce((acc, c) => acc.map((x, i) => x + c[i]!), [0, 0]);
    expect(truth.slice(0, 2)).toEqual(counts);
    expect(counts[0]! + counts[1]!).toBe(ROWS['node-a'] + ROWS['node-b'] + ROWS['node-c']);
    // the released cells are the true totals under DP noise (the default: ε per job of the rules), with intervals
    const count = release.released.tables.find((t) => t.name === 'count')! as unknown as { noise: { sd: number }; cells: { labels: string[]; value: number | null; interval: [number, number] }[] };
    const income = release.released.tables.find((t) => t.name === 'sum')! as unknown as typeof count;
    JOB.domain.forEach((label, i) => {
      expect(count.cells[i]!.labels).toEqual([label]);
      expect(Math.abs(count.cells[i]!.value! - truth[i]!)).toBeLessThanOrEqual(6 * count.noise.sd + 10);
      expect(Math.abs(income.cells[i]!.value! - truth[2 + i]!)).toBeLessThanOrEqual(6 * income.noise.sd + 10);
      expect(count.cells[i]!.interval[0]).toBeLessThanOrEqual(count.cells[i]!.value!);
    });
  }, 60_000);

  it('the test hook sees the exact unmasked sum before disclosure control (via the submission verb)', async () => {
    // the hook is only reachable by calling the verb directly: no route sets it
    const { submitFederatedJob } = await import('../../sandbox/federation/index.ts');
    const a = nodes['node-a'];
    let seen: { totals: Float64Array; survivors: readonly string[] } | undefined;
    const ctx = {
      actor: { type: 'operator' as const, id: op.id, licenses: [licenseId] },
      database: a.gw.services.database,
      requestId: null,
      ip: null,
      authorize: async () => {},
    };
    const release = await submitFederatedJob(ctx as never, { licenseId, job: JOB, nodes: ['node-b', 'node-c'], threshold: 2, privacy: { epsilon: 0.2 } }, {
      nodeId: 'node-a',
      policies: a.gw.services.policies,
      isPeer: (id) => a.node.identity.peers.has(id),
      audit: (e) => a.gw.services.audit.append(e),
      call: a.node.caller,
      testHooks: { unmaskedTotals: (totals, survivors) => (seen = { totals, survivors }) },
    });
    expect(release.outcome).toBe('release');
    expect(release.epsilonSpent).toBeCloseTo(0.2);
    const truth = sumOf(IDS.map((id) => nodes[id].partials.get(release.roundId)!.values));
    expect([...seen!.totals]).toEqual(truth);
    expect(seen!.survivors).toEqual(['node-a', 'node-b', 'node-c']);
    const audit = await auditOf('node-a', release.roundId);
    expect(audit.map((e) => e.action)).toContain('federation.released');
  }, 60_000);

  it('the coordinator only ever receives masked vectors: each differs from the true partial, their sum from the true sum', async () => {
    const res = await submit({ nodes: ['node-b', 'node-c'] });
    const { roundId } = (await res.json()) as { roundId: string };
    const received = wire.filter((w) => w.roundId === roundId && w.step === 'masked-input');
    expect(received.map((w) => w.from).sort()).toEqual(['node-b', 'node-c']);
    const params = { roundId, parties: [...IDS], threshold: 2, bits: 32, job: { ...JOB, params: {}, scale: 1 } } as RoundParams;
    let maskedSum = new Uint32Array(4);
    let trueSum = new Uint32Array(4);
    for (const w of received) {
      const masked = decodeVector(w.body.masked as string);
      const truth = quantizePartial(nodes[w.from as NodeId].partials.get(roundId)!.values, params);
      expect(masked).toHaveLength(truth.length);
      expect([...masked]).not.toEqual([...truth]);
      // no element leaks either (a chance of 2^-32 per element)
      masked.forEach((m, i) => expect(m).not.toBe(truth[i]));
      maskedSum = maskedSum.map((x, i) => (x + masked[i]!) >>> 0);
      trueSum = trueSum.map((x, i) => (x + truth[i]!) >>> 0);
    }
    expect([...maskedSum]).not.toEqual([...trueSum]);
    // nothing else that crossed the wire carries a partial: the other steps hold keys and encrypted shares only
    for (const w of wire.filter((w) => w.roundId === roundId && w.step !== 'masked-input')) expect(JSON.stringify(w.body)).not.toContain('"masked"');
  }, 60_000);

  it('tolerates a node dropping out after sharing keys (t = 2 of 3): the result is the survivors’ sum', async () => {
    outages.set('node-c', 'masked-input');
    let seen: Float64Array | undefined;
    const { submitFederatedJob } = await import('../../sandbox/federation/index.ts');
    const a = nodes['node-a'];
    const ctx = { actor: { type: 'operator' as const, id: op.id, licenses: [licenseId] }, database: a.gw.services.database, requestId: null, ip: null, authorize: async () => {} };
    try {
      const release = await submitFederatedJob(ctx as never, { licenseId, job: JOB, nodes: ['node-b', 'node-c'], threshold: 2 }, {
        nodeId: 'node-a',
        policies: a.gw.services.policies,
        isPeer: (id) => a.node.identity.peers.has(id),
        audit: (e) => a.gw.services.audit.append(e),
        call: a.node.caller,
        testHooks: { unmaskedTotals: (t) => (seen = t) },
      });
      expect(release.survivors).toEqual(['node-a', 'node-b']);
      expect(release.dropped).toEqual(['node-c']);
      const survivors = sumOf(['node-a', 'node-b'].map((id) => nodes[id as NodeId].partials.get(release.roundId)!.values));
      expect([...seen!]).toEqual(survivors);
      // node C computed its partial, but it is not in the total
      expect(nodes['node-c'].partials.has(release.roundId)).toBe(true);
      const coordinator = await auditOf('node-a', release.roundId);
      expect(coordinator.find((e) => e.action === 'federation.dropout')?.details).toMatchObject({ party: 'node-c', step: 'masked-input' });
      expect(coordinator.find((e) => e.action === 'federation.unmasked')?.details).toMatchObject({ survivors: ['node-a', 'node-b'], recovered: ['node-c'] });
      // the survivors revealed shares of C's pairwise key (to remove its masks), never of its self-mask
      const b = await auditOf('node-b', release.roundId);
      expect(b.find((e) => e.action === 'federation.unmask.sent')?.details).toMatchObject({ recoveredKeysOf: ['node-c'] });
    } finally {
      outages.delete('node-c');
    }
  }, 60_000);

  it('refuses a round with too few survivors: nothing released, the failure audited', async () => {
    outages.set('node-b', 'masked-input');
    outages.set('node-c', 'masked-input');
    try {
      const res = await submit({ nodes: ['node-b', 'node-c'], threshold: 2 });
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { code: string; reason: string; have: number; need: number };
      expect(problem).toMatchObject({ reason: 'too-few-parties', have: 1, need: 2 });
      const rounds = await nodes['node-a'].gw.services.database.sql.query<{ resource: string; action: string }>(
        `select resource, action from audit_log where action like 'federation.%' order by seq desc limit 10`,
      );
      const failed = rounds.find((r) => r.action === 'federation.round.failed');
      expect(failed).toBeDefined();
      expect(rounds.filter((r) => r.resource === failed!.resource).map((r) => r.action)).not.toContain('federation.released');
    } finally {
      outages.clear();
    }
  }, 60_000);

  it('every node audits its own steps', async () => {
    const res = await submit({ nodes: ['node-b', 'node-c'] });
    const { roundId } = (await res.json()) as { roundId: string };
    const a = (await auditOf('node-a', roundId)).map((e) => e.action);
    expect(a).toEqual(expect.arrayContaining(['federation.round.started', 'federation.round.joined', 'federation.keys.shared', 'federation.input.sent', 'federation.input.received', 'federation.unmask.sent', 'federation.unmasked', 'federation.released']));
    expect(a.filter((x) => x === 'federation.input.received')).toHaveLength(3);
    for (const id of ['node-b', 'node-c'] as const) {
      const entries = await auditOf(id, roundId);
      expect(entries.map((e) => e.action)).toEqual(['federation.round.joined', 'federation.keys.shared', 'federation.input.sent', 'federation.unmask.sent']);
      // value-free: counts and ids, never a partial
      expect(entries[0]!.details).toMatchObject({ coordinator: 'node-a', rows: ROWS[id], dataset: 'population' });
    }
  }, 60_000);
});

describe('node-to-node messages', () => {
  const post = (id: NodeId, path: string, token: string) =>
    nodes[id].gw.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });

  it('refuses a replayed message', async () => {
    const res = await submit({ nodes: ['node-b', 'node-c'] });
    const { roundId } = (await res.json()) as { roundId: string };
    const sent = wire.find((w) => w.roundId === roundId && w.from === 'node-b' && w.step === 'share-keys')!;
    const again = await post('node-b', `/federation/v1/rounds/${roundId}/share-keys`, sent.requestToken);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { reason: string }).reason).toBe('replayed-message');
    const audit = await auditOf('node-b', roundId);
    expect(audit.at(-1)).toMatchObject({ action: 'federation.message.refused', outcome: 'deny', details: { reason: 'replayed-message' } });
  }, 60_000);

  it('refuses a message signed by an unpinned key, from an unknown node, for another round, or late', async () => {
    const rogue = await generateNodeKey('node-a-key');
    const roundId = 'roundXXXXXXXX';
    const params = { roundId, parties: [...IDS], threshold: 2, bits: 32, job: JOB };
    // claims node-a, signed by a key node-b has not pinned
    const forged = await createNodeIdentity({ nodeId: 'node-a', privateJwk: rogue.privateJwk, peers: [] });
    const bad = await post('node-b', `/federation/v1/rounds/${roundId}/start`, (await signMessage(forged, 'node-b', { roundId, step: 'start', kind: 'request' }, params)).token);
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { reason: string }).reason).toBe('bad-signature');
    expect(nodes['node-b'].partials.has(roundId)).toBe(false);

    const stranger = await createNodeIdentity({ nodeId: 'node-x', privateJwk: rogue.privateJwk, peers: [] });
    const unknown = await post('node-b', `/federation/v1/rounds/${roundId}/start`, (await signMessage(stranger, 'node-b', { roundId, step: 'start', kind: 'request' }, params)).token);
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { reason: string }).reason).toBe('unknown-peer');

    // a genuine message of node-a, posted under another round id
    const a = nodes['node-a'].node.identity;
    const genuine = (await signMessage(a, 'node-b', { roundId, step: 'start', kind: 'request' }, params)).token;
    const moved = await post('node-b', `/federation/v1/rounds/roundYYYYYYYY/start`, genuine);
    expect(moved.status).toBe(409);
    expect(((await moved.json()) as { reason: string }).reason).toBe('wrong-round');

    // for another audience
    const toC = (await signMessage(a, 'node-c', { roundId, step: 'start', kind: 'request' }, params)).token;
    expect((await post('node-b', `/federation/v1/rounds/${roundId}/start`, toC)).status).toBe(401);

    // late: signed two minutes ago, expired one minute ago
    const now = Math.floor(Date.now() / 1000);
    const late = await new SignJWT({ fed: { roundId, step: 'start', kind: 'request' }, body: params })
      .setProtectedHeader({ alg: 'ES256', kid: a.kid, typ: 'fed+jwt' })
      .setIssuer('node-a')
      .setAudience('node-b')
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .setJti('late-1')
      .sign(a.privateKey);
    const lateRes = await post('node-b', `/federation/v1/rounds/${roundId}/start`, late);
    expect(lateRes.status).toBe(401);
    expect(((await lateRes.json()) as { reason: string }).reason).toBe('late-message');

    // genuine and fresh, but malformed: a clear 422, never a 500
    const malformed = await post('node-b', `/federation/v1/rounds/${roundId}/start`, (await signMessage(a, 'node-b', { roundId, step: 'start', kind: 'request' }, { ...params, threshold: 'two' })).token);
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as { reason: string }).reason).toBe('malformed-message');

    // a step of a round node-b never joined
    const stray = (await signMessage(a, 'node-b', { roundId, step: 'masked-input', kind: 'request' }, {})).token;
    const strayRes = await post('node-b', `/federation/v1/rounds/${roundId}/masked-input`, stray);
    expect(strayRes.status).toBe(409);
    expect(((await strayRes.json()) as { reason: string }).reason).toBe('unknown-round');
    const audit = await auditOf('node-b', roundId);
    expect(audit.filter((e) => e.action === 'federation.message.refused').length).toBeGreaterThanOrEqual(6);
  }, 60_000);

  it('refuses an operator whose licence does not grant the federated operation', async () => {
    const res = await op.request('/operator/federated-jobs', {
      method: 'POST',
      headers: { ...(await op.bearer()), 'content-type': 'application/json' },
      body: JSON.stringify({ licenseId: op.licenseId, job: JOB, nodes: ['node-b'] }),
    });
    expect(res.status).toBe(403);
  }, 60_000);

  it('refuses an unknown node and a bad job with clear 4xx', async () => {
    const unknown = await submit({ nodes: ['node-z'] });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { reason: string }).reason).toBe('unknown-node');
    const bad = await op.request('/operator/federated-jobs', {
      method: 'POST',
      headers: { ...(await op.bearer()), 'content-type': 'application/json' },
      body: JSON.stringify({ licenseId, job: { ...JOB, domain: [] }, nodes: ['node-b'] }),
    });
    expect(bad.status).toBe(422);
  }, 60_000);
});

describe('configuration', () => {
  it('reads NODE_ID, FEDERATION_KEY and FEDERATION_PEERS together, and names what is wrong', async () => {
    const { loadConfig } = await import('../config.ts');
    expect(loadConfig({}).federation).toBeNull();
    const key = await generateNodeKey();
    const peers = [{ id: 'node-b', url: 'https://b.example.gov.cn', jwks: { keys: [key.publicJwk] } }];
    const config = loadConfig({ NODE_ID: 'node-a', FEDERATION_KEY: JSON.stringify(key.privateJwk), FEDERATION_PEERS: JSON.stringify(peers) });
    const identity = await createNodeIdentity(config.federation!);
    expect([...identity.peers.keys()]).toEqual(['node-b']);
    expect(() => loadConfig({ NODE_ID: 'node-a' })).toThrow(/set all three or none/);
    expect(() => loadConfig({ NODE_ID: 'node-a', FEDERATION_KEY: '{', FEDERATION_PEERS: '[]' })).toThrow(/FEDERATION_KEY: must be JSON/);
    // a pinned key must be public
    await expect(createNodeIdentity({ nodeId: 'node-a', privateJwk: key.privateJwk, peers: [{ ...peers[0]!, jwks: { keys: [key.privateJwk] } }] })).rejects.toThrow(/peers are invalid/);
  });
});
