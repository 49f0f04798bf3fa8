// The SHACL harness itself: the official shapes load, a minimal DCAT-AP catalog conforms, a broken one does not.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DCAT_AP_SHAPES_PATH, describeViolations, validateDcatAp } from './shacl.ts';

const minimal = {
  '@context': {
    dcat: 'http://www.w3.org/ns/dcat#',
    dct: 'http://purl.org/dc/terms/',
    foaf: 'http://xmlns.com/foaf/0.1/',
  },
  '@id': 'http://example.test/catalog',
  '@type': 'dcat:Catalog',
  'dct:title': { '@value': '示例目录', '@language': 'zh' },
  'dct:description': { '@value': '最小目录', '@language': 'zh' },
  'dct:publisher': { '@id': 'http://example.test/org', '@type': 'foaf:Agent', 'foaf:name': '示例机构' },
  'dcat:dataset': [
    {
      '@id': 'http://example.test/datasets/a',
      '@type': 'dcat:Dataset',
      'dct:title': { '@value': '数据集', '@language': 'zh' },
      'dct:description': { '@value': '摘要', '@language': 'zh' },
      'dcat:distribution': {
        '@id': 'http://example.test/datasets/a/csv',
        '@type': 'dcat:Distribution',
        'dcat:accessURL': { '@id': 'http://example.test/datasets/a' },
      },
    },
  ],
};

describe('DCAT-AP 3.0.1 SHACL harness', () => {
  it('finds the official shapes beside the repo', () => {
    expect(existsSync(DCAT_AP_SHAPES_PATH)).toBe(true);
  });

  it('a minimal catalog conforms', async () => {
    const outcome = await validateDcatAp(minimal);
    expect(outcome.triples).toBeGreaterThan(10);
    expect(outcome.conforms, describeViolations(outcome)).toBe(true);
  });

  it('a dataset without a description and a distribution without an accessURL are violations', async () => {
    const dataset = { ...minimal['dcat:dataset'][0]!, 'dct:description': undefined };
    const broken = {
      ...minimal,
      'dcat:dataset': [{ ...dataset, 'dcat:distribution': { ...dataset['dcat:distribution'], 'dcat:accessURL': undefined } }],
    };
    const outcome = await validateDcatAp(JSON.parse(JSON.stringify(broken)));
    expect(outcome.conforms).toBe(false);
    const paths = outcome.violations.map((v) => `${v.constraint} ${v.path}`);
    expect(paths).toContain('MinCountConstraintComponent http://purl.org/dc/terms/description');
    expect(paths).toContain('MinCountConstraintComponent http://www.w3.org/ns/dcat#accessURL');
  });
});
