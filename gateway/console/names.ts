// Names beside ids: staff accounts by username, operators by their registered name, looked up once per page for all
// the ids it shows. An id the tables no longer know stays as it is.
import { inArray } from 'drizzle-orm';
import { schema, type Db } from '../../store/index.ts';

export interface Names {
  staff(id: string | null | undefined): string | null;
  operator(id: string | null | undefined): string | null;
}

export async function namesFor(db: Db, ids: { staff?: readonly (string | null | undefined)[]; operators?: readonly (string | null | undefined)[] }): Promise<Names> {
  const clean = (list: readonly (string | null | undefined)[] | undefined) => [...new Set((list ?? []).filter((x): x is string => typeof x === 'string' && x.length > 0))];
  const staffIds = clean(ids.staff);
  const operatorIds = clean(ids.operators);
  const [staff, operators] = await Promise.all([
    staffIds.length ? db.select({ id: schema.staffAccounts.id, name: schema.staffAccounts.username }).from(schema.staffAccounts).where(inArray(schema.staffAccounts.id, staffIds)) : [],
    operatorIds.length ? db.select({ id: schema.operators.id, name: schema.operators.name }).from(schema.operators).where(inArray(schema.operators.id, operatorIds)) : [],
  ]);
  const staffNames = new Map(staff.map((s) => [s.id, s.name]));
  const operatorNames = new Map(operators.map((o) => [o.id, o.name]));
  return {
    staff: (id) => (id ? (staffNames.get(id) ?? null) : null),
    operator: (id) => (id ? (operatorNames.get(id) ?? null) : null),
  };
}
