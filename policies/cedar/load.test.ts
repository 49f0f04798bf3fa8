// The policy files validate against the schema, every policy is named, and a broken file stops the start with a
// message that says where.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors/index.ts';
import { createAuthorizer } from './authorizer.ts';
import { schemaToJson } from './cedar-wasm.ts';
import { compileCedarPolicies, readCedarFiles, type CedarProblem } from './load.ts';
import { AUTHORIZATION_ACTIONS } from './types.ts';

const files = readCedarFiles();

/** The problems compileCedarPolicies reports for the shipped schema plus one extra policy file. */
function problemsWith(text: string): CedarProblem[] {
  try {
    compileCedarPolicies(files.schema, [...files.policies, { source: 'extra.cedar', text }]);
  } catch (err) {
    if (isAppError(err) && err.code === 'POLICY_INVALID') return err.details?.problems as CedarProblem[];
    throw err;
  }
  return [];
}

describe('Cedar policy files', () => {
  it('validate against the schema (strict), without errors or warnings', () => {
    const set = compileCedarPolicies(files.schema, files.policies);
    expect(set.warnings).toEqual([]);
    expect(Object.keys(set.policies).length).toBeGreaterThan(20);
  });

  it('come from the five files, each policy named by its @id', () => {
    const { policies } = createAuthorizer();
    expect(new Set(Object.values(policies))).toEqual(new Set(['custodian.cedar', 'forbids.cedar', 'open-data.cedar', 'operators.cedar', 'staff.cedar']));
    expect(Object.keys(policies).length).toBeGreaterThan(20);
  });

  it('the schema declares exactly the actions of AUTHORIZATION_ACTIONS', () => {
    const json = schemaToJson(files.schema.text);
    if (json.type !== 'success') throw new Error('schema does not parse');
    expect(Object.keys(json.json.Gov?.actions ?? {}).sort()).toEqual([...AUTHORIZATION_ACTIONS].sort());
  });

  it('refuses a policy without @id', () => {
    expect(problemsWith('permit (principal, action, resource);')).toEqual([
      { source: 'extra.cedar', message: expect.stringMatching(/no @id annotation: permit \(principal, action, resource\);/) },
    ]);
  });

  it('refuses an @id used twice', () => {
    expect(problemsWith('@id("security-reads-audit")\npermit (principal is Gov::Staff, action == Gov::Action::"ReadAudit", resource);')).toEqual([
      { source: 'extra.cedar', policyId: 'security-reads-audit', message: '@id "security-reads-audit" is also used in staff.cedar' },
    ]);
  });

  it('refuses an @id that is not lower-case words joined by hyphens', () => {
    expect(problemsWith('@id("Security Reads")\npermit (principal, action, resource);')[0]?.message).toMatch(/must be lower-case words/);
  });

  it('refuses a value not in an enumeration (a typo fails validation instead of never matching)', () => {
    const [problem] = problemsWith('@id("typo")\npermit (principal is Gov::Staff, action == Gov::Action::"ReadAudit", resource)\nwhen { principal.role == Gov::Role::"securty" };');
    expect(problem).toMatchObject({ source: 'extra.cedar', policyId: 'typo' });
    expect(problem?.message).toMatch(/policy line 3: .*securty.*not declared/);
  });

  it('refuses an attribute the schema does not have', () => {
    const [problem] = problemsWith('@id("no-such")\nforbid (principal is Gov::Operator, action, resource) when { principal.country == "x" };');
    expect(problem).toMatchObject({ source: 'extra.cedar', policyId: 'no-such' });
    expect(problem?.message).toMatch(/country/);
  });

  it('refuses a syntax error with its line', () => {
    expect(problemsWith('\n\n@id("x") permit (principal, action, resource) when { principal. };')[0]?.message).toMatch(/^line 3: /);
  });

  it('the start fails with a message naming the file and policy', () => {
    const bad = { source: 'extra.cedar', text: '@id("bad")\nforbid (principal is Gov::Staff, action, resource) when { principal.role == 1 };' };
    expect(() => createAuthorizer({ files: { schema: files.schema, policies: [...files.policies, bad] } })).toThrow(
      /Cedar policies invalid \(1 problem\), first: extra\.cedar @id\("bad"\): /,
    );
  });

  it('refuses a schema that does not parse', () => {
    expect(() => compileCedarPolicies({ source: 'schema.cedarschema', text: 'namespace Gov { entity }' }, [])).toThrow(/schema\.cedarschema: line 1: /);
  });
});
