// The authorization decision point: Cedar policies, parsed and validated once at start, asked through the engine's
// stateful API so that a decision parses only the request and its few entities.
import { createHash } from 'node:crypto';
import { AppError } from '../../errors/index.ts';
import {
  isAuthorized,
  preparsePolicySet,
  preparseSchema,
  statefulIsAuthorized,
  type AuthorizationAnswer,
  type Context,
  type EntityJson,
} from './cedar-wasm.ts';
import { entityValue, epochSeconds, operationValues } from './entities.ts';
import { compileCedarPolicies, readCedarFiles, type CedarPolicySet, type CedarSource } from './load.ts';
import type { AuthorizationDecision, AuthorizationRequest, CedarEntity, CedarValue } from './types.ts';

export interface AuthorizerOptions {
  /** the clock for a context's `now` when the request omits it; defaults to the system clock */
  now?: () => Date;
  /** schema and policy files in memory instead of those of policies/cedar/ (tests, tools) */
  files?: { schema: CedarSource; policies: readonly CedarSource[] };
}

export interface Authorizer {
  /** Decides one request. Never throws for a well-typed request: a request Cedar cannot evaluate is denied with `errors`. */
  authorize(request: AuthorizationRequest): AuthorizationDecision;
  /**
   * The same decision through plain `isAuthorized`, which parses the policies, the schema and the entities again on
   * every call. The baseline of the benchmark and a cross-check in tests; never use it on a request path.
   */
  authorizeReparsing(request: AuthorizationRequest): AuthorizationDecision;
  /** the loaded policies: @id → file name */
  readonly policies: Readonly<Record<string, string>>;
}

type CedarContext = Record<string, CedarValue>;

function cedarContext(request: AuthorizationRequest, now: () => Date): CedarContext {
  switch (request.action) {
    case 'SubmitJob': {
      const c = request.context;
      return {
        now: epochSeconds(c.now ?? now()),
        license: entityValue({ type: 'Gov::License', id: c.license }),
        fields: [...c.fields],
        operations: operationValues(c.operations),
      };
    }
    case 'ReadDatasetSchema': {
      const c = request.context;
      const context: CedarContext = { now: epochSeconds(c?.now ?? now()) };
      if (c?.license !== undefined) context.license = entityValue({ type: 'Gov::License', id: c.license });
      return context;
    }
    case 'ReviewJob': {
      const by = request.context?.submittedBy;
      return by === undefined ? {} : { submittedBy: entityValue({ type: 'Gov::Staff', id: by }) };
    }
    case 'CloseRound':
    case 'DecryptTotal':
      return { contributions: request.context.contributions };
    case 'DownloadDataset':
    case 'DownloadField':
      return { now: epochSeconds(request.context?.now ?? now()) };
    default:
      return {};
  }
}

function requestEntities(request: AuthorizationRequest): CedarEntity[] {
  const out: CedarEntity[] = [];
  // Cedar refuses a request that lists an entity twice; a principal and a resource may share one (e.g. a dataset)
  const seen = new Set<string>();
  const add = (entities: readonly CedarEntity[]) => {
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i]!;
      const key = `${e.uid.type}\u0000${e.uid.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(e);
      }
    }
  };
  add(request.principal.entities);
  add(request.resource.entities);
  if (request.entities) add(request.entities);
  return out;
}

function toDecision(answer: AuthorizationAnswer): AuthorizationDecision {
  const errors: string[] = [];
  if (answer.type === 'failure') {
    for (let i = 0; i < answer.errors.length; i++) errors.push(answer.errors[i]!.message);
    return { decision: 'deny', policyIds: [], errors };
  }
  const { decision, diagnostics } = answer.response;
  for (let i = 0; i < diagnostics.errors.length; i++) {
    const e = diagnostics.errors[i]!;
    errors.push(`${e.policyId}: ${e.error.message}`);
  }
  const policyIds = diagnostics.reason.slice();
  policyIds.sort();
  // Fail closed: Cedar skips a policy that errors, and a skipped forbid must not turn into an allow.
  return { decision: errors.length > 0 ? 'deny' : decision, policyIds, errors };
}

/** Registers the schema and policy set with the engine under an id derived from their content. */
function preparse(set: CedarPolicySet): string {
  const hash = createHash('sha256').update(set.schema);
  for (const [id, text] of Object.entries(set.policies)) hash.update(`\u0000${id}\u0000${text}`);
  const name = `gov-${hash.digest('hex').slice(0, 16)}`;
  const schema = preparseSchema(name, set.schema);
  const policies = preparsePolicySet(name, { staticPolicies: { ...set.policies } });
  for (const answer of [schema, policies]) {
    if (answer.type === 'failure') {
      throw new AppError('POLICY_INVALID', `Cedar engine refused the policy set: ${answer.errors[0]?.message ?? 'unknown error'}`);
    }
  }
  return name;
}

/**
 * Loads `policies/cedar/` (or `options.files`), validates every policy against the schema and preparses them once.
 * Throws AppError POLICY_INVALID, with every problem in `details.problems`, when a file is invalid.
 */
export function createAuthorizer(options: AuthorizerOptions = {}): Authorizer {
  const files = options.files ?? readCedarFiles();
  const set = compileCedarPolicies(files.schema, files.policies);
  const name = preparse(set);
  const now = options.now ?? (() => new Date());
  const staticPolicies = { ...set.policies };

  const call = (request: AuthorizationRequest) => ({
    principal: request.principal.uid,
    action: { type: 'Gov::Action', id: request.action },
    resource: request.resource.uid,
    // our CedarValue and CedarEntity are the engine's JSON types, made readonly
    context: cedarContext(request, now) as unknown as Context,
    entities: requestEntities(request) as unknown as EntityJson[],
    validateRequest: true,
  });

  return {
    authorize(request) {
      return toDecision(statefulIsAuthorized({ ...call(request), preparsedPolicySetId: name, preparsedSchemaName: name }));
    },
    authorizeReparsing(request) {
      return toDecision(isAuthorized({ ...call(request), policies: { staticPolicies }, schema: set.schema }));
    },
    policies: Object.freeze({ ...set.sources }),
  };
}
