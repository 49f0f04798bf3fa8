// Execution of operators' models: fresh isolated-vm isolates in supervised worker processes, checked output.
export { createIsolatePool } from './isolate-pool.ts';
export type { IsolatePool, IsolatePoolOptions, ModelJob, ModelJobResult, PoolStats } from './isolate-pool.ts';
export { decodeOutput } from './decode-output.ts';
export type { KeyOutput, MapOutput } from './decode-output.ts';
export { BAD_OUTPUT_REASONS, SANDBOX_FAILURE_CODES, redactRuntimeError, redactSyntaxError } from './failure.ts';
export type { SandboxFailure, SandboxFailureCode } from './failure.ts';
export { DEFAULT_LIMITS, MAX_CODE_LENGTH, MAX_PARAMS_LENGTH, resolveLimits } from './limits.ts';
export type { JobLimits } from './limits.ts';
export type { JobUsage } from './protocol.ts';
export { COLUMN_NAME, layoutColumns } from './wire.ts';
export type { ColumnInput, InputLayout, OutputHeader } from './wire.ts';
export type { Column, Columns, JobInfo, KeyColumn, MapFunction, MapResult, MeasureColumn, NumericColumn, Params, StringColumn } from './model-api.d.ts';
