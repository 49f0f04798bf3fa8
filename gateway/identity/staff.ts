// Staff accounts: create, and check a sign-in with lockout after repeated failures.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors/index.ts';
import type { Db } from '../../store/index.ts';
import { staffAccounts } from '../schema.ts';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password.ts';

export type StaffRole = 'security' | 'steward' | 'custodian';

export interface StaffAccount {
  id: string;
  username: string;
  role: StaffRole;
  department: string | null;
}

/** Failures in a row before an account locks, and for how long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export async function createStaffAccount(
  db: Db,
  input: { username: string; password: string; role: StaffRole; department?: string | null },
): Promise<StaffAccount> {
  const row = {
    id: randomUUID(),
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    department: input.department ?? null,
  };
  const inserted = await db.insert(staffAccounts).values(row).onConflictDoNothing().returning();
  if (!inserted[0]) throw new AppError('CONFLICT', 'a staff account with this username exists');
  return { id: row.id, username: row.username, role: row.role, department: row.department };
}

export async function findStaffAccount(db: Db, id: string): Promise<StaffAccount | undefined> {
  const rows = await db.select().from(staffAccounts).where(eq(staffAccounts.id, id));
  const row = rows[0];
  if (!row || row.disabledAt) return undefined;
  return { id: row.id, username: row.username, role: row.role, department: row.department };
}

/** Throws INVALID_CREDENTIALS (unknown user and wrong password alike) or ACCOUNT_LOCKED. */
export async function checkStaffLogin(db: Db, username: string, password: string): Promise<StaffAccount> {
  const rows = await db.select().from(staffAccounts).where(eq(staffAccounts.username, username));
  const row = rows[0];
  if (!row || row.disabledAt) {
    await verifyPassword(password, await DUMMY_HASH_PROMISE);
    throw new AppError('INVALID_CREDENTIALS', 'username or password is wrong');
  }
  if (row.lockedUntil && row.lockedUntil.getTime() > Date.now()) {
    throw new AppError('ACCOUNT_LOCKED', 'too many failed sign-ins; the account is locked for a while');
  }
  if (!(await verifyPassword(password, row.passwordHash))) {
    // one statement, so concurrent failures all count
    await db
      .update(staffAccounts)
      .set({
        failedLogins: sql`${staffAccounts.failedLogins} + 1`,
        lockedUntil: sql`CASE WHEN ${staffAccounts.failedLogins} + 1 >= ${LOCKOUT_THRESHOLD}
          THEN now() + make_interval(secs => ${LOCKOUT_MS / 1000}) ELSE NULL END`,
      })
      .where(eq(staffAccounts.id, row.id));
    throw new AppError('INVALID_CREDENTIALS', 'username or password is wrong');
  }
  if (row.failedLogins > 0 || row.lockedUntil) {
    await db.update(staffAccounts).set({ failedLogins: 0, lockedUntil: null }).where(eq(staffAccounts.id, row.id));
  }
  return { id: row.id, username: row.username, role: row.role, department: row.department };
}
