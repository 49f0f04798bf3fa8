// RFC 9457 problem+json: the only shape errors leave the gateway in, and the one place codes become statuses.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode } from '../errors/index.ts';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_READY: 503,
  DATABASE_LOCKED: 503,
  DATASET_NOT_FOUND: 404,
  DATASET_EXISTS: 409,
  LOAD_REJECTED: 422,
  INTERNAL: 500,
  POLICY_INVALID: 500,
  FIELD_NOT_FOUND: 404,
  RELEASE_REFUSED: 422,
  AUDIT_UNAVAILABLE: 503,
  AUDIT_CHAIN_BROKEN: 409,
  QUOTA_EXCEEDED: 429,
  BUDGET_EXHAUSTED: 403,
};

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export function problemOf(err: AppError, requestId?: string): Problem {
  const status = statusOf(err.code);
  return {
    type: `https://errors.gov-data-platform.invalid/${err.code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: err.message,
    code: err.code,
    ...(requestId ? { requestId } : {}),
    ...(err.details ?? {}),
  };
}

export function problemResponse(c: Context, err: AppError, headers: Record<string, string> = {}): Response {
  const problem = problemOf(err, c.get('requestId') as string | undefined);
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json; charset=utf-8',
    ...headers,
  });
}
