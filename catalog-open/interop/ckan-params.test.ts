// CKAN parameter parsing: Solr-style fq subset, sort, facet.field, natural numbers and the rows clamp.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { parseFq, parsePackageSearch, parseSort, solrDate } from './ckan-params.ts';

const now = new Date('2026-11-22T00:00:00Z');

function ckanType(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.details?.ckan : err;
  }
  return 'no error';
}

describe('parseFq', () => {
  it('reads terms, quoted values, negation, AND and date ranges', () => {
    expect(parseFq('organization:abc +tags:"社会 保障" AND -res_format:CSV metadata_modified:[2024-01-01T00:00:00.123456Z TO *]', now)).toEqual([
      { field: 'organization', negate: false, value: { kind: 'term', value: 'abc' } },
      { field: 'tags', negate: false, value: { kind: 'term', value: '社会 保障' } },
      { field: 'res_format', negate: true, value: { kind: 'term', value: 'CSV' } },
      { field: 'metadata_modified', negate: false, value: { kind: 'range', from: Date.parse('2024-01-01T00:00:00.123Z'), to: null, fromInclusive: true, toInclusive: true } },
    ]);
    expect(parseFq('metadata_created:{NOW-7DAYS TO NOW}', now)[0]?.value).toEqual({
      kind: 'range', from: now.getTime() - 7 * 86_400_000, to: now.getTime(), fromInclusive: false, toInclusive: false,
    });
    expect(parseFq('   ', now)).toEqual([]);
  });

  it('refuses what it does not understand with a Search Query Error', () => {
    for (const fq of ['title:x', '(a OR b)', 'tags:[a TO b]', 'metadata_modified:[2024-13-45 TO *]', 'organization:']) {
      expect(ckanType(() => parseFq(fq, now)), fq).toBe('Search Query Error');
    }
  });

  it('accepts dates without Z, date-only and *', () => {
    expect(solrDate('2024-05-01T08:00:00', now)).toBe(Date.parse('2024-05-01T08:00:00Z'));
    expect(solrDate('2024-05-01', now)).toBe(Date.parse('2024-05-01T00:00:00Z'));
    expect(solrDate('*', now)).toBeNull();
  });
});

describe('parsePackageSearch', () => {
  it('defaults as CKAN does and clamps rows to 1000', () => {
    expect(parsePackageSearch({}, now)).toMatchObject({ terms: [], rows: 10, start: 0, sortText: 'score desc, metadata_modified desc', facetFields: [], facetLimit: 50 });
    expect(parsePackageSearch({ rows: '1001' }, now).rows).toBe(1000);
    expect(parsePackageSearch({ rows: 20, start: '40', q: '企业  登记' }, now)).toMatchObject({ rows: 20, start: 40, terms: ['企业', '登记'] });
    expect(parsePackageSearch({ q: '*:*' }, now).terms).toEqual([]);
  });

  it('bad numbers and facet lists are Validation Errors', () => {
    expect(ckanType(() => parsePackageSearch({ rows: 'x' }, now))).toBe('Validation Error');
    expect(ckanType(() => parsePackageSearch({ start: '-1' }, now))).toBe('Validation Error');
    expect(ckanType(() => parsePackageSearch({ 'facet.field': '{"a":1}' }, now))).toBe('Validation Error');
    expect(ckanType(() => parsePackageSearch({ 'facet.field': '["popularity"]' }, now))).toBe('Search Query Error');
  });

  it('sort lists fields and directions', () => {
    expect(parseSort('metadata_modified desc, name')).toEqual([
      { field: 'metadata_modified', desc: true },
      { field: 'name', desc: false },
    ]);
    expect(ckanType(() => parseSort('name sideways'))).toBe('Search Query Error');
  });
});
