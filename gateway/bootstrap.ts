// First start: the first security and steward accounts, with given or generated passwords, created once.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import { isAppError } from '../errors/index.ts';
import type { Database } from '../store/index.ts';
import { staffAccounts } from './schema.ts';
import { createStaffAccount, type StaffRole } from './identity/staff.ts';

// key custodians are created by hand (a custodian holds a Paillier private key outside the platform)
export const BOOTSTRAP_USERNAMES: Record<Exclude<StaffRole, 'custodian'>, string> = { security: 'security', steward: 'steward' };

export interface BootstrapResult {
  created: StaffRole[];
  /** where generated passwords were written, if any were generated */
  credentialsFile: string | undefined;
}

/** Creates whichever bootstrap accounts are missing. Generated passwords go to a 0600 file, never to the log. */
export async function bootstrapStaff(
  database: Database,
  options: { dataDir: string; passwords: Partial<Record<StaffRole, string | undefined>> },
): Promise<BootstrapResult> {
  const existing = await database.db
    .select({ username: staffAccounts.username })
    .from(staffAccounts)
    .where(inArray(staffAccounts.username, Object.values(BOOTSTRAP_USERNAMES)));
  const have = new Set(existing.map((r) => r.username));
  const created: StaffRole[] = [];
  const generated: string[] = [];
  for (const role of ['security', 'steward'] as const) {
    const username = BOOTSTRAP_USERNAMES[role];
    if (have.has(username)) continue;
    const password = options.passwords[role] ?? randomBytes(18).toString('base64url');
    try {
      await createStaffAccount(database.db, { username, password, role, department: null });
    } catch (err) {
      // another gateway starting at the same moment created it first (deploy/topology.test.ts found this race)
      if (isAppError(err) && err.code === 'CONFLICT') continue;
      throw err;
    }
    if (!options.passwords[role]) generated.push(`${username}\t${password}`);
    created.push(role);
  }
  let credentialsFile: string | undefined;
  if (generated.length > 0) {
    await mkdir(options.dataDir, { recursive: true });
    credentialsFile = join(options.dataDir, 'bootstrap-credentials.txt');
    await writeFile(credentialsFile, `# username\tpassword (generated at first start; change them)\n${generated.join('\n')}\n`, { mode: 0o600 });
  }
  return { created, credentialsFile };
}
