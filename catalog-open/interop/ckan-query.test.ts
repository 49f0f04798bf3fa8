// The Solr subset of q and fq: parsing into a tree, evaluating it, and refusing what it does not understand.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { evaluate, parseQ, parseSolrQuery, requiredTextTerms, solrDate, type QueryTarget } from './ckan-query.ts';

const now = new Date('2026-11-22T00:00:00Z');

function ckanType(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.details?.ckan : err;
  }
  return 'no error';
}

/** A package: 企业登记信息 of org mkt, tags 企业/登记, CSV, modified 2026-05-01. */
const pkg: QueryTarget = {
  values: (field) =>
    ({ name: ['enterprise_registry'], id: ['enterprise_registry'], tags: ['企业', '登记'], organization: ['mkt'], res_format: ['CSV', 'JSON'], groups: ['theme-e5b882', '市场监管'], license_id: ['CC-BY-4.0'] })[field] ?? [],
  text: (field) => ({ text: '企业登记信息\nenterprise_registry\n全省企业', title: '企业登记信息', notes: '全省企业' })[field] ?? null,
  instant: (field) => Date.parse(field === 'metadata_modified' ? '2026-05-01T08:00:00Z' : '2024-01-01T00:00:00Z'),
};
const hit = (q: string) => evaluate(parseSolrQuery(q, now), pkg);

describe('the Solr subset', () => {
  it('matches field queries as CKAN users write them', () => {
    expect(hit('title:企业')).toBe(true);
    expect(hit('title:人口')).toBe(false);
    expect(hit('tags:登记')).toBe(true);
    expect(hit('tags:登')).toBe(false); // tags are whole values
    expect(hit('tags:登*')).toBe(true);
    expect(hit('organization:MKT')).toBe(true);
    expect(hit('res_format:csv')).toBe(true);
    expect(hit('name:enterprise*')).toBe(true);
    expect(hit('name:enterprise')).toBe(false);
    expect(hit('groups:市场监管')).toBe(true);
    expect(hit('notes:"全省 企业"')).toBe(false);
    expect(hit('notes:"全省企业"')).toBe(true);
    expect(hit('tags:*')).toBe(true);
  });

  it('combines with AND, OR, NOT, + and -, parentheses and field groups; adjacent clauses are ANDed', () => {
    expect(hit('organization:other OR organization:mkt')).toBe(true);
    expect(hit('organization:other organization:mkt')).toBe(false);
    expect(hit('-organization:other')).toBe(true);
    expect(hit('NOT tags:企业')).toBe(false);
    expect(hit('+tags:企业 AND (res_format:XLSX OR res_format:CSV)')).toBe(true);
    expect(hit('organization:(other OR mkt) && !tags:人口')).toBe(true);
    expect(hit('tags:企业 || tags:人口 && tags:x')).toBe(true);
    expect(hit('metadata_modified:[2026-04-30T00:00:00.123456Z TO *]')).toBe(true);
    expect(hit('metadata_modified:{2026-05-01T08:00:00Z TO *]')).toBe(false);
    expect(hit('metadata_modified:[NOW-1YEAR TO NOW]')).toBe(true);
    expect(hit('metadata_modified:2026-05-01')).toBe(true);
    expect(hit('metadata_created:[* TO 2023-12-31]')).toBe(false);
  });

  it('q without field syntax is plain words, each of which must occur', () => {
    expect(evaluate(parseQ('企业 登记', now), pkg)).toBe(true);
    expect(evaluate(parseQ('企业 人口', now), pkg)).toBe(false);
    // lower-case or, quotes and Lucene specials are just characters here
    expect(parseQ("' or 1=1 --", now)).toMatchObject({ kind: 'and', nodes: [{ value: "'" }, { value: 'or' }, { value: '1=1' }, { value: '--' }] });
    expect(parseQ('*:*', now)).toEqual({ kind: 'all' });
    expect(evaluate(parseQ('title:企业 AND tags:登记', now), pkg)).toBe(true);
  });

  it('names the plain words every match needs (they narrow the SQL)', () => {
    expect(requiredTextTerms(parseSolrQuery('企业 AND title:x AND (a OR b) -c', now))).toEqual(['企业']);
    expect(requiredTextTerms(parseQ('Foo bar', now))).toEqual(['foo', 'bar']);
  });

  it('refuses what it does not understand with a Search Query Error', () => {
    for (const q of ['nosuchfield:x', '(organization:a', 'tags:[a TO b]', 'metadata_modified:[2024-13-45 TO *]', 'organization:', 'title:"open', 'a OR', '((((((((((((((((((((((x))))))))))))))))))))))']) {
      expect(ckanType(() => parseSolrQuery(q, now)), q).toBe('Search Query Error');
    }
  });

  it('reads Solr dates: Z optional, date only, NOW math, *', () => {
    expect(solrDate('2024-05-01T08:00:00', now)).toBe(Date.parse('2024-05-01T08:00:00Z'));
    expect(solrDate('2024-05-01', now)).toBe(Date.parse('2024-05-01T00:00:00Z'));
    expect(solrDate('NOW-7DAYS', now)).toBe(now.getTime() - 7 * 86_400_000);
    expect(solrDate('*', now)).toBeNull();
  });
});
