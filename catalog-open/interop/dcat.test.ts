// The DCAT-AP mapping: vocabulary IRIs, typed literals, hydra paging, and conformance to the official shapes.
import { describe, expect, it } from 'vitest';
import { toDcatCatalog, toDcatDataset } from './dcat.ts';
import { sampleEntry } from './testing/fixtures.ts';
import { describeViolations, validateDcatAp } from './testing/shacl.ts';

const info = { base: 'http://portal.test', title: '政务数据开放目录', description: '开放数据', publisher: '省大数据局' };
const EU = 'http://publications.europa.eu/resource/authority';

describe('toDcatDataset', () => {
  it('maps the open attribute, update cycle and formats to the EU vocabularies', () => {
    const node = toDcatDataset(sampleEntry(), info.base) as Record<string, any>;
    expect(node['dct:accessRights']).toEqual({ '@id': `${EU}/access-right/PUBLIC` });
    expect(node['dct:accrualPeriodicity']).toEqual({ '@id': `${EU}/frequency/MONTHLY` });
    expect(node['dct:identifier']).toBe('11330000-0001/000123');
    expect(node['dct:modified']).toEqual({ '@value': '2026-11-01T08:00:00.000Z', '@type': 'xsd:dateTime' });
    const [csv, ndjson] = node['dcat:distribution'];
    expect(csv['dct:format']).toEqual({ '@id': `${EU}/file-type/CSV` });
    expect(csv['dcat:mediaType']).toEqual({ '@id': 'https://www.iana.org/assignments/media-types/text/csv' });
    expect(csv['dcat:downloadURL']).toEqual({ '@id': 'http://portal.test/open/datasets/enterprise_registry/download?format=csv' });
    expect(csv['dcat:byteSize']).toEqual({ '@value': '2048', '@type': 'xsd:nonNegativeInteger' });
    expect(csv['spdx:checksum']['spdx:algorithm']).toEqual({ '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256' });
    expect(ndjson['dcat:mediaType']).toBeUndefined();
  });

  it('conditional data is RESTRICTED and offers no direct download URL; realtime is continuously updated', () => {
    const node = toDcatDataset(sampleEntry({ openType: 'conditional', updateCycle: 'realtime' }), info.base) as Record<string, any>;
    expect(node['dct:accessRights']).toEqual({ '@id': `${EU}/access-right/RESTRICTED` });
    expect(node['dct:accrualPeriodicity']).toEqual({ '@id': `${EU}/frequency/UPDATE_CONT` });
    expect(node['dcat:distribution'][0]['dcat:downloadURL']).toBeUndefined();
    expect(node['dcat:distribution'][0]['dcat:accessURL']).toEqual({ '@id': 'http://portal.test/open/datasets/enterprise_registry' });
  });
});

describe('toDcatCatalog', () => {
  it('pages with a hydra:PartialCollectionView', () => {
    const doc = toDcatCatalog([sampleEntry()], info, { page: 2, pageSize: 1, total: 3 }) as Record<string, any>;
    expect(doc['hydra:totalItems']).toBe(3);
    expect(doc['hydra:view']).toMatchObject({
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': { '@id': 'http://portal.test/open/catalog.jsonld?page=1&pageSize=1' },
      'hydra:previous': { '@id': 'http://portal.test/open/catalog.jsonld?page=1&pageSize=1' },
      'hydra:next': { '@id': 'http://portal.test/open/catalog.jsonld?page=3&pageSize=1' },
      'hydra:last': { '@id': 'http://portal.test/open/catalog.jsonld?page=3&pageSize=1' },
    });
    const lastPage = toDcatCatalog([], info, { page: 3, pageSize: 1, total: 3 }) as Record<string, any>;
    expect(lastPage['hydra:view']['hydra:next']).toBeUndefined();
  });

  it('conforms to DCAT-AP 3.0.1 with all optional parts, and with none of them', async () => {
    const bare = sampleEntry({ code: 'bare', resourceCode: 'X-2', issued: null, description: '', summary: '', keywords: [], temporal: { start: null, end: null }, spatial: null, distributions: [], license: 'local-licence' });
    const named = sampleEntry({ code: 'named', resourceCode: 'X-3', spatial: '杭州市', distributions: sampleEntry().distributions.map((d) => ({ ...d, byteSize: null, checksum: null })) });
    const outcome = await validateDcatAp(toDcatCatalog([sampleEntry(), bare, named], info, { page: 1, pageSize: 10, total: 3 }));
    expect(outcome.conforms, describeViolations(outcome)).toBe(true);
    expect(outcome.violations).toEqual([]);
  });

  it('a dataset without dct:description is a violation (the validator runs)', async () => {
    const doc = toDcatCatalog([sampleEntry()], info, { page: 1, pageSize: 10, total: 1 }) as Record<string, any>;
    delete doc['dcat:dataset'][0]['dct:description'];
    const outcome = await validateDcatAp(doc);
    expect(outcome.conforms).toBe(false);
    expect(outcome.violations.map((v) => [v.constraint, v.path])).toContainEqual(['MinCountConstraintComponent', 'http://purl.org/dc/terms/description']);
  });
});
