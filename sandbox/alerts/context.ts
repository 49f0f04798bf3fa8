// What the alert verbs receive: structurally the gateway's verb context (the sandbox imports no gateway).
import type { JobsContext } from '../jobs/context.ts';

export type AlertsContext = JobsContext;
