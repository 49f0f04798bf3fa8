// The staff console at /console: sign-in, sign-out, language, assets, and the pages of each role.
// Pages call the same verbs the API uses; nothing here decides who may do what (Cedar does, inside the verbs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { setCookie } from 'hono/cookie';
import { AppError, isAppError } from '../../errors/index.ts';
import type { App } from '../app.ts';
import type { GatewayDeps } from '../context.ts';
import { checkStaffLogin } from '../identity/staff.ts';
import { servicesOf } from '../middleware/authenticate.ts';
import { auditRequest } from '../middleware/audit-request.ts';
import { LANG_COOKIE, langOf, SHELL } from './i18n.ts';
import { describeError, internalMessage } from './messages.ts';
import { Layout, Notice } from './layout.tsx';
import { endSession, requireConsoleSession, startSession, type ConsoleEnv } from './session.ts';
import { CONSOLE_PAGES } from './pages.ts';

export type ConsoleApp = Hono<ConsoleEnv>;

/** No inline script or style; frames, plugins and foreign origins refused. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ASSETS: Record<string, { type: string; body: string }> = {
  ...Object.fromEntries(
    [
      ['console.css', 'text/css; charset=utf-8'],
      ['console.js', 'text/javascript; charset=utf-8'],
    ].map(([name, type]) => [name, { type: type!, body: readFileSync(join(import.meta.dirname, 'assets', name!), 'utf8') }]),
  ),
  'ui.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(import.meta.dirname, '..', 'ui', 'ui.css'), 'utf8') },
};

/** Only same-site paths under /console are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[A-Za-z0-9\-_/.%?=&]*)?$/.test(next) && !next.startsWith('//') ? next : '/console';
}

/** Back to the console page a form was posted from (same-origin paths under /console only). */
function safeBack(referer: string | undefined): string {
  try {
    const url = new URL(referer ?? '');
    return safeNext(url.pathname + url.search);
  } catch {
    return '/console';
  }
}

const STATUS_OF: Partial<Record<string, 400 | 401 | 403 | 404 | 409 | 422 | 429>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  RATE_LIMITED: 429,
};

/**
 * Login CSRF: there is no session yet, so no form token; the browser's own word decides. A sign-in is accepted only
 * when Sec-Fetch-Site says same-origin, or (browsers without it) Origin is ours. A cross-site form post would
 * otherwise sign the victim in to an account the attacker chose. First layer: anything the browser marks as coming
 * from elsewhere is refused; second layer, hono/csrf: without a positive same-origin sign the post is refused too.
 */
function signInFromOurPages(deps: GatewayDeps): MiddlewareHandler<ConsoleEnv> {
  const ours = (origin: string, c: Context) => origin === new URL(c.req.url).origin || origin === deps.config.publicUrl;
  const secondLayer = csrf({ origin: ours, secFetchSite: 'same-origin' });
  const refuse = async (c: Context<ConsoleEnv>, reason: string): Promise<never> => {
    const { audit } = servicesOf(deps);
    await audit.append({ actor: { type: 'public', id: null }, action: 'console.sign-in', resource: 'console', outcome: 'deny', ip: c.get('ip'), requestId: c.get('requestId'), details: { code: 'FORBIDDEN', reason } });
    throw new AppError('FORBIDDEN', 'a sign-in must come from the console’s own page', { details: { reason: 'csrf' } });
  };
  return async (c, next) => {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    if (site !== undefined && site !== 'same-origin') return refuse(c, 'cross-site');
    if (origin !== undefined && origin !== 'null' && !ours(origin, c)) return refuse(c, 'cross-origin');
    try {
      await secondLayer(c, async () => {});
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403) return refuse(c, 'no-origin');
      throw err;
    }
    await next();
  };
}

export function consoleRoutes(app: App, deps: GatewayDeps) {
  const ui: ConsoleApp = new Hono<ConsoleEnv>();

  ui.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONSOLE_CSP);
    c.header('Cache-Control', 'no-store');
  });

  // errors become pages (with the same code and status the API would give), never a stack trace
  ui.onError((err, c) => {
    const lang = langOf(c);
    const w = SHELL[lang];
    if (!isAppError(err)) {
      const frames = ((err as Error).stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
      deps.logger.error({ requestId: c.get('requestId'), err: { name: (err as Error).name, frames } }, 'unhandled console error');
    }
    const status = isAppError(err) ? (STATUS_OF[err.code] ?? 400) : 500;
    const path = new URL(c.req.url).pathname;
    // the person's language throughout: the action they tried and what the error's code means, never the verb's
    // English message or the raw code
    const text = isAppError(err) ? describeError(err, { method: c.req.method, path }, lang) : { title: null, message: `${internalMessage(lang)} ${c.get('requestId')}`, fields: [] };
    const title = text.title ?? (status === 403 ? w.forbidden : status === 404 ? w.notFound : w.error);
    return c.html(
      <Layout title={title} lang={lang} session={c.get('session') ?? null} path={path}>
        <div class="notice error" role="alert">
          <p>{text.message}</p>
          {text.fields.length > 0 && (
            <ul>
              {text.fields.map((f) => (
                <li>{f}</li>
              ))}
            </ul>
          )}
        </div>
        <p>
          {c.req.method === 'POST' && c.req.header('referer')?.includes('/console') ? <a href={safeBack(c.req.header('referer'))}>{w.back}</a> : null}{' '}
          <a href="/console">{w.dashboard}</a>
        </p>
      </Layout>,
      status,
    );
  });

  ui.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) throw new AppError('NOT_FOUND', 'no such asset');
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });

  ui.get('/lang', (c) => {
    const to = c.req.query('to') === 'en' ? 'en' : 'zh';
    setCookie(c, LANG_COOKIE, to, { path: '/console', sameSite: 'Strict', httpOnly: true, maxAge: 365 * 86400 });
    return c.redirect(safeNext(c.req.query('next')), 303);
  });

  const loginPage = (c: Context<ConsoleEnv>, error?: string, status: 200 | 401 | 423 = 200) => {
    const lang = langOf(c);
    const w = SHELL[lang];
    return c.html(
      <Layout title={w.signIn} lang={lang} session={null} path="/console/login">
        {error && <Notice kind="error">{error}</Notice>}
        <form method="post" action={`/console/login?next=${encodeURIComponent(safeNext(c.req.query('next')))}`} class="stack">
          <label>
            {w.username}
            <input name="username" autocomplete="username" required maxlength={100} autofocus />
          </label>
          <label>
            {w.password}
            <input name="password" type="password" autocomplete="current-password" required maxlength={1024} />
          </label>
          <button type="submit">{w.signIn}</button>
        </form>
      </Layout>,
      status,
    );
  };

  ui.get('/login', (c) => loginPage(c));
  ui.post('/login', signInFromOurPages(deps), async (c) => {
    const w = SHELL[langOf(c)];
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username.slice(0, 100) : '';
    const password = typeof form.password === 'string' ? form.password.slice(0, 1024) : '';
    const { database, audit } = servicesOf(deps);
    try {
      const staff = await checkStaffLogin(database.db, username, password);
      await startSession(c, deps, staff);
      await audit.append({ actor: { type: 'staff', id: staff.id }, action: 'console.sign-in', resource: 'console', outcome: 'ok', ip: c.get('ip'), requestId: c.get('requestId'), details: {} });
      return c.redirect(safeNext(c.req.query('next')), 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      await audit.append({ actor: { type: 'public', id: null }, action: 'console.sign-in', resource: 'console', outcome: 'deny', ip: c.get('ip'), requestId: c.get('requestId'), details: { code: err.code } });
      if (err.code === 'ACCOUNT_LOCKED') return loginPage(c, w.locked, 423);
      if (err.code === 'INVALID_CREDENTIALS') return loginPage(c, w.signInFailed, 401);
      throw err;
    }
  });

  // everything below needs a session; state changes need its CSRF token; each request leaves an audit entry
  ui.use('*', auditRequest(deps) as never, requireConsoleSession(deps));

  ui.post('/logout', (c) => {
    endSession(c, deps);
    return c.redirect('/console/login', 303);
  });

  for (const register of CONSOLE_PAGES) register(ui, deps);

  app.route('/console', ui as never);
}
