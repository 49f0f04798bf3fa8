// A registered, licensed operator with a real key pair, and helpers to sign client assertions as it would.
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { DATASETS } from '../../data/index.ts';
import { getDataset, registerDataset } from '../../store/index.ts';
import type { TestGateway } from './test-gateway.ts';

/** The address test requests come from, inside the licence's allowlist. */
export const OPERATOR_IP = '203.0.113.7';
export const VALID_USCC = '91350100M000100Y43';

export interface TestOperator {
  id: string;
  licenseId: string;
  kid: string;
  privateKey: CryptoKey;
  /** a signed client assertion; `claims` and `header` override the defaults */
  assertion(options?: { claims?: Record<string, unknown>; header?: Record<string, unknown>; expiresIn?: string; key?: CryptoKey }): Promise<string>;
  /** POST /auth/token with a form, from `ip` */
  tokenRequest(form: Record<string, string>, ip?: string): Promise<Response>;
  /** a fresh access token as a bearer header */
  bearer(): Promise<Record<string, string>>;
  /** a request as this operator's network (the socket address the gateway sees) */
  request(path: string, init?: RequestInit, ip?: string): Promise<Response>;
}

/** What the operator's licence grants (default: population sex, birth_date, region_code, annual_income; aggregate; ε 5). */
export interface TestLicence {
  datasets?: { code: string; fields: string[]; operations: string[] }[];
  epsilon?: number;
  maxJobsPerDay?: number;
}

export async function createTestOperator(gw: TestGateway, security: Record<string, string>, uscc = VALID_USCC, licence: TestLicence = {}): Promise<TestOperator> {
  if (!(await getDataset(gw.services.database.db, 'population').catch(() => undefined))) {
    await registerDataset(gw.services.database.db, DATASETS.population.definition);
  }
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `k-${randomUUID().slice(0, 8)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid };
  const post = (path: string, body: unknown) =>
    gw.app.request(path, { method: 'POST', headers: { ...security, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = await post('/security/operators', {
    name: '某某数据科技有限公司',
    uscc,
    contact: { name: '张三', email: 'ops@example.com', phone: '+86-571-88880000' },
    jwks: { keys: [jwk] },
  });
  if (registered.status !== 201) throw new Error(`operator registration failed: ${registered.status} ${await registered.text()}`);
  const { id } = (await registered.json()) as { id: string };
  const granted = await post(`/security/operators/${id}/licenses`, {
    scenario: '普惠金融小微企业信用评估',
    datasets: licence.datasets ?? [{ code: 'population', fields: ['sex', 'birth_date', 'region_code', 'annual_income'], operations: ['aggregate'] }],
    validFrom: new Date(Date.now() - 3600_000).toISOString(),
    validTo: new Date(Date.now() + 30 * 86400_000).toISOString(),
    ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'],
    privacyBudget: { epsilon: licence.epsilon ?? 5 },
    maxJobsPerDay: licence.maxJobsPerDay ?? 20,
  });
  if (granted.status !== 201) throw new Error(`licence grant failed: ${granted.status} ${await granted.text()}`);
  const { id: licenseId } = (await granted.json()) as { id: string };
  const tokenEndpoint = `${gw.config.publicUrl}/auth/token`;
  const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

  const operator: TestOperator = {
    id,
    licenseId,
    kid,
    privateKey,
    async assertion(options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const lifetime = Number.parseInt(options.expiresIn ?? '120', 10) * (options.expiresIn?.endsWith('m') ? 60 : 1);
      // claims given by the test win over these defaults
      const claims = { iss: id, sub: id, aud: tokenEndpoint, iat: now, exp: now + lifetime, jti: randomUUID(), ...options.claims };
      return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, ...options.header }).sign(options.key ?? privateKey);
    },
    async tokenRequest(form, ip = OPERATOR_IP) {
      return gw.app.request(
        '/auth/token',
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() },
        env(ip),
      );
    },
    async bearer() {
      const res = await operator.tokenRequest({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await operator.assertion(),
      });
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      return { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
    },
    async request(path, init = {}, ip = OPERATOR_IP) {
      return gw.app.request(path, init, env(ip));
    },
  };
  return operator;
}
