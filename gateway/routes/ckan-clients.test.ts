// Interop: the CKAN API driven over real HTTP exactly as ckanapi's RemoteCKAN and ckanext-harvest's CKANHarvester
// drive it (gateway/testing/ckan-clients.ts): their paths, POST JSON bodies, GET encodings, paging and fq terms.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDataset } from '../../store/index.ts';
import type { App } from '../app.ts';
import { CkanApiError, CkanHarvester, RemoteCKAN, type Json } from '../testing/ckan-clients.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';
import { LABOUR, MARKET, seedInteropCatalog } from './interop-seed.ts';

let gw: TestGateway;
let server: ServerType;
let base: string;
/** beyond the harvester's page of 100, so its paging runs for real */
const EXTRA = 205;
const market = MARKET.departmentCode.toLowerCase();
const labour = LABOUR.departmentCode.toLowerCase();

beforeAll(async () => {
  let app: App | undefined;
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req, env) => app!.fetch(req, env), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gw = await createTestGateway({ publicUrl: base });
  app = gw.app;
  await seedInteropCatalog(gw);
  for (let i = 0; i < EXTRA; i++) {
    await registerDataset(gw.testDb.database.db, {
      code: `bulk_${String(i).padStart(3, '0')}`,
      name: `批量数据集${i}`,
      description: `第${i}个批量登记的数据集`,
      ...LABOUR,
      sourceSystem: '业务系统',
      updateCycle: 'yearly',
      grade: 'general',
      openType: i % 10 === 0 ? 'not_open' : 'unconditional',
      fields: [{ name: 'code', type: 'string', description: '编码', sensitivity: 'none' }],
    });
  }
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await gw?.close();
});

const LISTED = 4 + EXTRA - Math.ceil(EXTRA / 10);

describe('ckanapi RemoteCKAN', () => {
  it('posts JSON to /api/action/<name> and gets results back, Chinese included', async () => {
    const ckan = new RemoteCKAN(base);
    const status = (await ckan.callAction('status_show')) as { ckan_version: string };
    expect(status.ckan_version).toMatch(/^2\.\d+/);
    const found = (await ckan.callAction('package_search', { q: 'title:企业', rows: 5 })) as { count: number; results: { name: string }[] };
    expect(found.results.map((p) => p.name)).toEqual(['enterprise_registry']);
    const sent = ckan.requests[1]!;
    expect(sent).toMatchObject({ method: 'POST', url: `${base}/api/action/package_search`, contentType: 'application/json' });
    // as Python's json.dumps writes it: ASCII only
    expect(sent.body).toBe('{"q": "title:\\u4f01\\u4e1a", "rows": 5}');
    expect(await ckan.callAction('group_list')).toEqual(expect.arrayContaining([expect.stringMatching(/^theme-/)]));
    expect(await ckan.callAction('tag_list')).toContain('企业');
    expect(await ckan.callAction('organization_list')).toEqual(expect.arrayContaining([market, labour]));
  });

  it('`ckanapi search datasets` pages with start until an empty page, and sees every listed package once', async () => {
    const ckan = new RemoteCKAN(base);
    const all = (await ckan.searchDatasets({ q: '*:*' })) as { name: string }[];
    expect(all).toHaveLength(LISTED);
    expect(new Set(all.map((p) => p.name)).size).toBe(LISTED);
    expect(all.some((p) => p.name === 'bulk_000' || p.name === 'secret_registry')).toBe(false); // not_open
    // the user's own rows: one call
    const some = (await ckan.searchDatasets({ fq: `organization:${market}`, rows: 1 })) as { name: string }[];
    expect(some).toHaveLength(1);
  });

  it('`ckanapi dump datasets --all`: package_list with its flags, then package_show of each', async () => {
    const ckan = new RemoteCKAN(base);
    const dumped = (await ckan.dumpDatasets()) as { name: string; resources: unknown[] }[];
    expect(dumped).toHaveLength(LISTED);
    expect(ckan.requests[0]!.body).toBe('{"include_private": false, "include_drafts": false, "include_deleted": false}');
  });

  it('with get_only, a GET whose lists repeat the key and whose booleans read True', async () => {
    const ckan = new RemoteCKAN(base, { getOnly: true });
    const result = (await ckan.callAction('package_search', { q: 'tags:社保', 'facet.field': ['organization', 'groups'], rows: 10 })) as {
      results: { name: string }[];
      facets: Record<string, Record<string, number>>;
    };
    expect(ckan.requests[0]!.url).toContain('facet.field=organization&facet.field=groups');
    expect(result.results.map((p) => p.name)).toEqual(['insured_units']);
    expect(result.facets.organization).toEqual({ [labour]: 1 });
    expect(Object.values(result.facets.groups!)).toEqual([1]);
    const org = (await ckan.callAction('organization_show', { id: market, include_datasets: true })) as { packages: unknown[] };
    expect(org.packages).toHaveLength(2);
  });

  it('errors come back as the exceptions ckanapi raises', async () => {
    const ckan = new RemoteCKAN(base);
    const caught = async (p: Promise<Json>) => p.then(() => null, (err: unknown) => err as CkanApiError);
    expect(await caught(ckan.callAction('package_show', { id: 'no_such' }))).toMatchObject({ kind: 'NotFound' });
    expect(await caught(ckan.callAction('package_search', { q: 'popularity:9' }))).toMatchObject({ kind: 'SearchQueryError' });
    expect(await caught(ckan.callAction('package_search', { rows: -1 }))).toMatchObject({ kind: 'ValidationError', detail: { rows: ['Must be a natural number'] } });
    expect(await caught(ckan.callAction('help_show', { name: 'package_create' }))).toMatchObject({ kind: 'NotFound' });
    expect(ckan.requests.every((r) => r.url.includes('/api/action/'))).toBe(true);
  });
});

describe('ckanext-harvest CKANHarvester', () => {
  it('gathers every package in pages of 100 sorted by id, then looks up organizations and groups', async () => {
    const harvester = new CkanHarvester(base);
    const pkgs = await harvester.searchForDatasets();
    expect(pkgs).toHaveLength(LISTED);
    expect(new Set(pkgs.map((p) => p.id)).size).toBe(LISTED);
    expect(pkgs.map((p) => p.id)).toEqual([...pkgs.map((p) => p.id)].sort());
    // 3 full-or-partial pages and the empty one that ends the loop
    expect(harvester.urls).toHaveLength(Math.ceil(LISTED / 100) + 1);
    expect(harvester.urls[1]).toContain('rows=100&start=100&sort=id+asc');
    const org = (await harvester.getOrganization(pkgs[0]!.organization!.name)) as { name: string; package_count: number };
    expect(org.name).toBe(pkgs[0]!.organization!.name);
    const group = (await harvester.getGroup(pkgs.find((p) => p.name === 'insured_units')!.groups[0]!.name)) as { title: string };
    expect(group.title).toBe('社会保障');
  });

  it('honours its fq terms: organizations ORed, excluded ones, and changes since the last run', async () => {
    const include = new CkanHarvester(base);
    const both = await include.searchForDatasets(CkanHarvester.fqTerms({ organizationsFilterInclude: [market, 'no-such-org'] }));
    expect(both.map((p) => p.name).sort()).toEqual(['enterprise_registry', 'pct_rates']);
    const exclude = await new CkanHarvester(base).searchForDatasets(CkanHarvester.fqTerms({ organizationsFilterExclude: [labour] }));
    expect(exclude.map((p) => p.name).sort()).toEqual(['credit_dishonest', 'enterprise_registry', 'pct_rates']);
    // a run an hour from now asks for changes since "now" (the harvester goes back an hour): nothing is that new
    const later = new CkanHarvester(base);
    expect(await later.searchForDatasets(CkanHarvester.fqTerms({ since: new Date(Date.now() + 2 * 3600_000) }))).toEqual([]);
    expect(later.urls[0]).toMatch(/fq=metadata_modified%3A%5B\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d(\.\d{6})?Z\+TO\+%2A%5D/);
    const recent = await new CkanHarvester(base).searchForDatasets(CkanHarvester.fqTerms({ since: new Date(Date.now() - 3600_000) }));
    expect(recent).toHaveLength(LISTED);
  });
});
