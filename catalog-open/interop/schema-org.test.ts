// schema.org Dataset mapping: the properties Google Dataset Search reads, and a JSON-LD document that expands.
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { toSchemaOrgDataset } from './schema-org.ts';
import { sampleEntry } from './testing/fixtures.ts';

describe('toSchemaOrgDataset', () => {
  it('names, licenses and distributes an unconditional dataset', () => {
    const doc = toSchemaOrgDataset(sampleEntry(), 'http://portal.test');
    expect(doc).toMatchObject({
      '@type': 'Dataset',
      name: '企业登记信息',
      identifier: '11330000-0001/000123',
      keywords: ['企业', '登记'],
      license: 'https://creativecommons.org/licenses/by/4.0/',
      creator: { '@type': 'GovernmentOrganization', name: '省市场监督管理局' },
      publisher: { '@type': 'GovernmentOrganization' },
      temporalCoverage: '2020-01-01/2026-10-31',
      spatialCoverage: { '@type': 'Place', name: '330000' },
      isAccessibleForFree: true,
      dateModified: '2026-11-01T08:00:00.000Z',
    });
    expect(doc.distribution).toContainEqual({
      '@type': 'DataDownload',
      encodingFormat: 'text/csv',
      contentUrl: 'http://portal.test/open/datasets/enterprise_registry/download?format=csv',
      contentSize: '2048 B',
    });
  });

  it('open-ended coverage and conditional access', () => {
    const doc = toSchemaOrgDataset(sampleEntry({ openType: 'conditional', temporal: { start: '2020-01-01', end: null } }), 'http://portal.test');
    expect(doc.temporalCoverage).toBe('2020-01-01/..');
    expect(doc.distribution).toEqual([]);
  });

  it('is JSON-LD that expands to schema.org terms', async () => {
    const doc = toSchemaOrgDataset(sampleEntry(), 'http://portal.test');
    // the remote schema.org context is not fetched in tests: an inline vocabulary gives the same expansion
    const expanded = await jsonld.expand({ ...doc, '@context': { '@vocab': 'https://schema.org/' } });
    expect(expanded[0]?.['@type']).toEqual(['https://schema.org/Dataset']);
    expect(expanded[0]?.['https://schema.org/name']).toEqual([{ '@value': '企业登记信息' }]);
  });
});
