// An applicant follows a conditional-open application with its id and status token. The token travels in a POST
// body (never in a URL, where logs and history would keep it); lookups take from the same per-IP bucket as forms.
import type { Context } from 'hono';
import { applicationCredentialForSession, OUTPUT_FORMATS, showApplicationVerb, type ApplicationStatusView } from '../../../catalog-open/index.ts';
import { AppError, isAppError } from '../../../errors/index.ts';
import { sendDownload } from '../../routes/open-downloads.ts';
import type { AppEnv, GatewayDeps } from '../../context.ts';
import { servicesOf, verbContext } from '../../middleware/authenticate.ts';
import { checkCsrf, CSRF_FIELD, CsrfField, csrfToken } from '../csrf.tsx';
import { one, readForm } from '../forms.ts';
import { useWords, viewOf } from '../lang.ts';
import { Badge, Layout, Notice, Time } from '../layout.tsx';
import type { PortalApp, PortalTools } from '../routes.tsx';
import { DOWNLOAD_SESSION_SECONDS, downloadSessionFor, startDownloadSession } from './download-session.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function LookupForm(props: { csrf: string; id: string }) {
  const w = useWords().status;
  return (
    <form method="post" action="/portal/applications" class="stack" id="status-form">
      <p class="muted">{w.intro}</p>
      <CsrfField token={props.csrf} />
      <label for="st-id">{w.id}</label>
      <input id="st-id" name="id" value={props.id} maxlength={64} autocomplete="off" required />
      <label for="st-token">{w.token}</label>
      <input id="st-token" name="token" type="password" maxlength={64} autocomplete="off" required />
      <button type="submit">{w.submit}</button>
    </form>
  );
}

function StatusView(props: { a: ApplicationStatusView }) {
  const { a } = props;
  const W = useWords();
  const w = W.status;
  const next = a.next;
  return (
    <>
      <dl class="meta">
        <div>
          <dt>{w.id}</dt>
          <dd>
            <code>{a.id}</code>
          </dd>
        </div>
        <div>
          <dt>{w.dataset}</dt>
          <dd>
            <a href={`/portal/datasets/${encodeURIComponent(a.dataset)}`}>{a.dataset}</a>
          </dd>
        </div>
        <div>
          <dt>{w.state}</dt>
          <dd>
            <Badge value={a.status}>{w.states[a.status] ?? a.status}</Badge> {a.expired && <Badge value="overdue">{w.expired}</Badge>}
          </dd>
        </div>
        <div>
          <dt>{w.access}</dt>
          <dd>{a.access === 'sandbox' ? W.application.accessSandbox : W.application.accessDownload}</dd>
        </div>
        <div>
          <dt>{w.fields}</dt>
          <dd>{a.fields.join(W.listSep)}</dd>
        </div>
        <div>
          <dt>{w.submittedAt}</dt>
          <dd><Time iso={a.submittedAt} /></dd>
        </div>
        {a.decidedAt && (
          <div>
            <dt>{w.decidedAt}</dt>
            <dd><Time iso={a.decidedAt} /></dd>
          </div>
        )}
        {a.decisionReason && (
          <div>
            <dt>{w.reason}</dt>
            <dd>{a.decisionReason}</dd>
          </div>
        )}
        {a.expiresAt && (
          <div>
            <dt>{w.expiresAt}</dt>
            <dd><Time iso={a.expiresAt} /></dd>
          </div>
        )}
      </dl>
      <h2>{w.next}</h2>
      <p id="next-step">{w.actions[next.action] ?? next.message}</p>
      {next.action === 'download' && (
        <section aria-labelledby="download-h" id="download">
          <h3 id="download-h">{w.download}</h3>
          <p class="muted">{w.downloadNote(DOWNLOAD_SESSION_SECONDS / 60)}</p>
          <ul class="downloads">
            {next.formats.map((f) => (
              <li>
                <a class="download" href={`/portal/applications/${encodeURIComponent(a.id)}/download?format=${f}`} data-format={f} download>
                  {f.toUpperCase()}
                </a>
              </li>
            ))}
          </ul>
          <details>
            <summary>{w.apiDownload}</summary>
            <p>{w.apiNote}</p>
            <p>
              <code>GET {next.url}</code>
            </p>
          </details>
        </section>
      )}
      {next.action === 'sandbox' && (
        <p>
          <code>{next.licenseId}</code>
        </p>
      )}
    </>
  );
}

export function applicationPages(ui: PortalApp, deps: GatewayDeps, tools: PortalTools) {
  const page = (c: Context<AppEnv>, body: unknown, status: 200 | 401 | 403 | 404 = 200) => {
    const view = viewOf(c);
    return c.html(
      <Layout view={view} title={view.W.status.title} path="/portal/applications">
        {body as never}
      </Layout>,
      status,
    );
  };

  ui.get('/applications', (c) => page(c, <LookupForm csrf={csrfToken(c)} id="" />));

  ui.post('/applications', async (c) => {
    tools.limitForms(c);
    const form = await readForm(c);
    checkCsrf(c, one(form, CSRF_FIELD));
    const id = one(form, 'id').slice(0, 64);
    try {
      const application = await showApplicationVerb(verbContext(deps, c), id, one(form, 'token').slice(0, 64));
      // the token was just proven: this browser may download for this application for a while, without it
      if (application.next.action === 'download') await startDownloadSession(c, deps, application.id);
      return page(c, <StatusView a={application} />);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'NOT_FOUND') throw err;
      // a wrong token and an unknown id look the same (as in the API)
      return page(
        c,
        <>
          <Notice kind="error">{viewOf(c).W.status.notFound}</Notice>
          <LookupForm csrf={csrfToken(c)} id={id} />
        </>,
        404,
      );
    }
  });

  // the approved applicant's download: the session cookie stands for the status token; the verb and Cedar decide
  // as for the API (approved, unexpired, only the approved fields), and the download is audited the same way
  ui.get('/applications/:id/download', async (c) => {
    const id = c.req.param('id');
    const format = c.req.query('format') ?? 'csv';
    if (!ID.test(id)) throw new AppError('NOT_FOUND', 'no such page', { details: { reason: 'page' } });
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new AppError('BAD_REQUEST', 'format is csv, ndjson, json or xlsx', { details: { parameter: 'format' } });
    const w = viewOf(c).W.status;
    try {
      await downloadSessionFor(c, deps, id);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return page(c, <><Notice kind="error">{w.sessionEnded}</Notice><LookupForm csrf={csrfToken(c)} id={id} /></>, 401);
    }
    const application = await applicationCredentialForSession(servicesOf(deps).database, id);
    try {
      return await sendDownload(c, deps, { code: application.datasetCode, format: format as (typeof OUTPUT_FORMATS)[number], fields: undefined, filters: {}, application });
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'FORBIDDEN' && err.code !== 'UNAUTHENTICATED')) throw err;
      return page(c, <Notice kind="error">{w.downloadRefused}</Notice>, 403);
    }
  });
}
