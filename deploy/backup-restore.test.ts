// docs/operations.md's backup, done to a running system: pg_dump (custom format) while requests keep writing audit
// entries, pg_restore into an empty database, and then the restored platform verifies its audit chain — against the
// checkpoint exported before the backup too — accepts the tokens and passwords of before, and keeps appending.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer, loadPolicies } from '../policies/index.ts';
import { AuditLog, migrationsApplied, openDatabase, testDatabaseKind, verifyAudit, type Database } from '../store/index.ts';
import { generateSm2KeyPair } from '../crypto/index.ts';
import { createApp } from '../gateway/app.ts';
import type { Services } from '../gateway/context.ts';
import { SigningKeys } from '../gateway/identity/signing-keys.ts';
import { createLogger } from '../gateway/logger.ts';
import { createTestGateway, PASSWORDS, type TestGateway } from '../gateway/testing/test-gateway.ts';

const run = promisify(execFile);
const onPostgres = testDatabaseKind() === 'postgres';

/** Debian's server binaries (the newest installed), the same ones .ci/start-postgres.sh starts the server with. */
function pgBinary(name: string): string {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin/${name}`).filter(existsSync).pop();
  return bin ?? name;
}

let gw: TestGateway;
let dir: string;
let restored: Database | undefined;
let restoredUrl: URL;

beforeAll(async () => {
  if (!onPostgres) return;
  gw = await createTestGateway();
  dir = mkdtempSync(join(tmpdir(), 'backup-'));
});
afterAll(async () => {
  await restored?.close();
  if (restoredUrl) {
    const admin = new URL(process.env.TEST_DATABASE_URL!);
    await run(pgBinary('dropdb'), ['--force', '--if-exists', `--maintenance-db=${admin.toString()}`, restoredUrl.pathname.slice(1)]).catch(() => {});
  }
  await gw?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!onPostgres)('backup and restore of a running system (pg_dump / pg_restore; needs TEST_DATABASE_URL)', () => {
  it('restores a consistent copy taken under load: the audit chain verifies, against the exported checkpoint too', async () => {
    const security = await gw.login('security', PASSWORDS.security);
    const steward = await gw.login('steward', PASSWORDS.steward);
    const exported = await gw.app.request('/security/audit/checkpoints', { method: 'POST', headers: security });
    expect(exported.status).toBe(201);
    const checkpoint = (await exported.json()) as { size: number };

    // requests keep coming while the backup runs, each appending its audit entry
    let writing = true;
    let requests = 0;
    const traffic = (async () => {
      while (writing) {
        await Promise.all([gw.app.request('/steward/datasets', { headers: steward }), gw.app.request('/security/operators', { headers: security })]);
        requests += 2;
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const file = join(dir, 'platform.dump');
    // custom format: compressed, restorable selectively; one consistent snapshot (pg_dump runs in one transaction)
    await run(pgBinary('pg_dump'), ['--format=custom', '--no-owner', '--file', file, gw.testDb.url!]);
    await new Promise((r) => setTimeout(r, 200));
    writing = false;
    await traffic;
    expect(requests).toBeGreaterThan(10);

    restoredUrl = new URL(gw.testDb.url!);
    restoredUrl.pathname = `/${restoredUrl.pathname.slice(1)}_restored`;
    await run(pgBinary('createdb'), [`--maintenance-db=${process.env.TEST_DATABASE_URL!}`, restoredUrl.pathname.slice(1)]);
    await run(pgBinary('pg_restore'), ['--no-owner', '--exit-on-error', '--dbname', restoredUrl.toString(), file]);

    restored = await openDatabase({ url: restoredUrl.toString() });
    expect(await migrationsApplied(restored)).toBe(true);
    const liveEntries = Number((await gw.services.database.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]!.n);
    const verification = await verifyAudit(restored, { checkpoint: checkpoint as never });
    expect(verification).toMatchObject({ valid: true, firstInvalidSeq: null });
    // the copy is the log at one instant of the load: past the checkpoint, short of what the live system has now
    expect(verification.entries).toBeGreaterThan(checkpoint.size);
    expect(verification.entries).toBeLessThan(liveEntries);
  });

  it('serves from the copy: the tokens and passwords of before work, and the chain keeps growing', async () => {
    // the checkpoint key lives beside the database (DATA_DIR or the Secret), not in it: it is restored separately
    const checkpointKey = await gw.services.checkpointKey();
    const services: Services = { database: restored!, keys: new SigningKeys(restored!.db), audit: new AuditLog(restored!), policies: loadPolicies(), authorizer: createAuthorizer(), checkpointKey: async () => checkpointKey };
    const app = createApp({ config: gw.config, logger: createLogger('silent'), services: () => services });
    // a token issued by the original before the backup: its signing key came back with the data
    const before = await gw.login('steward', PASSWORDS.steward);
    expect((await app.request('/steward/datasets', { headers: before })).status).toBe(200);
    const login = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'security', password: PASSWORDS.security }) });
    expect(login.status).toBe(200);
    const security = { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
    const verified = (await (await app.request('/security/audit/verify', { headers: security })).json()) as { valid: boolean; entries: number };
    expect(verified.valid).toBe(true);
    await services.audit.close();
    expect((await verifyAudit(restored!)).valid).toBe(true);
  });

  it('needs the checkpoint key restored with the data: under a new key the stored checkpoints no longer verify', async () => {
    const stranger = generateSm2KeyPair();
    const services: Services = { database: restored!, keys: new SigningKeys(restored!.db), audit: new AuditLog(restored!), policies: loadPolicies(), authorizer: createAuthorizer(), checkpointKey: async () => stranger };
    const app = createApp({ config: gw.config, logger: createLogger('silent'), services: () => services });
    const security = await gw.login('security', PASSWORDS.security);
    const verified = (await (await app.request('/security/audit/verify', { headers: security })).json()) as { valid: boolean; reason?: string };
    expect(verified).toMatchObject({ valid: false, reason: 'checkpoint-key' });
  });
});

describe.skipIf(onPostgres)('backup and restore', () => {
  it.skip('needs a PostgreSQL server (TEST_DATABASE_URL) and its pg_dump: the embedded database is backed up by copying DATA_DIR while stopped', () => {});
});
