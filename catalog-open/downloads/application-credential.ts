// The credential of a conditional-open download: an application's id and its status token, checked against the
// stored SHA-256 of the token. Whether it may download (approved, unexpired, this dataset) is Cedar's decision.
import { eq } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { ApplicationInput } from '../../policies/index.ts';
import type { Database } from '../../store/index.ts';
import { statusTokenMatches } from '../applications/status-token.ts';
import { applications } from '../schema.ts';

export interface ApplicationCredential extends ApplicationInput {
  /** the fields the application was approved for: the download releases no others */
  readonly fields: readonly string[];
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

const credentialOf = (row: typeof applications.$inferSelect): ApplicationCredential => ({
  id: row.id,
  department: row.departmentCode,
  datasetCode: row.datasetCode,
  status: row.status,
  expiresAt: row.expiresAt,
  fields: row.fields,
});

/**
 * The application behind an id and status token. Throws UNAUTHENTICATED, with one message for an unknown id and a
 * wrong token alike (no probing which ids exist).
 */
export async function findApplicationCredential(database: Database, id: string, token: string): Promise<ApplicationCredential> {
  const refused = new AppError('UNAUTHENTICATED', 'unknown application or wrong status token');
  if (!ID.test(id) || token.length === 0 || token.length > 200) throw refused;
  const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
  // compared even when the id is unknown, so a miss costs the same as a wrong token
  if (!statusTokenMatches(row?.statusTokenHash, token) || !row) throw refused;
  return credentialOf(row);
}

/**
 * The credential of an application whose status token the caller proved earlier in a session the gateway signed
 * (the portal's download session): only the gateway may call this, after verifying that session. Whether it may
 * download now (approved, unexpired) is still Cedar's decision. Throws UNAUTHENTICATED for an unknown id.
 */
export async function applicationCredentialForSession(database: Database, id: string): Promise<ApplicationCredential> {
  const [row] = ID.test(id) ? await database.db.select().from(applications).where(eq(applications.id, id)) : [];
  if (!row) throw new AppError('UNAUTHENTICATED', 'unknown application');
  return credentialOf(row);
}
