// The dashboard draws what the tables hold: counts on the bars, per role.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../../store/index.ts';
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
    // the day's column carries its total (3 released + 1 failed) on top
    expect(security).toMatch(/<text[^>]*>4<\/text>/);
    expect(security).toContain('4242');
    expect(security).toContain('近 14 天高危告警');

    const steward = await (await gw.app.request('/console', { headers: { cookie: await cookieOf('steward', PASSWORDS.steward) } })).text();
    expect(steward).toContain('4242');
    expect(steward).not.toContain('隐私预算消耗');
  });
});
