// At start: the policy files must parse and agree with the registry. A dataset without a policy file is reported
// and stays unusable; a policy written ahead of its dataset's registration waits for it (open statistics and reference
// data are registered after the check on a fresh database); any other disagreement is a deployment error that stops
// the start.
import { checkPoliciesAgainstRegistry, type PolicyProblem, type PolicySet } from '../policies/index.ts';
import { listDatasets, type Database, type DatasetDefinition } from '../store/index.ts';

export interface PolicyCheck {
  /** datasets registered without a policy file: no job or download may use them until one is written */
  ungraded: string[];
  /** policy files of datasets not registered (yet) */
  unused: string[];
  /** disagreements that must stop the start */
  errors: PolicyProblem[];
}

async function allDefinitions(database: Database): Promise<DatasetDefinition[]> {
  const definitions: DatasetDefinition[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDatasets(database.db, { limit: 500, cursor });
    definitions.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return definitions;
}

export async function checkPolicies(database: Database, policies: PolicySet): Promise<PolicyCheck> {
  const problems = checkPoliciesAgainstRegistry(policies, await allDefinitions(database));
  return {
    ungraded: problems.filter((p) => p.code === 'missing_policy').map((p) => p.dataset),
    unused: problems.filter((p) => p.code === 'unknown_dataset').map((p) => p.dataset),
    errors: problems.filter((p) => p.code !== 'missing_policy' && p.code !== 'unknown_dataset'),
  };
}
