export { AppError, ERROR_CODES, isAppError } from './app-error.ts';
export type { AppErrorOptions, ErrorCode } from './app-error.ts';
