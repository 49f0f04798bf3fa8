// DEMO: a licensed demo operator whose private key is written to DATA_DIR, so the operator CLI works at once.
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair } from 'jose';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { operators } from '../store/index.ts';
import { systemContext } from './authorization.ts';
import type { Services } from './context.ts';
import { writeCredentials } from '../sdk/index.ts';
import { grantLicense } from './whitelist/licenses.ts';
import { registerOperator } from './whitelist/operators.ts';

/** A valid credit code (GB 32100 check character) reserved for the demo operator. */
export const DEMO_OPERATOR_USCC = '91330106MA2H0DEM0E';

export interface DemoOperator {
  operatorId: string;
  credentialsFile: string;
}

/** Registers the demo operator and its licence once; returns undefined when it already exists. */
export async function seedDemoOperator(services: Services, options: { dataDir: string; publicUrl: string }): Promise<DemoOperator | undefined> {
  const { database } = services;
  const [existing] = await database.db.select({ id: operators.id }).from(operators).where(eq(operators.uscc, DEMO_OPERATOR_USCC));
  if (existing) return undefined;
  // with DATABASE_URL nothing else creates DATA_DIR: without this the key file could not be written after the operator
  // was registered, and the start failed (found by store/upgrade/make-fixture.sh)
  await mkdir(resolve(options.dataDir), { recursive: true });
  const ctx = systemContext(services, 'demo-seed');
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'demo-key-1';
  const operator = await registerOperator(ctx, {
    name: '示例数据科技有限公司（演示）',
    uscc: DEMO_OPERATOR_USCC,
    contact: { name: '演示联系人', email: 'demo@example.com', phone: '0571-88880000' },
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid }] },
  });
  const now = Date.now();
  await grantLicense(ctx, operator.id, {
    scenario: '演示：居民收入与就医负担分析',
    datasets: [
      { code: 'population', fields: ['sex', 'birth_date', 'region_code', 'education', 'employment_status', 'annual_income'], operations: ['aggregate', 'model'] },
      { code: 'health_visits', fields: ['visit_date', 'hospital_level', 'diagnosis_category', 'visit_type', 'total_cost', 'region_code'], operations: ['aggregate'] },
      // the examples/ models: enterprise survival, and social-insurance arrears risk
      { code: 'legal_persons', fields: ['industry_code', 'established_date', 'status', 'region_code', 'registered_capital', 'employee_count'], operations: ['aggregate', 'model'] },
      { code: 'social_insurance', fields: ['contribution_base', 'employer_amount', 'personal_amount', 'arrears_amount', 'insurance_type', 'period'], operations: ['aggregate', 'model'] },
    ],
    validFrom: new Date(now - 86400_000).toISOString(),
    validTo: new Date(now + 365 * 86400_000).toISOString(),
    ipAllowlist: ['127.0.0.0/8', '::1/128'],
    privacyBudget: { epsilon: 10 },
    maxJobsPerDay: 100,
  });
  const credentialsFile = join(resolve(options.dataDir), 'demo-operator.json');
  await writeCredentials(credentialsFile, {
    baseUrl: options.publicUrl,
    operatorId: operator.id,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } as never,
  });
  return { operatorId: operator.id, credentialsFile };
}
