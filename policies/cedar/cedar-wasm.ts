// The one import of the Cedar engine. Its `nodejs` build (CommonJS, loads the .wasm with fs) is the one that works
// under Node 20 ESM, tsx and vitest; the package's default `esm` build imports the .wasm file as a module, which
// Node 20 refuses without --experimental-wasm-modules.
export {
  checkParseSchema,
  getCedarVersion,
  isAuthorized,
  policySetTextToParts,
  policyToJson,
  preparsePolicySet,
  preparseSchema,
  schemaToJson,
  statefulIsAuthorized,
  validate,
} from '@cedar-policy/cedar-wasm/nodejs';
export type { AuthorizationAnswer, Context, DetailedError, EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
