// Output disclosure control (输出审查): what the platform checks and changes before any aggregate leaves.

export { checkRelease } from './check-release.ts';
export type { CheckReleaseOptions, ModelOutput, ReleaseCheck, ReleasedModel, ReleaseRequest } from './check-release.ts';
export { suppressSmallCells } from './suppress.ts';
export type { SuppressionOptions, SuppressionResult } from './suppress.ts';
export { entryContributors, gridIndex, tableLines } from './table-layout.ts';
export type { ContributorTable, SuppressionMark, SuppressionReason } from './table-layout.ts';
export { recoverableEntries } from './audit-suppression.ts';
export { redactAndRound, roundTo } from './round.ts';
export type { RedactRoundOptions } from './round.ts';
export { dominance, DOMINANCE_RULE } from './dominance.ts';
export type { DominanceRule, DominanceTop2 } from './dominance.ts';
export { DEFAULT_SIZE_LIMITS, sizeGate } from './size-gate.ts';
export type { OutputSize, SizeGateResult, SizeLimits } from './size-gate.ts';
export { differencingCheck } from './differencing.ts';
export type { CandidateCell, DifferencingHit, DifferencingResult, ReleasedCellRecord } from './differencing.ts';
export { CONTRIBUTORS_PER_COEFFICIENT, MAX_SCALED_LOGISTIC_SE, MODEL_SIGNIFICANT_DIGITS, modelFindings, modelProblems, releasedFit } from './model-checks.ts';
export type { ModelEvidence, ModelFit, ModelProblem, ReleasedFit } from './model-checks.ts';
export { renderTable } from './render-release.ts';
export type { ReleasedTable, ReleasedValue, RenderMeta } from './render-release.ts';
export { groupContributors, patternGroups, tableEntries } from './table-entries.ts';
export type { PatternGroup } from './table-entries.ts';
export { releaseRecord } from './release-record.ts';
export type { CheckName, CheckOutcome, ReleaseRecord, ReleaseRecordInput } from './release-record.ts';
export { checkDpRelease } from './release-dp.ts';
export type { DpModelProblem, DpModelRequest, DpReleaseCheck, DpReleasedModel, DpReleaseOptions, DpReleaseRequest } from './release-dp.ts';
export { dpTableObstacle, dpTableUnits, QUANTILE_BINS, releaseDpTables } from './dp-tables.ts';
export type { DpMark, DpTable, DpTableRequest, DpTablesOptions, DpTablesRelease, DpValue } from './dp-tables.ts';
