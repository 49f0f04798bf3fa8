// Alerts (security staff): high-risk operations the sandbox and the gateway blocked, with severity, operator and what
// was blocked; acknowledge or resolve with a note, and suspend the operator from the alert. Same verbs as the API.
import { ALERT_KINDS, ALERT_SEVERITIES, ALERT_STATUSES, ackAlert, alertQuerySchema, listAlerts, type AlertView } from '../../../sandbox/alerts/index.ts';
import type { GatewayDeps } from '../../context.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { chinaSecond } from '../../ui/time.ts';
import { Wide } from '../../ui/wide-table.tsx';
import { readForm, validate } from '../forms.ts';
import { langOf, SHELL, type Lang } from '../i18n.ts';
import { Csrf, Layout, Named, Notice } from '../layout.tsx';
import { namesFor, type Names } from '../names.ts';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext, type ConsoleSession } from '../session.ts';
import { WORDS } from './words.ts';

/** A detail value as text: lists joined, objects as compact JSON (counts and names only, by the alerts' rules). */
const detailText = (v: unknown): string => (Array.isArray(v) ? v.map(detailText).join(', ') : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

function AlertRow(props: { alert: AlertView; lang: Lang; session: ConsoleSession; names: Names }) {
  const w = WORDS[props.lang];
  const a = props.alert;
  // the alert rules write English summaries: shown in the reader's language when known (or already Chinese); else
  // the kind column says what it is and the original text waits in the details
  const summary = props.lang === 'en' ? a.summary : (w.summaries[a.summary] ?? (/[\u4e00-\u9fff]/.test(a.summary) ? a.summary : null));
  return (
    <tr>
      <td>
        <time datetime={a.createdAt}>{chinaSecond(a.createdAt)}</time>
      </td>
      <td>{w.kinds[a.kind]}</td>
      <td>
        <span class={`badge ${a.severity}`}>{w.severities[a.severity]}</span>
      </td>
      <td>{a.operatorId ? <a href={`/console/whitelist/${a.operatorId}`}><Named name={props.names.operator(a.operatorId)} id={a.operatorId} /></a> : '—'}</td>
      <td>
        {summary}
        {a.suspendedOperator && <div class="muted">{w.suspended}</div>}
        <details>
          <summary>{w.details}</summary>
          <dl class="facts">
            {a.jobId && (
              <>
                <dt>{w.job}</dt>
                <dd>
                  <code class="id">{a.jobId}</code>
                </dd>
              </>
            )}
            {Object.entries(a.details).map(([key, value]) => (
              <>
                <dt>{w.detailKeys[key] ?? key}</dt>
                <dd>{key === 'operatorId' && typeof value === 'string' ? <Named name={props.names.operator(value)} id={value} /> : detailText(value)}</dd>
              </>
            ))}
            {summary === null && (
              <>
                <dt>{w.original}</dt>
                <dd lang="en">{a.summary}</dd>
              </>
            )}
          </dl>
          {a.notes.length > 0 && (
            <ul>
              {a.notes.map((n) => (
                <li>
                  <time datetime={n.at}>{chinaSecond(n.at)}</time> · <Named name={props.names.staff(n.by)} id={n.by} /> · {w.statuses[n.status]}: {n.note}
                </li>
              ))}
            </ul>
          )}
        </details>
      </td>
      <td>
        <span class={`badge ${a.status}`}>{w.statuses[a.status]}</span>
      </td>
      <td>
        {a.status !== 'resolved' && (
          <form method="post" action={`/console/alerts/${a.id}/ack`} data-confirm={w.confirm}>
            <Csrf session={props.session} />
            <label>
              {w.note}
              <input name="note" required maxlength={2000} />
            </label>
            <label>
              <input type="checkbox" name="suspendOperator" value="true" disabled={!a.operatorId} /> {w.suspend}
            </label>
            <button type="submit" name="status" value="acknowledged" class="secondary">
              {w.acknowledge}
            </button>{' '}
            <button type="submit" name="status" value="resolved">
              {w.resolve}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

export function alertPages(ui: ConsoleApp, deps: GatewayDeps) {
  ui.get('/alerts', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const raw = { status: c.req.query('status') || undefined, kind: c.req.query('kind') || undefined, severity: c.req.query('severity') || undefined, cursor: c.req.query('cursor') || undefined };
    const query = validate(alertQuerySchema, raw);
    const page = await listAlerts(consoleVerbContext(deps, c), query);
    const names = await namesFor(servicesOf(deps).database.db, {
      operators: page.items.flatMap((a) => [a.operatorId, typeof a.details.operatorId === 'string' ? a.details.operatorId : null]),
      staff: page.items.flatMap((a) => a.notes.map((n) => n.by)),
    });
    const keep = new URLSearchParams(Object.entries(raw).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'cursor'));
    return c.html(
      <Layout title={w.title} lang={lang} session={session} path="/console/alerts">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.done}</Notice>}
        <form method="get" action="/console/alerts" class="filters">
          <label>
            {w.status}
            <select name="status">
              <option value="">{w.any}</option>
              {ALERT_STATUSES.map((s) => (
                <option value={s} selected={raw.status === s}>
                  {w.statuses[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w.kind}
            <select name="kind">
              <option value="">{w.any}</option>
              {ALERT_KINDS.map((k) => (
                <option value={k} selected={raw.kind === k}>
                  {w.kinds[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w.severity}
            <select name="severity">
              <option value="">{w.any}</option>
              {ALERT_SEVERITIES.map((s) => (
                <option value={s} selected={raw.severity === s}>
                  {w.severities[s]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{w.filter}</button>
        </form>
        <Wide label={w.title}>
        <table>
          <thead>
            <tr>
              <th>{w.at}</th>
              <th>{w.kind}</th>
              <th>{w.severity}</th>
              <th>{w.operator}</th>
              <th>{w.blocked}</th>
              <th>{w.status}</th>
              <th>{SHELL[lang].actions}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((alert) => (
              <AlertRow alert={alert} lang={lang} session={session} names={names} />
            ))}
          </tbody>
        </table>
        </Wide>
        {page.nextCursor && (
          <p class="pager">
            <a href={`/console/alerts?${keep.toString()}${keep.size ? '&' : ''}cursor=${encodeURIComponent(page.nextCursor)}`}>{w.next}</a>
          </p>
        )}
      </Layout>,
    );
  });

  ui.post('/alerts/:id/ack', async (c) => {
    const f = await readForm(c);
    await ackAlert(consoleVerbContext(deps, c), c.req.param('id'), { note: f.note ?? '', status: f.status === 'resolved' ? 'resolved' : 'acknowledged', suspendOperator: f.suspendOperator === 'true' });
    return c.redirect('/console/alerts?done=1', 303);
  });
}
