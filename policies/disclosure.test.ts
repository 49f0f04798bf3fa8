import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/index.ts';
import { DEFAULT_RULES } from './defaults.ts';
import { combine, DISCLOSURE_BY_GRADE, disclosureRules } from './disclosure.ts';
import { GRADE_LABELS } from './grades.ts';
import { loadPolicies } from './load-policies.ts';

const policies = loadPolicies();

describe('disclosure rules derived from grade', () => {
  it('get stricter with every grade, in every column', () => {
    for (let i = 1; i < GRADE_LABELS.length; i++) {
      const lower = DISCLOSURE_BY_GRADE[GRADE_LABELS[i - 1]!];
      const higher = DISCLOSURE_BY_GRADE[GRADE_LABELS[i]!];
      expect(higher.minCellCount).toBeGreaterThanOrEqual(lower.minCellCount);
      expect(higher.roundingBase % lower.roundingBase).toBe(0);
      expect(higher.epsilonPerJob).toBeLessThanOrEqual(lower.epsilonPerJob);
      expect(higher.epsilonPerLicence).toBeLessThanOrEqual(lower.epsilonPerLicence);
      expect(higher.epsilonPerDatasetYear).toBeLessThanOrEqual(lower.epsilonPerDatasetYear);
      expect(higher.maxRowsPerContributor).toBeLessThanOrEqual(lower.maxRowsPerContributor);
      expect(higher.aggregates.every((a) => lower.aggregates.includes(a))).toBe(true);
      expect(!lower.humanReview || higher.humanReview).toBe(true);
    }
  });

  it('use the minimum cell counts the issue names', () => {
    expect(DISCLOSURE_BY_GRADE['general-1'].minCellCount).toBe(5);
    expect(DISCLOSURE_BY_GRADE['general-3'].minCellCount).toBe(10);
    expect(DISCLOSURE_BY_GRADE['general-4'].minCellCount).toBe(10);
    expect(DISCLOSURE_BY_GRADE.important.minCellCount).toBe(20);
  });

  it('take the strictest rules over every field of the dataset, whatever a job reads', () => {
    // population's person_id is important: a job reading only sex still gets important's rules
    expect(disclosureRules(policies, 'population')).toEqual(DISCLOSURE_BY_GRADE.important);
    expect(disclosureRules(policies, 'credit_dishonest').grade).toBe(
      [...policies.datasets.get('credit_dishonest')!.fields.values()].reduce((g, f) => (GRADE_LABELS.indexOf(f.grade) > GRADE_LABELS.indexOf(g) ? f.grade : g), 'general-1' as (typeof GRADE_LABELS)[number]),
    );
    expect(combine(['core', 'general-1'])).toEqual(DISCLOSURE_BY_GRADE.core);
  });

  it('refuse unknown datasets with a code', () => {
    try {
      disclosureRules(policies, 'nope');
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('DATASET_NOT_FOUND');
    }
  });
});

describe('docs/policies.md', () => {
  const doc = readFileSync(new URL('../docs/policies.md', import.meta.url), 'utf8');

  it('shows the disclosure table exactly as the code has it', () => {
    for (const g of GRADE_LABELS) {
      const r = DISCLOSURE_BY_GRADE[g];
      const row = `| ${g} | ${r.minCellCount} | ${r.roundingBase} | ${r.epsilonPerJob} | ${r.epsilonPerLicence} | ${r.epsilonPerDatasetYear} | ${r.maxRowsPerContributor} | ${r.aggregates.join(', ')} | ${r.humanReview ? 'yes' : 'no'} |`;
      expect(doc).toContain(row);
    }
  });

  it('lists every default rule', () => {
    for (const r of DEFAULT_RULES) expect(doc).toContain(`| \`${r.id}\` | ${r.use === 'sandbox' ? 'sandbox' : 'open download'} |`);
  });
});
