// Database spans and pool figures: the driver clients are wrapped once, so every statement — drizzle's or raw — gets a
// span (`SELECT jobs`, `INSERT audit_log`, `TRANSACTION`) under the active request or job span, and the pool reports
// how many connections are busy. Span attributes name the operation and the table only: never SQL text or parameters.
import type { PGlite } from '@electric-sql/pglite';
import type postgres from 'postgres';
import { dbOperationDuration, SpanKind, startSpan, withSpan, type PoolStats } from '../telemetry/index.ts';

const OPERATION = /^\s*(?:\/\*.*?\*\/\s*)?([A-Za-z]+)/s;
const TABLE = /\b(?:from|into|update|table)\s+(?:only\s+)?(?:"?[a-z_][a-z0-9_]*"?\.)?"?([a-z_][a-z0-9_]*)"?/i;

/** `SELECT`, `INSERT`, … and the first table the statement names: identifiers only, never a literal or parameter. */
export function describeStatement(text: string): { operation: string; table: string | undefined } {
  const operation = (OPERATION.exec(text)?.[1] ?? 'OTHER').toUpperCase().slice(0, 16);
  return { operation, table: TABLE.exec(text)?.[1]?.slice(0, 63) };
}

/** Counts connections held by statements and transactions (a transaction holds one for its whole length). */
class PoolUse {
  busy = 0;
  constructor(readonly max: number) {}
  stats(): PoolStats {
    return { max: this.max, inUse: Math.min(this.busy, this.max), pending: Math.max(0, this.busy - this.max) };
  }
}

function statementSpan(system: string, text: string) {
  const { operation, table } = describeStatement(text);
  const started = performance.now();
  const handle = startSpan(table ? `${operation} ${table}` : operation, { 'db.system.name': system, 'db.operation.name': operation, ...(table ? { 'db.collection.name': table } : {}) }, SpanKind.CLIENT);
  return (err?: unknown) => {
    dbOperationDuration.observe({ operation }, (performance.now() - started) / 1000);
    handle.end(err);
  };
}

async function transactionSpan<T>(system: string, pool: PoolUse | undefined, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  if (pool) pool.busy++;
  try {
    return await withSpan('TRANSACTION', { 'db.system.name': system, 'db.operation.name': 'TRANSACTION' }, run, SpanKind.CLIENT);
  } finally {
    if (pool) pool.busy--;
    dbOperationDuration.observe({ operation: 'TRANSACTION' }, (performance.now() - started) / 1000);
  }
}

/** A postgres.js query: a promise whose `then` starts it. */
type PendingQuery = { then: (this: PendingQuery, ...args: unknown[]) => Promise<unknown> };

/**
 * postgres.js: `unsafe` (what drizzle and our raw client call) and `begin`/`savepoint` are observed. A query runs when
 * it is first awaited, so its span starts there and ends when it settles. `pool` is absent inside a transaction.
 */
function observePostgresSql<T extends postgres.Sql | postgres.TransactionSql>(sql: T, pool: PoolUse | undefined): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (text: string, ...rest: unknown[]) => {
          const query = (target.unsafe as (...args: unknown[]) => PendingQuery)(text, ...rest);
          const then = query.then;
          let settled = false;
          query.then = function (this: PendingQuery, onFulfilled?: unknown, onRejected?: unknown) {
            if (settled) return then.call(this, onFulfilled, onRejected);
            settled = true;
            if (pool) pool.busy++;
            const end = statementSpan('postgresql', text);
            const done = (err?: unknown) => {
              if (pool) pool.busy--;
              end(err);
            };
            return then.call(
              this,
              (value: unknown) => {
                done();
                return typeof onFulfilled === 'function' ? onFulfilled(value) : value;
              },
              (err: unknown) => {
                done(err);
                if (typeof onRejected === 'function') return onRejected(err);
                throw err;
              },
            );
          };
          return query;
        };
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const original = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return transactionSpan('postgresql', prop === 'begin' ? pool : undefined, () =>
            original.call(target, ...args, (tx: postgres.TransactionSql) => fn(observePostgresSql(tx, undefined))),
          );
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' && prop !== 'constructor' ? value.bind(target) : value;
    },
    // `sql\`...\`` tagged templates: not used by the platform's code (drizzle and the raw client use unsafe)
    apply(target, thisArg, args) {
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, thisArg, args);
    },
  }) as T;
}

/** Wraps a postgres.js pool; returns it with its pool figures. */
export function observePostgres(sql: postgres.Sql, max: number): { sql: postgres.Sql; stats: () => PoolStats } {
  const pool = new PoolUse(max);
  return { sql: observePostgresSql(sql, pool), stats: () => pool.stats() };
}

type PgliteQueryable = Pick<PGlite, 'query' | 'exec'>;

function observePgliteQueryable<T extends PgliteQueryable>(client: T, pool: PoolUse | undefined): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query' || prop === 'exec') {
        const original = Reflect.get(target, prop, receiver) as (text: string, ...rest: unknown[]) => Promise<unknown>;
        return async (text: string, ...rest: unknown[]) => {
          if (pool) pool.busy++;
          const end = statementSpan('postgresql', text);
          try {
            const result = await original.call(target, text, ...rest);
            end();
            return result;
          } catch (err) {
            end(err);
            throw err;
          } finally {
            if (pool) pool.busy--;
          }
        };
      }
      if (prop === 'transaction') {
        const original = Reflect.get(target, prop, receiver) as (fn: (tx: PgliteQueryable) => Promise<unknown>) => Promise<unknown>;
        return (fn: (tx: PgliteQueryable) => Promise<unknown>) =>
          transactionSpan('postgresql', pool, () => original.call(target, (tx) => fn(observePgliteQueryable(tx, undefined))));
      }
      const value = Reflect.get(target, prop, receiver);
      // PGlite keeps state in private fields: its other methods must run on the real instance
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Wraps the embedded PGlite (one connection); returns it with its pool figures. */
export function observePglite(client: PGlite): { client: PGlite; stats: () => PoolStats } {
  const pool = new PoolUse(1);
  return { client: observePgliteQueryable(client, pool), stats: () => pool.stats() };
}
