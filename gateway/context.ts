// Who is calling and with what: the request-scoped variables every route and verb sees.
import type { Sm2KeyPair } from '../crypto/index.ts';
import type { AuditEvent, AuditLog, Database } from '../store/index.ts';
import type { Config } from './config.ts';
import type { SigningKeys } from './identity/signing-keys.ts';
import type { Logger } from './logger.ts';
import type { RateLimits } from './middleware/rate-limit.ts';

import type { Actor, Authorizer, EntitySlice, PolicySet } from '../policies/index.ts';

export type { Actor };

/** What a route needs once the platform is up; absent while the database is unreachable or migrating. */
export interface Services {
  database: Database;
  keys: SigningKeys;
  /** group-committed audit appends for events not tied to another write (requests, sign-ins) */
  audit: AuditLog;
  /** the Cedar decision point (policies/cedar), parsed and validated once at start */
  authorizer: Authorizer;
  /** the masking, grading and disclosure rules (policies/datasets/*.json), loaded and checked at start */
  policies: PolicySet;
  /** the SM2 key that signs audit checkpoints (kept under DATA_DIR, created on first use) */
  checkpointKey: () => Promise<Sm2KeyPair>;
  /** told when a job is queued: wakes the workers `npm start` runs where the database's NOTIFY cannot reach them */
  jobQueued?: () => void;
}

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  /** returns undefined until the database is open and migrated */
  services: () => Services | undefined;
  /** request rate limits; DEFAULT_RATE_LIMITS when absent */
  rateLimits?: RateLimits;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    actor: Actor;
    /** the caller's IP, or null when unknown */
    ip: string | null;
    /** the caller as a Cedar principal, set by the authentication middleware */
    principal: EntitySlice;
    /** audit events of this request (decisions), appended with the request's own entry before the response leaves */
    auditTrail: AuditEvent[];
  };
};
