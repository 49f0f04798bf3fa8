// Test support: validate JSON-LD against the official DCAT-AP 3.0.1 SHACL shapes (dev dependencies; tests only).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';

/** The official shapes, vendored beside this file (source and licence: fixtures/README.md). */
export const DCAT_AP_SHAPES_PATH = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/dcat-ap-3.0.1-shapes.ttl');

export interface ShaclViolation {
  focusNode: string;
  path: string | null;
  severity: string;
  constraint: string;
  message: string;
}

export interface ShaclOutcome {
  conforms: boolean;
  violations: ShaclViolation[];
  /** how many triples the JSON-LD expanded to: a guard against validating an empty graph */
  triples: number;
}

let validator: SHACLValidator | undefined;

function dcatApValidator(): SHACLValidator {
  if (validator) return validator;
  const shapes = new Store(new Parser({ format: 'text/turtle' }).parse(readFileSync(DCAT_AP_SHAPES_PATH, 'utf8')));
  validator = new SHACLValidator(shapes);
  return validator;
}

/** JSON-LD → RDF (N-Quads through the jsonld library's own algorithm) → SHACL report. */
export async function validateDcatAp(document: object): Promise<ShaclOutcome> {
  const nquads = (await jsonld.toRDF(document as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string;
  const data = new Store(new Parser({ format: 'application/n-quads' }).parse(nquads));
  const report = await dcatApValidator().validate(data);
  const violations = report.results.map((r) => ({
    focusNode: r.focusNode?.value ?? '?',
    path: r.path?.value ?? null,
    severity: r.severity?.value.replace('http://www.w3.org/ns/shacl#', '') ?? '?',
    constraint: r.sourceConstraintComponent?.value.replace('http://www.w3.org/ns/shacl#', '') ?? '?',
    message: r.message.map((m) => m.value).join('; '),
  }));
  return { conforms: report.conforms, violations, triples: data.size };
}

/** For a failing assertion: one line per violation. */
export function describeViolations(outcome: ShaclOutcome): string {
  return outcome.violations.map((v) => `${v.severity} ${v.constraint} at ${v.focusNode} ${v.path ?? ''} ${v.message}`).join('\n');
}
