// The demo operator is registered only together with its key file: an unwritable DATA_DIR registers nothing, and an
// operator whose file went missing gets a new key written on the next start.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../data/index.ts';
import { licenses, operatorKeys, operators, registerDataset } from '../store/index.ts';
import { DEMO_OPERATOR_USCC, seedDemoOperator } from './demo-operator.ts';
import { createTestGateway, type TestGateway } from './testing/test-gateway.ts';

let gw: TestGateway;
let dir: string;
beforeAll(async () => {
  gw = await createTestGateway();
  dir = mkdtempSync(join(tmpdir(), 'demo-operator-'));
  // the licence names these datasets (the demo registers them in an earlier step)
  for (const code of ['population', 'health_visits', 'legal_persons', 'social_insurance'] as const) await registerDataset(gw.services.database.db, DATASETS[code].definition);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await gw.close();
});

const demoOperators = () => gw.services.database.db.select({ id: operators.id }).from(operators).where(eq(operators.uscc, DEMO_OPERATOR_USCC));

describe('demo operator seeding', () => {
  it('registers nothing when its key file cannot be written', async () => {
    await expect(seedDemoOperator(gw.services, { dataDir: '/dev/null/no-such-dir', publicUrl: 'http://gateway.test' })).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await demoOperators()).toEqual([]);
  });

  it('registers the operator, licenses it and writes its key (0600) once', async () => {
    const seeded = await seedDemoOperator(gw.services, { dataDir: dir, publicUrl: 'http://gateway.test' });
    expect(seeded).toMatchObject({ rekeyed: false, credentialsFile: join(dir, 'demo-operator.json') });
    const file = JSON.parse(readFileSync(seeded!.credentialsFile, 'utf8')) as { operatorId: string; privateJwk: { kid: string; d: string } };
    expect(file.operatorId).toBe(seeded!.operatorId);
    expect(file.privateJwk.d).toBeTruthy();
    expect(statSync(seeded!.credentialsFile).mode & 0o777).toBe(0o600);
    expect(await seedDemoOperator(gw.services, { dataDir: dir, publicUrl: 'http://gateway.test' })).toBeUndefined();
    expect(await demoOperators()).toHaveLength(1);
  });

  it('gives an operator whose key file is missing a new key, written first', async () => {
    const [{ id }] = (await demoOperators()) as [{ id: string }];
    rmSync(join(dir, 'demo-operator.json'));
    const seeded = await seedDemoOperator(gw.services, { dataDir: dir, publicUrl: 'http://gateway.test' });
    expect(seeded).toMatchObject({ operatorId: id, rekeyed: true });
    const { privateJwk } = JSON.parse(readFileSync(seeded!.credentialsFile, 'utf8')) as { privateJwk: { kid: string } };
    const kids = (await gw.services.database.db.select({ kid: operatorKeys.kid }).from(operatorKeys).where(eq(operatorKeys.operatorId, id))).map((k) => k.kid);
    expect(kids).toContain(privateJwk.kid);
    expect(kids).toHaveLength(2);
    expect(await gw.services.database.db.select().from(licenses).where(eq(licenses.operatorId, id))).toHaveLength(1);
  });
});
