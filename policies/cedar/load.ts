// Reads the Cedar schema and policy files beside this module, names every policy by its @id and validates the set
// against the schema. The platform must not start on a policy that does not parse, lacks an @id, or fails validation.
import { readdirSync, readFileSync } from 'node:fs';
import { AppError } from '../../errors/index.ts';
import { checkParseSchema, policySetTextToParts, policyToJson, validate, type DetailedError } from './cedar-wasm.ts';

/** One file: its name (for messages) and its text. */
export interface CedarSource {
  readonly source: string;
  readonly text: string;
}

/** A value-free description of what is wrong in the schema or a policy file. */
export interface CedarProblem {
  readonly source: string;
  /** the policy's @id, when known */
  readonly policyId?: string;
  readonly message: string;
}

/** The schema and the policies, keyed by @id, ready to preparse. */
export interface CedarPolicySet {
  readonly schema: string;
  /** @id → the policy's Cedar text */
  readonly policies: Readonly<Record<string, string>>;
  /** @id → the file it came from */
  readonly sources: Readonly<Record<string, string>>;
  /** validator warnings (e.g. a policy that can never apply), for tests; they do not stop the start */
  readonly warnings: readonly CedarProblem[];
}

const DIRECTORY = new URL('./', import.meta.url);
export const SCHEMA_FILE = 'schema.cedarschema';
/** Policy ids appear in audit entries and filters: keep them plain. */
const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Reads schema.cedarschema and every *.cedar file of policies/cedar/, sorted by name. */
export function readCedarFiles(): { schema: CedarSource; policies: CedarSource[] } {
  const read = (file: string): CedarSource => ({ source: file, text: readFileSync(new URL(file, DIRECTORY), 'utf8') });
  const files = readdirSync(DIRECTORY)
    .filter((f) => f.endsWith('.cedar'))
    .sort();
  return { schema: read(SCHEMA_FILE), policies: files.map(read) };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** `unit`: what the line number counts in — the file, or the one policy a validation error is about. */
function describe(error: DetailedError, text?: string, unit = 'line'): string {
  const at = error.sourceLocations?.[0];
  const where = at && text !== undefined ? `${unit} ${lineOf(text, at.start)}: ` : '';
  return `${where}${error.message}${error.help ? ` (${error.help})` : ''}`;
}

/**
 * Names each policy by its `@id` annotation and validates all of them against the schema (strict mode).
 * Throws AppError POLICY_INVALID, every problem in `details.problems`, when the schema does not parse, a policy does
 * not parse, lacks an @id or shares one, or validation fails.
 */
export function compileCedarPolicies(schema: CedarSource, files: readonly CedarSource[]): CedarPolicySet {
  const problems: CedarProblem[] = [];
  const parsedSchema = checkParseSchema(schema.text);
  if (parsedSchema.type === 'failure') {
    for (const e of parsedSchema.errors) problems.push({ source: schema.source, message: describe(e, schema.text) });
  }
  const policies: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const file of files) {
    const parts = policySetTextToParts(file.text);
    if (parts.type === 'failure') {
      for (const e of parts.errors) problems.push({ source: file.source, message: describe(e, file.text) });
      continue;
    }
    if (parts.policy_templates.length > 0) problems.push({ source: file.source, message: 'templates are not used here' });
    for (const text of parts.policies) {
      const json = policyToJson(text);
      const id = json.type === 'success' ? json.json.annotations?.id : undefined;
      if (!id) {
        problems.push({ source: file.source, message: `a policy has no @id annotation: ${text.split('\n').find((l) => !l.startsWith('@')) ?? ''}` });
      } else if (!ID.test(id)) {
        problems.push({ source: file.source, policyId: id, message: `@id "${id}" must be lower-case words joined by hyphens` });
      } else if (Object.hasOwn(policies, id)) {
        problems.push({ source: file.source, policyId: id, message: `@id "${id}" is also used in ${sources[id]}` });
      } else {
        policies[id] = text;
        sources[id] = file.source;
      }
    }
  }
  const warnings: CedarProblem[] = [];
  if (problems.length === 0) {
    const answer = validate({ schema: schema.text, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
    if (answer.type === 'failure') {
      for (const e of answer.errors) problems.push({ source: schema.source, message: describe(e) });
    } else {
      for (const { policyId, error } of answer.validationErrors) {
        problems.push({ source: sources[policyId] ?? '?', policyId, message: describe(error, policies[policyId], 'policy line') });
      }
      for (const { policyId, error } of answer.validationWarnings) {
        warnings.push({ source: sources[policyId] ?? '?', policyId, message: describe(error, policies[policyId], 'policy line') });
      }
      for (const e of answer.otherWarnings) warnings.push({ source: schema.source, message: describe(e) });
    }
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError(
      'POLICY_INVALID',
      `Cedar policies invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}), first: ${first.source}` +
        `${first.policyId ? ` @id("${first.policyId}")` : ''}: ${first.message}`,
      { details: { problems } },
    );
  }
  return { schema: schema.text, policies, sources, warnings };
}
