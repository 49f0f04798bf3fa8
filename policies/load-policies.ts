// Loads the dataset policy files beside this module, validates them (schema, classification rules, defaults and
// justifications, quasi-identifiers) and builds the PolicySet that the evaluators read.

import { readdirSync, readFileSync } from 'node:fs';
import { AppError } from '../errors/index.ts';
import { coarseGradeRank, gradeOf, gradeRank, minimumGradeFor, POLICY_USES, type PolicyUse } from './grades.ts';
import { buildHierarchy } from './hierarchies.ts';
import { defaultFor, defaultRule, strengthName } from './defaults.ts';
import { maskStrength } from './mask-rules.ts';
import { policyFileSchema, type FieldPolicyFile, type PolicyFile } from './policy-schema.ts';
import type { DatasetPolicy, FieldPolicy, PolicySet, UsePolicy } from './policy-set.ts';

/** One policy document: where it came from and its parsed JSON. */
export interface PolicyDocument {
  readonly source: string;
  readonly content: unknown;
}

/** A value-free description of what is wrong in a policy file. */
export interface PolicyFileProblem {
  readonly source: string;
  /** JSON path inside the file, e.g. `fields.person_id.sandbox` */
  readonly path: string;
  readonly message: string;
}

const DIRECTORY = new URL('./datasets/', import.meta.url);

/**
 * Reads and validates every `policies/datasets/*.json`. Throws AppError POLICY_INVALID, with every problem found in
 * `details.problems`, when a file is unreadable or invalid: the platform must not start on a broken policy.
 */
export function loadPolicies(): PolicySet {
  const documents: PolicyDocument[] = [];
  const problems: PolicyFileProblem[] = [];
  for (const file of readdirSync(DIRECTORY).filter((f) => f.endsWith('.json')).sort()) {
    try {
      documents.push({ source: file, content: JSON.parse(readFileSync(new URL(file, DIRECTORY), 'utf8')) });
    } catch {
      problems.push({ source: file, path: '', message: 'not readable as JSON' });
    }
  }
  return buildPolicySet(documents, problems);
}

/** Validates policy documents given in memory (tests, tools). Throws AppError POLICY_INVALID like loadPolicies. */
export function parsePolicySet(documents: readonly PolicyDocument[]): PolicySet {
  return buildPolicySet(documents, []);
}

function buildPolicySet(documents: readonly PolicyDocument[], problems: PolicyFileProblem[]): PolicySet {
  const datasets = new Map<string, DatasetPolicy>();
  for (const doc of documents) {
    const parsed = policyFileSchema.safeParse(doc.content);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ source: doc.source, path: issue.path.join('.'), message: issue.message });
      }
      continue;
    }
    const file = parsed.data;
    if (datasets.has(file.dataset)) {
      problems.push({ source: doc.source, path: 'dataset', message: 'a second policy for the same dataset' });
      continue;
    }
    const problem = (path: string, message: string) => problems.push({ source: doc.source, path, message });
    datasets.set(file.dataset, datasetPolicyOf(file, doc.source, problem));
  }
  if (problems.length > 0) {
    throw new AppError('POLICY_INVALID', `${problems.length} problem(s) in the policy files`, { details: { problems } });
  }
  return { datasets };
}

type Report = (path: string, message: string) => void;

function datasetPolicyOf(file: PolicyFile, source: string, problem: Report): DatasetPolicy {
  const fields = new Map<string, FieldPolicy>();
  for (const [name, f] of Object.entries(file.fields)) {
    const path = `fields.${name}`;
    // Classification rules: PI sets a minimum grade; no field is graded above its dataset.
    if (gradeRank(f.grade) < gradeRank(minimumGradeFor(f.pi))) {
      problem(`${path}.grade`, `${f.pi} information must be graded ${minimumGradeFor(f.pi)} or higher`);
    }
    if (coarseGradeRank(gradeOf(f.grade)) > coarseGradeRank(file.grade)) {
      problem(`${path}.grade`, `a field cannot be graded above its dataset (${file.grade})`);
    }
    fields.set(name, { dataset: file.dataset, field: name, grade: f.grade, pi: f.pi, uses: usesOf(f, path, problem) });
  }
  const quasiIdentifiers = (file.release?.quasiIdentifiers ?? []).map((q, i) => {
    const path = `release.quasiIdentifiers.${i}`;
    if (!fields.has(q.field)) problem(`${path}.field`, 'not a field of this policy');
    if (q.maxLevel !== undefined && !buildHierarchy(q.hierarchy).levels.includes(q.maxLevel)) {
      problem(`${path}.maxLevel`, `not a level of the ${q.hierarchy.kind} hierarchy`);
    }
    return { field: q.field, hierarchy: q.hierarchy, maxLevel: q.maxLevel };
  });
  return {
    dataset: file.dataset,
    source,
    grade: file.grade,
    personLevel: file.personLevel,
    fields,
    quasiIdentifiers,
    maxSuppressionRate: file.release?.maxSuppressionRate ?? 0.05,
  };
}

/** Resolves the rule of each use and checks it against the defaults of the field's grade and PI flag. */
function usesOf(f: FieldPolicyFile, path: string, problem: Report): Record<PolicyUse, UsePolicy> {
  const uses = {} as Record<PolicyUse, UsePolicy>;
  for (const use of POLICY_USES) {
    const d = defaultFor(f.grade, f.pi, use);
    const declared = f[use];
    const rule = declared ?? defaultRule(d);
    const strength = maskStrength(rule);
    const ids = d.rules.map((r) => r.id);
    if (strength < d.absolute) {
      const why = d.rules.find((r) => r.absolute > strength);
      problem(`${path}.${use}`, `'${rule.mask}' is refused whatever the justification: ${why?.text ?? 'below the minimum'} (${why?.id ?? ''})`);
    } else if (strength < d.floor && rule.justification === undefined) {
      problem(
        `${path}.${use}`,
        `'${rule.mask}' is weaker than the default (${strengthName(d.floor)}, ${ids.join(', ')}): add a justification`,
      );
    }
    uses[use] = {
      rule,
      declared: declared !== undefined,
      floor: d.floor,
      weakensDefault: strength < d.floor,
      justification: rule.justification,
      defaultRules: ids,
    };
  }
  return uses;
}
