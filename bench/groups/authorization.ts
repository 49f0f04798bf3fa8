// Group `authorization`: Cedar decisions per second of CPU through the preparsed policy set and schema (the
// authorizer's path), against plain `isAuthorized`, which parses the policies, schema and entities on every call.
import { createAuthorizer, datasetEntity, operatorEntity, type AuthorizationRequest, type Authorizer } from '../../policies/index.ts';
import { DATASETS, LICENSE_POPULATION, NOW } from '../../policies/cedar/fixtures.ts';
import { MATRIX } from '../../policies/cedar/matrix.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

/**
 * Decides `requests` in rounds until `seconds` of CPU are used (at least one round); returns decisions per CPU second.
 * CPU time, not wall time: the machines this runs on are shared, and a decision is single-threaded work.
 */
function decisionRate(decide: (r: AuthorizationRequest) => unknown, requests: readonly AuthorizationRequest[], seconds: number): number {
  // Read the CPU clock once per 64 decisions or more: it keeps the clock reads out of the measurement, and reading it
  // once per decision crashed Node 20.20 about once in 15 runs (V8 "Fatal error: unreachable code" in
  // Deoptimizer::DoComputeBuiltinContinuation, always in the one-request case); batched, none in 50 runs.
  const repeat = Math.ceil(64 / requests.length);
  const start = process.cpuUsage();
  let decisions = 0;
  let used = 0;
  do {
    for (let k = 0; k < repeat; k++) for (const r of requests) decide(r);
    decisions += repeat * requests.length;
    const u = process.cpuUsage(start);
    used = (u.user + u.system) / 1e6;
  } while (used < seconds);
  return decisions / used;
}

function decisionCase(name: string, authorizer: Authorizer, requests: readonly AuthorizationRequest[], seconds: number): BenchCase {
  return {
    name,
    unit: 'decisions/s',
    baselineName: 'isAuthorized re-parsing per call',
    run: async () => decisionRate(authorizer.authorize, requests, seconds),
    baseline: async () => decisionRate(authorizer.authorizeReparsing, requests, seconds),
  };
}

export const authorizationGroup: BenchGroup = {
  name: 'authorization',
  async setup(options) {
    options.progress('loading and validating the Cedar policies');
    const authorizer = createAuthorizer({ now: () => NOW });
    const matrix = MATRIX.map((c) => c.request);
    // one job submission as the gateway asks it: the operator with the one licence it names, one dataset
    const submit: AuthorizationRequest[] = [
      {
        principal: operatorEntity({ id: 'op-active', status: 'active' }, [LICENSE_POPULATION]),
        action: 'SubmitJob',
        resource: datasetEntity(DATASETS.population),
        context: { license: LICENSE_POPULATION.id, fields: ['birth_date', 'region_code'], operations: ['aggregate'] },
      },
    ];
    // V8 compiles WebAssembly in tiers; warm both paths so that neither is measured on the baseline compiler
    options.progress('warming up the Cedar engine');
    for (let i = 0; i < 20; i++) for (const r of matrix) authorizer.authorize(r);
    for (const r of matrix) authorizer.authorizeReparsing(r);
    const seconds = Math.max(0.2, options.scale);
    return {
      cases: [
        decisionCase(`decide the decision matrix (${matrix.length} mixed requests)`, authorizer, matrix, seconds),
        decisionCase('decide a job submission (SubmitJob)', authorizer, submit, seconds),
      ],
      cleanup: async () => {},
    };
  },
};
