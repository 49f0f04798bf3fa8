// Upgrades run forward on a populated database of the previous release: previous-release.sql.gz was written by that
// release's own code (make-fixture.sh: its migrations, its demo seeding, a job its worker ran). Today's migrations
// apply over it, nothing is lost, the audit chain still verifies and grows, and today's code reads the old rows.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AuditLog, listDatasets, migrate, migrationsApplied, type Database } from '../index.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { openPglite, pgliteClientOf } from '../open-pglite.ts';
import { openPostgres } from '../open-postgres.ts';

const dump = gunzipSync(readFileSync(new URL('./previous-release.sql.gz', import.meta.url))).toString('utf8');
const journal = JSON.parse(readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: { tag: string }[] };

let database: Database;
let drop: () => Promise<void>;

/** A fresh, empty database with the previous release's dump restored into it (pg_dump plain format, --inserts). */
async function restorePreviousRelease(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const pglite = await openPglite(undefined);
    await pgliteClientOf(pglite).exec(dump);
    // the dump empties search_path for its session, which on PGlite is the only session
    await pgliteClientOf(pglite).exec('RESET ALL');
    return { database: pglite, drop: () => pglite.close() };
  }
  const name = `upgrade_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // its own connection: the dump's session settings must not leak into the pool
  const restore = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await restore.unsafe(dump).simple();
  await restore.end();
  const restored = openPostgres({ url: url.toString(), max: 4 });
  return {
    database: restored,
    async drop() {
      await restored.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const count = async (table: string) => Number((await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

beforeAll(async () => {
  ({ database, drop } = await restorePreviousRelease());
});
afterAll(() => drop?.());

describe('upgrading a database of the previous release', () => {
  const before: Record<string, number> = {};
  const tables = ['audit_log', 'staff_accounts', 'operators', 'licenses', 'jobs', 'job_results', 'budget_ledger', 'datasets', 'dataset_versions', 'catalog_entries', 'priority_list_versions'];

  it('starts from a populated previous release that lacks migrations of today', async () => {
    for (const table of tables) before[table] = await count(table);
    expect(before.audit_log).toBeGreaterThan(20);
    expect(before.jobs).toBeGreaterThanOrEqual(3);
    expect(before.job_results).toBeGreaterThanOrEqual(1);
    expect(before.datasets).toBeGreaterThanOrEqual(5);
    const applied = await database.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(applied[0]!.n).toBeLessThan(journal.entries.length);
    expect(await migrationsApplied(database)).toBe(false);
    expect((await verifyAudit(database)).valid).toBe(true);
  });

  it('migrates forward, keeping every row, and the audit chain still verifies', async () => {
    await migrate(database);
    expect(await migrationsApplied(database)).toBe(true);
    for (const table of tables) expect(await count(table), table).toBe(before[table]);
    const verification = await verifyAudit(database);
    expect(verification).toMatchObject({ valid: true, entries: before.audit_log, firstInvalidSeq: null });
    // migrating again is a no-op
    await migrate(database);
    expect(await count('audit_log')).toBe(before.audit_log);
  });

  it('serves the old rows through today’s code and extends the old chain', async () => {
    const page = await listDatasets(database.db, { limit: 50 });
    expect(page.items.map((d) => d.code)).toEqual(expect.arrayContaining(['population', 'legal_persons', 'social_insurance']));
    expect(page.items.find((d) => d.code === 'population')?.currentVersion?.rowCount).toBe(200);
    const log = new AuditLog(database);
    await log.append({ actor: { type: 'system', id: 'upgrade-test' }, action: 'platform.upgraded', resource: 'platform', outcome: 'ok' });
    await log.close();
    expect(await verifyAudit(database)).toMatchObject({ valid: true, entries: before.audit_log! + 1 });
  });

  it('keeps the previous release’s rules: the audit log still refuses changes after the upgrade', async () => {
    await expect(database.sql.query(`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow();
    await expect(database.sql.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow();
  });
});
