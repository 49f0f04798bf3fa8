// Bringing the platform up: open the database, migrate, bootstrap, seed; retried while the database is away.
import { join, resolve } from 'node:path';
import type { Sm2KeyPair } from '../crypto/index.ts';
import { createAuthorizer, type PolicySet } from '../policies/index.ts';
import { AuditLog, loadAuditSigningKey, migrate, openDatabase } from '../store/index.ts';
import { isAppError } from '../errors/index.ts';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { SigningKeys } from './identity/signing-keys.ts';
import type { Logger } from './logger.ts';

/** Opens and migrates the database and makes sure a signing key exists. Throws if the database is unreachable. */
export async function startServices(config: Config, policies: PolicySet, embeddedSocket?: string): Promise<Services> {
  // the embedded default: PGlite runs in a process of its own (store/embedded), reached on its socket
  const database = await openDatabase(embeddedSocket ? { embeddedSocket } : { url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const keys = new SigningKeys(database.db);
    await keys.ensureKey();
    const keyFile = join(resolve(config.dataDir), 'audit-checkpoint-key.pem');
    let checkpointKey: Promise<Sm2KeyPair> | undefined;
    return {
      database,
      keys,
      audit: new AuditLog(database),
      policies,
      authorizer: createAuthorizer(),
      checkpointKey: () => (checkpointKey ??= loadAuditSigningKey(keyFile)),
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

/** Describes a start-up failure in one line without the URL (it may hold a password). */
export function describeStartError(err: unknown): string {
  if (isAppError(err)) return err.message;
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED') return 'database refused the connection';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'database host not found';
  if (e.code === 'CONNECT_TIMEOUT') return 'database connection timed out';
  if (e.code === '28P01' || e.code === '28000') return 'database rejected the credentials';
  if (e.code === '3D000') return 'database does not exist';
  return `database unavailable (${e.code ?? (err as Error).name ?? 'error'})`;
}

/** Keeps trying to start services with capped backoff; `/readyz` says 503 meanwhile. Never throws. */
export async function startServicesWithRetry(
  config: Config,
  policies: PolicySet,
  logger: Logger,
  shouldStop: () => boolean,
  embeddedSocket?: string,
): Promise<Services | undefined> {
  let delay = 1000;
  while (!shouldStop()) {
    try {
      return await startServices(config, policies, embeddedSocket);
    } catch (err) {
      logger.error({ reason: describeStartError(err), retryInMs: delay }, 'database not ready');
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, 30_000);
    }
  }
  return undefined;
}
