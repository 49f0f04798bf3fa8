// Token-bucket rate limits per caller IP and per principal; 429 with Retry-After when a bucket is empty.
// Buckets live in this process: with several gateways each enforces its own share (documented in the README).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../errors/index.ts';
import type { AppEnv } from '../context.ts';

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

function refuse(seconds: number): never {
  throw new AppError('RATE_LIMITED', 'too many requests; slow down', { details: { retryAfterSeconds: Math.ceil(seconds) } });
}

/** Per-IP and /auth/* limits: runs before authentication. */
export function rateLimitByIp(limits: RateLimits): MiddlewareHandler<AppEnv> {
  const perIp = new TokenBuckets(limits.perIp);
  const auth = new TokenBuckets(limits.auth);
  return async (c, next) => {
    const ip = c.get('ip') ?? 'unknown';
    const wait = Math.max(perIp.take(ip), c.req.path.startsWith('/auth/') ? auth.take(ip) : 0);
    if (wait > 0) refuse(wait);
    await next();
  };
}

const principalBuckets = new WeakMap<RateLimits, TokenBuckets>();

/** Per-principal limit, called by the authentication middleware once it knows who is calling. Throws RATE_LIMITED. */
export function limitPrincipal(limits: RateLimits, principal: string): void {
  let buckets = principalBuckets.get(limits);
  if (!buckets) principalBuckets.set(limits, (buckets = new TokenBuckets(limits.perPrincipal)));
  const wait = buckets.take(principal);
  if (wait > 0) refuse(wait);
}
