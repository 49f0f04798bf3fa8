// Federated jobs across domain nodes (1+32+N): each node reduces locally, partials cross only under secure aggregation,
// the coordinator unmasks the sum alone and applies disclosure control once. Transport and identity live in gateway/.
export { federatedJobSchema, partyNumber, roundParamsSchema, vectorLength } from './spec.ts';
export type { FederatedJob, RoundParams } from './spec.ts';
export { computePartial } from './local-partial.ts';
export type { LocalPartial, LocalRunOptions } from './local-partial.ts';
export { FederationParticipant, quantizePartial, ROUND_STEPS } from './participant.ts';
export type { ParticipantOptions, RoundStep } from './participant.ts';
export { runRound } from './coordinator.ts';
export type { CoordinatorOptions, RoundCall, RoundSum } from './coordinator.ts';
export { releaseTotals, totalsToTables } from './release.ts';
export type { FederatedRelease, ReleaseOptions } from './release.ts';
export { decodeVector, encodeVector } from './wire.ts';
export type { AuditSink } from './audit.ts';
export { submitFederatedJob, submitFederatedSchema } from './submit.ts';
export type { SubmitFederatedDeps, SubmitFederatedInput } from './submit.ts';
