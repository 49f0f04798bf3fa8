import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../data/index.ts';
import { registerDataset } from '../store/index.ts';
import { seedDemoCatalog } from './demo-catalog.ts';
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
    expect(first).toEqual({ divisionsLoaded: 3348, entriesCreated: 3 });
    expect(await seedDemoCatalog(gw.services)).toEqual({ divisionsLoaded: 0, entriesCreated: 0 });

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
});
