// Production runs the servers as a role that may not change the schema (docs/deployment.md): the tables' owner
// migrates, and a server's own migrate() at start must then do nothing at all — no DDL, so no privilege error.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './index.ts';
import { migrate, migrationsApplied } from './migrate.ts';
import { openPostgres } from './open-postgres.ts';

const onPostgres = testDatabaseKind() === 'postgres';
const role = `app_${randomBytes(4).toString('hex')}`;
let owner: TestDatabase;
let admin: postgres.Sql;

beforeAll(async () => {
  if (!onPostgres) return;
  owner = await createTestDatabase();
  admin = postgres(owner.url!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE ROLE ${role} LOGIN`);
  await admin.unsafe(`GRANT USAGE ON SCHEMA public, data, drizzle TO ${role}`);
  await admin.unsafe(`GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO ${role}`);
  await admin.unsafe(`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO ${role}`);
  await admin.unsafe(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
});
afterAll(async () => {
  if (!onPostgres) return;
  await admin.unsafe(`DROP OWNED BY ${role}`);
  await admin.end();
  await owner.drop();
  const server = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  await server.unsafe(`DROP ROLE IF EXISTS ${role}`);
  await server.end();
});

describe.skipIf(!onPostgres)('migrate() as the servers’ restricted role (needs TEST_DATABASE_URL)', () => {
  it('does nothing on an up-to-date database, and the role could not have changed the schema', async () => {
    const url = new URL(owner.url!);
    url.username = role;
    const app = openPostgres({ url: url.toString(), max: 2 });
    try {
      await expect(migrate(app)).resolves.toBeUndefined();
      expect(await migrationsApplied(app)).toBe(true);
      await expect(app.sql.query('CREATE TABLE public.intruder (id int)')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.close();
    }
  });
});
