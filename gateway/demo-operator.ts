// DEMO: a licensed demo operator whose private key is written to DATA_DIR, so the operator CLI works at once.
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair } from 'jose';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { licenses, operators } from '../store/index.ts';
import { systemContext } from './authorization.ts';
import type { Services } from './context.ts';
import { writeCredentials } from '../sdk/index.ts';
import { grantLicense } from './whitelist/licenses.ts';
import { addOperatorKey, registerOperator } from './whitelist/operators.ts';

/** A valid credit code (GB 32100 check character) reserved for the demo operator. */
export const DEMO_OPERATOR_USCC = '91330106MA2H0DEM0E';

export interface DemoOperator {
  operatorId: string;
  credentialsFile: string;
  /** registered by an earlier start whose key file was lost: it was given a new key, written here */
  rekeyed: boolean;
}

async function newKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicJwk: { ...(await exportJWK(publicKey)), kid }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Registers the demo operator once, never without its key file: the private key is written (under a temporary name)
 * before anything is registered, so an unwritable DATA_DIR stops the step with nothing registered, and it takes its
 * final name as soon as the operator exists. An operator registered by an earlier start whose key file is missing gets
 * a new key, written the same way. The licence follows (and a start that stopped before it grants it on the next
 * start). Returns undefined when operator, key file and licence are all there.
 */
export async function seedDemoOperator(services: Services, options: { dataDir: string; publicUrl: string }): Promise<DemoOperator | undefined> {
  const { database } = services;
  const credentialsFile = join(resolve(options.dataDir), 'demo-operator.json');
  const pending = `${credentialsFile}.pending`;
  // with DATABASE_URL nothing else may have created DATA_DIR (found by store/upgrade/make-fixture.sh)
  await mkdir(resolve(options.dataDir), { recursive: true });
  const ctx = systemContext(services, 'demo-seed');
  const licensed = async (operatorId: string) => {
    const [row] = await database.db.select({ id: licenses.id }).from(licenses).where(eq(licenses.operatorId, operatorId)).limit(1);
    if (!row) await grantDemoLicense(ctx, operatorId);
  };
  const [existing] = await database.db.select({ id: operators.id }).from(operators).where(eq(operators.uscc, DEMO_OPERATOR_USCC));
  if (existing && (await exists(credentialsFile))) {
    await licensed(existing.id);
    return undefined;
  }

  const key = await newKey(existing ? `demo-key-${Date.now()}` : 'demo-key-1');
  const credentials = (operatorId: string) => ({ baseUrl: options.publicUrl, operatorId, privateJwk: key.privateJwk as never });
  await writeCredentials(pending, credentials(existing?.id ?? ''));
  let operatorId: string;
  try {
    if (existing) {
      await addOperatorKey(ctx, existing.id, key.publicJwk);
      operatorId = existing.id;
    } else {
      operatorId = (
        await registerOperator(ctx, {
          name: '示例数据科技有限公司（演示）',
          uscc: DEMO_OPERATOR_USCC,
          contact: { name: '演示联系人', email: 'demo@example.com', phone: '0571-88880000' },
          jwks: { keys: [key.publicJwk] },
        })
      ).id;
    }
    await writeCredentials(pending, credentials(operatorId));
    await rename(pending, credentialsFile);
  } finally {
    await rm(pending, { force: true });
  }
  await licensed(operatorId);
  return { operatorId, credentialsFile, rekeyed: existing !== undefined };
}

async function grantDemoLicense(ctx: ReturnType<typeof systemContext>, operatorId: string): Promise<void> {
  const now = Date.now();
  await grantLicense(ctx, operatorId, {
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
}
