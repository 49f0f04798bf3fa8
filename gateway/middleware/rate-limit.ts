// Token-bucket rate limits per caller IP and per principal; 429 with Retry-After when a bucket is empty.
// On PostgreSQL the buckets live in the database, so all gateway processes enforce one limit together
// (shared-buckets.ts); on the embedded database (one process) and whenever the database fails, in this process.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../errors/index.ts';
import type { Database } from '../../store/index.ts';
import { rateLimitRefusals, rateLimitStoreFailures } from '../../telemetry/index.ts';
import type { AppEnv, GatewayDeps } from '../context.ts';
import { SharedBuckets } from './shared-buckets.ts';

export interface BucketRule {
  /** tokens added per second */
  rate: number;
  /** most tokens a bucket holds (the burst) */
  burst: number;
}

/** Most buckets kept; the oldest are dropped first (a full bucket is the same as no bucket). */
const MAX_BUCKETS = 50_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `key`; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const t = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.rule.burst;
    if (bucket) {
      tokens = Math.min(this.rule.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.rule.rate);
      this.buckets.delete(key);
    } else if (this.buckets.size >= MAX_BUCKETS) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: t });
      return (1 - tokens) / this.rule.rate;
    }
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    return 0;
  }
}

export interface RateLimits {
  /** every request, per caller IP */
  perIp: BucketRule;
  /** every authenticated request, per principal */
  perPrincipal: BucketRule;
  /** /auth/*, per caller IP: sign-in guessing is the thing to slow */
  auth: BucketRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  perIp: { rate: 100, burst: 200 },
  perPrincipal: { rate: 50, burst: 100 },
  auth: { rate: 0.5, burst: 10 },
};

/** One token asked of one bucket. */
export interface BucketClaim {
  bucket: 'ip' | 'auth' | 'principal';
  key: string;
  rule: BucketRule;
}

/** This process's own buckets, one set per rule set (tests build apps with rules of their own). */
const localBuckets = new WeakMap<RateLimits, Record<BucketClaim['bucket'], TokenBuckets>>();
const sharedBuckets = new WeakMap<Database, SharedBuckets>();

function takeLocally(limits: RateLimits, claims: readonly BucketClaim[]): number {
  let buckets = localBuckets.get(limits);
  if (!buckets) localBuckets.set(limits, (buckets = { ip: new TokenBuckets(limits.perIp), auth: new TokenBuckets(limits.auth), principal: new TokenBuckets(limits.perPrincipal) }));
  return Math.max(0, ...claims.map((c) => buckets[c.bucket].take(c.key)));
}

/**
 * Liveness is this process's own business: `/healthz` must answer at once while the database is slow (a long load, a
 * busy server) or gone, or an orchestrator would restart healthy gateways. Its callers are limited in this process.
 */
const LIMITED_LOCALLY = new Set(['/healthz']);

/** Takes the tokens; throws RATE_LIMITED (429 with Retry-After) when a bucket is empty. */
async function take(deps: GatewayDeps, claims: BucketClaim[], locally = false): Promise<void> {
  const limits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  const database = deps.services()?.database;
  let wait: number;
  // shared buckets live in the database when several gateways share it; the embedded database has one gateway
  if (!locally && database?.kind === 'postgres' && !database.singleSession) {
    let shared = sharedBuckets.get(database);
    if (!shared) sharedBuckets.set(database, (shared = new SharedBuckets(database)));
    try {
      wait = await shared.take(claims);
    } catch {
      // the database is failing: keep limiting in this process rather than letting everything through or failing
      rateLimitStoreFailures.inc();
      wait = takeLocally(limits, claims);
    }
  } else {
    wait = takeLocally(limits, claims);
  }
  if (wait > 0) {
    // the last claim is the tightest: auth on /auth/*, else ip; principal on its own
    rateLimitRefusals.inc({ bucket: claims.at(-1)!.bucket });
    throw new AppError('RATE_LIMITED', 'too many requests; slow down', { details: { retryAfterSeconds: Math.ceil(wait) } });
  }
}

/** Per-IP and /auth/* limits: runs before authentication. */
export function rateLimitByIp(deps: GatewayDeps): MiddlewareHandler<AppEnv> {
  const limits = deps.rateLimits ?? DEFAULT_RATE_LIMITS;
  return async (c, next) => {
    const ip = c.get('ip') ?? 'unknown';
    const claims: BucketClaim[] = [{ bucket: 'ip', key: ip, rule: limits.perIp }];
    if (c.req.path.startsWith('/auth/')) claims.push({ bucket: 'auth', key: ip, rule: limits.auth });
    await take(deps, claims, LIMITED_LOCALLY.has(c.req.path));
    await next();
  };
}

/** Per-principal limit, called by the authentication middleware once it knows who is calling. Throws RATE_LIMITED. */
export async function limitPrincipal(deps: GatewayDeps, principal: string): Promise<void> {
  await take(deps, [{ bucket: 'principal', key: principal, rule: (deps.rateLimits ?? DEFAULT_RATE_LIMITS).perPrincipal }]);
}
