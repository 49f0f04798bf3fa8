// The public portal (公共数据开放平台) at /portal: server-rendered pages (Chinese, or English by the header's switch)
// over the same verbs the open-data API uses. No account; forms carry a double-submit CSRF token and a per-IP limit on submissions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { AppError, isAppError } from '../../errors/index.ts';
import type { App } from '../app.ts';
import type { AppEnv, GatewayDeps } from '../context.ts';
import { TokenBuckets, type BucketRule } from '../middleware/rate-limit.ts';
import { statusOf } from '../problem.ts';
import { applicationPages } from './applications/pages.tsx';
import { catalogPages } from './catalog/pages.tsx';
import { datasetPages } from './dataset/pages.tsx';
import { departmentPages } from './departments/pages.tsx';
import { safeNext, setLang, viewOf } from './lang.ts';
import { Layout, Notice } from './layout.tsx';
import { priorityPages } from './priority/pages.tsx';
import type { PortalWords } from './words.ts';

export type PortalApp = Hono<AppEnv>;

/** What page modules share besides the deps. */
export interface PortalTools {
  /** Throws RATE_LIMITED when the caller's IP has submitted too many forms lately. */
  limitForms(c: Context<AppEnv>): void;
}

/** No inline script or style; frames, plugins and foreign origins refused. JSON-LD data blocks are not script. */
export const PORTAL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Submissions (feedback, applications) per IP: a burst of 10, then one every 10 seconds. */
export const FORM_LIMIT: BucketRule = { rate: 0.1, burst: 10 };

const ASSETS: Record<string, { type: string; body: string }> = {
  'portal.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(import.meta.dirname, 'assets', 'portal.css'), 'utf8') },
  'ui.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(import.meta.dirname, '..', 'ui', 'ui.css'), 'utf8') },
};

function titleOf(err: unknown, W: PortalWords): { status: number; title: string; message: string } {
  if (!isAppError(err)) return { status: 500, title: W.error, message: W.internal };
  const status = statusOf(err.code);
  const details = err.details as { reason?: string; parameter?: string } | undefined;
  if (err.code === 'DATASET_NOT_FOUND') return { status, title: W.notFound, message: W.notFoundDataset };
  if (status === 404) return { status, title: W.notFound, message: details?.reason === 'page' ? W.notFound : err.message };
  if (status === 429) return { status, title: W.tooMany, message: W.tooMany };
  if (err.code === 'FORBIDDEN' && details?.reason === 'csrf') return { status, title: W.error, message: W.staleForm };
  if (status === 401 || status === 403) return { status, title: W.error, message: W.forbidden };
  // the parameter in the reader's language, the verb's own (English) explanation after it
  if (status === 400) return { status, title: W.badRequest, message: details?.parameter ? `${W.badParameter(details.parameter)} (${err.message})` : err.message };
  return { status, title: W.error, message: err.message };
}

export function portalRoutes(app: App, deps: GatewayDeps, formLimit: BucketRule = FORM_LIMIT) {
  const ui: PortalApp = new Hono<AppEnv>();
  const buckets = new TokenBuckets(formLimit);
  const tools: PortalTools = {
    limitForms(c) {
      const wait = buckets.take(c.get('ip') ?? 'unknown');
      if (wait > 0) throw new AppError('RATE_LIMITED', 'too many submissions from this address', { details: { retryAfterSeconds: Math.ceil(wait) } });
    },
  };

  ui.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', PORTAL_CSP);
    // pages may carry a form token or a status token: never kept by a shared cache
    if (!c.req.path.startsWith('/portal/assets/')) c.header('Cache-Control', 'no-store');
  });

  // errors become pages with the status the API would give, never a stack trace
  ui.onError((err, c) => {
    const view = viewOf(c);
    const { status, title, message } = titleOf(err, view.W);
    if (status >= 500) {
      const frames = ((err as Error).stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
      deps.logger.error({ requestId: c.get('requestId'), err: { name: (err as Error).name, frames } }, 'unhandled portal error');
    }
    const retry = isAppError(err) ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
    if (retry !== undefined) c.header('Retry-After', String(retry));
    return c.html(
      <Layout view={view} title={title} path={c.req.path}>
        <Notice kind="error">
          {message}
          {status >= 500 ? ` ${c.get('requestId')}` : ''}
        </Notice>
        <p>
          <a href="/portal/datasets">{view.W.backToCatalog}</a>
        </p>
      </Layout>,
      status as 400,
    );
  });

  ui.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) throw new AppError('NOT_FOUND', 'no such asset');
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });
  ui.get('/', (c) => c.redirect('/portal/datasets', 302));
  // the header's language switch: a cookie, then back to the page it was clicked on
  ui.get('/lang', (c) => {
    setLang(c, c.req.query('to'));
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  catalogPages(ui, deps);
  datasetPages(ui, deps, tools);
  priorityPages(ui, deps);
  departmentPages(ui, deps);
  applicationPages(ui, deps, tools);
  // any other path under /portal: a page, not the API's JSON problem
  ui.all('*', () => {
    throw new AppError('NOT_FOUND', 'no such page', { details: { reason: 'page' } });
  });

  app.route('/portal', ui as never);
  // the site's home is the catalog
  app.get('/', (c) => c.redirect('/portal/datasets', 302));
}
