// Group `gateway`: a protected route (JWT verify + staff check + audit append) against the same lookup with none of
// them, and token issuance at /auth/token against signing the same token alone. In-process (app.request), so the
// figures are the gateway's own cost, not the network's. With BENCH_DATABASE_URL: a rate-limit check shared through
// PostgreSQL (what every request pays when gateways share limits) against the same check in this process.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { DATASETS } from '../../data/index.ts';
import { createApp } from '../../gateway/app.ts';
import { bootstrapStaff } from '../../gateway/bootstrap.ts';
import { loadConfig } from '../../gateway/config.ts';
import { SigningKeys } from '../../gateway/identity/signing-keys.ts';
import { createLogger } from '../../gateway/logger.ts';
import { generateSm2KeyPair } from '../../crypto/index.ts';
import { createAuthorizer, loadPolicies } from '../../policies/index.ts';
import { AuditLog, createTestDatabase, getDataset, migrate, openDatabase, registerDataset, type TestDatabase } from '../../store/index.ts';
import { TokenBuckets } from '../../gateway/middleware/rate-limit.ts';
import { SharedBuckets } from '../../gateway/middleware/shared-buckets.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

const CONCURRENCY = 16;
const PASSWORD = 'bench-password-123';
const generous = { rate: 1e9, burst: 1e9 };

/** Runs `n` calls of `fn`, CONCURRENCY at a time; returns calls per second. */
async function rate(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return n / ((performance.now() - start) / 1000);
}

async function expectOk(res: Response | Promise<Response>) {
  const r = await res;
  if (r.status >= 300) throw new Error(`bench request failed with ${r.status}`);
  await r.arrayBuffer();
}

export const gatewayGroup: BenchGroup = {
  name: 'gateway',
  async setup(options) {
    const n = Math.max(200, Math.round(3000 * options.scale));
    const database = await openDatabase({});
    await migrate(database);
    await registerDataset(database.db, DATASETS.population.definition);
    const keys = new SigningKeys(database.db);
    await keys.ensureKey();
    await bootstrapStaff(database, { dataDir: '/nonexistent', passwords: { security: PASSWORD, steward: PASSWORD } });
    const checkpointKey = generateSm2KeyPair();
    const services = { database, keys, audit: new AuditLog(database), policies: loadPolicies(), authorizer: createAuthorizer(), checkpointKey: async () => checkpointKey };
    const config = loadConfig({ PUBLIC_URL: 'http://bench.local' });
    const app = createApp({ config, logger: createLogger('silent'), services: () => services, rateLimits: { perIp: generous, perPrincipal: generous, auth: generous } });
    const login = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'steward', password: PASSWORD }) });
    const { access_token } = (await login.json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${access_token}` };

    // the same lookup as the protected route, with no authentication, authorization or audit
    const bare = new Hono().get('/bare/:code', async (c) => c.json(await getDataset(database.db, c.req.param('code'))));

    // an operator for /auth/token: registered with a licence admitting the bench's (unknown) address is impossible,
    // so it is admitted from 127.0.0.1 as a real client on loopback would be
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const security = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'security', password: PASSWORD }) });
    const securityBearer = { authorization: `Bearer ${((await security.json()) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
    const reg = await app.request('/security/operators', { method: 'POST', headers: securityBearer, body: JSON.stringify({ name: '压测公司', uscc: '91350100M000100Y43', contact: { name: 'b', email: 'b@example.com', phone: '0571-88880000' }, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench' }] } }) });
    const operatorId = ((await reg.json()) as { id: string }).id;
    await expectOk(app.request(`/security/operators/${operatorId}/licenses`, { method: 'POST', headers: securityBearer, body: JSON.stringify({ scenario: '压测', datasets: [{ code: 'population', fields: ['sex'], operations: ['aggregate'] }], validFrom: new Date(Date.now() - 60_000).toISOString(), validTo: new Date(Date.now() + 86400_000).toISOString(), ipAllowlist: ['127.0.0.1/32'], privacyBudget: { epsilon: 1 }, maxJobsPerDay: 10 }) }));
    const assertion = () =>
      new SignJWT({ jti: randomUUID() }).setProtectedHeader({ alg: 'ES256', kid: 'bench' }).setIssuer(operatorId).setSubject(operatorId).setAudience('http://bench.local/auth/token').setIssuedAt().setExpirationTime('2m').sign(privateKey);
    const loopback = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };

    const cases: BenchCase[] = [
      {
        name: 'protected GET /steward/datasets/{code}',
        unit: 'requests/s',
        baselineName: 'the same lookup, no auth or audit',
        run: () => rate(n, () => expectOk(app.request('/steward/datasets/population', { headers: bearer }))),
        baseline: () => rate(n, () => expectOk(bare.request('/bare/population'))),
      },
      {
        name: 'token issuance POST /auth/token',
        unit: 'tokens/s',
        baselineName: 'ES256 signing of the token alone',
        async run() {
          const assertions = await Promise.all(Array.from({ length: Math.round(n / 4) }, assertion));
          return rate(assertions.length, (i) =>
            expectOk(app.request('/auth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertions[i]! }).toString() }, loopback)),
          );
        },
        async baseline() {
          const { key, kid } = await keys.signingKey();
          return rate(Math.round(n / 4), () => new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'ES256', kid }).setSubject(operatorId).setIssuedAt().setExpirationTime('15m').sign(key));
        },
      },
    ];
    let shared: TestDatabase | undefined;
    if (options.postgresUrl) {
      shared = await createTestDatabase({ adminUrl: options.postgresUrl });
      const buckets = new SharedBuckets(shared.database);
      const rule = { rate: 1e6, burst: 1e6 };
      const local = new TokenBuckets(rule);
      // one per-address bucket and, every other request, a principal's: what a request takes
      const ip = (i: number) => `198.51.100.${i % 250}`;
      cases.push({
        name: 'rate-limit check, buckets shared through PostgreSQL',
        unit: 'checks/s',
        baselineName: 'the same check in this process',
        run: () => rate(n, (i) => buckets.take([{ bucket: 'ip', key: ip(i), rule }])),
        baseline: () => rate(n, async (i) => local.take(ip(i))),
      });
    }
    return {
      cases,
      async cleanup() {
        await services.audit.close();
        await database.close();
        await shared?.drop();
      },
    };
  },
};
