import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../data/index.ts';
import { registerDataset } from '../store/index.ts';
import { genericResourceCode, seedDemoCatalog } from './demo-catalog.ts';
import { createTestGateway, type TestGateway } from './testing/test-gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
  await registerDataset(gw.testDb.database.db, DATASETS.credit_dishonest.definition);
  await registerDataset(gw.testDb.database.db, DATASETS.population.definition);
});
afterAll(() => gw.close());

describe('demo catalog seeding', () => {
  it('publishes the real division codes and describes every dataset, once', async () => {
    const first = await seedDemoCatalog(gw.services);
    expect(first).toEqual({ divisionsLoaded: 3348, entriesCreated: 3, skipped: [] });
    expect(await seedDemoCatalog(gw.services)).toEqual({ divisionsLoaded: 0, entriesCreated: 0, skipped: [] });

    const res = await gw.app.request(`/open/datasets?q=${encodeURIComponent('行政区划')}`);
    const page = (await res.json()) as { items: { code: string; theme: string; described: boolean }[] };
    expect(page.items).toEqual([expect.objectContaining({ code: 'admin_divisions', theme: '民政', described: true })]);

    const entry = (await (await gw.app.request('/open/datasets/admin_divisions')).json()) as {
      downloadable: boolean;
      fields: { name: string; masked: boolean }[];
      distributions: { rowCount: number }[];
      quality: { score: number };
      containsPersonalInfo: boolean;
    };
    expect(entry.downloadable).toBe(true);
    expect(entry.fields.map((f) => f.name)).toEqual(['code', 'name', 'full_name', 'level', 'parent_code', 'administrative']);
    expect(entry.fields.every((f) => !f.masked)).toBe(true);
    expect(entry.distributions[0]?.rowCount).toBe(3348);
    expect(entry.containsPersonalInfo).toBe(false);
    expect(entry.quality.score).toBe(100);
    // population is not_open: described for the day it opens, never shown
    expect((await gw.app.request('/open/datasets/population')).status).toBe(404);
  });

  it('describes a dataset whatever its registered metadata: a 60-character name, a department code of any text', async () => {
    const name = '全省城乡居民基本养老保险待遇领取人员按月发放明细及历年调整记录（含补发、暂停、恢复和终止发放情况）';
    expect(name.length).toBeGreaterThan(40);
    await registerDataset(gw.testDb.database.db, { ...DATASETS.social_insurance.definition, code: 'pension_payments_with_a_long_code_name_x', name, departmentCode: '省 人社厅（2024）' });
    expect(await seedDemoCatalog(gw.services)).toEqual({ divisionsLoaded: 0, entriesCreated: 1, skipped: [] });
    // and the start after it does not trip over it either
    expect(await seedDemoCatalog(gw.services)).toEqual({ divisionsLoaded: 0, entriesCreated: 0, skipped: [] });
  });

  it('keeps resource codes within what the catalog accepts', () => {
    expect(genericResourceCode('330000', 'pension_payments')).toBe('330000/pension-payments');
    expect(genericResourceCode('省 人社厅', 'x')).toBe('d-----/x');
    expect(genericResourceCode('1'.repeat(40), 'a'.repeat(48))).toHaveLength(64);
  });
});
