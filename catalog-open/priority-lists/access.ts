// Who may change a department's list: the Cedar question, and the audit actor of a change.
import { priorityListEntity } from '../../policies/index.ts';
import type { AuditActor, Db } from '../../store/index.ts';
import type { VerbContext } from '../context.ts';
import { departmentName } from './queries.ts';

/** The audit resource and Cedar entity id of a list. */
export const listResource = (year: number, departmentCode: string) => `priority-list:${year}/${departmentCode}`;

/**
 * Resolves the department and asks Cedar (PublishPriorityList: a steward of that department only).
 * Throws NOT_FOUND (unknown department code), FORBIDDEN.
 */
export async function authorizeList(ctx: VerbContext, db: Db, year: number, departmentCode: string): Promise<string> {
  const department = await departmentName(db, departmentCode);
  await ctx.authorize({ action: 'PublishPriorityList', resource: priorityListEntity({ id: `${year}/${departmentCode}`, department }) });
  return department;
}

export function auditActor(ctx: Pick<VerbContext, 'actor'>): AuditActor {
  const actor = ctx.actor;
  return { type: actor.type, id: actor.type === 'public' ? null : actor.id };
}
