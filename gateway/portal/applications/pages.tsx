// An applicant follows a conditional-open application with its id and status token. The token travels in a POST
// body (never in a URL, where logs and history would keep it); lookups take from the same per-IP bucket as forms.
import type { Context } from 'hono';
import { showApplicationVerb, type ApplicationStatusView } from '../../../catalog-open/index.ts';
import { isAppError } from '../../../errors/index.ts';
import type { AppEnv, GatewayDeps } from '../../context.ts';
import { verbContext } from '../../middleware/authenticate.ts';
import { checkCsrf, CSRF_FIELD, CsrfField, csrfToken } from '../csrf.tsx';
import { one, readForm } from '../forms.ts';
import { useWords, viewOf } from '../lang.ts';
import { Badge, Layout, minute, Notice } from '../layout.tsx';
import type { PortalApp, PortalTools } from '../routes.tsx';

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
          <dd>{minute(a.submittedAt)}</dd>
        </div>
        {a.decidedAt && (
          <div>
            <dt>{w.decidedAt}</dt>
            <dd>{minute(a.decidedAt)}</dd>
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
            <dd>{minute(a.expiresAt)}</dd>
          </div>
        )}
      </dl>
      <h2>{w.next}</h2>
      <p id="next-step">{w.actions[next.action] ?? next.message}</p>
      {next.action === 'download' && (
        <p>
          <code>{next.url}</code>
        </p>
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
  const page = (c: Context<AppEnv>, body: unknown, status: 200 | 404 = 200) => {
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
}
