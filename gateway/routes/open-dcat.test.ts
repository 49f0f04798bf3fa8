// GET /open/catalog.jsonld against a real catalog: JSON-LD media type, Hydra paging, and conformance to the official
// DCAT-AP 3.0.1 SHACL shapes (zero violations), with a negative case proving the validator runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, validateDcatAp } from '../../catalog-open/interop/testing/shacl.ts';
import { createTestGateway, type TestGateway } from '../testing/test-gateway.ts';
import { seedInteropCatalog } from './interop-seed.ts';

let gw: TestGateway;
type Doc = Record<string, any>;

async function catalog(query = ''): Promise<{ status: number; type: string | null; doc: Doc }> {
  const res = await gw.app.request(`/open/catalog.jsonld${query}`);
  return { status: res.status, type: res.headers.get('content-type'), doc: (await res.json()) as Doc };
}

beforeAll(async () => {
  gw = await createTestGateway();
  await seedInteropCatalog(gw);
});
afterAll(() => gw.close());

describe('GET /open/catalog.jsonld', () => {
  it('is application/ld+json listing the unconditional and conditional datasets only', async () => {
    const { status, type, doc } = await catalog();
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/ld\+json/);
    const ids = doc['dcat:dataset'].map((d: Doc) => d['@id']).sort();
    expect(ids).toEqual(
      ['credit_dishonest', 'enterprise_registry', 'insured_units', 'pct_rates'].map((c) => `http://gateway.test/open/datasets/${c}`),
    );
    expect(doc['hydra:totalItems']).toBe(4);
    const insured = doc['dcat:dataset'].find((d: Doc) => d['@id'].endsWith('insured_units'));
    expect(insured['dct:accessRights']['@id']).toBe('http://publications.europa.eu/resource/authority/access-right/RESTRICTED');
    expect(insured['dct:accrualPeriodicity']['@id']).toBe('http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT');
    expect(insured['dct:identifier']).toBe('330000000000/00002');
    const loaded = doc['dcat:dataset'].find((d: Doc) => d['@id'].endsWith('credit_dishonest'));
    expect(loaded['dcat:distribution'].length).toBeGreaterThan(0);
    // a download is masked per request: no fixed digest describes it, so none is claimed
    expect(loaded['dcat:distribution'][0]['spdx:checksum']).toBeUndefined();
  });

  it('conforms to the official DCAT-AP 3.0.1 SHACL shapes', async () => {
    const { doc } = await catalog();
    const outcome = await validateDcatAp(doc);
    expect(outcome.triples).toBeGreaterThan(100);
    expect(outcome.violations, describeViolations(outcome)).toEqual([]);
    expect(outcome.conforms).toBe(true);
  });

  it('without a mandatory property it does not conform (the validator runs on this document)', async () => {
    const { doc } = await catalog();
    delete doc['dct:publisher'];
    delete doc['dcat:dataset'][0]['dct:title'];
    const outcome = await validateDcatAp(doc);
    expect(outcome.conforms).toBe(false);
    const found = outcome.violations.map((v) => `${v.constraint} ${v.path}`);
    expect(found).toContain('MinCountConstraintComponent http://purl.org/dc/terms/publisher');
    expect(found).toContain('MinCountConstraintComponent http://purl.org/dc/terms/title');
  });

  it('pages with hydra: following next from the first page visits every dataset once', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/open/catalog.jsonld?page=1&pageSize=3';
    let pages = 0;
    while (url && pages < 10) {
      const res = await gw.app.request(url);
      const doc = (await res.json()) as Doc;
      seen.push(...doc['dcat:dataset'].map((d: Doc) => d['@id']));
      expect(doc['hydra:view']['hydra:last']['@id']).toBe('http://gateway.test/open/catalog.jsonld?page=2&pageSize=3');
      url = doc['hydra:view']['hydra:next']?.['@id']?.replace('http://gateway.test', '');
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toHaveLength(4);
    // a page past the last is empty, still a valid catalog
    const past = await catalog('?page=9&pageSize=3');
    expect(past.status).toBe(200);
    expect(past.doc['dcat:dataset']).toEqual([]);
  });

  it('refuses bad paging with 400 naming the parameter', async () => {
    for (const query of ['?page=0', '?pageSize=1001', '?page=x']) {
      const res = await gw.app.request(`/open/catalog.jsonld${query}`);
      expect(res.status, query).toBe(400);
      const problem = (await res.json()) as { issues: { path: string }[] };
      expect(problem.issues[0]?.path).toBe(query.includes('pageSize') ? 'pageSize' : 'page');
    }
  });
});
