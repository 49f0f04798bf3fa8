// What the encrypted-statistics verbs receive: structurally the gateway's verb context (the sandbox imports no gateway).
import type { JobsContext } from '../jobs/context.ts';

export type EncryptedStatisticsContext = JobsContext;
