// Group `audit`: appends/s to the hash-chained audit log, with and without group commit, on PGlite and PostgreSQL,
// each against the same number of plain INSERTs into an unchained table with the same columns and indexes.
import { AuditLog, createTestDatabase, migrate, openDatabase, type AuditEvent, type Database } from '../../store/index.ts';
import type { BenchCase, BenchGroup } from '../harness.ts';

/** An event the size of a typical request entry. */
function event(i: number): AuditEvent {
  return {
    actor: { type: 'staff', id: `staff-${i % 7}` },
    action: 'http.request',
    resource: `GET /steward/datasets/ds_${i % 50}`,
    outcome: i % 11 ? 'ok' : 'deny',
    ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
    requestId: `bench-${i}`,
    details: { status: 200, ms: i % 97, rows: i },
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/** N concurrent appends (as N concurrent requests would make), each awaited until durable. */
async function appendRate(database: Database, n: number, maxBatch: number, offset: number): Promise<number> {
  const log = new AuditLog(database, { maxBatch });
  const seconds = await timed(() => Promise.all(Array.from({ length: n }, (_, i) => log.append(event(offset + i)))));
  await log.close();
  return n / seconds;
}

/** N concurrent single-row INSERTs (autocommit) into a copy of the table without the chain, lock or trigger. */
async function plainInsertRate(database: Database, n: number, offset: number): Promise<number> {
  const at = new Date().toISOString();
  const seconds = await timed(() =>
    Promise.all(
      Array.from({ length: n }, (_, i) => {
        const e = event(offset + i);
        return database.sql.query(
          `insert into bench_audit_plain (seq, at, actor_type, actor_id, action, resource, outcome, ip, request_id, details, prev_hash, hash)
           values ($1::text::bigint, $2::text::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)`,
          [String(offset + i), at, e.actor.type, e.actor.id, e.action, e.resource, e.outcome, e.ip, e.requestId, JSON.stringify(e.details), '0'.repeat(64), 'f'.repeat(64)],
        );
      }),
    ),
  );
  return n / seconds;
}

function cases(engine: string, database: Database, n: number): BenchCase[] {
  let offset = 1;
  const next = () => (offset += n) - n;
  const baselineName = `the same number of concurrent plain INSERTs (${engine}, no chain)`;
  return [
    {
      name: `audit appends, group commit (${engine})`,
      unit: 'appends/s',
      baselineName,
      run: () => appendRate(database, n, 500, next()),
      baseline: () => plainInsertRate(database, n, next()),
    },
    {
      name: `audit appends, one transaction each (${engine})`,
      unit: 'appends/s',
      baselineName,
      run: () => appendRate(database, n, 1, next()),
      baseline: () => plainInsertRate(database, n, next()),
    },
  ];
}

async function prepare(database: Database): Promise<void> {
  await migrate(database);
  await database.sql.query('CREATE TABLE bench_audit_plain (LIKE audit_log INCLUDING INDEXES)');
}

export const auditGroup: BenchGroup = {
  name: 'audit',
  async setup(options) {
    const n = Math.max(200, Math.round(5000 * options.scale));
    options.progress(`${n.toLocaleString()} concurrent appends per run`);
    const pglite = await openDatabase({});
    await prepare(pglite);
    const all: BenchCase[] = cases('PGlite', pglite, n);
    const cleanups: (() => Promise<void>)[] = [() => pglite.close()];

    if (options.postgresUrl) {
      const throwaway = await createTestDatabase({ adminUrl: options.postgresUrl });
      const server = throwaway.database;
      await prepare(server);
      all.push(...cases('PostgreSQL', server, n));
      cleanups.push(() => throwaway.drop());
    } else {
      options.progress('BENCH_DATABASE_URL not set: skipping the PostgreSQL audit cases');
    }
    return {
      cases: all,
      async cleanup() {
        for (const c of cleanups.reverse()) await c();
      },
    };
  },
};
