export type { AuthorizationQuestion, VerbContext } from './context.ts';
export {
  describeDatasetVerb,
  listDatasetsVerb,
  loadDatasetVerb,
  registerDatasetVerb,
  showDatasetVerb,
} from './registry/registry-verbs.ts';
