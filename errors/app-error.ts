// The one application error: a stable machine-readable code plus a message that is safe to log and show.

/**
 * Every code the platform raises. Outside tools rely on these strings (problem+json `code`): add, never rename.
 * The gateway maps each to an HTTP status in one place (gateway/problem.ts).
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'NOT_READY',
  'DATABASE_LOCKED',
  'DATASET_NOT_FOUND',
  'DATASET_EXISTS',
  'LOAD_REJECTED',
  'INTERNAL',
  'POLICY_INVALID',
  'FIELD_NOT_FOUND',
  'RELEASE_REFUSED',
  'AUDIT_UNAVAILABLE',
  'AUDIT_CHAIN_BROKEN',
  'QUOTA_EXCEEDED',
  'BUDGET_EXHAUSTED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  /** structured, value-free details a client can act on (e.g. bad line numbers) */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Raised for bad outside input and refused operations. Never put a secret, token, SQL parameter or data value
 * into `message` or `details`: both reach logs and clients.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
