// Steward desk: data-quality feedback of the department, answered with a status.
import { listFeedbackVerb, replyFeedbackVerb } from '../../../catalog-open/index.ts';
import { listDatasets } from '../../../store/index.ts';
import { servicesOf } from '../../middleware/authenticate.ts';
import { Wide } from '../../ui/wide-table.tsx';
import type { GatewayDeps } from '../../context.ts';
import { readForm } from '../forms.ts';
import { langOf } from '../i18n.ts';
import { Csrf, Layout, Named, Notice } from '../layout.tsx';
import { namesFor } from '../names.ts';
import type { ConsoleApp } from '../routes.tsx';
import { consoleVerbContext } from '../session.ts';
import { day, statusFilter } from './shared.ts';
import { WORDS } from './words.ts';

export function feedbackPages(ui: ConsoleApp, deps: GatewayDeps) {
  const FEEDBACK_STATUSES = ['open', 'in_progress', 'resolved', 'rejected'] as const;
  ui.get('/feedback', async (c) => {
    const lang = langOf(c);
    const w = WORDS[lang];
    const session = c.get('session');
    const status = statusFilter(c, FEEDBACK_STATUSES);
    const page = await listFeedbackVerb(consoleVerbContext(deps, c), { status, limit: 50, cursor: c.req.query('cursor') || undefined });
    const db = servicesOf(deps).database.db;
    const names = await namesFor(db, { staff: page.items.flatMap((f) => f.replies.map((r) => r.by)) });
    const datasetNames = new Map((await listDatasets(db, { limit: 500 })).items.map((d) => [d.code, d.name]));
    return c.html(
      <Layout title={w.feedback.title} lang={lang} session={session} path="/console/feedback">
        {c.req.query('done') === '1' && <Notice kind="ok">{w.done}</Notice>}
        <form method="get" class="filters">
          <label>
            {w.status}
            <select name="status">
              <option value="">{w.any}</option>
              {FEEDBACK_STATUSES.map((s) => (
                <option value={s} selected={status === s}>
                  {w.feedback.statuses[s]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{w.filter}</button>
        </form>
        <Wide label={w.feedback.title}>
        <table>
          <thead>
            <tr>
              <th>{w.feedback.dataset}</th>
              <th>{w.feedback.kind}</th>
              <th>{w.feedback.message}</th>
              <th>{w.status}</th>
              <th>{w.feedback.reply}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((f) => (
              <tr>
                <td>
                  {datasetNames.get(f.dataset) ?? f.dataset} <code class="id">{f.dataset}</code>
                </td>
                <td>{w.feedback.kinds[f.kind]}</td>
                <td>
                  {f.message}
                  <div class="muted">
                    {day(f.createdAt)}
                    {f.contact ? ` · ${w.feedback.contact}: ${f.contact}` : ''}
                  </div>
                  {f.replies.length > 0 && (
                    <ul>
                      {f.replies.map((r) => (
                        <li>
                          {day(r.at)} · <Named name={names.staff(r.by)} id={r.by} />: {r.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <span class={`badge ${f.status}`}>{w.feedback.statuses[f.status]}</span>
                </td>
                <td>
                  <form method="post" action={`/console/feedback/${f.id}/reply`} data-confirm={w.feedback.confirmReply}>
                    <Csrf session={session} />
                    <label>
                      {w.feedback.reply}
                      <textarea name="message" required maxlength={2000}></textarea>
                    </label>
                    <label>
                      {w.feedback.newStatus}
                      <select name="status">
                        {FEEDBACK_STATUSES.map((s) => (
                          <option value={s} selected={s === (f.status === 'open' ? 'in_progress' : f.status)}>
                            {w.feedback.statuses[s]}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button type="submit">{w.feedback.send}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </Wide>
        {page.nextCursor && (
          <p class="pager">
            <a href={`/console/feedback?status=${status ?? ''}&cursor=${encodeURIComponent(page.nextCursor)}`}>{w.next}</a>
          </p>
        )}
      </Layout>,
    );
  });

  ui.post('/feedback/:id/reply', async (c) => {
    const f = await readForm(c);
    await replyFeedbackVerb(consoleVerbContext(deps, c), c.req.param('id'), { message: f.message ?? '', status: f.status });
    return c.redirect('/console/feedback?done=1', 303);
  });

}
