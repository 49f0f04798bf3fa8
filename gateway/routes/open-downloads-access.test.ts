// Who may download: not-open data never (404), conditional data only with an approved, unexpired application for
// that dataset (its fields only, audited); a client that goes away mid-download frees the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../policies/index.ts';
import { createDownloadGateway, insertApplication, type DownloadGateway } from './open-downloads.testing.ts';

let gw: DownloadGateway;
beforeAll(async () => {
  // enough rows for several batches, so a cancelled download stops with rows still unread
  gw = await createDownloadGateway(40_000);
});
afterAll(() => gw.close());

const get = (code: string, query = '', headers: Record<string, string> = {}) =>
  gw.app.request(`/open/datasets/${code}/download${query ? `?${query}` : ''}`, { headers });

describe('not open', () => {
  it('answers 404, as for an unknown code, with or without a credential', async () => {
    const res = await get('test_closed');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toBe(((await (await get('no_such')).json()) as { detail: string }).detail);
    const app = await insertApplication(gw, { datasetCode: 'test_closed', fields: ['id'] });
    expect((await get('test_closed', '', app.headers)).status).toBe(404);
  });
});

describe('conditional', () => {
  it('needs a credential (401), the right token (401), approval (403) and time left (403)', async () => {
    expect((await get('test_permits')).status).toBe(401);
    const approved = await insertApplication(gw);
    expect((await get('test_permits', '', { ...approved.headers, 'x-status-token': 'wrong' })).status).toBe(401);
    expect((await get('test_permits', '', { 'x-application-id': 'app_unknown', 'x-status-token': approved.token })).status).toBe(401);
    for (const status of ['pending', 'rejected'] as const) {
      const app = await insertApplication(gw, { status });
      expect((await get('test_permits', '', app.headers)).status).toBe(403);
    }
    const expired = await insertApplication(gw, { expiresAt: new Date(Date.now() - 60_000) });
    const res = await get('test_permits', '', expired.headers);
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain('application-expired');
  });

  it('an application for another dataset does not open this one', async () => {
    const other = await insertApplication(gw, { datasetCode: 'test_registry', fields: ['reg_no'] });
    expect((await get('test_permits', '', other.headers)).status).toBe(403);
  });

  it('an approved application downloads its approved fields, masked, and the download is audited', async () => {
    const app = await insertApplication(gw, { fields: ['permit_no', 'holder'] });
    const res = await get('test_permits', 'format=ndjson', app.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('private');
    const records = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(5);
    expect(Object.keys(records[0]!)).toEqual(['permit_no', 'holder']);
    expect(records[0]!.holder).toBe(maskName('张持有0'));
    expect(JSON.stringify(records)).not.toContain('持有');

    const beyond = await get('test_permits', 'fields=size', app.headers);
    expect(beyond.status).toBe(403);
    expect(await beyond.json()).toMatchObject({ parameter: 'fields', field: 'size' });

    const audit = await gw.testDb.database.sql.query<{ action: string; outcome: string; details: Record<string, unknown> }>(
      `select action, outcome, details from audit_log where details->>'application' = $1 order by seq`,
      [app.id],
    );
    const download = audit.find((e) => e.action === 'open.download');
    expect(download?.details).toMatchObject({ application: app.id, format: 'ndjson', fields: ['permit_no', 'holder'], version: 1 });
    expect(audit.some((e) => e.action === 'authz.download_dataset' && e.outcome === 'allow')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('持有');
  });
});

describe('disconnect', () => {
  it('a client that goes away mid-download frees the cursor, and the database serves the next request', async () => {
    const counted = async () =>
      Number(
        (await gw.testDb.database.sql.query<{ n: string | number }>(`select coalesce(sum(count), 0) as n from download_counts where dataset_code = 'test_registry'`))[0]!.n,
      );
    const before = await counted();
    const res = await get('test_registry', 'format=csv');
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let received = 0;
    while (received < 100_000) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the download ended before it was cut short');
      received += value.length;
    }
    await reader.cancel();

    const database = gw.testDb.database;
    // nothing left open on the server: no cursor in this session (the unnamed portal is this query's own), no
    // transaction or active scan in any session
    expect(Number((await database.sql.query<{ n: string | number }>(`select count(*) as n from pg_cursors where name <> ''`))[0]!.n)).toBe(0);
    if (database.kind === 'postgres') {
      let busy = -1;
      for (let i = 0; i < 50 && busy !== 0; i++) {
        const rows = await database.sql.query<{ n: string | number }>(
          `select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
             and (state like 'idle in transaction%' or (state = 'active' and query like '%test_registry_v1%'))`,
        );
        busy = Number(rows[0]!.n);
        if (busy !== 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(busy).toBe(0);
    }
    const next = await get('test_permits');
    expect(next.status).toBe(401);
    const whole = await get('test_registry', 'format=ndjson&fields=reg_no');
    expect((await whole.text()).trimEnd().split('\n')).toHaveLength(40_000);
    // the cut-short download is not counted, the complete one is
    expect(await counted()).toBe(before + 1);
  });
});
