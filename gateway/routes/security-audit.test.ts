import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, PASSWORDS, type TestGateway } from '../testing/test-gateway.ts';

let gw: TestGateway;
let security: Record<string, string>;
let steward: Record<string, string>;

beforeAll(async () => {
  gw = await createTestGateway();
  security = await gw.login('security', PASSWORDS.security);
  steward = await gw.login('steward', PASSWORDS.steward);
});
afterAll(() => gw.close());

const get = (path: string, headers = security) => gw.app.request(path, { headers });

describe('audit log routes', () => {
  it('records every protected request, and 200 parallel ones keep one valid chain', async () => {
    const before = (await (await get('/security/audit/verify')).json()) as { entries: number };
    const responses = await Promise.all(Array.from({ length: 200 }, () => get('/steward/datasets', steward)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const after = (await (await get('/security/audit/verify')).json()) as { valid: boolean; entries: number; firstInvalidSeq: number | null };
    // the 200 steward requests, the first verify's request entry (written after it answered) and the second
    // verify's authorization decision (written before it counts)
    expect(after.entries - before.entries).toBe(202);
    expect(after).toMatchObject({ valid: true, firstInvalidSeq: null });
  });

  it('lists with filters and a cursor, newest first', async () => {
    const page = (await (await get('/security/audit?action=http.request&limit=5')).json()) as { items: { seq: number; action: string }[]; nextCursor: string };
    expect(page.items).toHaveLength(5);
    expect(page.items.every((e) => e.action === 'http.request')).toBe(true);
    expect(page.items[0]!.seq).toBeGreaterThan(page.items[4]!.seq);
    const next = (await (await get(`/security/audit?action=http.request&limit=5&cursor=${page.nextCursor}`)).json()) as { items: { seq: number }[] };
    expect(next.items[0]!.seq).toBeLessThan(page.items[4]!.seq);
    const denied = (await (await get('/security/audit?outcome=deny')).json()) as { items: unknown[] };
    expect(Array.isArray(denied.items)).toBe(true);
    expect((await get('/security/audit?outcome=maybe')).status).toBe(400);
  });

  it('signs a checkpoint that verification then checks, and accepts it back from outside', async () => {
    const created = await gw.app.request('/security/audit/checkpoints', { method: 'POST', headers: security });
    expect(created.status).toBe(201);
    const checkpoint = (await created.json()) as { size: number; alg: string; signature: string };
    expect(checkpoint.alg).toBe('SM2-SM3');
    const verify = (await (await get('/security/audit/verify')).json()) as { valid: boolean; checkpoint: { size: number } };
    expect(verify.valid).toBe(true);
    expect(verify.checkpoint.size).toBe(checkpoint.size);
    const against = await gw.app.request('/security/audit/verify', { method: 'POST', headers: { ...security, 'content-type': 'application/json' }, body: JSON.stringify(checkpoint) });
    expect(((await against.json()) as { valid: boolean }).valid).toBe(true);
    const forged = await gw.app.request('/security/audit/verify', {
      method: 'POST',
      headers: { ...security, 'content-type': 'application/json' },
      body: JSON.stringify({ ...checkpoint, size: checkpoint.size + 1000 }),
    });
    expect(((await forged.json()) as { valid: boolean }).valid).toBe(false);
  });

  it('exports the filtered log as JSONL and CSV', async () => {
    const jsonl = await get('/security/audit/export?format=jsonl&action=auth.login');
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await jsonl.text()).trim().split('\n').map((l) => JSON.parse(l) as { action: string; hash: string });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.action === 'auth.login' && /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);
    const csv = await (await get('/security/audit/export?format=csv&action=auth.login')).text();
    expect(csv.split('\n')[0]).toContain('seq');
  });

  it('keeps the audit log from stewards, and never records passwords', async () => {
    expect((await get('/security/audit', steward)).status).toBe(403);
    const all = await (await get('/security/audit/export?format=jsonl')).text();
    expect(all).not.toContain(PASSWORDS.steward);
    expect(all).not.toContain(PASSWORDS.security);
  });
});
