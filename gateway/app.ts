// The Hono app factory: middleware, error mapping and every route. No globals: tests build one per case.
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, isAppError, type ErrorCode } from '../errors/index.ts';
import type { AppEnv, GatewayDeps } from './context.ts';
import { clientIp } from './client-ip.ts';
import { accessLog } from './middleware/access-log.ts';
import { auditRequest } from './middleware/audit-request.ts';
import { edgeInput } from './middleware/edge-input.ts';
import { DEFAULT_RATE_LIMITS, rateLimitByIp } from './middleware/rate-limit.ts';
import { problemResponse } from './problem.ts';
import { authRoutes } from './routes/auth.ts';
import { consoleRoutes } from './console/routes.tsx';
import { portalRoutes } from './portal/routes.tsx';
import { docsRoutes } from './routes/docs.ts';
import { ckanRoutes } from './routes/ckan.ts';
import { openDcatRoutes } from './routes/open-dcat.ts';
import { healthRoutes } from './routes/health.ts';
import { operatorDatasetRoutes } from './routes/operator-datasets.ts';
import { operatorJobRoutes } from './routes/operator-jobs.ts';
import { operatorPsiRoutes } from './routes/operator-psi.ts';
import { operatorScoringRoutes } from './routes/operator-scoring.ts';
import { federationRoutes } from './routes/federation.ts';
import { securityAuditRoutes } from './routes/security-audit.ts';
import { securityKeyRoutes } from './routes/security-keys.ts';
import { securityWhitelistRoutes } from './routes/security-whitelist.ts';
import { stewardDatasetRoutes } from './routes/steward-datasets.ts';
import { stewardPrivacyBudgetRoutes } from './routes/steward-privacy-budget.ts';
import { securityAlertRoutes } from './routes/security-alerts.ts';
import { stewardReviewRoutes } from './routes/steward-reviews.ts';
import { authFailureAlerts } from './middleware/auth-failure-alerts.ts';
import { openApplicationRoutes } from './routes/open-applications.ts';
import { openFeedbackRoutes } from './routes/open-feedback.ts';
import { openCatalogRoutes } from './routes/open-catalog.ts';
import { openDownloadRoutes } from './routes/open-downloads.ts';
import { stewardCatalogRoutes } from './routes/steward-catalog.ts';
import { stewardApplicationRoutes } from './routes/steward-applications.ts';
import { stewardFeedbackRoutes } from './routes/steward-feedback.ts';
import { openPriorityListRoutes } from './routes/open-priority-lists.ts';
import { stewardPriorityListRoutes } from './routes/steward-priority-lists.ts';
import { encryptedStatisticsRoutes } from './routes/encrypted-statistics.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { observeRequests } from './telemetry/observe-requests.ts';
import { traceVerbs } from './telemetry/trace-verbs.ts';

export type App = OpenAPIHono<AppEnv>;

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Zod failures: malformed query or path → 400, a well-formed body with invalid content → 422. */
function validationHook(
  result: { success: boolean; target: string; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  c: Parameters<Parameters<App['onError']>[0]>[1],
) {
  if (result.success || !result.error) return undefined;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const code: ErrorCode = result.target === 'json' ? 'VALIDATION_FAILED' : 'BAD_REQUEST';
  return problemResponse(c, new AppError(code, `invalid ${result.target === 'json' ? 'request body' : result.target}`, { details: { issues } }));
}

export function createApp(deps: GatewayDeps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });

  app.use(requestId({ limitLength: 64 }));
  app.use(observeRequests());
  app.use(async (c, next) => {
    c.set('actor', { type: 'public' });
    c.set('ip', clientIp(c, deps.config.trustProxy));
    await next();
  });
  app.use(accessLog(deps.logger));
  app.use(rateLimitByIp(deps));
  app.use('/auth/*', authFailureAlerts(deps));
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  for (const prefix of ['/security/*', '/steward/*', '/operator/*']) app.use(prefix, auditRequest(deps));
  // after the audit (a refused request to a protected route is audited too), before every route
  app.use(edgeInput());

  app.onError((err, c) => {
    if (isAppError(err)) {
      const retry = err.code === 'RATE_LIMITED' || err.code === 'QUOTA_EXCEEDED' ? err.details?.retryAfterSeconds : undefined;
      return problemResponse(c, err, retry === undefined ? {} : { 'Retry-After': String(retry) });
    }
    if (err instanceof HTTPException && err.status < 500) {
      return problemResponse(c, new AppError(HTTP_CODES[err.status] ?? 'BAD_REQUEST', err.message || 'bad request'));
    }
    // a 500 is a bug: log the kind and stack server-side, send nothing of it to the client
    // only the frames: an error's message may quote SQL parameters (drizzle's "Failed query … params") or data
    const frames = ((err as Error).stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
    deps.logger.error({ requestId: c.get('requestId'), err: { name: (err as Error).name, frames } }, 'unhandled error');
    return problemResponse(c, new AppError('INTERNAL', 'an internal error occurred; quote the request id when reporting it'));
  });
  app.notFound((c) => problemResponse(c, new AppError('NOT_FOUND', 'no such route')));

  traceVerbs(app);
  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  authRoutes(app, deps);
  stewardDatasetRoutes(app, deps);
  stewardPrivacyBudgetRoutes(app, deps);
  stewardCatalogRoutes(app, deps);
  openCatalogRoutes(app, deps);
  openDownloadRoutes(app, deps);
  openApplicationRoutes(app, deps);
  stewardApplicationRoutes(app, deps);
  openFeedbackRoutes(app, deps);
  stewardFeedbackRoutes(app, deps);
  stewardPriorityListRoutes(app, deps);
  openPriorityListRoutes(app, deps);
  securityWhitelistRoutes(app, deps);
  securityAuditRoutes(app, deps);
  securityKeyRoutes(app, deps);
  securityAlertRoutes(app, deps);
  stewardReviewRoutes(app, deps);
  encryptedStatisticsRoutes(app, deps);
  operatorDatasetRoutes(app, deps);
  operatorJobRoutes(app, deps);
  operatorPsiRoutes(app, deps);
  operatorScoringRoutes(app, deps);
  federationRoutes(app, deps);
  consoleRoutes(app, deps);
  portalRoutes(app, deps);
  openDcatRoutes(app, deps);
  ckanRoutes(app, deps);
  docsRoutes(app, deps);
  return app;
}
