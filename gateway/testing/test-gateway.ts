// A gateway on a fresh test database with known staff passwords, for route tests through app.request().
import { generateSm2KeyPair } from '../../crypto/index.ts';
import { createAuthorizer, loadPolicies } from '../../policies/index.ts';
import { AuditLog, createTestDatabase, type TestDatabase } from '../../store/index.ts';
import { createApp, type App } from '../app.ts';
import { bootstrapStaff } from '../bootstrap.ts';
import { loadConfig, type Config } from '../config.ts';
import type { Services } from '../context.ts';
import { SigningKeys } from '../identity/signing-keys.ts';
import { createLogger } from '../logger.ts';
import { createStaffAccount, type StaffRole } from '../identity/staff.ts';

export const PASSWORDS = { security: 'security-password-1', steward: 'steward-password-1' } as const;

export interface TestGateway {
  app: App;
  config: Config;
  services: Services;
  testDb: TestDatabase;
  /** a bearer header for a freshly signed-in staff account */
  login(username: string, password: string): Promise<Record<string, string>>;
  addStaff(username: string, role: StaffRole, department: string | null): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** `publicUrl`: the gateway's external URL (token issuer); default http://gateway.test, set it when serving on a real port. */
export async function createTestGateway(options: { publicUrl?: string } = {}): Promise<TestGateway> {
  const testDb = await createTestDatabase();
  const config = loadConfig({ DATA_DIR: '/nonexistent', PUBLIC_URL: options.publicUrl ?? 'http://gateway.test' });
  const keys = new SigningKeys(testDb.database.db);
  await keys.ensureKey();
  const checkpointKey = generateSm2KeyPair();
  const services: Services = { database: testDb.database, keys, audit: new AuditLog(testDb.database), policies: loadPolicies(), authorizer: createAuthorizer(), checkpointKey: async () => checkpointKey };
  await bootstrapStaff(testDb.database, { dataDir: '/nonexistent', passwords: PASSWORDS });
  // route tests sign in many times from one (unknown) address; rate limits have their own test with tight rules
  const generous = { rate: 10_000, burst: 10_000 };
  const app = createApp({
    config,
    logger: createLogger('silent'),
    services: () => services,
    rateLimits: { perIp: generous, perPrincipal: generous, auth: generous },
  });

  async function login(username: string, password: string) {
    const res = await app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login failed with ${res.status}`);
    const { access_token } = (await res.json()) as { access_token: string };
    return { authorization: `Bearer ${access_token}` };
  }

  return {
    app,
    config,
    services,
    testDb,
    login,
    async addStaff(username, role, department) {
      const password = `${username}-password-1`;
      await createStaffAccount(testDb.database.db, { username, password, role, department });
      return login(username, password);
    },
    close: () => testDb.drop(),
  };
}
