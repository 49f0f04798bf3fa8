// CKAN parameter parsing: q and fq, sort, facet.field, natural numbers and the rows clamp.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { parsePackageSearch, parseSort } from './ckan-params.ts';

const now = new Date('2026-11-22T00:00:00Z');

function ckanType(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.details?.ckan : err;
  }
  return 'no error';
}

describe('parsePackageSearch', () => {
  it('defaults as CKAN does and clamps rows to 1000', () => {
    expect(parsePackageSearch({}, now)).toMatchObject({ terms: [], rows: 10, start: 0, sortText: 'score desc, metadata_modified desc', facetFields: [], facetLimit: 50 });
    expect(parsePackageSearch({ rows: '1001' }, now).rows).toBe(1000);
    expect(parsePackageSearch({ rows: 20, start: '40', q: '企业  登记' }, now)).toMatchObject({ rows: 20, start: 40, terms: ['企业', '登记'] });
    expect(parsePackageSearch({ q: '*:*' }, now).terms).toEqual([]);
    // words under OR or NOT cannot narrow the SQL: only the ANDed plain ones do
    expect(parsePackageSearch({ q: 'title:x', fq: '企业 AND (a OR b) -c' }, now).terms).toEqual(['企业']);
  });

  it('takes facet.field and fq_list as JSON lists or repeated GET keys', () => {
    expect(parsePackageSearch({ 'facet.field': ['organization', 'groups'] }, now).facetFields).toEqual(['organization', 'groups']);
    expect(parsePackageSearch({ 'facet.field': '["tags"]' }, now).facetFields).toEqual(['tags']);
    expect(parsePackageSearch({ fq_list: ['tags:a', 'tags:b'] }, now).query).toMatchObject({ kind: 'and' });
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
