// Who may manage a dataset in the registry. Interim rule until the Cedar policies (issue 3) decide it:
// stewards manage their own department's datasets; a steward with no department manages all; the system seeds.
import type { Actor } from './actor.ts';

export type RegistryAction = 'register' | 'describe' | 'load' | 'read';

export function mayManageDataset(actor: Actor, action: RegistryAction, datasetDepartment: string | undefined): boolean {
  if (actor.type === 'system') return true;
  if (actor.type !== 'staff') return false;
  if (action === 'read') return true;
  if (actor.role !== 'steward') return false;
  return actor.department === null || datasetDepartment === undefined || actor.department === datasetDepartment;
}
