// The gateway's ES256 signing keys: kept in the database so every gateway process signs and verifies alike.
import { randomUUID } from 'node:crypto';
import { desc, isNull, lt } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Db } from '../../store/index.ts';
import { signingKeys } from '../schema.ts';

export const ACCESS_TOKEN_ALG = 'ES256';
/** How long a process trusts its cached key set before re-reading it (rotation reaches every process by then). */
const CACHE_MS = 60_000;
/** A retired key verifies for the longest token lifetime plus clock tolerance, then is removed. */
const RETIRED_KEY_GRACE_MS = (15 * 60 + 60) * 1000;

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateKey: CryptoKey | undefined;
  retired: boolean;
}

export class SigningKeys {
  private keys: LoadedKey[] = [];
  private loadedAt = 0;

  constructor(private readonly db: Db) {}

  /** Creates the first key when there is none. Safe to race: the newest unretired key signs. */
  async ensureKey(): Promise<void> {
    const current = await this.db.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
    if (current.length === 0) await this.addKey(this.db);
    this.loadedAt = 0;
  }

  private async addKey(db: Db): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
    const kid = randomUUID();
    await db.insert(signingKeys).values({
      kid,
      alg: ACCESS_TOKEN_ALG,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALG, use: 'sig' },
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ACCESS_TOKEN_ALG },
    });
    return kid;
  }

  /**
   * Retires the signing key and creates its successor. The retired key signs nothing more but keeps verifying
   * (and stays in the JWKS) until every token it signed has expired. `record` runs in the rotation's transaction.
   * Returns the new kid.
   */
  async rotate(record?: (tx: Db, kid: string) => Promise<unknown>): Promise<string> {
    const kid = await this.db.transaction(async (tx) => {
      await tx.update(signingKeys).set({ retiredAt: new Date() }).where(isNull(signingKeys.retiredAt));
      const created = await this.addKey(tx);
      // the audit entry commits with the rotation, or neither happens
      await record?.(tx, created);
      return created;
    });
    // keys retired so long ago that none of their tokens can still be valid are dropped
    await this.db.delete(signingKeys).where(lt(signingKeys.retiredAt, new Date(Date.now() - RETIRED_KEY_GRACE_MS)));
    this.loadedAt = 0;
    return kid;
  }

  private async load(): Promise<LoadedKey[]> {
    if (Date.now() - this.loadedAt < CACHE_MS && this.keys.length > 0) return this.keys;
    const rows = await this.db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
    this.keys = await Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        publicJwk: row.publicJwk as JWK,
        publicKey: (await importJWK(row.publicJwk as JWK, ACCESS_TOKEN_ALG)) as CryptoKey,
        privateKey: row.retiredAt ? undefined : ((await importJWK(row.privateJwk as JWK, ACCESS_TOKEN_ALG)) as CryptoKey),
        retired: row.retiredAt !== null,
      })),
    );
    this.loadedAt = Date.now();
    return this.keys;
  }

  /** The key that signs new tokens. */
  async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    const key = (await this.load()).find((k) => !k.retired && k.privateKey);
    if (!key?.privateKey) throw new TypeError('no signing key: call ensureKey() at start');
    return { kid: key.kid, key: key.privateKey };
  }

  /** The public key for `kid`, or undefined for an unknown kid; an unknown kid forces one re-read (rotation elsewhere). */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    const found = (await this.load()).find((k) => k.kid === kid);
    if (found || Date.now() - this.loadedAt < 1000) return found?.publicKey;
    this.loadedAt = 0;
    return (await this.load()).find((k) => k.kid === kid)?.publicKey;
  }

  /** The public JWKS served at /.well-known/jwks.json. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.load()).map((k) => k.publicJwk) };
  }
}
