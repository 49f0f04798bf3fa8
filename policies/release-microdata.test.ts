import { describe, expect, it } from 'vitest';
// Test-only import: realistic person-level rows.
import { DATASETS } from '../data/index.ts';
import { isAppError } from '../errors/index.ts';
import type { Row } from '../store/index.ts';
import { loadPolicies, parsePolicySet } from './load-policies.ts';
import { releaseMicrodata } from './release-microdata.ts';

const population = DATASETS.population;
const rows: Row[] = [...population.generate({ rows: 20_000, seed: 'release-test' })];
const justification = 'public-use sample of generalized demographics, released only after the k-anonymity check';

/** A public-use sample policy for population: sex, birth date, region and education, the rest withheld. */
function publicUseSample(region: Record<string, unknown>) {
  const fields: Record<string, unknown> = {};
  for (const f of population.definition.fields) fields[f.name] = { grade: f.name === 'person_id' ? 'important' : 'general-4', pi: f.sensitivity };
  Object.assign(fields, {
    sex: { grade: 'general-2', pi: 'personal', open_download: { mask: 'raw', justification } },
    birth_date: { grade: 'general-3', pi: 'personal', open_download: { mask: 'date', keep: 'year', justification } },
    region_code: { grade: 'general-3', pi: 'personal', open_download: { ...region, justification } },
    education: { grade: 'general-3', pi: 'personal', open_download: { mask: 'raw', justification } },
  });
  return parsePolicySet([
    {
      source: 'population.json',
      content: {
        dataset: 'population',
        grade: 'important',
        personLevel: true,
        release: {
          quasiIdentifiers: [
            { field: 'sex', hierarchy: { kind: 'category' }, maxLevel: 'value' },
            { field: 'birth_date', hierarchy: { kind: 'date' }, maxLevel: '10 years' },
            { field: 'region_code', hierarchy: { kind: 'region' }, maxLevel: 'province' },
            { field: 'education', hierarchy: { kind: 'category', groups: { 初中及以下: ['未上过学', '小学', '初中'], 高中: ['高中'] }, other: '大学及以上' } },
          ],
          maxSuppressionRate: 0.05,
        },
        fields,
      },
    },
  ]);
}

describe('releaseMicrodata', () => {
  it('generalizes the quasi-identifiers until k reaches the grade minimum, and reports k and suppression', () => {
    const set = publicUseSample({ mask: 'region', keep: 'province' });
    const release = releaseMicrodata(set, population.definition, rows);
    expect(release.requiredK).toBe(10); // general-4 fields: minimum cell count 10
    expect(release.k).toBeGreaterThanOrEqual(10);
    expect(release.suppressionRate).toBeLessThanOrEqual(0.05);
    expect(release.fields.map((f) => f.name)).toEqual(['sex', 'birth_date', 'region_code', 'education']);
    expect(Object.keys(release.levels)).toEqual(['sex', 'birth_date', 'region_code', 'education']);
    const sizes = new Map<string, number>();
    for (const r of release.rows) sizes.set(JSON.stringify(r), (sizes.get(JSON.stringify(r)) ?? 0) + 1);
    expect(Math.min(...sizes.values())).toBe(release.k);
    expect(release.rows.length).toBe(Math.round(rows.length * (1 - release.suppressionRate)));
  });

  it('refuses a release that cannot reach k within the suppression limit', () => {
    const set = publicUseSample({ mask: 'raw' });
    const few = rows.slice(0, 15);
    try {
      releaseMicrodata(set, population.definition, few);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('RELEASE_REFUSED');
      expect(isAppError(err) && err.details).toMatchObject({ dataset: 'population', requiredK: 10 });
      expect(JSON.stringify(isAppError(err) && err.details)).not.toContain(String(few[0]?.region_code));
    }
  });

  it('refuses when the policy withholds every field (the shipped population policy: not open)', () => {
    expect(() => releaseMicrodata(loadPolicies(), population.definition, rows)).toThrow(/nothing to release/);
  });

  it('releases entity-level datasets without a k check', () => {
    const lp = DATASETS.legal_persons;
    const release = releaseMicrodata(loadPolicies(), lp.definition, [...lp.generate({ rows: 50, seed: 'r' })]);
    expect(release).toMatchObject({ k: null, requiredK: null, suppressionRate: 0 });
    expect(release.rows).toHaveLength(50);
    expect(release.rows.every((r) => typeof r.employee_count !== 'number')).toBe(true);
  });
});
