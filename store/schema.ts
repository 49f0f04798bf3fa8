// Every module's tables, gathered for drizzle and drizzle-kit. Modules own their tables; this file only lists them.
import { signingKeys, staffAccounts } from '../gateway/schema.ts';
import { datasets, datasetVersions } from './registry/schema.ts';

export const schema = { datasets, datasetVersions, staffAccounts, signingKeys };
export { datasets, datasetVersions, signingKeys, staffAccounts };
