export { actorLabel } from './actor.ts';
export type { Actor, StaffRole } from './actor.ts';
export { mayManageDataset } from './dataset-access.ts';
export type { RegistryAction } from './dataset-access.ts';
