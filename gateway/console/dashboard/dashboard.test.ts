// The dashboard draws what the tables hold: counts on the bars, per role.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPriorityList } from '../../../catalog-open/index.ts';
import { DATASETS } from '../../../data/index.ts';
import { registerDataset, schema } from '../../../store/index.ts';
import { progressYear } from './pages.tsx';
import { createTestGateway, PASSWORDS, type TestGateway } from '../../testing/test-gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

async function cookieOf(username: string, password: string): Promise<string> {
  const res = await gw.app.request('/console/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('dashboard', () => {
  it('charts jobs by outcome and downloads per dataset from the tables, alerts and budget for security only', async () => {
    const db = gw.services.database.db;
    const job = (status: 'succeeded' | 'failed') => ({
      id: randomUUID(), operatorId: 'op-1', licenseId: 'lic-1', datasets: [], code: '', codeSha256: '', params: {}, operation: 'aggregate', status,
    });
    await db.insert(schema.jobs).values([job('succeeded'), job('succeeded'), job('succeeded'), job('failed')]);
    await db.insert(schema.downloadCounts).values({ datasetCode: 'admin_divisions', day: new Date().toISOString().slice(0, 10), format: 'csv', count: 4242 });

    const security = await (await gw.app.request('/console', { headers: { cookie: await cookieOf('security', PASSWORDS.security) } })).text();
    expect(security).toContain('近 14 天作业（按结果）');
    // today's row carries its total (3 released + 1 failed), and each outcome's number in words beside the bar
    const today = new Date().toISOString().slice(0, 10);
    const row = security.slice(security.indexOf(`data-category="${today}"`));
    expect(row).toMatch(/^[^]*?<span class="total">4<\/span>/);
    expect(row).toMatch(/data-series="succeeded"[^]*?<span class="value">3<\/span>/);
    expect(security).toContain('4242');
    expect(security).toContain('近 14 天高危告警');

    const steward = await (await gw.app.request('/console', { headers: { cookie: await cookieOf('steward', PASSWORDS.steward) } })).text();
    expect(steward).toContain('4242');
    expect(steward).not.toContain('隐私预算消耗');
  });
});

describe('the priority-list progress chart', () => {
  it('keeps to this year while next year already has a list, and offers the other years', async () => {
    expect(progressYear([2025, 2026, 2027], '2026-11-30')).toBe(2026);
    expect(progressYear([2025, 2027], '2026-11-30')).toBe(2025);
    expect(progressYear([2027, 2028], '2026-11-30')).toBe(2027);
    expect(progressYear([2025, 2026, 2027], '2026-11-30', 2027)).toBe(2027);
    expect(progressYear([], '2026-11-30')).toBeNull();

    const db = gw.services.database.db;
    const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
    const market = DATASETS.legal_persons.definition;
    await registerDataset(db, market);
    const item = (name: string, plannedDate: string) => ({ theme: '市场监管', name, summary: '摘要', openType: 'unconditional' as const, accessMethods: ['download' as const], formats: ['CSV'], updateCycle: 'monthly' as const, plannedDate, demandSource: '公众' });
    await seedPriorityList(gw.services.database, { year, departmentCode: market.departmentCode, seeder: 'test', items: [item('今年的事项', `${year}-12-31`)] });
    await seedPriorityList(gw.services.database, { year: year + 1, departmentCode: market.departmentCode, seeder: 'test', items: [item('明年的事项', `${year + 1}-06-30`)] });
    const cookie = await cookieOf('steward', PASSWORDS.steward);
    const html = await (await gw.app.request('/console', { headers: { cookie } })).text();
    expect(html).toContain(`年度开放重点清单进度（按部门） · ${year}</figcaption>`);
    expect(html).toContain(`href="/console?year=${year + 1}"`);
    const next = await (await gw.app.request(`/console?year=${year + 1}`, { headers: { cookie } })).text();
    expect(next).toContain(`年度开放重点清单进度（按部门） · ${year + 1}</figcaption>`);
  });
});
