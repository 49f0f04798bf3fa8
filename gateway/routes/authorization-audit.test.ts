// Every Cedar decision is an audit event naming the determining policies; a deny is a 403 that says which.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../data/index.ts';
import { listAudit, registerDataset } from '../../store/index.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
  await registerDataset(gw.services.database.db, DATASETS.population.definition);
});
afterAll(() => gw.close());

describe('authorization decisions', () => {
  it('audits an allow with its permit and a deny with no permit, and answers the deny with 403', async () => {
    const steward = await gw.login('steward', PASSWORDS.steward);
    expect((await gw.app.request('/steward/datasets/population', { headers: steward })).status).toBe(200);
    const denied = await gw.app.request('/security/operators', { headers: steward });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'FORBIDDEN', policies: [] });

    const reads = await listAudit(gw.services.database.db, { action: 'authz.read_dataset_schema' }, { limit: 5 });
    expect(reads.items[0]).toMatchObject({ outcome: 'allow', resource: 'dataset:population', details: { policies: ['staff-reads-dataset-schema'] } });
    const manages = await listAudit(gw.services.database.db, { action: 'authz.manage_whitelist' }, { limit: 5 });
    expect(manages.items[0]).toMatchObject({ outcome: 'deny', actor: { type: 'staff' }, details: { policies: [] } });
  });

  it('lets a steward of another department read but not load a dataset, and says which way it went', async () => {
    const other = await gw.addStaff('health_steward2', 'steward', '卫生健康委员会');
    const load = await gw.app.request('/steward/datasets/population/loads', { method: 'POST', headers: { ...other, 'content-type': 'text/csv' }, body: 'person_id\n' });
    expect(load.status).toBe(403);
    const decisions = await listAudit(gw.services.database.db, { action: 'authz.manage_dataset' }, { limit: 1 });
    expect(decisions.items[0]).toMatchObject({ outcome: 'deny', resource: 'dataset:population' });
  });
});
