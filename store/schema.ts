// Every module's tables, gathered for drizzle and drizzle-kit. Modules own their tables; this file only lists them.
import { rateLimitBuckets, signingKeys, staffAccounts } from '../gateway/schema.ts';
import { datasets, datasetVersions } from './registry/schema.ts';
import { auditCheckpoints, auditLog, auditLogMeta } from './audit/schema.ts';
import { licenses, operatorKeys, operators, usedAssertions } from './whitelist/schema.ts';
import { budgetLedger, datasetBudgets, jobResults, jobReviewDecisions, jobs, jobShardRuns, jobWorkers, releasedCells } from '../sandbox/jobs/schema.ts';
import { alerts } from '../sandbox/alerts/schema.ts';
import { applications, catalogEntries, downloadCounts, feedback, priorityListDrafts, priorityListVersions } from '../catalog-open/schema.ts';
import { encryptedContributions, encryptedRounds } from '../sandbox/encrypted-statistics/schema.ts';

export const schema = { datasets, datasetVersions, staffAccounts, signingKeys, rateLimitBuckets, auditLog, auditLogMeta, auditCheckpoints, operators, operatorKeys, licenses, usedAssertions, jobs, jobResults, budgetLedger, datasetBudgets, jobReviewDecisions, releasedCells, jobWorkers, jobShardRuns, alerts, catalogEntries, priorityListDrafts, priorityListVersions, applications, feedback, downloadCounts, encryptedRounds, encryptedContributions };
export { datasets, datasetVersions, rateLimitBuckets, signingKeys, staffAccounts };
export { auditCheckpoints, auditLog, auditLogMeta };
export { licenses, operatorKeys, operators, usedAssertions };
export { budgetLedger, datasetBudgets, jobResults, jobReviewDecisions, jobs, jobShardRuns, jobWorkers, releasedCells };
export { alerts };
export { applications, catalogEntries, downloadCounts, feedback, priorityListDrafts, priorityListVersions };
export { encryptedContributions, encryptedRounds };
