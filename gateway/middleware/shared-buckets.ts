// Token buckets kept in PostgreSQL, so every gateway process sharing the database enforces one limit together: one
// statement per check takes a token from each bucket atomically (row locks serialise concurrent takes on a key).
import { sql } from 'drizzle-orm';
import type { Database } from '../../store/index.ts';
import type { BucketClaim } from './rate-limit.ts';

/** Buckets untouched this long are full again under every rule in use, so their rows can go. */
const SWEEP_AFTER = "interval '1 hour'";
const SWEEP_EVERY_MS = 60_000;

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];

export class SharedBuckets {
  private lastSweep = Date.now();

  constructor(private readonly database: Database) {}

  /**
   * Takes one token from each claimed bucket. Resolves with 0 when every bucket had one, else the seconds until the
   * emptiest refills. Rejects when the database does (the caller falls back to its own buckets).
   */
  async take(claims: readonly BucketClaim[]): Promise<number> {
    if (claims.length === 0) return 0;
    const values = sql.join(
      claims.map((c) => sql`(${`${c.bucket}:${c.key}`}, ${c.rule.burst - 1}::float8, ${c.rule.rate}::float8, ${c.rule.burst}::float8, clock_timestamp(), true)`),
      sql`, `,
    );
    // refilled = min(burst, tokens + elapsed × rate); a take is allowed when refilled ≥ 1, and then spends one
    const refilled = sql.raw('least(excluded.burst, b.tokens + extract(epoch FROM clock_timestamp() - b.at) * excluded.rate)');
    const result = await this.database.db.execute(sql`
      INSERT INTO rate_limit_buckets AS b (key, tokens, rate, burst, at, allowed) VALUES ${values}
      ON CONFLICT (key) DO UPDATE SET
        tokens = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
        allowed = ${refilled} >= 1,
        rate = excluded.rate, burst = excluded.burst, at = clock_timestamp()
      RETURNING tokens, rate, allowed`);
    this.sweepNow();
    let wait = 0;
    for (const row of rowsOf<{ tokens: number; rate: number; allowed: boolean }>(result)) {
      if (!row.allowed) wait = Math.max(wait, (1 - Number(row.tokens)) / Number(row.rate));
    }
    return wait;
  }

  /** At most once a minute per process, in the background: rows of long-full buckets are deleted. */
  private sweepNow(): void {
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    this.database.db.execute(sql`DELETE FROM rate_limit_buckets WHERE at < clock_timestamp() - ${sql.raw(SWEEP_AFTER)}`).catch(() => {});
  }
}
