// The CKAN Action API v3 subset through the real app: envelope, package and organization shapes, a harvester's
// incremental loop, facets, and CKAN's errors for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';
import { LABOUR, MARKET, seedInteropCatalog } from './interop-seed.ts';

let gw: TestGateway;
type Envelope = { help: string; success: boolean; result?: any; error?: { __type: string; message: string; [k: string]: unknown } };

async function action(name: string, params: Record<string, string> = {}): Promise<{ status: number; body: Envelope }> {
  const res = await gw.app.request(`/api/3/action/${name}?${new URLSearchParams(params)}`);
  return { status: res.status, body: (await res.json()) as Envelope };
}
async function result(name: string, params: Record<string, string> = {}) {
  const { status, body } = await action(name, params);
  expect(status, JSON.stringify(body.error)).toBe(200);
  expect(body.success).toBe(true);
  return body.result;
}

const PUBLIC = ['credit_dishonest', 'enterprise_registry', 'insured_units', 'pct_rates'];

beforeAll(async () => {
  gw = await createTestGateway();
  await seedInteropCatalog(gw);
});
afterAll(() => gw.close());

describe('CKAN actions', () => {
  it('status_show and package_list answer in the envelope; not_open datasets are absent', async () => {
    const { body } = await action('status_show');
    expect(body.help).toBe('http://gateway.test/api/3/action/help_show?name=status_show');
    expect(body.result).toMatchObject({ ckan_version: expect.stringMatching(/^2\./), site_url: 'http://gateway.test' });
    expect(await result('package_list')).toEqual(PUBLIC);
    expect(await result('package_list', { limit: '2', offset: '1' })).toEqual(PUBLIC.slice(1, 3));
  });

  it('package_show by name (the dataset code) gives the CKAN package shape', async () => {
    const pkg = await result('package_show', { id: 'enterprise_registry' });
    expect(pkg).toMatchObject({
      id: 'enterprise_registry',
      name: 'enterprise_registry',
      title: '企业登记信息',
      notes: '企业登记信息的登记描述',
      license_id: 'CC-BY-4.0',
      organization: { name: MARKET.departmentCode.toLowerCase(), title: MARKET.department },
      tags: [{ name: '企业' }, { name: '登记' }],
    });
    expect(pkg.metadata_modified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(pkg.extras).toEqual(
      expect.arrayContaining([
        { key: 'open_type', value: 'unconditional' },
        { key: 'grade', value: 'general' },
        { key: 'resource_code', value: '330000000000/00001' },
      ]),
    );
    expect((await result('package_show', { id: '330000000000/00001' })).name).toBe('enterprise_registry');
    const loaded = await result('package_show', { id: 'credit_dishonest' });
    expect(loaded.resources.length).toBeGreaterThan(0);
    expect(loaded.resources[0]).toMatchObject({ format: 'CSV', mimetype: 'text/csv', url: 'http://gateway.test/open/datasets/credit_dishonest/download?format=csv' });
    expect(loaded.resources[0].hash).toBe(''); // masked per request: no fixed digest
    expect(loaded.resources[0].size).toBeNull();
  });

  it('organization_list and organization_show', async () => {
    const names = await result('organization_list', { sort: 'name asc' });
    expect(names).toEqual(expect.arrayContaining([MARKET.departmentCode.toLowerCase(), LABOUR.departmentCode.toLowerCase()]));
    const full = await result('organization_list', { all_fields: 'true' });
    const market = full.find((o: any) => o.title === MARKET.department);
    expect(market).toMatchObject({ name: MARKET.departmentCode.toLowerCase(), package_count: 2, is_organization: true });
    const shown = await result('organization_show', { id: MARKET.departmentCode, include_datasets: 'true' });
    expect(shown.packages.map((p: any) => p.name).sort()).toEqual(['enterprise_registry', 'pct_rates']);
  });

  it('POST with a JSON body works like GET (ckanapi)', async () => {
    const res = await gw.app.request('/api/3/action/package_search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fq: `organization:${LABOUR.departmentCode.toLowerCase()}`, rows: 5 }),
    });
    const body = (await res.json()) as Envelope;
    expect(res.status).toBe(200);
    expect(body.result.results.map((p: any) => p.name)).toEqual(['insured_units']);
  });
});

describe('package_search', () => {
  it('q matches Chinese text; fq organization narrows; facets come in both CKAN shapes', async () => {
    const found = await result('package_search', { q: '企业', 'facet.field': '["organization","tags","res_format"]' });
    expect(found.results.map((p: any) => p.name)).toEqual(['enterprise_registry']);
    expect(found.count).toBe(1);
    const all = await result('package_search', { q: '*:*', 'facet.field': '["organization","res_format"]', rows: '100' });
    expect(all.count).toBe(4);
    const org = all.search_facets.organization;
    expect(org.title).toBe('organization');
    expect(org.items).toContainEqual({ name: MARKET.departmentCode.toLowerCase(), display_name: MARKET.department, count: 2 });
    expect(all.facets.organization[MARKET.departmentCode.toLowerCase()]).toBe(2);
    expect(all.search_facets.res_format.items).toContainEqual({ name: 'CSV', display_name: 'CSV', count: 1 });
    const market = await result('package_search', { fq: `organization:${MARKET.departmentCode.toLowerCase()}` });
    expect(market.results.map((p: any) => p.name).sort()).toEqual(['enterprise_registry', 'pct_rates']);
    const csv = await result('package_search', { fq: 'res_format:CSV' });
    expect(csv.results.map((p: any) => p.name)).toEqual(['credit_dishonest']);
    const tagged = await result('package_search', { fq: 'tags:社保' });
    expect(tagged.results.map((p: any) => p.name)).toEqual(['insured_units']);
  });

  it("a harvester's loop: metadata_modified since X, paged by rows/start, collects every package once", async () => {
    const all = await result('package_search', { q: '*:*', rows: '100', sort: 'metadata_modified asc' });
    const stamps = all.results.map((p: any) => p.metadata_modified);
    // since the second-oldest change: that package and every later one (ties included), none before
    const since = `${stamps[1]}Z`;
    const expected = all.results.filter((p: any) => p.metadata_modified >= stamps[1]).map((p: any) => p.name).sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const collected: string[] = [];
    for (let start = 0; start < 100; start += 2) {
      const page = await result('package_search', { fq: `metadata_modified:[${since} TO *]`, rows: '2', start: String(start), sort: 'metadata_modified asc' });
      expect(page.count).toBe(expected.length);
      if (page.results.length === 0) break;
      collected.push(...page.results.map((p: any) => p.name));
    }
    expect(collected.sort()).toEqual(expected);
    expect(new Set(collected).size).toBe(collected.length);
    for (const name of collected) expect((await result('package_show', { id: name })).name).toBe(name);
    // an exclusive bound past the newest change finds nothing
    const latest = stamps.at(-1);
    expect((await result('package_search', { fq: `metadata_modified:{${latest}Z TO *]` })).count).toBe(0);
  });

  it('field-scoped queries in q and fq: title, name, tags, organization, res_format, groups, with AND / OR / NOT', async () => {
    const names = async (params: Record<string, string>) => (await result('package_search', { rows: '100', ...params })).results.map((p: any) => p.name).sort();
    expect(await names({ q: 'title:企业' })).toEqual(['enterprise_registry']);
    expect(await names({ q: 'tags:社保' })).toEqual(['insured_units']);
    expect(await names({ q: 'name:pct*' })).toEqual(['pct_rates']);
    expect(await names({ q: 'res_format:csv' })).toEqual(['credit_dishonest']);
    expect(await names({ q: `organization:${MARKET.departmentCode.toLowerCase()} AND title:企业` })).toEqual(['enterprise_registry']);
    expect(await names({ q: 'title:企业 OR tags:社保' })).toEqual(['enterprise_registry', 'insured_units']);
    expect(await names({ fq: `organization:${MARKET.departmentCode.toLowerCase()} -name:pct_rates` })).toEqual(['enterprise_registry']);
    expect(await names({ fq: `organization:${LABOUR.departmentCode.toLowerCase()} OR organization:${MARKET.departmentCode.toLowerCase()}`, q: '-title:企业' })).toEqual(['insured_units', 'pct_rates']);
    expect(await names({ fq: 'groups:社会保障' })).toEqual(['insured_units']);
    expect(await names({ q: 'title:人口' })).toEqual([]);
  });

  it('rows over 1000 are clamped, not refused', async () => {
    const { status, body } = await action('package_search', { rows: '5000' });
    expect(status).toBe(200);
    expect(body.result.count).toBe(4);
  });

  it('q with SQL and LIKE metacharacters is plain text', async () => {
    // `_` alone would match every snake_case code as plain text too; `%_` and `\\` occur only in pct_rates' name
    for (const q of ['%', '%_', "' or 1=1 --", '\\', '100%_', '%%']) {
      const { status, body } = await action('package_search', { q });
      expect(status, q).toBe(200);
      const names = body.result.results.map((p: any) => p.name);
      expect(names, q).toEqual(['%', '%_', '\\', '100%_'].includes(q) ? ['pct_rates'] : []);
    }
  });
});

describe('help_show, tag_list, group_list and group_show', () => {
  it('every help link answers: help_show documents each action; an unknown name is a Not Found Error', async () => {
    for (const name of ['package_search', 'package_show', 'status_show', 'tag_list', 'group_list', 'help_show']) {
      const { body } = await action(name, name.endsWith('_show') && name !== 'status_show' && name !== 'help_show' ? { id: 'x' } : {});
      const url = new URL(body.help);
      const help = await gw.app.request(`${url.pathname}${url.search}`);
      expect(help.status, name).toBe(200);
      const doc = (await help.json()) as Envelope;
      expect(doc.result, name).toMatch(/:rtype:/);
    }
    const unknown = await action('help_show', { name: 'package_create' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.__type).toBe('Not Found Error');
  });

  it('tag_list gives the keywords of listed datasets; query narrows', async () => {
    expect(await result('tag_list')).toEqual(['企业', '登记', '社保'].sort());
    expect(await result('tag_list', { query: '企' })).toEqual(['企业']);
    expect((await result('tag_list', { all_fields: 'true' }))[0]).toMatchObject({ name: expect.any(String), vocabulary_id: null });
  });

  it('themes are groups: listed, shown with their packages, and on each package', async () => {
    const groups = await result('group_list', { all_fields: 'true' });
    const social = groups.find((g: any) => g.title === '社会保障');
    expect(social).toMatchObject({ name: expect.stringMatching(/^theme-[0-9a-f]+$/), package_count: 1, is_organization: false, type: 'group' });
    expect(await result('group_list')).toContain(social.name);
    const shown = await result('group_show', { id: social.name, include_datasets: 'true' });
    expect(shown.packages.map((p: any) => p.name)).toEqual(['insured_units']);
    expect((await result('package_show', { id: 'insured_units' })).groups).toEqual([expect.objectContaining({ name: social.name, title: '社会保障' })]);
    expect((await action('group_show', { id: 'theme-00' })).status).toBe(404);
  });
});

describe('CKAN errors', () => {
  it('an unknown id is a Not Found Error with 404', async () => {
    for (const [name, id] of [['package_show', 'nope'], ['package_show', 'secret_registry'], ['organization_show', 'nope']] as const) {
      const { status, body } = await action(name, { id });
      expect(status).toBe(404);
      expect(body.success).toBe(false);
      expect(body.error?.__type).toBe('Not Found Error');
      expect(body.error?.message).toMatch(/^Not found/);
      expect(body.help).toContain(`name=${name}`);
    }
  });

  it('bad rows / start / facet.field / missing id are Validation Errors with 409 naming the parameter', async () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['package_search', { rows: 'ten' }, 'rows', 'Invalid integer'],
      ['package_search', { rows: '-1' }, 'rows', 'Must be a natural number'],
      ['package_search', { start: '-5' }, 'start', 'Must be a natural number'],
      ['package_search', { start: '1.5' }, 'start', 'Invalid integer'],
      ['package_search', { 'facet.field': 'organization' }, 'facet.field', 'Could not parse as valid JSON'],
      ['package_show', {}, 'id', 'Missing value'],
    ];
    for (const [name, params, field, message] of cases) {
      const { status, body } = await action(name, params);
      expect(status, JSON.stringify(params)).toBe(409);
      expect(body.error).toMatchObject({ __type: 'Validation Error', [field]: [message] });
    }
  });

  it('an fq or sort outside the subset is a Search Query Error (400); an unknown action is a bad request (400)', async () => {
    const bad: Record<string, string>[] = [{ fq: 'nosuchfield:x' }, { fq: 'metadata_modified:[yesterday TO *]' }, { sort: 'popularity desc' }, { fq: '(organization:a' }, { q: 'title:"open' }];
    for (const params of bad) {
      const { status, body } = await action('package_search', params);
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body.error?.__type).toBe('Search Query Error');
    }
    const notJson = await gw.app.request('/api/3/action/package_search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{rows: 5' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as Envelope).error?.__type).toBe('Bad Request');
    const huge = await gw.app.request('/api/3/action/package_search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'x'.repeat(100_000) }) });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as Envelope).success).toBe(false);
    const unknown = await action('package_delete', { id: 'enterprise_registry' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.success).toBe(false);
  });
});
